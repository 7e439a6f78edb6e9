"""PyTorch: an `LRScheduler` subclass that sets the design's LR on every param group."""

from __future__ import annotations

from ..schedule.design import Design
from .curve import every_shape, shape_source
from .header import conventions, design_data, plateau_data, segment_table, title
from .plateau_source import PLATEAU
from .python_target import EVALUATOR

#: The generated module's framework import (the generator itself imports no framework).
_IMPORTS = "from torch.optim.lr_scheduler import LRScheduler"


def render(
    design: Design, class_name: str, module: str = "lr_schedule", plateau: bool = True, all_shapes: bool = False
) -> str:
    plateau = plateau and design.plateau is not None
    plateau_doc = ""
    if plateau:
        plateau_doc = f"""
Plateau cuts: PyTorch's ReduceLROnPlateau cannot be chained with another scheduler, so
this scheduler applies the design's ReduceLROnPlateau policy (PLATEAU below,
"{design.plateau.semantics}" semantics) itself: call `scheduler.report(val_loss)` after each
validation. A cut sets the LR at once and scales the rest of the design. The policy's
counters and the multiplier are part of `state_dict()`, so resuming from a checkpoint that
saved it continues exactly, cuts included. `make_schedule(optimizer, plateau={{...}})`
overrides settings of the policy (keys left out keep PLATEAU's values).

PyTorch Lightning: report from `on_validation_epoch_end`, skipping the sanity check
(otherwise every cut comes one validation early); Lightning ignores "monitor" for this
scheduler::

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=...)
        scheduler = make_schedule(optimizer)
        return [optimizer], [{{"scheduler": scheduler, "interval": "step"}}]

    def on_validation_epoch_end(self):
        if not self.trainer.sanity_checking:
            scheduler = self.lr_schedulers()
            scheduler.report(self.trainer.callback_metrics["val_loss"])
"""
    head = f'''"""{title(design, "torch")}

Usage::

    from {module} import make_schedule

    optimizer = torch.optim.AdamW(model.parameters())
    scheduler = make_schedule(optimizer)
    for batch in loader:
        ...
        optimizer.step()
        scheduler.step()  # once per optimizer step

Param groups: the first group follows the design; every other group keeps the ratio of its
initial `lr` to the first group's (a group created with lr=1e-4 next to one with 1e-3 runs at a
tenth of the design), as LambdaLR scales each group's own LR. With a single group, or groups
of equal `lr`, the optimizer's `lr` argument does not matter. `state_dict()` and
`load_state_dict()` resume exactly.

Conventions:
{chr(10).join(conventions(design))}
- The number of `scheduler.step()` calls is the step (as `last_epoch`), so the LR in force
  for the n-th `optimizer.step()` (counting from 0) is lr(n).
- LRs are Python floats computed in float64.
{plateau_doc}"""

import bisect
import math
import operator
{"import struct" + chr(10) if plateau else ""}from types import SimpleNamespace

{_IMPORTS}

{segment_table(design)}
{design_data(design)}{chr(10) + plateau_data(design) if plateau else ""}'''
    shapes = [s.shape for s in design.segments]
    if all_shapes:
        shapes += every_shape()
    body = shape_source(shapes)
    if plateau:
        extra_init = "        self._plateau = _Plateau(_complete_policy(plateau))\n"
        extra_sig = "plateau=None, "
        multiplier = "self._plateau.multiplier"
        report = '''
    def report(self, metric):
        """Feed one validation value to the plateau policy; (old, new LR) on a cut."""
        metric = float(metric)
        cut = self._plateau.update(metric, self._lr_at(max(self.last_epoch, 0)))
        if cut is not None:
            self._last_lr = self.get_lr()
            for index, group in enumerate(self.optimizer.param_groups):
                group["lr"] = self._last_lr[index]
        return cut
'''
    else:
        extra_init, extra_sig, multiplier, report = "", "", "1.0", ""
    save_plateau = '        state["_plateau"] = self._plateau.state()\n' if plateau else ""
    load_plateau = '        plateau = state_dict.get("_plateau")\n' if plateau else ""
    restore_plateau = ""
    if plateau:
        restore_plateau = (
            "        if plateau is not None:\n"
            "            self._plateau = _Plateau(self._plateau.policy, plateau)\n"
        )
    cls = f'''
#: Attributes that belong to the code, not to a checkpoint.
_NOT_STATE = ("design", "_lr_at"{', "_plateau"' if plateau else ""})


class {class_name}(LRScheduler):
    """Sets the designed LR at every step. `design` is a design dict such as DESIGN."""

    def __init__(self, optimizer, design=None, {extra_sig}last_epoch=-1):
        self.design = DESIGN if design is None else design
        self._lr_at = _scalar_schedule(self.design)
{extra_init}        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        lr = self._lr_at(max(self.last_epoch, 0)) * {multiplier}
        first = self.base_lrs[0]
        return [lr if base == first else lr * (base / first) for base in self.base_lrs]

    def _get_closed_form_lr(self):
        return self.get_lr()

    def lr_at(self, step):
        """The design's LR at `step` as a Python float (plateau cuts not applied)."""
        return self._lr_at(step)

    def state_dict(self):
        """Plain data only (loads with `torch.load(..., weights_only=True)`)."""
        state = super().state_dict()
        for key in _NOT_STATE:
            state.pop(key, None)
{save_plateau}        return state

    def load_state_dict(self, state_dict):
{load_plateau}        state_dict = {{k: v for k, v in state_dict.items() if k not in _NOT_STATE}}
        super().load_state_dict(state_dict)
{restore_plateau}{report}'''
    tail = f'''
def make_schedule(optimizer, **kwargs):
    """A `{class_name}` for DESIGN bound to `optimizer`."""
    return {class_name}(optimizer, **kwargs)
'''
    parts = [head.rstrip("\n"), body.strip("\n"), EVALUATOR.strip("\n")]
    if plateau:
        parts.append(PLATEAU.strip("\n"))
    parts += [cls.strip("\n"), tail.strip("\n")]
    return "\n\n\n".join(parts) + "\n"

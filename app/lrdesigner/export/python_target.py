"""Plain Python: `make_schedule()` returns `lr_at(step)`, equal to the design's float64 values."""

from __future__ import annotations

from ..schedule.design import Design
from .curve import array_namespace, every_shape, shape_source
from .header import conventions, design_data, plateau_data, segment_table, title
from .plateau_source import PLATEAU

EVALUATOR = '''
def _scalar_schedule(design):
    """lr_at(step) for one design dict, in float64 Python arithmetic."""
    pieces, total = _pieces(design, _MATH)
    starts = [start for start, _ in pieces]
    last_start, last = pieces[-1]
    after_end = design["after_end"]
    end_lr = design["segments"][-1]["lr_end"]

    def lr_at(step):
        """The LR for optimizer update `step` (an integer >= 0)."""
        step = operator.index(step)
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        if step >= total:
            if after_end == "hold":
                return end_lr
            if after_end == "zero":
                return 0.0
            return max(0.0, last(float(step - last_start)))
        start, lr = pieces[bisect.bisect_right(starts, step) - 1]
        return lr(float(step - start))

    return lr_at
'''


PLATEAU_HELPER = '''
class Plateau:
    """ReduceLROnPlateau on top of the schedule, with PLATEAU's policy (`policy`
    overrides some of its settings; keys left out keep PLATEAU's values).

    Call `report(metric, step)` after each validation, `step` being the number of
    optimizer updates so far; `lr(step)` is the LR to use, cuts included. `state()` is
    plain data: `Plateau(state=saved)` resumes.
    """

    def __init__(self, design=DESIGN, policy=None, state=None):
        self._lr_at = _scalar_schedule(design)
        self._plateau = _Plateau(_complete_policy(policy), state)

    @property
    def multiplier(self):
        """The factor the cuts so far have scaled the design by."""
        return self._plateau.multiplier

    def report(self, metric, step):
        """Take one validation value; returns (old LR, new LR) on a cut, else None."""
        return self._plateau.update(float(metric), self._lr_at(step))

    def lr(self, step):
        """The LR for optimizer update `step`, with the cuts so far."""
        return self._plateau.effective(self._lr_at(step))

    def state(self):
        return self._plateau.state()
'''


def plateau_doc(design: Design) -> str:
    """The docstring paragraph of the plain-Python and optax exports about plateau cuts."""
    return f"""
Plateau cuts: `Plateau` applies the design's ReduceLROnPlateau policy (PLATEAU,
"{design.plateau.semantics}" semantics) on top of the schedule: call
`plateau.report(val_loss, step)` after each validation and use `plateau.lr(step)`.
"""


def render(design: Design, module: str = "lr_schedule", plateau: bool = True, all_shapes: bool = False) -> str:
    plateau = plateau and design.plateau is not None
    head = f'''"""{title(design, "python")}

Usage::

    from {module} import make_schedule

    lr_at = make_schedule()
    lr = lr_at(step)  # float

`make_numpy_schedule()` evaluates whole arrays of steps (needs NumPy).

Conventions:
{chr(10).join(conventions(design))}
- Values are Python floats computed in float64; they equal LR Designer's own evaluation.
{plateau_doc(design) if plateau else ""}"""

import bisect
import math
import operator
{"import struct" + chr(10) if plateau else ""}from types import SimpleNamespace

{segment_table(design)}
{design_data(design)}{chr(10) + plateau_data(design) if plateau else ""}'''
    shapes = [s.shape for s in design.segments]
    if all_shapes:
        shapes += every_shape()
    body = shape_source(shapes)
    tail = '''
def make_schedule(design=DESIGN):
    """lr_at(step) -> float for `design` (default: the embedded DESIGN)."""
    return _scalar_schedule(design)


def make_numpy_schedule(design=DESIGN):
    """lr(steps) -> float64 array for an integer array of steps (needs NumPy)."""
    import numpy as np

    ops = <<namespace>>
    pieces, total = _pieces(design, ops)
    after_end = design["after_end"]
    end_lr = design["segments"][-1]["lr_end"]

    def lr(steps):
        steps = np.asarray(steps, dtype=np.int64)
        if steps.size and steps.min() < 0:
            raise ValueError("steps must be >= 0")
        out = np.empty(steps.shape, dtype=np.float64)
        for number, (start, lr_of_piece) in enumerate(pieces):
            stop = pieces[number + 1][0] if number + 1 < len(pieces) else total
            inside = (steps >= start) & (steps < stop)
            if inside.any():
                out[inside] = lr_of_piece((steps[inside] - start).astype(np.float64))
        beyond = steps >= total
        if beyond.any():
            if after_end == "hold":
                out[beyond] = end_lr
            elif after_end == "zero":
                out[beyond] = 0.0
            else:
                start, lr_of_piece = pieces[-1]
                continued = lr_of_piece((steps[beyond] - start).astype(np.float64))
                out[beyond] = np.where(continued > 0.0, continued, 0.0)
        return out

    return lr
'''
    tail = tail.replace("<<namespace>>", array_namespace("np", indent="    "))
    parts = [head.rstrip("\n"), body.strip("\n"), EVALUATOR.strip("\n"), tail.strip("\n")]
    if plateau:
        parts += [PLATEAU.strip("\n"), PLATEAU_HELPER.strip("\n")]
    return "\n\n\n".join(parts) + "\n"

"""Placing logged series on the design's step axis, and comparing a logged LR with a design.

The design's convention: update n (counted from 0) uses lr(n); "step n" on the axis is the
moment n updates are done. Writers number their points differently; found by running them
(transformers 5.24, lightning 2.6, Keras 3.15 on TensorFlow):
- Hugging Face Trainer (trainer_state.json, its TensorBoard/MLflow/console logs): at step k
  (updates counted from 1) it logs the LR of the update that just finished, lr(k-1). Its
  losses at k are "after k updates".
- Lightning's LearningRateMonitor (metrics.csv `lr-<Optimizer>`, TensorBoard): lr(n) at step n.
- Keras TensorBoard callback: `epoch_learning_rate` of epoch e is the optimizer's LR after the
  epoch's updates; with a LearningRateSchedule that is lr((e+1) * steps_per_epoch).
- Keras CSVLogger (and the console's `learning_rate:`): the column comes from
  LearningRateScheduler / ReduceLROnPlateau, which set one LR per epoch; epoch e's value is the
  LR its updates used, the last of which is update (e+1) * steps_per_epoch - 1.
Series that are not learning rates are placed at "updates done": step k as logged, epoch e at
(e+1) * steps_per_epoch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .series import LogRun, Series

WRITERS = {
    "hf": "Hugging Face Trainer: lr(k-1) logged at step k",
    "lightning": "Lightning LearningRateMonitor: lr(n) logged at step n",
    "keras-tensorboard": "Keras TensorBoard callback: epoch e logs lr((e+1) x steps per epoch); "
    "with update_freq, batch step k logs lr(k-1)",
    "keras-csv": "Keras CSVLogger: epoch e logs the LR of its updates, the last being "
    "(e+1) x steps per epoch - 1",
    "ultralytics": "Ultralytics/YOLOv5 results.csv: the row of epoch e logs the LR of the epoch's last "
    "iteration, (e+1) x steps per epoch - 1",
    "": "step n logs lr(n)",
}
_LR_TAG = re.compile(
    r"(^|[/_\-.])(learning_rate|learning-rate|lr\d*)($|[/_\-.])|^lr-|^lr_|learningrate", re.IGNORECASE
)


def is_lr_tag(tag: str) -> bool:
    """Whether a tag names a learning rate (`learning_rate`, `lr`, `lr-AdamW`, `epoch_learning_rate`,
    `train/learning_rate`, `lr_pg0`, YOLOv5's `x/lr0` ...)."""
    return bool(_LR_TAG.search(tag))


def _lightning_monitor(run: LogRun) -> str | None:
    """Lightning's LearningRateMonitor names its tags `lr-<Optimizer>`."""
    return "lightning" if any(t.startswith("lr-") for t in run.series) else None


def _hf_trainer(run: LogRun) -> str | None:
    """The Trainer's tags, in any format (its TensorBoard, MLflow or console logs)."""
    tags = set(run.series)
    hf = "train/learning_rate" in tags or ("learning_rate" in tags and ({"total_flos", "grad_norm"} & tags))
    return "hf" if hf else None


#: Writer rules that hold in any format: (priority, guess). Each format registers its own
#: (`formats.LogFormat.writers`); `guess_writer` runs them all in priority order.
GENERAL_WRITER_RULES: tuple[tuple[int, Callable[[LogRun], str | None]], ...] = (
    (20, _lightning_monitor),
    (60, _hf_trainer),
)


def guess_writer(run: LogRun, fmt: str = "") -> str:
    """Which writer produced a run (a key of WRITERS), from its format and tags."""
    from .formats import writer_rules  # the formats' readers import this module's neighbours

    rules = list(GENERAL_WRITER_RULES)
    rules += [(rule.priority, rule.guess) for name, rule in writer_rules() if name == fmt]
    for _, guess in sorted(rules, key=lambda rule: rule[0]):
        writer = guess(run)
        if writer is not None:
            return writer
    return ""


def is_epoch_indexed(series: Series, writer: str = "") -> bool:
    """Whether the series' x counts epochs (and needs the steps per epoch to be placed): CSV and
    console epochs, and the Keras TensorBoard callback's `epoch_*` tags."""
    return series.x_kind == "epoch" or (writer == "keras-tensorboard" and series.tag.startswith("epoch_"))


@dataclass(frozen=True)
class Placement:
    """A series on the design's step axis: `steps[i]` is where `values[i]` belongs. `steps` is the
    series' own array when nothing moves its points (read it, never write to it)."""

    steps: np.ndarray
    values: np.ndarray
    writer: str
    rule: str


def place(
    series: Series,
    steps_per_epoch: int | None = None,
    offset: int = 0,
    writer: str = "",
    lr: bool | None = None,
) -> Placement:
    """Where each point of `series` goes on the design's axis. `writer`: a key of WRITERS
    (`guess_writer`); `offset`: steps added (a resumed run logged from 0); `lr`: whether the
    series is a learning rate (default: from its tag)."""
    if writer not in WRITERS:
        raise ValueError(f"unknown writer {writer!r}; one of {', '.join(repr(w) for w in WRITERS)}")
    lr = is_lr_tag(series.tag) if lr is None else lr
    if series.x_kind == "step" and is_epoch_indexed(series, writer):
        if not steps_per_epoch:
            raise ValueError(f"{series.tag}: an epoch-indexed series needs steps_per_epoch to map to steps")
        steps = (series.steps + 1) * steps_per_epoch
    else:
        steps = series.step_axis(steps_per_epoch)
    steps = steps.astype(np.int64, copy=False)  # the series' own steps when nothing moves them
    if offset:
        steps = steps + int(offset)
    rule = "updates done"
    if lr and writer == "hf" and series.x_kind == "step":
        steps = steps - 1
        rule = WRITERS["hf"]
    elif lr and writer == "keras-tensorboard" and series.x_kind == "step" and series.tag.startswith("batch_"):
        steps = steps - 1  # batch-level logging: after update k (counted from 1), the LR it used
        rule = WRITERS["keras-tensorboard"]
    elif lr and writer in ("keras-csv", "ultralytics") and series.x_kind == "epoch":
        steps = steps - 1
        rule = WRITERS[writer]
    elif lr:
        rule = WRITERS[writer]
    return Placement(steps, series.values, writer, rule)


#: Other conventions a writer is known to use: (steps added to the placement, words). Older
#: Trainer releases log lr(k) at step k, the LR after the scheduler's step.
ALTERNATIVES: dict[str, tuple[tuple[int, str], ...]] = {
    "hf": ((1, "logged as lr(k), the older Trainer's convention"),),
    "keras-tensorboard": ((1, "logged as lr(k) at batch step k"),),
    "lightning": ((-1, "logged as lr(n-1) at step n"),),
    "": ((-1, "logged as lr(n-1) at step n"),),
}
#: Constant step offsets tried when no convention matches (a run shifted by a few steps).
NEAR_OFFSETS = (1, -1, 2, -2, 3, -3)


@dataclass(frozen=True)
class LRComparison:
    """A logged LR series against a design, point by point on the design's axis."""

    max_rel_diff: float  # largest |logged - design| / |design| (0 when there is no point)
    worst_step: int | None
    first_diff_step: int | None  # first step where the relative difference exceeds `tol`
    tol: float
    compared: int
    skipped: int  # non-finite values and points before step 0
    rule: str
    convention: str = ""  # the writer's other convention that matched, in words ("" for its usual one)
    suggested_offset: int | None = None  # a constant step offset under which the run follows the design

    @property
    def exact(self) -> bool:
        return self.first_diff_step is None and self.compared > 0

    def message(self) -> str:
        if not self.compared:
            return "no logged LR point falls on the design"
        if self.exact:
            how = f"; {self.convention}" if self.convention else ""
            return (
                f"this run followed the design exactly (largest relative difference "
                f"{self.max_rel_diff:.2g}){how}"
            )
        text = (
            f"differs from step {self.first_diff_step:,} on (largest relative difference "
            f"{self.max_rel_diff:.3g} at step {self.worst_step:,})"
        )
        if self.suggested_offset is not None:
            text += (
                f"; it follows the design exactly when shifted by {self.suggested_offset:+,} steps "
                "(set that step offset)"
            )
        return text


def _compare(steps: np.ndarray, values: np.ndarray, design, tol: float, rule: str) -> LRComparison:
    usable = np.isfinite(values) & (steps >= 0)
    steps, logged = steps[usable], values[usable]
    skipped = int(len(usable) - len(steps))
    if not len(steps):
        return LRComparison(0.0, None, None, tol, 0, skipped, rule)
    want = design.evaluate(steps)
    diff = np.abs(logged - want)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(diff == 0, 0.0, diff / np.abs(want))
    worst = int(np.argmax(rel))
    over = np.flatnonzero(rel > tol)
    first = int(steps[over[np.argmin(steps[over])]]) if len(over) else None
    return LRComparison(float(rel[worst]), int(steps[worst]), first, tol, len(steps), skipped, rule)


def compare_lr(
    series: Series,
    design,
    steps_per_epoch: int | None = None,
    offset: int = 0,
    writer: str = "",
    tol: float = 1e-6,
    detect: bool = True,
) -> LRComparison:
    """Compare a logged LR series with `design` (a schedule.Design) where the writer's
    convention places each point. A design LR of 0 counts a logged 0 as equal and anything else
    as a relative difference of inf. Values written rounded (console output) are compared to
    their rounding (`Series.rounding`) when that exceeds `tol`.

    With `detect`, a series that differs under the writer's usual convention is tried under the
    others it is known to use (the one that matches is named in `convention`), then under a few
    constant step offsets (`suggested_offset`): a run that followed its design is never reported
    as differing because of how its writer numbers points."""
    tol = max(tol, series.rounding)
    p = place(series, steps_per_epoch or design.steps_per_epoch, offset, writer, lr=True)
    base = _compare(p.steps, p.values, design, tol, p.rule)
    if base.exact or not base.compared or not detect or series.x_kind != "step":
        return base
    for shift, words in ALTERNATIVES.get(writer, ALTERNATIVES[""]):
        alt = _compare(p.steps + shift, p.values, design, tol, p.rule)
        if alt.exact:
            return replace(alt, convention=words)
    for shift in NEAR_OFFSETS:
        alt = _compare(p.steps + shift, p.values, design, tol, p.rule)
        if alt.exact:
            return replace(base, suggested_offset=offset + shift)
    return base

"""Presets reproducing the Ultralytics (YOLOv8/11/12/26) and YOLOv5 trainers' schedule, per iteration.

The trainer (ultralytics/engine/trainer.py, YOLOv5 train.py) wraps `lf` in a LambdaLR stepped once
per epoch, and during the first `nw` iterations overwrites every group's LR with
`np.interp(ni, [0, nw], [start, initial_lr * lf(epoch)])`, ni = i + nb * epoch. A design step is one
iteration (one batch); the design's steps per epoch is nb.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..design import Design
from ..segment import Segment
from .pieces import fit, need
from .registry import P, preset

#: The most epochs a design is built for: each epoch after warmup is a constant segment of its own.
MAX_EPOCHS = 1_000_000

PARAMS = (
    P("lr0", "float", 0.01, "Initial LR (the optimizer's lr; `optimizer: auto` replaces it)."),
    P("lrf", "float", 0.01, "Final LR as a fraction of lr0."),
    P("epochs", "int", 100, "Training epochs."),
    P("warmup_epochs", "float", 3.0, "Warmup length in epochs (0: no warmup)."),
    P(
        "warmup_bias_lr",
        "float",
        0.0,
        "The LR warmup starts from: 0 for the weight groups, the trainer's warmup_bias_lr for the bias group.",
    ),
    P("steps_per_epoch", "int", 100, "Batches per epoch (nb): one design step is one iteration."),
    P(
        "warmup_min_iterations",
        "int",
        100,
        "Warmup lasts at least this many iterations: 100 "
        "(Ultralytics up to 8.3, YOLOv5 from v6.1), 1000 (older YOLOv5), 0 (Ultralytics 8.4).",
    ),
    P(
        "epoch_lag",
        "int",
        0,
        "1 for trainers that step the scheduler after the epoch (Ultralytics "
        "8.0.x, YOLOv5): epoch e then runs at lr0 * lf(e - 1) after warmup.",
    ),
    P(
        "total_steps",
        "int",
        None,
        "Iterations drawn (default epochs x steps_per_epoch): a run that stopped "
        "early; only the epochs drawn are built.",
        optional=True,
    ),
)


def linear_lf(lrf: float, epochs: int) -> Callable[[float], float]:
    """Ultralytics' linear lf: `max(1 - x / epochs, 0) * (1 - lrf) + lrf`."""
    return lambda x: max(1 - x / epochs, 0) * (1.0 - lrf) + lrf


def cosine_lf(lrf: float, epochs: int) -> Callable[[float], float]:
    """Ultralytics' one_cycle(1, lrf, epochs): `((1 - cos(x * pi / epochs)) / 2) * (lrf - 1) + 1`."""
    return lambda x: ((1 - math.cos(x * math.pi / epochs)) / 2) * (lrf - 1) + 1


def warmup_iterations(warmup_epochs: float, steps_per_epoch: int, minimum: int) -> int:
    """The trainer's nw: `max(round(warmup_epochs * nb), minimum)`, 0 (no warmup) when warmup_epochs is 0."""
    if warmup_epochs <= 0:
        return 0
    return max(round(warmup_epochs * steps_per_epoch), minimum)


def epoch_segments(
    lf: Callable[[float], float], lr0: float, epochs: int, nb: int, nw: int, start: float, lag: int
) -> list[Segment]:
    """The trainer's LR over iterations [0, epochs * nb): warmup lines, then one constant per epoch."""
    segs: list[Segment] = []
    for e in range(epochs):
        lo, hi = e * nb, (e + 1) * nb
        target = lr0 * lf(e)
        if lo <= nw and nw > 0:
            end = min(hi, nw)
            if end > lo:
                a, b = (float(np.interp(n, [0, nw], [start, target])) for n in (lo, end))
                segs.append(Segment.create("linear", end - lo, a, b))
            if end < hi:  # warmup ends inside this epoch; its last write (the target) stays
                _constant(segs, hi - end, target)
            continue
        _constant(segs, nb, lr0 * lf(max(e - lag, 0)))
    return segs


def _constant(segs: list[Segment], steps: int, lr: float) -> None:
    """A constant piece, merged into the previous one when that holds the same LR."""
    last = segs[-1] if segs else None
    if last is not None and last.shape == "constant" and last.lr_start == lr:
        segs[-1] = Segment("constant", last.duration + steps, lr, lr)
    else:
        segs.append(Segment("constant", steps, lr, lr))


def _design(
    lf,
    lr0,
    lrf,
    epochs,
    warmup_epochs,
    warmup_bias_lr,
    steps_per_epoch,
    warmup_min_iterations,
    epoch_lag,
    total_steps,
) -> Design:
    need(lr0 >= 0, "must be >= 0", "lr0")
    need(lrf >= 0, "must be >= 0", "lrf")
    need(1 <= epochs <= MAX_EPOCHS, f"must be in 1 .. {MAX_EPOCHS}", "epochs")
    need(warmup_epochs >= 0, "must be >= 0", "warmup_epochs")
    need(warmup_bias_lr >= 0, "must be >= 0", "warmup_bias_lr")
    need(steps_per_epoch >= 1, "must be >= 1", "steps_per_epoch")
    need(warmup_min_iterations >= 0, "must be >= 0", "warmup_min_iterations")
    need(epoch_lag in (0, 1), "must be 0 or 1", "epoch_lag")
    need(total_steps is None or total_steps >= 1, "must be >= 1", "total_steps")
    nw = warmup_iterations(warmup_epochs, steps_per_epoch, warmup_min_iterations)
    total = epochs * steps_per_epoch if total_steps is None else total_steps
    drawn = min(epochs, -(-total // steps_per_epoch))
    segs = epoch_segments(lf, lr0, drawn, steps_per_epoch, nw, warmup_bias_lr, epoch_lag)
    return Design(tuple(fit(segs, total)), steps_per_epoch=steps_per_epoch, after_end="hold")


@preset(
    "ultralytics.linear",
    "Ultralytics / YOLOv5 linear schedule (cos_lr false): lr0 * ((1 - e/epochs) * (1 - lrf) + lrf) for "
    "epoch e, after a per-iteration warmup from warmup_bias_lr (bias group) or 0.",
    "holds the last epoch's LR (training stops)",
    *PARAMS,
)
def linear(
    lr0,
    lrf,
    epochs,
    warmup_epochs,
    warmup_bias_lr,
    steps_per_epoch,
    warmup_min_iterations,
    epoch_lag,
    total_steps,
):
    return _design(
        linear_lf(lrf, epochs),
        lr0,
        lrf,
        epochs,
        warmup_epochs,
        warmup_bias_lr,
        steps_per_epoch,
        warmup_min_iterations,
        epoch_lag,
        total_steps,
    )


@preset(
    "ultralytics.cosine",
    "Ultralytics / YOLOv5 cosine schedule (cos_lr true): lr0 * one_cycle(1, lrf, epochs)(e) for epoch e, "
    "after a per-iteration warmup from warmup_bias_lr (bias group) or 0.",
    "holds the last epoch's LR (training stops)",
    *PARAMS,
)
def cosine(
    lr0,
    lrf,
    epochs,
    warmup_epochs,
    warmup_bias_lr,
    steps_per_epoch,
    warmup_min_iterations,
    epoch_lag,
    total_steps,
):
    return _design(
        cosine_lf(lrf, epochs),
        lr0,
        lrf,
        epochs,
        warmup_epochs,
        warmup_bias_lr,
        steps_per_epoch,
        warmup_min_iterations,
        epoch_lag,
        total_steps,
    )

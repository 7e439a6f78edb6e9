"""Presets reproducing timm's schedulers (timm.scheduler), stepped per update."""

from __future__ import annotations

import math

from ..design import Design
from ..segment import Segment
from .pieces import cosine_curve, fit, need
from .registry import P, preset

#: A timm cosine design holds at most this many cycles.
MAX_CYCLES = 10_000


@preset("timm.cosine",
        "timm CosineLRScheduler: optional linear warmup, then cosine cycles (cycle_mul longer, "
        "cycle_decay lower) until cycle_limit, then lr_min.", "holds lr_min (after cycle_limit)",
        P("lr", "float", 1e-3, "The optimizer's base LR."),
        P("t_initial", "int", 100_000, "Length of the first cycle."),
        P("lr_min", "float", 0.0, "Floor LR."),
        P("cycle_mul", "float", 1.0, "Cycle length multiplier."),
        P("cycle_decay", "float", 1.0, "Peak multiplier per cycle."),
        P("cycle_limit", "int", 1, "Number of cycles before holding lr_min."),
        P("warmup_t", "int", 0, "Steps of linear warmup."),
        P("warmup_lr_init", "float", 0.0, "LR at step 0 of warmup."),
        P("warmup_prefix", "bool", False, "Warmup comes before the first cycle (else it overlaps)."),
        P("k_decay", "float", 1.0, "Cosine time warp (only 1.0 is supported)."),
        P("total_steps", "int", None, "Training length (default: the end of the last cycle).",
          optional=True))
def cosine(lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
           warmup_prefix, k_decay, total_steps):
    need(k_decay == 1.0, "only k_decay=1.0 is supported", "k_decay")
    need(t_initial >= 1, "must be >= 1", "t_initial")
    need(cycle_mul >= 1.0, "must be >= 1", "cycle_mul")
    need(cycle_limit >= 1, "must be >= 1", "cycle_limit")
    need(warmup_t >= 0, "must be >= 0", "warmup_t")
    shift = warmup_t if warmup_prefix else 0

    def cycle_start(i: int) -> float:
        if cycle_mul == 1.0:
            return float(t_initial * i)
        return t_initial * (cycle_mul**i - 1.0) / (cycle_mul - 1.0)

    cycles_end = shift + cycle_start(cycle_limit)
    # By default the design ends with the first step at lr_min, so holding it matches timm.
    total = total_steps if total_steps is not None else int(math.ceil(cycles_end)) + (
        0 if cycles_end == math.floor(cycles_end) else 1)
    need(total > warmup_t, "must be > warmup_t", "total_steps")
    segs = []
    if warmup_t > 0:
        segs.append(Segment.create("linear", warmup_t, warmup_lr_init, lr))
    i, lo = 0, warmup_t
    while lo < total and i < cycle_limit:
        need(i < MAX_CYCLES, f"more than {MAX_CYCLES} cycles in the horizon", "cycle_limit")
        begin, end = shift + cycle_start(i), shift + cycle_start(i + 1)
        hi = min(total, int(math.ceil(end)))
        if hi > lo:
            segs += cosine_curve(lo, hi, begin, end, lr * cycle_decay**i, lr_min)
            lo = hi
        i += 1
    return Design(tuple(fit(segs, total, tail_lr=lr_min)), after_end="hold")

"""Presets reproducing timm's schedulers (timm.scheduler), stepped per update (t_in_epochs=False)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable

from ..design import Design
from ..segment import Segment
from ..shapes.tanh import half_tanh
from .pieces import cosine_curve, fit, need
from .registry import P, preset

#: A timm cycling design holds at most this many cycles.
MAX_CYCLES = 10_000

LR = P("lr", "float", 1e-3, "The optimizer's base LR.")
WARMUP = (
    P("warmup_t", "int", 0, "Steps of linear warmup."),
    P("warmup_lr_init", "float", 0.0, "LR at step 0 of warmup."),
)
CYCLES = (
    P("t_initial", "int", 100_000, "Length of the first cycle."),
    P("lr_min", "float", 0.0, "Floor LR."),
    P("cycle_mul", "float", 1.0, "Cycle length multiplier."),
    P("cycle_decay", "float", 1.0, "Peak multiplier per cycle."),
    P("cycle_limit", "int", 1, "Number of cycles before holding lr_min."),
)
TOTAL_OPT = P(
    "total_steps", "int", None, "Training length (default: the end of the last cycle).", optional=True
)

#: curve(lo, hi, t_begin, t_end, peak, lr_min) -> segments over integer steps [lo, hi) of one cycle.
Curve = Callable[[int, int, float, float, float, float], list[Segment]]


def _cycles(
    curve: Curve,
    lr,
    t_initial,
    lr_min,
    cycle_mul,
    cycle_decay,
    cycle_limit,
    warmup_t,
    warmup_lr_init,
    warmup_prefix,
    total_steps,
    warmup_target=None,
    ends_above_min: bool = False,
) -> Design:
    """Warmup, then `cycle_limit` cycles of `curve`, then lr_min (timm's cycle arithmetic)."""
    need(t_initial >= 1, "must be >= 1", "t_initial")
    need(lr_min >= 0, "must be >= 0", "lr_min")
    need(cycle_mul >= 1.0, "must be >= 1", "cycle_mul")
    need(cycle_limit >= 1, "must be >= 1", "cycle_limit")
    need(warmup_t >= 0, "must be >= 0", "warmup_t")
    need(warmup_lr_init >= 0, "must be >= 0", "warmup_lr_init")
    shift = warmup_t if warmup_prefix else 0

    def cycle_start(i: int) -> float:
        if cycle_mul == 1.0:
            return float(t_initial * i)
        return t_initial * (cycle_mul**i - 1.0) / (cycle_mul - 1.0)

    cycles_end = shift + cycle_start(cycle_limit)
    # By default the design ends with the first step at lr_min, so holding it matches timm.
    total = (
        total_steps
        if total_steps is not None
        else int(math.ceil(cycles_end)) + (0 if cycles_end == math.floor(cycles_end) else 1)
    )
    if total_steps is None and ends_above_min:
        total += 1  # a curve that stops above lr_min: show the first step at lr_min
    need(total > warmup_t, "must be > warmup_t", "total_steps")
    segs = []
    if warmup_t > 0:
        segs.append(
            Segment.create("linear", warmup_t, warmup_lr_init, lr if warmup_target is None else warmup_target)
        )
    i, lo = 0, warmup_t
    while lo < total and i < cycle_limit:
        need(i < MAX_CYCLES, f"more than {MAX_CYCLES} cycles in the horizon", "cycle_limit")
        begin, end = shift + cycle_start(i), shift + cycle_start(i + 1)
        hi = min(total, int(math.ceil(end)))
        if hi > lo:
            segs += curve(lo, hi, begin, end, lr * cycle_decay**i, lr_min)
            lo = hi
        i += 1
    return Design(tuple(fit(segs, total, tail_lr=lr_min)), after_end="hold")


def _cosine_curve(k_decay: float) -> Curve:
    def curve(lo, hi, begin, end, peak, lr_min):
        if k_decay == 1.0:
            return cosine_curve(lo, hi, begin, end, peak, lr_min)
        width = end - begin
        t0, t1 = (lo - begin) / width, (hi - begin) / width

        def value(t: float) -> float:
            return lr_min + (peak - lr_min) * 0.5 * (1.0 + math.cos(math.pi * t**k_decay))

        if value(t0) == value(t1):
            return [Segment.create("constant", hi - lo, value(t0))]
        return [
            Segment.create(
                "cosine", hi - lo, value(t0), value(t1), k_decay=k_decay, phase_start=t0, phase_end=t1
            )
        ]

    return curve


@preset(
    "timm.cosine",
    "timm CosineLRScheduler: optional linear warmup, then cosine cycles (cycle_mul longer, "
    "cycle_decay lower) until cycle_limit, then lr_min.",
    "holds lr_min (after cycle_limit)",
    LR,
    *CYCLES[:1],
    *CYCLES[1:],
    *WARMUP,
    P("warmup_prefix", "bool", False, "Warmup comes before the first cycle (else it overlaps)."),
    P("k_decay", "float", 1.0, "Time warp: cos(pi * t**k / t_i**k)."),
    TOTAL_OPT,
)
def cosine(
    lr,
    t_initial,
    lr_min,
    cycle_mul,
    cycle_decay,
    cycle_limit,
    warmup_t,
    warmup_lr_init,
    warmup_prefix,
    k_decay,
    total_steps,
):
    need(k_decay > 0, "must be > 0", "k_decay")
    return _cycles(
        _cosine_curve(k_decay),
        lr,
        t_initial,
        lr_min,
        cycle_mul,
        cycle_decay,
        cycle_limit,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        total_steps,
    )


def _poly_curve(power: float, k_decay: float) -> Curve:
    def curve(lo, hi, begin, end, peak, lr_min):
        width = end - begin
        t0, t1 = (lo - begin) / width, (hi - begin) / width
        if t0 >= 1.0 or peak == lr_min:
            return [Segment.create("constant", hi - lo, lr_min if t0 >= 1.0 else peak)]
        start = lr_min + (peak - lr_min) * (1.0 - t0**k_decay) ** power
        return [
            Segment.create(
                "polynomial", hi - lo, start, lr_min, power=power, k_decay=k_decay, phase_start=t0, phase_end=t1
            )
        ]

    return curve


@preset(
    "timm.poly",
    "timm PolyLRScheduler: optional warmup, then lr_min + (lr - lr_min) * "
    "(1 - t / t_i) ** power in cycles, then lr_min.",
    "holds lr_min (after cycle_limit)",
    LR,
    CYCLES[0],
    P("power", "float", 0.5, "Power of the decay."),
    *CYCLES[1:],
    *WARMUP,
    P("warmup_prefix", "bool", False, "Warmup comes before the first cycle (else it overlaps)."),
    P("k_decay", "float", 1.0, "Time warp: (1 - t**k / t_i**k) ** power."),
    TOTAL_OPT,
)
def poly(
    lr,
    t_initial,
    power,
    lr_min,
    cycle_mul,
    cycle_decay,
    cycle_limit,
    warmup_t,
    warmup_lr_init,
    warmup_prefix,
    k_decay,
    total_steps,
):
    need(k_decay > 0, "must be > 0", "k_decay")
    need(power > 0, "must be > 0", "power")
    return _cycles(
        _poly_curve(power, k_decay),
        lr,
        t_initial,
        lr_min,
        cycle_mul,
        cycle_decay,
        cycle_limit,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        total_steps,
    )


@preset(
    "timm.tanh",
    "timm TanhLRScheduler: optional warmup, then lr_min + (lr - lr_min) * 0.5 * "
    "(1 - tanh(lb * (1 - tr) + ub * tr)) in cycles, then lr_min.",
    "holds lr_min (after cycle_limit)",
    LR,
    CYCLES[0],
    P("lb", "float", -7.0, "tanh argument at a cycle's start."),
    P("ub", "float", 3.0, "tanh argument at a cycle's end."),
    *CYCLES[1:],
    *WARMUP,
    P(
        "warmup_prefix",
        "bool",
        False,
        "Warmup comes before the first cycle (else it overlaps and rises to the curve's value at warmup_t).",
    ),
    TOTAL_OPT,
)
def tanh(
    lr,
    t_initial,
    lb,
    ub,
    lr_min,
    cycle_mul,
    cycle_decay,
    cycle_limit,
    warmup_t,
    warmup_lr_init,
    warmup_prefix,
    total_steps,
):
    need(lb < ub, "lb must be < ub (timm asserts it)", "lb")

    def curve(lo, hi, begin, end, peak, floor):
        width = end - begin
        t0, t1 = (lo - begin) / width, (hi - begin) / width

        def value(t: float) -> float:
            return floor + (peak - floor) * half_tanh(lb * (1.0 - t) + ub * t, math)

        if value(t0) == value(t1):
            return [Segment.create("constant", hi - lo, value(t0))]
        return [
            Segment.create("tanh", hi - lo, value(t0), value(t1), lb=lb, ub=ub, phase_start=t0, phase_end=t1)
        ]

    target = None
    if warmup_t and not warmup_prefix:
        need(warmup_t < t_initial, "must be < t_initial without warmup_prefix", "warmup_t")
        target = lr_min + (lr - lr_min) * half_tanh(
            lb * (1.0 - warmup_t / t_initial) + ub * (warmup_t / t_initial), math
        )
    return _cycles(
        curve,
        lr,
        t_initial,
        lr_min,
        cycle_mul,
        cycle_decay,
        cycle_limit,
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        total_steps,
        warmup_target=target,
        ends_above_min=True,
    )


def _steps_design(
    lr, values: Callable[[int], float], cuts: list[int], warmup_t, warmup_lr_init, warmup_prefix, total_steps
) -> Design:
    """Warmup, then constant pieces switching at `cuts` (steps counted after a prefix warmup)."""
    need(warmup_t >= 0, "must be >= 0", "warmup_t")
    need(total_steps > warmup_t, "must be > warmup_t", "total_steps")
    shift = warmup_t if warmup_prefix else 0
    segs = [Segment.create("linear", warmup_t, warmup_lr_init, lr)] if warmup_t else []
    starts = sorted({warmup_t} | {c + shift for c in cuts if warmup_t < c + shift < total_steps})
    for a, b in zip(starts, starts[1:] + [total_steps]):
        segs.append(Segment.create("constant", b - a, values(a - shift)))
    return Design(tuple(segs), after_end="hold")


@preset(
    "timm.step",
    "timm StepLRScheduler: optional warmup, then lr * decay_rate ** (t // decay_t).",
    "keeps stepping down",
    LR,
    P("decay_t", "int", 30_000, "Steps between drops."),
    P("decay_rate", "float", 0.1, "Drop factor."),
    *WARMUP,
    P("warmup_prefix", "bool", True, "Count decay steps from the end of warmup."),
    P("total_steps", "int", 100_000, "Training length."),
)
def step(lr, decay_t, decay_rate, warmup_t, warmup_lr_init, warmup_prefix, total_steps):
    need(decay_t >= 1, "must be >= 1", "decay_t")
    need(decay_rate > 0, "must be > 0", "decay_rate")
    shift = warmup_t if warmup_prefix else 0
    first = -(-(warmup_t - shift) // decay_t) * decay_t  # the first drop at or after the warmup
    segs = [Segment.create("linear", warmup_t, warmup_lr_init, lr)] if warmup_t else []
    head = first + shift - warmup_t
    if head > 0:
        segs.append(Segment.create("constant", head, lr * decay_rate ** ((warmup_t - shift) // decay_t)))
    if first + shift < total_steps:
        top = lr * decay_rate ** (first // decay_t)
        segs.append(
            Segment.create("staircase", total_steps - first - shift, top, factor=decay_rate, every=decay_t)
        )
    return Design(tuple(fit(segs, total_steps)), after_end="continue")


@preset(
    "timm.multistep",
    "timm MultiStepLRScheduler: optional warmup, then lr * decay_rate ** bisect_right(decay_t, t + 1) "
    "(switches one step before the milestone, unlike torch).",
    "holds",
    LR,
    P("decay_t", "ints", [30_000, 60_000, 90_000], "Milestones (sorted)."),
    P("decay_rate", "float", 0.1, "Drop factor."),
    *WARMUP,
    P("warmup_prefix", "bool", True, "Count milestones from the end of warmup."),
    P("total_steps", "int", 100_000, "Training length."),
)
def multistep(lr, decay_t, decay_rate, warmup_t, warmup_lr_init, warmup_prefix, total_steps):
    need(list(decay_t) == sorted(decay_t), "must be sorted (timm bisects them)", "decay_t")
    need(decay_rate > 0, "must be > 0", "decay_rate")
    return _steps_design(
        lr,
        lambda t: lr * decay_rate ** bisect.bisect_right(decay_t, t + 1),
        [m - 1 for m in decay_t],
        warmup_t,
        warmup_lr_init,
        warmup_prefix,
        total_steps,
    )

"""Presets reproducing optax's basic schedules (count -> value, float32 in JAX)."""

from __future__ import annotations

import math

from ..design import Design
from ..segment import Segment
from .pieces import fit, need, warmup
from .registry import P, preset

TOTAL = P("total_steps", "int", 100_000, "Training length.")


def _total(total_steps: int | None, default: int) -> int:
    total = default if total_steps is None else total_steps
    need(total >= 1, "must be >= 1", "total_steps")
    return total


@preset(
    "optax.constant_schedule",
    "optax constant_schedule: value at every count.",
    "holds",
    P("value", "float", 1e-3, "The LR."),
    TOTAL,
)
def constant_schedule(value, total_steps):
    need(total_steps >= 1, "must be >= 1", "total_steps")
    return Design((Segment.create("constant", total_steps, value),), after_end="hold")


def polynomial_design(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int,
    total_steps: int | None,
) -> Design:
    """optax polynomial_schedule as a design (linear_schedule is power 1)."""
    need(transition_begin >= 0, "must be >= 0 (a step count)", "transition_begin")
    need(power >= 0, "must be >= 0", "power")
    if transition_steps <= 0 or power == 0:  # optax: constant init_value (frac**0 is 1)
        return Design((Segment.create("constant", _total(total_steps, 1), init_value),))
    total = _total(total_steps, transition_begin + transition_steps)
    segs = [Segment.create("constant", transition_begin, init_value)] if transition_begin else []
    if power == 1.0:
        segs.append(Segment.create("linear", transition_steps, init_value, end_value))
    else:
        segs.append(Segment.create("polynomial", transition_steps, init_value, end_value, power=power))
    return Design(tuple(fit(segs, total, tail_lr=end_value)), after_end="hold")


@preset(
    "optax.polynomial_schedule",
    "optax polynomial_schedule: init_value until transition_begin, then (init - end) * "
    "(1 - k / transition_steps)**power + end; transition_steps <= 0 gives the constant init_value.",
    "holds end_value",
    P("init_value", "float", 1e-3, "LR until transition_begin."),
    P("end_value", "float", 1e-5, "LR after the transition."),
    P("power", "float", 2.0, "Power of the polynomial."),
    P("transition_steps", "int", 100_000, "Steps of the transition."),
    P("transition_begin", "int", 0, "Steps held at init_value first."),
    P("total_steps", "int", None, "Training length (default: the transition's end).", optional=True),
)
def polynomial_schedule(init_value, end_value, power, transition_steps, transition_begin, total_steps):
    return polynomial_design(init_value, end_value, power, transition_steps, transition_begin, total_steps)


@preset(
    "optax.linear_schedule",
    "optax linear_schedule: init_value until transition_begin, then a line to end_value over "
    "transition_steps; transition_steps <= 0 gives the constant init_value.",
    "holds end_value",
    P("init_value", "float", 0.0, "LR until transition_begin."),
    P("end_value", "float", 1e-3, "LR after the transition."),
    P("transition_steps", "int", 1000, "Steps of the transition."),
    P("transition_begin", "int", 0, "Steps held at init_value first."),
    P("total_steps", "int", None, "Training length (default: the transition's end).", optional=True),
)
def linear_schedule(init_value, end_value, transition_steps, transition_begin, total_steps):
    return polynomial_design(init_value, end_value, 1.0, transition_steps, transition_begin, total_steps)


@preset(
    "optax.cosine_decay_schedule",
    "optax cosine_decay_schedule: init * ((1 - alpha) * (0.5 * (1 + cos(pi * k / decay_steps)))"
    "**exponent + alpha).",
    "holds init_value * alpha",
    P("init_value", "float", 1e-3, "LR at count 0."),
    P("decay_steps", "int", 100_000, "Steps of the decay."),
    P("alpha", "float", 0.0, "Final LR as a fraction of init_value."),
    P("exponent", "float", 1.0, "Power of the cosine profile."),
    P("total_steps", "int", None, "Training length (default decay_steps).", optional=True),
)
def cosine_decay_schedule(init_value, decay_steps, alpha, exponent, total_steps):
    need(decay_steps >= 1, "must be >= 1 (optax requires positive decay_steps)", "decay_steps")
    need(exponent > 0, "must be > 0", "exponent")
    need(alpha >= 0, "must be >= 0", "alpha")
    seg = Segment.create("cosine", decay_steps, init_value, init_value * alpha, exponent=exponent)
    return Design(tuple(fit([seg], _total(total_steps, decay_steps))), after_end="hold")


@preset(
    "optax.warmup_cosine_decay_schedule",
    "optax warmup_cosine_decay_schedule: linear warmup, then cosine; decay_steps INCLUDES the warmup.",
    "holds end_value",
    P("init_value", "float", 0.0, "LR at count 0."),
    P("peak_value", "float", 1e-3, "Peak LR."),
    P("warmup_steps", "int", 1000, "Steps of warmup."),
    P("decay_steps", "int", 100_000, "Total steps of warmup + decay."),
    P("end_value", "float", 0.0, "Final LR."),
    P("exponent", "float", 1.0, "Cosine exponent."),
    P("total_steps", "int", None, "Training length (default decay_steps).", optional=True),
)
def warmup_cosine_decay(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent, total_steps):
    need(warmup_steps >= 0, "must be >= 0", "warmup_steps")
    need(decay_steps > warmup_steps, "must be > warmup_steps", "decay_steps")
    need(exponent > 0, "must be > 0", "exponent")
    segs = warmup(warmup_steps, init_value, peak_value)
    segs.append(Segment.create("cosine", decay_steps - warmup_steps, peak_value, end_value, exponent=exponent))
    total = decay_steps if total_steps is None else total_steps
    return Design(tuple(fit(segs, total)), after_end="hold")


def exponential_design(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int,
    staircase: bool,
    end_value: float | None,
    total_steps: int,
) -> Design:
    """optax exponential_decay as a design."""
    need(total_steps >= 1, "must be >= 1", "total_steps")
    need(decay_rate >= 0, "must be >= 0", "decay_rate")
    need(transition_begin >= 0, "must be >= 0 (a step count)", "transition_begin")
    if transition_steps <= 0 or decay_rate == 0:  # optax: the constant init_value, no clipping
        return Design((Segment.create("constant", total_steps, init_value),), after_end="hold")
    if end_value is not None and (
        decay_rate == 1.0 or (init_value <= end_value if decay_rate < 1.0 else init_value >= end_value)
    ):
        # optax clips every count (the transition_begin hold included) with max (rate < 1) or min.
        clipped = max(init_value, end_value) if decay_rate < 1.0 else min(init_value, end_value)
        return Design((Segment.create("constant", total_steps, clipped),), after_end="hold")
    shape, keys = ("staircase", ("factor", "every")) if staircase else ("exponential", ("rate", "every"))
    params = dict(zip(keys, (decay_rate, transition_steps)))
    segs = [Segment.create("constant", transition_begin, init_value)] if transition_begin else []
    decay_len = max(total_steps - transition_begin, 1)
    probe = Segment.create(shape, decay_len, init_value, **params)
    if end_value is None:
        segs.append(probe)
        return Design(tuple(fit(segs, total_steps)), after_end="continue")
    beyond = (lambda v: v <= end_value) if decay_rate < 1.0 else (lambda v: v >= end_value)
    guess = (
        transition_steps * math.log(end_value / init_value) / math.log(decay_rate)
        if end_value > 0
        else float(decay_len + 1)
    )
    cross = max(1, min(int(math.ceil(guess)), decay_len + 1))
    value = probe.kind.value
    while cross > 1 and beyond(value(cross - 1, probe)):
        cross -= 1
    while cross <= decay_len and not beyond(value(cross, probe)):
        cross += 1
    segs.append(Segment.create(shape, cross, init_value, **params))
    segs.append(Segment.create("constant", max(1, total_steps), end_value))
    # Clipped inside the horizon: hold end_value after it. Clipped only later: the design
    # continues the decay after total_steps without the clip.
    reached = transition_begin + cross < total_steps
    return Design(tuple(fit(segs, total_steps)), after_end="hold" if reached else "continue")


@preset(
    "optax.exponential_decay",
    "optax exponential_decay: init_value * decay_rate ** ((count - transition_begin) / "
    "transition_steps), clipped at end_value (max when decay_rate < 1, else min, at every "
    "count); transition_steps <= 0 or decay_rate == 0 give the constant init_value.",
    "keeps decaying (or holds end_value)",
    P("init_value", "float", 1e-3, "LR until transition_begin."),
    P("transition_steps", "int", 1000, "Steps per factor of decay_rate."),
    P("decay_rate", "float", 0.9, "Decay factor."),
    P("transition_begin", "int", 0, "Steps held at init_value first."),
    P("staircase", "bool", False, "Decay in discrete steps."),
    P("end_value", "float", None, "Clip value (None: no clipping).", optional=True),
    TOTAL,
)
def exponential_decay(
    init_value, transition_steps, decay_rate, transition_begin, staircase, end_value, total_steps
):
    return exponential_design(
        init_value, transition_steps, decay_rate, transition_begin, staircase, end_value, total_steps
    )

"""Presets reproducing optax schedules (count -> value, float32 in JAX)."""

from __future__ import annotations

import math

from ..design import Design
from ..segment import Segment
from .pieces import fit, need, warmup
from .registry import P, preset


@preset("optax.warmup_cosine_decay_schedule",
        "optax warmup_cosine_decay_schedule: linear warmup, then cosine; decay_steps INCLUDES "
        "the warmup.", "holds end_value",
        P("init_value", "float", 0.0, "LR at count 0."), P("peak_value", "float", 1e-3, "Peak LR."),
        P("warmup_steps", "int", 1000, "Steps of warmup."),
        P("decay_steps", "int", 100_000, "Total steps of warmup + decay."),
        P("end_value", "float", 0.0, "Final LR."), P("exponent", "float", 1.0, "Cosine exponent."),
        P("total_steps", "int", None, "Training length (default decay_steps).", optional=True))
def warmup_cosine_decay(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent,
                        total_steps):
    need(warmup_steps >= 0, "must be >= 0", "warmup_steps")
    need(decay_steps > warmup_steps, "must be > warmup_steps", "decay_steps")
    need(exponent > 0, "must be > 0", "exponent")
    segs = warmup(warmup_steps, init_value, peak_value)
    segs.append(Segment.create("cosine", decay_steps - warmup_steps, peak_value, end_value,
                               exponent=exponent))
    total = decay_steps if total_steps is None else total_steps
    return Design(tuple(fit(segs, total)), after_end="hold")


@preset("optax.exponential_decay",
        "optax exponential_decay: init_value * decay_rate ** ((count - transition_begin) / "
        "transition_steps), clipped at end_value.", "keeps decaying (or holds end_value)",
        P("init_value", "float", 1e-3, "LR until transition_begin."),
        P("transition_steps", "int", 1000, "Steps per factor of decay_rate."),
        P("decay_rate", "float", 0.9, "Decay factor."),
        P("transition_begin", "int", 0, "Steps held at init_value first."),
        P("staircase", "bool", False, "Decay in discrete steps."),
        P("end_value", "float", None, "Clip value (None: no clipping).", optional=True),
        P("total_steps", "int", 100_000, "Training length."))
def exponential_decay(init_value, transition_steps, decay_rate, transition_begin, staircase,
                      end_value, total_steps):
    need(transition_steps >= 1, "must be >= 1", "transition_steps")
    need(decay_rate > 0, "must be > 0", "decay_rate")
    need(transition_begin >= 0, "must be >= 0", "transition_begin")
    shape, keys = ("staircase", ("factor", "every")) if staircase else ("exponential", ("rate", "every"))
    params = dict(zip(keys, (decay_rate, transition_steps)))
    segs = [Segment.create("constant", transition_begin, init_value)] if transition_begin else []
    decay_len = max(total_steps - transition_begin, 1)
    probe = Segment.create(shape, decay_len, init_value, **params)
    if end_value is not None and decay_rate != 1.0:
        beyond = (lambda v: v <= end_value) if decay_rate < 1.0 else (lambda v: v >= end_value)
        if beyond(init_value):
            return Design(tuple(fit([Segment.create("constant", 1, end_value)], total_steps)),
                          after_end="hold")
        guess = transition_steps * math.log(end_value / init_value) / math.log(decay_rate) \
            if end_value > 0 else float(decay_len + 1)
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
    segs.append(probe)
    return Design(tuple(fit(segs, total_steps)), after_end="continue")

"""Presets reproducing `keras.optimizers.schedules` (Keras 3; tf.keras uses the same formulas)."""

from __future__ import annotations

import math

from ..design import Design
from ..segment import Segment
from .pieces import fit, need, warmup
from .registry import P, preset

INIT = P("initial_learning_rate", "float", 1e-3, "LR at step 0.")
TOTAL_OPT = P("total_steps", "int", None, "Training length (default: where the schedule ends).", optional=True)
TOTAL = P("total_steps", "int", 100_000, "Training length in steps.")


@preset(
    "keras.CosineDecay",
    "keras.optimizers.schedules.CosineDecay: optional linear warmup to warmup_target, then a "
    "cosine over decay_steps (not counting warmup) down to alpha * the peak.",
    "holds the final LR",
    INIT,
    P("decay_steps", "int", 100_000, "Steps of cosine decay (after warmup)."),
    P("alpha", "float", 0.0, "Final LR as a fraction of the peak."),
    P("warmup_target", "float", None, "Peak LR reached by warmup (None: no warmup).", optional=True),
    P("warmup_steps", "int", 0, "Steps of linear warmup (used only with warmup_target)."),
    TOTAL_OPT,
)
def cosine_decay(initial_learning_rate, decay_steps, alpha, warmup_target, warmup_steps, total_steps):
    need(decay_steps >= 1, "must be >= 1", "decay_steps")
    need(warmup_steps >= 0, "must be >= 0", "warmup_steps")
    if warmup_target is None:
        warmup_steps, peak, segs = 0, initial_learning_rate, []
    else:
        peak = warmup_target
        segs = warmup(warmup_steps, initial_learning_rate, peak)
    segs.append(Segment.create("cosine", decay_steps, peak, peak * alpha))
    total = total_steps if total_steps is not None else warmup_steps + decay_steps
    need(total >= 1, "must be >= 1", "total_steps")
    return Design(fit(segs, total), after_end="hold")


@preset(
    "keras.ExponentialDecay",
    "keras.optimizers.schedules.ExponentialDecay: initial_learning_rate * decay_rate ** "
    "(step / decay_steps), floored exponent with staircase.",
    "keeps decaying",
    INIT,
    P("decay_steps", "int", 10_000, "Steps per factor of decay_rate."),
    P("decay_rate", "float", 0.96, "Decay factor."),
    P("staircase", "bool", False, "Decay in discrete steps."),
    TOTAL,
)
def exponential_decay(initial_learning_rate, decay_steps, decay_rate, staircase, total_steps):
    need(decay_steps >= 1, "must be >= 1", "decay_steps")
    need(decay_rate > 0, "must be > 0", "decay_rate")
    if staircase:
        seg = Segment.create(
            "staircase", total_steps, initial_learning_rate, factor=decay_rate, every=decay_steps
        )
    else:
        seg = Segment.create(
            "exponential", total_steps, initial_learning_rate, rate=decay_rate, every=decay_steps
        )
    return Design((seg,), after_end="continue")


@preset(
    "keras.PiecewiseConstantDecay",
    "keras.optimizers.schedules.PiecewiseConstantDecay: values[i] while boundaries[i-1] < step "
    "<= boundaries[i] (the LR switches at step > boundary).",
    "holds the last value",
    P("boundaries", "ints", [10_000, 20_000], "Increasing step boundaries."),
    P("values", "floats", [1e-3, 5e-4, 1e-4], "One more value than boundaries."),
    TOTAL,
)
def piecewise_constant(boundaries, values, total_steps):
    need(len(values) == len(boundaries) + 1, "needs exactly one more value than boundaries", "values")
    need(all(b >= 0 for b in boundaries), "boundaries must be >= 0", "boundaries")
    need(all(b1 > b0 for b0, b1 in zip(boundaries, boundaries[1:])), "must increase", "boundaries")
    need(not boundaries or total_steps > boundaries[-1] + 1, "must be > the last boundary + 1", "total_steps")
    starts = [0] + [b + 1 for b in boundaries] + [total_steps]
    segs = [Segment.create("constant", s1 - s0, v) for s0, s1, v in zip(starts, starts[1:], values)]
    return Design(tuple(segs), after_end="hold")


#: A cycling PolynomialDecay design holds at most this many cycles.
MAX_CYCLES = 10_000


@preset(
    "keras.PolynomialDecay",
    "keras.optimizers.schedules.PolynomialDecay: (initial - end) * (1 - step/decay_steps)**power "
    "+ end, then the end LR; cycle=True restarts with decay_steps * ceil(step / decay_steps).",
    "holds end_learning_rate (with cycle=True Keras keeps cycling; the design holds)",
    INIT,
    P("decay_steps", "int", 10_000, "Steps of decay."),
    P("end_learning_rate", "float", 1e-4, "Final LR (Keras default 1e-4)."),
    P("power", "float", 1.0, "Power of the polynomial."),
    P("cycle", "bool", False, "Restart the decay, each cycle over a longer horizon."),
    TOTAL_OPT,
)
def polynomial_decay(initial_learning_rate, decay_steps, end_learning_rate, power, cycle, total_steps):
    need(decay_steps >= 1, "must be >= 1", "decay_steps")
    need(power > 0, "must be > 0", "power")
    a, b = initial_learning_rate, end_learning_rate
    if not cycle:
        seg = Segment.create("polynomial", decay_steps, a, b, power=power)
        total = total_steps if total_steps is not None else decay_steps
        return Design(fit([seg], total), after_end="hold")
    total = total_steps if total_steps is not None else 4 * decay_steps + 1
    need(total >= 1, "must be >= 1", "total_steps")
    need(total <= MAX_CYCLES * decay_steps, f"more than {MAX_CYCLES} cycles in the horizon", "total_steps")
    # Cycle j (1-based) covers steps ((j-1) * D, j * D] (the first also step 0) and decays over the
    # horizon j * D: theta = step / (j * D).
    segs, lo, j = [], 0, 1
    while lo < total:
        hi = j * decay_steps + 1
        horizon = float(j * decay_steps)
        t0, t1 = lo / horizon, hi / horizon
        if t0 >= 1.0 or a == b:
            segs.append(Segment.create("constant", hi - lo, b if t0 >= 1.0 else a))
        else:
            g0 = (1.0 - t0) ** power
            n = hi - lo
            # The cycle's last step sits at theta == 1 (the end LR): keep rounding from leaving it
            # a hair below, which a power < 1 would magnify.
            while t0 + (t1 - t0) * ((n - 1) / n) < 1.0:
                t1 = math.nextafter(t1, math.inf)
            segs.append(
                Segment.create(
                    "polynomial", hi - lo, b + (a - b) * g0, b, power=power, phase_start=t0, phase_end=t1
                )
            )
        lo, j = hi, j + 1
    return Design(fit(segs, total), after_end="hold")


@preset(
    "keras.InverseTimeDecay",
    "keras.optimizers.schedules.InverseTimeDecay: initial / (1 + decay_rate * step / decay_steps), "
    "floored step / decay_steps with staircase.",
    "keeps decaying",
    INIT,
    P("decay_steps", "int", 10_000, "Steps per unit of decay."),
    P("decay_rate", "float", 0.5, "Decay rate."),
    P("staircase", "bool", False, "Decay in discrete steps."),
    TOTAL,
)
def inverse_time_decay(initial_learning_rate, decay_steps, decay_rate, staircase, total_steps):
    need(decay_steps >= 1, "must be >= 1", "decay_steps")
    need(decay_rate > 0, "must be > 0", "decay_rate")
    seg = Segment.create(
        "inverse_power",
        total_steps,
        initial_learning_rate,
        tau=decay_steps / decay_rate,
        power=1.0,
        every=decay_steps if staircase else 0,
    )
    return Design((seg,), after_end="continue")


@preset(
    "keras.CosineDecayRestarts",
    "keras.optimizers.schedules.CosineDecayRestarts (SGDR): cosine cycles, each t_mul times "
    "longer and m_mul times lower; alpha * initial is the floor.",
    "keeps cycling",
    INIT,
    P("first_decay_steps", "int", 1000, "Length of the first cycle."),
    P("t_mul", "float", 2.0, "Cycle length multiplier."),
    P("m_mul", "float", 1.0, "Cycle amplitude multiplier."),
    P("alpha", "float", 0.0, "Floor as a fraction of initial_learning_rate."),
    TOTAL,
)
def cosine_decay_restarts(initial_learning_rate, first_decay_steps, t_mul, m_mul, alpha, total_steps):
    need(first_decay_steps >= 1, "must be >= 1", "first_decay_steps")
    seg = Segment.create(
        "cosine_restarts",
        total_steps,
        initial_learning_rate,
        period=float(first_decay_steps),
        t_mul=t_mul,
        m_mul=m_mul,
        lr_min=initial_learning_rate * alpha,
    )
    return Design((seg,), after_end="continue")

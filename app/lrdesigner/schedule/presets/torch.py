"""Presets reproducing `torch.optim.lr_scheduler`, stepped once per optimizer step."""

from __future__ import annotations

import bisect

from ..curves import per_step_decay
from ..design import Design
from ..segment import Segment
from .pieces import cosine_curve, fit, linear_curve, need
from .registry import P, preset

LR = P("lr", "float", 0.1, "The optimizer's base LR.")
TOTAL = P("total_steps", "int", 100_000, "Training length in steps.")


@preset(
    "torch.StepLR",
    "torch StepLR: lr * gamma ** (t // step_size).",
    "keeps stepping down",
    LR,
    P("step_size", "int", 30_000, "Steps between drops."),
    P("gamma", "float", 0.1, "Drop factor."),
    TOTAL,
)
def step_lr(lr, step_size, gamma, total_steps):
    need(step_size >= 1, "must be >= 1", "step_size")
    need(gamma > 0, "must be > 0", "gamma")
    seg = Segment.create("staircase", total_steps, lr, factor=gamma, every=step_size)
    return Design((seg,), after_end="continue")


@preset(
    "torch.MultiStepLR",
    "torch MultiStepLR: lr * gamma ** (milestones passed); switches at t == milestone.",
    "holds",
    LR,
    P("milestones", "ints", [30_000, 60_000, 90_000], "Steps of the drops."),
    P("gamma", "float", 0.1, "Drop factor."),
    TOTAL,
)
def multistep_lr(lr, milestones, gamma, total_steps):
    need(all(m >= 0 for m in milestones), "must be >= 0", "milestones")
    need(gamma > 0, "must be > 0", "gamma")
    ms = sorted(milestones)
    cuts = sorted({m for m in ms if 0 < m < total_steps})
    starts = [0] + cuts + [total_steps]
    segs = [
        Segment.create("constant", b - a, lr * gamma ** bisect.bisect_right(ms, a))
        for a, b in zip(starts, starts[1:])
    ]
    return Design(tuple(segs), after_end="continue" if any(m >= total_steps for m in ms) else "hold")


@preset(
    "torch.LinearLR",
    "torch LinearLR: factor moves linearly from start_factor to end_factor over total_iters.",
    "holds lr * end_factor",
    LR,
    P("start_factor", "float", 1.0 / 3.0, "Multiplier at t = 0."),
    P("end_factor", "float", 1.0, "Multiplier from total_iters on."),
    P("total_iters", "int", 5, "Steps of the ramp."),
    TOTAL,
)
def linear_lr(lr, start_factor, end_factor, total_iters, total_steps):
    need(0 < start_factor <= 1, "must be in (0, 1]", "start_factor")
    need(0 <= end_factor <= 1, "must be in [0, 1]", "end_factor")
    need(total_iters >= 1, "must be >= 1", "total_iters")
    segs = [Segment.create("linear", total_iters, lr * start_factor, lr * end_factor)]
    return Design(fit(segs, total_steps), after_end="hold")


@preset(
    "torch.CosineAnnealingLR",
    "torch CosineAnnealingLR: eta_min + (lr - eta_min) * (1 + cos(pi t / T_max)) / 2, "
    "not clamped: it rises again after T_max.",
    "rises again (the cosine continues)",
    LR,
    P("T_max", "int", 100_000, "Half-period of the cosine."),
    P("eta_min", "float", 0.0, "Lowest LR."),
    P("total_steps", "int", None, "Training length (default T_max).", optional=True),
)
def cosine_annealing_lr(lr, T_max, eta_min, total_steps):
    need(T_max >= 1, "must be >= 1", "T_max")
    total = T_max if total_steps is None else total_steps
    need(total >= 1, "must be >= 1", "total_steps")
    return Design(tuple(cosine_curve(0, total, 0.0, float(T_max), lr, eta_min)), after_end="continue")


@preset(
    "torch.CosineAnnealingWarmRestarts",
    "torch CosineAnnealingWarmRestarts (SGDR): cycles of T_0 * T_mult**i steps.",
    "keeps cycling",
    LR,
    P("T_0", "int", 10_000, "First cycle length."),
    P("T_mult", "int", 1, "Cycle length multiplier (integer)."),
    P("eta_min", "float", 0.0, "Lowest LR."),
    TOTAL,
)
def cosine_warm_restarts(lr, T_0, T_mult, eta_min, total_steps):
    need(T_0 >= 1, "must be >= 1", "T_0")
    need(T_mult >= 1, "must be >= 1", "T_mult")
    seg = Segment.create(
        "cosine_restarts", total_steps, lr, period=float(T_0), t_mul=float(T_mult), lr_min=eta_min
    )
    return Design((seg,), after_end="continue")


@preset(
    "torch.CyclicLR",
    "torch CyclicLR: triangle waves between base_lr and max_lr.",
    "keeps cycling",
    P("base_lr", "float", 1e-3, "Lower LR."),
    P("max_lr", "float", 6e-3, "Upper LR."),
    P("step_size_up", "int", 2000, "Steps from base to max."),
    P("step_size_down", "int", None, "Steps from max to base (default step_size_up).", optional=True),
    P("mode", "str", "triangular", "Amplitude policy.", choices=("triangular", "triangular2", "exp_range")),
    P("gamma", "float", 1.0, "exp_range: amplitude factor per step."),
    TOTAL,
)
def cyclic_lr(base_lr, max_lr, step_size_up, step_size_down, mode, gamma, total_steps):
    down = step_size_up if step_size_down is None else step_size_down
    seg = Segment.create(
        "cyclic",
        total_steps,
        base_lr,
        max_lr=max_lr,
        step_size_up=step_size_up,
        step_size_down=down,
        mode=mode,
        gamma=gamma if mode == "exp_range" else 1.0,
    )
    return Design((seg,), after_end="continue")


@preset(
    "torch.OneCycleLR",
    "torch OneCycleLR: max_lr/div_factor up to max_lr over pct_start of training, then down "
    "to initial/final_div_factor (three_phase: back to initial first).",
    "raises an error past total_steps; the design continues the last anneal",
    P("max_lr", "float", 1e-3, "Peak LR."),
    P("total_steps", "int", 100_000, "Steps of training."),
    P("pct_start", "float", 0.3, "Fraction of steps spent increasing."),
    P("anneal_strategy", "str", "cos", "Anneal shape.", choices=("cos", "linear")),
    P("div_factor", "float", 25.0, "initial = max_lr / div_factor."),
    P("final_div_factor", "float", 1e4, "min = initial / final_div_factor."),
    P("three_phase", "bool", False, "Use the three-phase variant."),
)
def one_cycle_lr(max_lr, total_steps, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase):
    need(total_steps >= 2, "must be >= 2", "total_steps")
    need(0 < pct_start < 1, "must be in (0, 1)", "pct_start")
    initial = max_lr / div_factor
    low = initial / final_div_factor
    T = total_steps
    if three_phase:
        phases = [
            (pct_start * T - 1, initial, max_lr),
            (2 * pct_start * T - 2, max_lr, initial),
            (T - 1.0, initial, low),
        ]
    else:
        phases = [(pct_start * T - 1, initial, max_lr), (T - 1.0, max_lr, low)]
    need(
        all(b[0] > a[0] for a, b in zip(phases, phases[1:])) and phases[0][0] > 0,
        "the phases must each span more than one step",
        "pct_start",
    )
    segs, begin, lo = [], 0.0, 0
    for i, (end_step, a, b) in enumerate(phases):
        # torch uses phase i for every step <= its end_step (the last phase for all the rest).
        hi = T if i == len(phases) - 1 else int(end_step) + 1
        if anneal_strategy == "cos":
            segs += cosine_curve(lo, hi, begin, end_step, a, b)
        else:
            segs += linear_curve(lo, hi, begin, end_step, a, b)
        begin, lo = end_step, hi
    return Design(tuple(segs), after_end="continue")


@preset(
    "torch.ConstantLR",
    "torch ConstantLR: lr * factor until total_iters, then lr (total_iters 0: torch's stepped "
    "form keeps lr * factor for good).",
    "holds",
    LR,
    P("factor", "float", 1.0 / 3.0, "Multiplier before total_iters."),
    P("total_iters", "int", 5, "Steps at the lower LR."),
    TOTAL,
)
def constant_lr(lr, factor, total_iters, total_steps):
    need(0 <= factor <= 1, "must be in [0, 1] (torch refuses others)", "factor")
    need(total_iters >= 0, "must be >= 0", "total_iters")
    need(total_steps >= 1, "must be >= 1", "total_steps")
    if total_iters == 0:  # the restoring step comes only at last_epoch == total_iters, never reached
        return Design((Segment.create("constant", total_steps, lr * factor),), after_end="hold")
    segs = [Segment.create("constant", total_iters, lr * factor)]
    return Design(
        tuple(fit(segs + [Segment.create("constant", total_steps, lr)], total_steps)), after_end="hold"
    )


@preset(
    "torch.ExponentialLR",
    "torch ExponentialLR: lr * gamma ** t.",
    "keeps decaying",
    LR,
    P("gamma", "float", 0.9999, "Factor per step."),
    TOTAL,
)
def exponential_lr(lr, gamma, total_steps):
    need(gamma > 0, "must be > 0", "gamma")
    return Design((per_step_decay(total_steps, lr, gamma),), after_end="continue")


@preset(
    "torch.MultiplicativeLR",
    "torch MultiplicativeLR with a constant lr_lambda: lr * factor ** t.",
    "keeps multiplying",
    LR,
    P("factor", "float", 0.9999, "The constant value lr_lambda returns."),
    TOTAL,
)
def multiplicative_lr(lr, factor, total_steps):
    need(factor > 0, "must be > 0", "factor")
    return Design((per_step_decay(total_steps, lr, factor),), after_end="continue")


@preset(
    "torch.PolynomialLR",
    "torch PolynomialLR: lr * (1 - min(t, total_iters) / total_iters) ** power, down to 0.",
    "holds 0",
    LR,
    P("total_iters", "int", 100_000, "Steps of the decay."),
    P("power", "float", 1.0, "Power of the polynomial."),
    P("total_steps", "int", None, "Training length (default total_iters).", optional=True),
)
def polynomial_lr(lr, total_iters, power, total_steps):
    need(total_iters >= 1, "must be >= 1", "total_iters")
    need(power > 0, "must be > 0", "power")
    total = total_iters if total_steps is None else total_steps
    need(total >= 1, "must be >= 1", "total_steps")
    shape = "linear" if power == 1.0 else "polynomial"
    extra = {} if power == 1.0 else {"power": power}
    seg = Segment.create(shape, total_iters, lr, 0.0, **extra)
    return Design(tuple(fit([seg], total, tail_lr=0.0)), after_end="hold")


@preset(
    "torch.SWALR",
    "torch.optim.swa_utils.SWALR: anneal from lr to swa_lr over anneal_epochs steps (cos or "
    "linear), then hold swa_lr (anneal_epochs 0: swa_lr from the start).",
    "holds swa_lr",
    LR,
    P("swa_lr", "float", 0.05, "LR after the anneal."),
    P("anneal_epochs", "int", 10, "Steps of the anneal."),
    P("anneal_strategy", "str", "cos", "Anneal curve.", choices=("cos", "linear")),
    TOTAL,
)
def swalr(lr, swa_lr, anneal_epochs, anneal_strategy, total_steps):
    need(anneal_epochs >= 0, "must be >= 0", "anneal_epochs")
    need(total_steps >= 1, "must be >= 1", "total_steps")
    if anneal_epochs == 0:
        return Design((Segment.create("constant", total_steps, swa_lr),), after_end="hold")
    shape = "cosine" if anneal_strategy == "cos" else "linear"
    segs = [Segment.create(shape, anneal_epochs, lr, swa_lr)] if lr != swa_lr else []
    return Design(tuple(fit(segs, total_steps, tail_lr=swa_lr)), after_end="hold")

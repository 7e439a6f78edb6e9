"""Presets reproducing Hugging Face transformers' `get_scheduler` (LambdaLR multipliers of lr)."""

from __future__ import annotations

from ..design import Design
from ..segment import Segment
from .pieces import cosine_curve, fit, need, warmup
from .registry import P, preset

LR = P("lr", "float", 5e-5, "The optimizer's base LR.")
W = P("num_warmup_steps", "int", 0, "Steps of linear warmup from 0.")
N = P("num_training_steps", "int", 100_000, "Steps of training.")


def _check(num_warmup_steps: int, num_training_steps: int) -> None:
    need(num_warmup_steps >= 0, "must be >= 0", "num_warmup_steps")
    need(num_training_steps > num_warmup_steps, "must be > num_warmup_steps", "num_training_steps")


@preset(
    "hf.linear",
    "transformers linear: warmup, then linear to 0 at num_training_steps.",
    "0 after the end",
    LR,
    W,
    N,
)
def linear(lr, num_warmup_steps, num_training_steps):
    _check(num_warmup_steps, num_training_steps)
    segs = warmup(num_warmup_steps, 0.0, lr)
    segs.append(Segment.create("linear", num_training_steps - num_warmup_steps, lr, 0.0))
    return Design(tuple(segs), after_end="zero")


@preset(
    "hf.cosine",
    "transformers cosine: warmup, then 0.5 * (1 + cos(2 pi num_cycles p)).",
    "not clamped: the cosine rises again",
    LR,
    W,
    N,
    P("num_cycles", "float", 0.5, "Number of cosine waves (0.5: down to 0 once)."),
)
def cosine(lr, num_warmup_steps, num_training_steps, num_cycles):
    _check(num_warmup_steps, num_training_steps)
    need(num_cycles > 0, "must be > 0", "num_cycles")
    W_, N_ = num_warmup_steps, num_training_steps
    segs = warmup(W_, 0.0, lr)
    segs += cosine_curve(W_, N_, float(W_), float(W_ + max(1, N_ - W_)), lr, 0.0, phase_scale=2.0 * num_cycles)
    return Design(tuple(segs), after_end="continue")


@preset(
    "hf.cosine_with_restarts",
    "transformers cosine_with_hard_restarts: warmup, then num_cycles cosine waves with hard restarts.",
    "0 after the end",
    LR,
    W,
    N,
    P("num_cycles", "int", 1, "Number of hard restarts cycles."),
)
def cosine_with_restarts(lr, num_warmup_steps, num_training_steps, num_cycles):
    _check(num_warmup_steps, num_training_steps)
    need(num_cycles >= 1, "must be >= 1", "num_cycles")
    W_, N_ = num_warmup_steps, num_training_steps
    segs = warmup(W_, 0.0, lr)
    segs.append(Segment.create("cosine_restarts", N_ - W_, lr, period=max(1, N_ - W_) / num_cycles, lr_min=0.0))
    return Design(tuple(segs), after_end="zero")


@preset(
    "hf.polynomial",
    "transformers polynomial: warmup, then (lr - lr_end) * remaining**power + lr_end.",
    "holds lr_end",
    LR,
    W,
    N,
    P("lr_end", "float", 1e-7, "Final LR."),
    P("power", "float", 1.0, "Power of the decay."),
)
def polynomial(lr, num_warmup_steps, num_training_steps, lr_end, power):
    _check(num_warmup_steps, num_training_steps)
    need(lr > lr_end, "lr_end must be smaller than lr", "lr_end")
    need(power > 0, "must be > 0", "power")
    segs = warmup(num_warmup_steps, 0.0, lr)
    segs.append(Segment.create("polynomial", num_training_steps - num_warmup_steps, lr, lr_end, power=power))
    return Design(tuple(segs), after_end="hold")


@preset("hf.constant_with_warmup", "transformers constant_with_warmup: warmup, then lr.", "holds", LR, W, N)
def constant_with_warmup(lr, num_warmup_steps, num_training_steps):
    _check(num_warmup_steps, num_training_steps)
    segs = warmup(num_warmup_steps, 0.0, lr)
    segs.append(Segment.create("constant", num_training_steps - num_warmup_steps, lr))
    return Design(tuple(segs), after_end="hold")


@preset(
    "hf.inverse_sqrt",
    "transformers inverse_sqrt: warmup, then 1 / sqrt((t + timescale - W) / timescale).",
    "keeps decaying",
    LR,
    W,
    P("timescale", "int", None, "Decay timescale (default num_warmup_steps, or 10000).", optional=True),
    N,
)
def inverse_sqrt(lr, num_warmup_steps, timescale, num_training_steps):
    _check(num_warmup_steps, num_training_steps)
    ts = timescale if timescale is not None else (num_warmup_steps or 10_000)
    need(ts >= 1, "must be >= 1", "timescale")
    segs = warmup(num_warmup_steps, 0.0, lr)
    segs.append(
        Segment.create("inverse_power", num_training_steps - num_warmup_steps, lr, tau=float(ts), power=0.5)
    )
    return Design(tuple(segs), after_end="continue")


_WARMUP_SHAPE = {"linear": "linear", "cosine": "cosine", "1-sqrt": "sqrt_warmup"}


@preset(
    "hf.warmup_stable_decay",
    "transformers warmup_stable_decay (WSD): warmup, a stable plateau at lr, then a decay to "
    "min_lr_ratio * lr.",
    "holds min_lr_ratio * lr (with num_cycles other than 0.5: holds where the wave stopped)",
    LR,
    P("num_warmup_steps", "int", 2000, "Steps of warmup."),
    P("num_decay_steps", "int", 20_000, "Steps of the final decay."),
    P("num_training_steps", "int", 100_000, "Steps of training (sets the stable length)."),
    P("num_stable_steps", "int", None, "Stable steps (default: what training leaves).", optional=True),
    P("warmup_type", "str", "linear", "Warmup curve.", choices=("linear", "cosine", "1-sqrt")),
    P("decay_type", "str", "cosine", "Decay curve.", choices=("linear", "cosine", "1-sqrt")),
    P("min_lr_ratio", "float", 0.0, "Final LR as a fraction of lr."),
    P("num_cycles", "float", 0.5, "Cosine decay: number of waves."),
)
def warmup_stable_decay(
    lr,
    num_warmup_steps,
    num_decay_steps,
    num_training_steps,
    num_stable_steps,
    warmup_type,
    decay_type,
    min_lr_ratio,
    num_cycles,
):
    W_, D_ = num_warmup_steps, num_decay_steps
    S_ = num_stable_steps if num_stable_steps is not None else num_training_steps - W_ - D_
    need(W_ >= 0 and D_ >= 1, "need num_warmup_steps >= 0 and num_decay_steps >= 1", "num_decay_steps")
    need(S_ >= 0, "warmup + decay exceed num_training_steps", "num_stable_steps")
    need(0 <= min_lr_ratio <= 1, "must be in [0, 1]", "min_lr_ratio")
    low = lr * min_lr_ratio
    segs = []
    if W_ > 0:
        segs.append(Segment.create(_WARMUP_SHAPE[warmup_type], W_, low, lr))
    if S_ > 0:
        segs.append(Segment.create("constant", S_, lr))
    start = W_ + S_
    if decay_type == "cosine":
        segs += cosine_curve(
            start, start + D_, float(start), float(start + D_), lr, low, phase_scale=2.0 * num_cycles
        )
    else:
        shape = "linear" if decay_type == "linear" else "one_minus_sqrt"
        segs.append(Segment.create(shape, D_, lr, low))
    total = max(num_training_steps, start + D_) if num_stable_steps is None else start + D_
    return Design(tuple(fit(segs, total, tail_lr=low)), after_end="hold")


def _min_rate(lr: float, min_lr: float | None, min_lr_rate: float | None) -> float:
    need(min_lr is None or min_lr_rate is None, "give min_lr or min_lr_rate, not both", "min_lr")
    need(
        min_lr is not None or min_lr_rate is not None,
        "one of min_lr or min_lr_rate is required (transformers refuses neither)",
        "min_lr_rate",
    )
    need(lr > 0, "must be > 0", "lr")
    rate = min_lr / lr if min_lr is not None else min_lr_rate
    where = "min_lr" if min_lr is not None else "min_lr_rate"
    need(0 <= rate <= 1, "the floor must lie between 0 and lr", where)
    return rate


_MIN_LR = (
    P("min_lr", "float", None, "Floor LR (or give min_lr_rate).", optional=True),
    P("min_lr_rate", "float", 0.1, "Floor as a fraction of lr.", optional=True),
)


@preset(
    "hf.cosine_with_min_lr",
    "transformers cosine_with_min_lr: warmup t/W, then a cosine from lr to the floor "
    "(factor * (1 - min_lr_rate) + min_lr_rate).",
    "not clamped: the cosine rises again",
    LR,
    W,
    N,
    P("num_cycles", "float", 0.5, "Number of cosine waves."),
    *_MIN_LR,
)
def cosine_with_min_lr(lr, num_warmup_steps, num_training_steps, num_cycles, min_lr, min_lr_rate):
    _check(num_warmup_steps, num_training_steps)
    need(num_cycles > 0, "must be > 0", "num_cycles")
    m = _min_rate(lr, min_lr, min_lr_rate)
    W_, N_ = num_warmup_steps, num_training_steps
    segs = warmup(W_, 0.0, lr)
    segs += cosine_curve(
        W_, N_, float(W_), float(W_ + max(1, N_ - W_)), lr, lr * m, phase_scale=2.0 * num_cycles
    )
    return Design(tuple(segs), after_end="continue")


@preset(
    "hf.cosine_warmup_with_min_lr",
    "transformers cosine_warmup_with_min_lr: warmup (t + 1) / W (or from warmup_lr_rate), then a "
    "cosine one step ahead, (t - W + 1) / (N - W), down to the floor.",
    "not clamped: the cosine rises again",
    LR,
    W,
    N,
    P("num_cycles", "float", 0.5, "Number of cosine waves."),
    *_MIN_LR,
    P("warmup_lr_rate", "float", None, "Warmup start as a fraction of lr (default 1 / W).", optional=True),
)
def cosine_warmup_with_min_lr(
    lr, num_warmup_steps, num_training_steps, num_cycles, min_lr, min_lr_rate, warmup_lr_rate
):
    _check(num_warmup_steps, num_training_steps)
    need(num_cycles > 0, "must be > 0", "num_cycles")
    need(warmup_lr_rate is None or warmup_lr_rate >= 0, "must be >= 0", "warmup_lr_rate")
    m = _min_rate(lr, min_lr, min_lr_rate)
    W_, N_ = num_warmup_steps, num_training_steps
    segs = []
    if W_ > 0:
        if warmup_lr_rate is None:
            first, slope = 1.0 / W_, 1.0 / W_
        else:
            first, slope = warmup_lr_rate, (1.0 - warmup_lr_rate) / max(1, W_ - 1)
        segs.append(Segment.create("linear", W_, lr * first, lr * (first + slope * W_)))
    begin = W_ - 1.0
    segs += cosine_curve(W_, N_, begin, begin + max(1, N_ - W_), lr, lr * m, phase_scale=2.0 * num_cycles)
    return Design(tuple(segs), after_end="continue")

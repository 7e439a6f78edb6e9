"""Presets that belong to no library: constant and Noam."""

from __future__ import annotations

from ..design import Design
from ..segment import Segment
from .pieces import need
from .registry import P, preset

TOTAL = P("total_steps", "int", 100_000, "Training length in steps.")


@preset("constant", "A constant LR.", "holds", P("lr", "float", 1e-3, "The LR."), TOTAL)
def constant(lr: float, total_steps: int) -> Design:
    need(total_steps >= 1, "must be >= 1", "total_steps")
    return Design((Segment.create("constant", total_steps, lr),))


@preset(
    "noam",
    "Attention Is All You Need: factor * d_model**-0.5 * min(step**-0.5, step * warmup**-1.5); "
    "0 at step 0, as TensorFlow computes it.",
    "keeps decaying as step**-0.5",
    P("d_model", "int", 512, "Model width."),
    P("warmup_steps", "int", 4000, "Steps of linear warmup."),
    P("factor", "float", 1.0, "Overall multiplier."),
    TOTAL,
)
def noam(d_model: int, warmup_steps: int, factor: float, total_steps: int) -> Design:
    need(d_model >= 1, "must be >= 1", "d_model")
    need(warmup_steps >= 1, "must be >= 1", "warmup_steps")
    need(factor > 0, "must be > 0", "factor")
    need(total_steps > warmup_steps, "must be > warmup_steps", "total_steps")
    peak = factor * d_model**-0.5 * warmup_steps**-0.5
    return Design(
        (
            Segment.create("linear", warmup_steps, 0.0, peak),
            Segment.create(
                "inverse_power", total_steps - warmup_steps, peak, tau=float(warmup_steps), power=0.5
            ),
        ),
        after_end="continue",
    )

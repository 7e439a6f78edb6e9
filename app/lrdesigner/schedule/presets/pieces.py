"""Building blocks for presets: curves over integer step ranges turned into segments."""

from __future__ import annotations

from ..curves import cosine_curve, linear_curve
from ..errors import DesignError
from ..segment import Segment, cut

__all__ = ["cosine_curve", "fit", "linear_curve", "need", "warmup"]


def need(condition: bool, message: str, where: str) -> None:
    """Raise DesignError(message, where) unless condition holds."""
    if not condition:
        raise DesignError(message, where)


def warmup(steps: int, start: float, peak: float) -> list[Segment]:
    """A linear warmup over `steps` steps (none when steps is 0)."""
    return [Segment.create("linear", steps, start, peak)] if steps > 0 else []


def fit(segments: list[Segment], total: int, tail_lr: float | None = None) -> list[Segment]:
    """Cut the segments at `total` steps, or extend them with a constant tail to reach it."""
    out = cut(segments, total)
    used = sum(seg.duration for seg in out)
    if used < total:
        last = out[-1].lr_end if out else 0.0
        out.append(Segment.create("constant", total - used, last if tail_lr is None else tail_lr))
    return out

"""The tanh profile of timm's TanhLRScheduler: `0.5 * (1 - tanh(lb + (ub - lb) * theta))`."""

from __future__ import annotations

import math

import numpy as np

from ..errors import DesignError
from .base import Param
from .profile import _PHASE, ProfileShape
from .protocol import SegmentLike


def half_tanh(z, m=np):
    """`0.5 * (1 - tanh(z))`, written as `1 / (1 + e**(2z))` (the form every export target has)."""
    if m is np:
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.power(math.e, 2.0 * z))
    try:
        return 1.0 / (1.0 + math.e ** (2.0 * z))
    except OverflowError:
        return 0.0


class Tanh(ProfileShape):
    """A tanh step from the start knot down to the end knot, scaled so that the curve runs from
    timm's value at `lb` (theta 0) to its value at `ub` (theta 1)."""

    name, label = "tanh", "Tanh"
    params = (
        Param("lb", float, -7.0, "tanh argument at the start of the curve (timm `lb`)."),
        Param("ub", float, 3.0, "tanh argument at the end of the curve (timm `ub`)."),
    ) + _PHASE

    def g(self, theta, seg: SegmentLike):
        lb, ub = seg.param("lb"), seg.param("ub")
        m = np if isinstance(theta, np.ndarray) else math
        h0, h1 = half_tanh(lb, math), half_tanh(ub, math)
        return (half_tanh(lb + (ub - lb) * theta, m) - h1) / (h0 - h1)

    def validate(self, seg: SegmentLike, where: str) -> None:
        lb, ub = seg.param("lb"), seg.param("ub")
        if not lb < ub or half_tanh(lb, math) == half_tanh(ub, math):
            raise DesignError(f"needs lb < ub with distinct tanh values, got {lb!r}, {ub!r}", where)
        super().validate(seg, where)

    def truncated(self, seg: SegmentLike, duration: int) -> SegmentLike:
        t0, t1 = self.window(seg)
        t_new = t0 + (t1 - t0) * (duration / seg.duration)
        return seg.replace(duration=duration, lr_end=self.value(duration, seg), phase_end=t_new)

"""The tanh profile of timm's TanhLRScheduler: `0.5 * (1 - tanh(lb + (ub - lb) * theta))`."""

from __future__ import annotations

import math

import numpy as np

from ..errors import DesignError
from .base import Param, Templates
from .profile import PHASE, ProfileShape
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


ARRAY = """
def _half_tanh(position, ops):
    return 1.0 / (1.0 + ops.power(math.e, 2.0 * position))


def _tanh_wave(phase, ops, params):
    lower, upper = params["lb"], params["ub"]
    top, bottom = _half_tanh(lower, _MATH), _half_tanh(upper, _MATH)
    return (_half_tanh(lower + (upper - lower) * phase, ops) - bottom) / (top - bottom)


def _tanh(segment, ops):
    return _profile(segment, ops, _tanh_wave)
"""

KERAS = '''
def _tanh_wave(phase, params):
    lower, upper = params["lb"], params["ub"]
    return 1.0 / (1.0 + math.e ** (2.0 * (lower + (upper - lower) * phase)))


def tanh(segment, steps_in):
    """timm's tanh curve from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _tanh_wave)
'''


class Tanh(ProfileShape):
    """A tanh step from the start knot down to the end knot, scaled so that the curve runs from
    timm's value at `lb` (theta 0) to its value at `ub` (theta 1)."""

    name, label = "tanh", "Tanh"
    rank = 110
    wave = (
        "g(theta) = (h(lb + (ub - lb) * theta) - h(ub)) / (h(lb) - h(ub)), h(z) = 1 / (1 + exp(2 z)) "
        "(timm's TanhLRScheduler: (1 - tanh(z)) / 2)."
    )
    templates = Templates(array=ARRAY, keras=KERAS)
    params = (
        Param("lb", float, -7.0, "tanh argument at the start of the curve (timm `lb`)."),
        Param("ub", float, 3.0, "tanh argument at the end of the curve (timm `ub`)."),
    ) + PHASE

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


SHAPE = Tanh()

"""Continuous geometric decay: `lr_start * rate ** (u / every)`."""

from __future__ import annotations

import math

import numpy as np

from ..errors import EditError
from .base import Param, Shape, Templates, article
from .summation import geometric_sum

ARRAY = """
def _exponential(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    rate, every = params["rate"], params["every"]
    return lambda steps_in: lr_start * ops.power(rate, steps_in / every)
"""

KERAS = '''
def exponential(segment, steps_in):
    """lr_start * rate ** (steps_in / every)."""
    params = segment["params"]
    return segment["lr_start"] * params["rate"] ** (steps_in / params["every"])
'''


def power(x: float, y: float) -> float:
    """x ** y, inf where it overflows (as numpy gives)."""
    try:
        return x**y
    except OverflowError:
        return math.inf


class Exponential(Shape):
    """`lr = lr_start * rate ** (u / every)`: Keras ExponentialDecay, torch ExponentialLR."""

    name, label = "exponential", "Exponential"
    implied_end = True
    rank = 30
    formula = "lr = lr_start * rate ** (u / every)."
    templates = Templates(array=ARRAY, keras=KERAS)
    params = (
        Param(
            "rate",
            float,
            0.5,
            "Factor applied to the LR every `every` steps.",
            minimum=0.0,
            exclusive_minimum=True,
        ),
        Param("every", int, 1000, "Steps over which the LR changes by `rate`.", minimum=1),
    )

    def exponent(self, u, seg):
        return u / seg.param("every")

    def values(self, u, seg, out=None):
        x = np.divide(u, seg.param("every"), out=out, dtype=np.float64)
        np.power(seg.param("rate"), x, out=x)
        x *= seg.lr_start
        return x

    def value(self, u, seg):
        return seg.lr_start * power(seg.param("rate"), self.exponent(float(u), seg))

    def end_exponent(self, seg) -> float:
        return seg.duration / seg.param("every")

    def end_lr(self, seg):
        return seg.lr_start * power(seg.param("rate"), self.end_exponent(seg))

    def params_for_end(self, seg, lr_end):
        k = self.end_exponent(seg)
        if seg.lr_start <= 0 or lr_end <= 0 or k == 0:
            raise EditError(
                f"{article(self.label.lower())} segment cannot end at {lr_end:g} from {seg.lr_start:g}"
            )
        log_rate = math.log(lr_end / seg.lr_start) / k
        if abs(log_rate) > 700:  # the rate per `every` steps would overflow (or vanish) a float
            raise EditError(
                f"{article(self.label.lower())} segment of {seg.duration:,} steps cannot go from "
                f"{seg.lr_start:g} to {lr_end:g} with `every` {seg.param('every'):,}: lengthen it or "
                "lower `every`"
            )
        return {**seg.p, "rate": math.exp(log_rate)}

    def truncated(self, seg, duration):
        return seg.replace(duration=duration)

    def area(self, seg, n):
        q = seg.param("rate") ** (1.0 / seg.param("every"))
        return seg.lr_start * geometric_sum(q, n)

    def part(self, seg, offset, n):
        return seg.replace(duration=n, lr_start=self.value(offset, seg))

    def scaled_params(self, seg, factor):
        return {}


SHAPE = Exponential()

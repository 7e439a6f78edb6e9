"""Geometric decay: continuous (exponential) or in steps (staircase)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import EditError
from .base import Param, Shape, article
from .summation import geometric_sum


def _power(x: float, y: float) -> float:
    """x ** y, inf where it overflows (as numpy gives)."""
    try:
        return x**y
    except OverflowError:
        return math.inf


class Exponential(Shape):
    """`lr = lr_start * rate ** (u / every)`: Keras ExponentialDecay, torch ExponentialLR."""

    name, label = "exponential", "Exponential"
    implied_end = True
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
        return seg.lr_start * _power(seg.param("rate"), self.exponent(float(u), seg))

    def end_exponent(self, seg) -> float:
        return seg.duration / seg.param("every")

    def end_lr(self, seg):
        return seg.lr_start * _power(seg.param("rate"), self.end_exponent(seg))

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


class Staircase(Exponential):
    """`lr = lr_start * factor ** floor(u / every)`: torch StepLR, Keras staircase decay."""

    name, label = "staircase", "Staircase"
    params = (
        Param(
            "factor",
            float,
            0.1,
            "Factor applied at each drop (torch `gamma`).",
            minimum=0.0,
            exclusive_minimum=True,
        ),
        Param("every", int, 1000, "Steps between drops (torch `step_size`).", minimum=1),
    )

    def exponent(self, u, seg):
        if isinstance(u, np.ndarray):
            return np.floor(u / seg.param("every"))
        return float(math.floor(u / seg.param("every")))

    def values(self, u, seg, out=None):
        x = np.divide(u, seg.param("every"), out=out, dtype=np.float64)
        np.floor(x, out=x)
        first, last = (float(x.min()), float(x.max())) if x.size else (0.0, 0.0)
        if last - first >= x.size / 2:
            np.power(seg.param("factor"), x, out=x)
            x *= seg.lr_start
            return x
        # Fewer stairs than steps: work out each stair's LR once, the same way, and look it up
        # (a factor raised to a high power underflows, and numpy is slow there).
        stairs = np.arange(first, last + 1.0)
        np.power(seg.param("factor"), stairs, out=stairs)
        stairs *= seg.lr_start
        x -= first
        return stairs.take(x.astype(np.intp), out=x, mode="clip")

    def value(self, u, seg):
        return seg.lr_start * _power(seg.param("factor"), self.exponent(u, seg))

    def end_exponent(self, seg):
        return float((seg.duration - 1) // seg.param("every"))

    def end_lr(self, seg):
        return seg.lr_start * _power(seg.param("factor"), self.end_exponent(seg))

    def params_for_end(self, seg, lr_end):
        k = self.end_exponent(seg)
        if k == 0:
            raise EditError("the staircase has no drop inside the segment; lengthen it or lower `every`")
        if seg.lr_start <= 0 or lr_end <= 0:
            raise EditError(f"a staircase cannot end at {lr_end:g} from {seg.lr_start:g}")
        return {**seg.p, "factor": (lr_end / seg.lr_start) ** (1.0 / k)}

    def area(self, seg, n):
        every, f = seg.param("every"), seg.param("factor")
        full = n // every
        return seg.lr_start * (every * geometric_sum(f, full) + (n - full * every) * f**full)

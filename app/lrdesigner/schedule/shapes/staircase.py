"""Geometric decay in steps: `lr_start * factor ** floor(u / every)`."""

from __future__ import annotations

import math

import numpy as np

from ..errors import EditError
from .base import Param, Templates
from .exponential import Exponential, power
from .summation import geometric_sum

ARRAY = """
def _staircase(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    factor, every = params["factor"], params["every"]
    return lambda steps_in: lr_start * ops.power(factor, ops.floor(steps_in / every))
"""

KERAS = '''
def staircase(segment, steps_in):
    """lr_start * factor ** floor(steps_in / every)."""
    params = segment["params"]
    return segment["lr_start"] * params["factor"] ** floor(steps_in / params["every"])
'''


class Staircase(Exponential):
    """`lr = lr_start * factor ** floor(u / every)`: torch StepLR, Keras staircase decay."""

    name, label = "staircase", "Staircase"
    rank = 80
    formula = "lr = lr_start * factor ** floor(u / every)."
    templates = Templates(array=ARRAY, keras=KERAS)
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
        return seg.lr_start * power(seg.param("factor"), self.exponent(u, seg))

    def end_exponent(self, seg):
        return float((seg.duration - 1) // seg.param("every"))

    def end_lr(self, seg):
        return seg.lr_start * power(seg.param("factor"), self.end_exponent(seg))

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

    def part(self, seg, offset, n):
        every = seg.param("every")
        if offset // every == (offset + n - 1) // every:  # inside one stair
            return seg.replace(shape="constant", duration=n, lr_start=self.value(offset, seg))
        if offset % every == 0:
            return seg.replace(duration=n, lr_start=self.value(offset, seg))
        return None


SHAPE = Staircase()

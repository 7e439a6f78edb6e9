"""Inverse-power decay `lr_start / (1 + u / tau) ** power` (Noam's rsqrt, Keras InverseTimeDecay)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import EditError
from .base import Param, Shape, Templates
from .summation import smooth_sum

ARRAY = """
def _inverse_power(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    tau, power, every = params["tau"], params["power"], params["every"]
    if every <= 1:
        return lambda steps_in: lr_start * (1.0 + steps_in / tau) ** -power

    def lr(steps_in):
        return lr_start * (1.0 + ops.floor(steps_in / every) * every / tau) ** -power

    return lr
"""

KERAS = '''
def inverse_power(segment, steps_in):
    """lr_start / (1 + steps_in / tau) ** power, held for `every` steps."""
    params = segment["params"]
    if params["every"] > 1:
        steps_in = floor(steps_in / params["every"]) * params["every"]
    return segment["lr_start"] * (1.0 + steps_in / params["tau"]) ** -params["power"]
'''

KERAS_PLAIN = '''
def inverse_power(segment, steps_in):
    """lr_start / (1 + steps_in / tau) ** power."""
    params = segment["params"]
    return segment["lr_start"] * (1.0 + steps_in / params["tau"]) ** -params["power"]
'''


class InversePower(Shape):
    name, label = "inverse_power", "Inverse power"
    implied_end = True
    rank = 50
    formula = "lr = lr_start * (1 + v / tau) ** -power, v = u when every <= 1, else floor(u / every) * every."
    templates = Templates(array=ARRAY, keras=KERAS, keras_plain=KERAS_PLAIN, keras_plain_reads=("tau", "power"))
    params = (
        Param(
            "tau",
            float,
            1000.0,
            "Steps after which the LR has dropped by 2**power.",
            minimum=0.0,
            exclusive_minimum=True,
        ),
        Param(
            "power",
            float,
            0.5,
            "0.5 = inverse square root (Noam), 1 = inverse time.",
            minimum=0.0,
            exclusive_minimum=True,
        ),
        Param(
            "every",
            int,
            0,
            "Hold the LR for this many steps between updates (0 = every step; Keras `staircase`).",
            minimum=0,
        ),
    )

    def _quantize(self, u, seg):
        every = seg.param("every")
        if every <= 1:
            return u
        if isinstance(u, np.ndarray):
            return np.floor(u / every) * every
        return math.floor(u / every) * every

    def values(self, u, seg, out=None):
        q = self._quantize(np.asarray(u, np.float64), seg)
        x = np.divide(q, seg.param("tau"), out=out)
        x += 1.0
        np.power(x, -seg.param("power"), out=x)
        x *= seg.lr_start
        return x

    def value(self, u, seg):
        q = self._quantize(float(u), seg)
        return seg.lr_start * (1.0 + q / seg.param("tau")) ** -seg.param("power")

    def _end_u(self, seg) -> float:
        return float(seg.duration) if seg.param("every") <= 1 else float(self._quantize(seg.duration - 1, seg))

    def end_lr(self, seg):
        return seg.lr_start * (1.0 + self._end_u(seg) / seg.param("tau")) ** -seg.param("power")

    def params_for_end(self, seg, lr_end):
        u = self._end_u(seg)
        if not 0 < lr_end < seg.lr_start or u <= 0:
            raise EditError(
                f"an inverse-power decay from {seg.lr_start:g} must end strictly between 0 and its "
                f"start, got {lr_end:g}"
            )
        ratio = (seg.lr_start / lr_end) ** (1.0 / seg.param("power"))
        return {**seg.p, "tau": u / (ratio - 1.0)}

    def truncated(self, seg, duration):
        return seg.replace(duration=duration)

    def area(self, seg, n):
        a, tau, k, every = seg.lr_start, seg.param("tau"), seg.param("power"), seg.param("every")
        if every > 1:
            blocks = n // every
            head = smooth_sum(lambda j: every * a * (1.0 + j * every / tau) ** -k, blocks)
            return head + (n - blocks * every) * self.value(n - 1, seg) if n > blocks * every else head

        def anti(u: float) -> float:
            if k == 1.0:
                return a * tau * math.log1p(u / tau)
            return a * tau * (1.0 + u / tau) ** (1.0 - k) / (1.0 - k)

        return smooth_sum(lambda u: self.values(u, seg), n, anti)

    def scaled_params(self, seg, factor):
        return {}


SHAPE = InversePower()

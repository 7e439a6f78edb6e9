"""Cosine with warm restarts (SGDR): Keras CosineDecayRestarts, torch CosineAnnealingWarmRestarts."""

from __future__ import annotations

import math

import numpy as np

from ..errors import EditError
from .base import Param, Shape, Templates, into
from .profile import cos_sum
from .summation import geometric_sum

#: Above this many cycles, the area of a segment with restarts is summed a cycle-length at a time.
_MAX_EXACT_CYCLES = 1_000_000


ARRAY = """
def _cosine_restarts(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    period, t_mul, m_mul = params["period"], params["t_mul"], params["m_mul"]
    lr_min = params["lr_min"]

    def cycle_start(index):
        if t_mul == 1.0:
            return period * index
        return period * (t_mul**index - 1.0) / (t_mul - 1.0)

    def lr(steps_in):
        if t_mul == 1.0:
            index = ops.floor(steps_in / period)
        else:
            grown = ops.log1p(steps_in / period * (t_mul - 1.0))
            index = ops.floor(grown / math.log(t_mul))
        # The float estimate of the cycle index can be off by one at a cycle boundary.
        index = ops.where(cycle_start(index) > steps_in, index - 1.0, index)
        index = ops.where(cycle_start(index + 1.0) <= steps_in, index + 1.0, index)
        start = cycle_start(index)
        fraction = (steps_in - start) / (cycle_start(index + 1.0) - start)
        wave = 0.5 * (1.0 + ops.cos(math.pi * fraction))
        return lr_min + (lr_start - lr_min) * m_mul**index * wave

    return lr
"""

KERAS = '''
def cosine_restarts(segment, steps_in):
    """Cosine cycles from lr_start to lr_min (t_mul: length, m_mul: height ratio)."""
    params, lr_start = segment["params"], segment["lr_start"]
    period, t_mul, lr_min = params["period"], params["t_mul"], params["lr_min"]

    def cycle_start(index):
        if t_mul == 1.0:
            return period * index
        return period * (t_mul**index - 1.0) / (t_mul - 1.0)

    if t_mul == 1.0:
        index = floor(steps_in / period)
    else:
        index = floor(ops.log1p(steps_in / period * (t_mul - 1.0)) / math.log(t_mul))
    # The float estimate of the cycle index can be off by one at a cycle boundary.
    index = ops.where(cycle_start(index) > steps_in, index - 1.0, index)
    index = ops.where(cycle_start(index + 1.0) <= steps_in, index + 1.0, index)
    start = cycle_start(index)
    fraction = (steps_in - start) / (cycle_start(index + 1.0) - start)
    wave = 0.5 * (1.0 + cos(math.pi * fraction))
    return lr_min + (lr_start - lr_min) * params["m_mul"] ** index * wave
'''


class CosineRestarts(Shape):
    """Cosine cycles from a peak down to `lr_min`; each cycle `t_mul` times longer and its
    amplitude `m_mul` times the previous one's. The start knot is the first peak."""

    name, label = "cosine_restarts", "Cosine with restarts"
    implied_end = True
    rank = 100
    formula = (
        "Cycle i covers u in [c(i), c(i + 1)), c(i) = period * i when t_mul == 1, else period * (t_mul ** i "
        "- 1) / (t_mul - 1); lr = lr_min + (lr_start - lr_min) * m_mul ** i * 0.5 * (1 + cos(pi * (u - c(i)) "
        "/ (c(i + 1) - c(i))))."
    )
    templates = Templates(array=ARRAY, keras=KERAS)
    params = (
        Param("period", float, 1000.0, "Length of the first cycle in steps.", minimum=1e-9),
        Param("t_mul", float, 1.0, "Each cycle is this many times longer than the previous.", minimum=1.0),
        Param(
            "m_mul",
            float,
            1.0,
            "Each cycle's amplitude is this many times the previous.",
            minimum=0.0,
            maximum=1.0,
            exclusive_minimum=True,
        ),
        Param("lr_min", float, 0.0, "LR at the bottom of every cycle.", minimum=0.0),
    )

    # ---- cycle arithmetic ---------------------------------------------------------------
    def cycle_start(self, i, seg):
        """Local step at which cycle i starts (float, vectorized)."""
        period, t_mul = seg.param("period"), seg.param("t_mul")
        if t_mul == 1.0:
            return period * i
        return period * (np.power(t_mul, i) - 1.0) / (t_mul - 1.0)

    def cycle_of(self, t, seg):
        """(cycle index, fraction of it elapsed) for local steps t (float64 array)."""
        period, t_mul = seg.param("period"), seg.param("t_mul")
        t = np.asarray(t, dtype=np.float64)
        if t_mul == 1.0:
            i = np.floor(t / period)
        else:
            i = np.floor(np.log1p(t / period * (t_mul - 1.0)) / math.log(t_mul))
        # Correct the float estimate so that exact cycle boundaries fall in the new cycle.
        i = np.where(self.cycle_start(i, seg) > t, i - 1, i)
        i = np.where(self.cycle_start(i + 1, seg) <= t, i + 1, i)
        start = self.cycle_start(i, seg)
        length = self.cycle_start(i + 1, seg) - start
        return i, (t - start) / length

    def _lr(self, i, frac, seg):
        lr_min = seg.param("lr_min")
        amp = (seg.lr_start - lr_min) * np.power(seg.param("m_mul"), i)
        return lr_min + amp * (0.5 * (1.0 + np.cos(np.pi * frac)))

    def values(self, u, seg, out=None):
        i, frac = self.cycle_of(u, seg)
        return into(np.asarray(self._lr(i, frac, seg), dtype=np.float64), out)

    def value(self, u, seg):
        # The scalar path mirrors `values` operation for operation, with `math` instead of numpy.
        period, t_mul = seg.param("period"), seg.param("t_mul")
        t = float(u)

        def start(i: float) -> float:
            return period * i if t_mul == 1.0 else period * (t_mul**i - 1.0) / (t_mul - 1.0)

        if t_mul == 1.0:
            i = float(math.floor(t / period))
        else:
            i = float(math.floor(math.log1p(t / period * (t_mul - 1.0)) / math.log(t_mul)))
        if start(i) > t:
            i -= 1
        if start(i + 1) <= t:
            i += 1
        lo = start(i)
        frac = (t - lo) / (start(i + 1) - lo)
        lr_min = seg.param("lr_min")
        amp = (seg.lr_start - lr_min) * seg.param("m_mul") ** i
        return lr_min + amp * (0.5 * (1.0 + math.cos(math.pi * frac)))

    def end_lr(self, seg):
        i, frac = self.cycle_of(float(seg.duration), seg)
        if frac == 0.0:  # the segment ends exactly where a cycle would restart: its left limit
            i, frac = i - 1, 1.0
        return float(self._lr(i, frac, seg))

    def params_for_end(self, seg, lr_end):
        i, frac = self.cycle_of(float(seg.duration), seg)
        if frac == 0.0:
            i, frac = i - 1, 1.0
        i = float(i)
        c = 0.5 * (1.0 + math.cos(math.pi * frac))
        a, lr_min = seg.lr_start, seg.param("lr_min")
        if i == 0 and c < 1.0:
            new_min = (lr_end - a * c) / (1.0 - c)
            if new_min < 0 or new_min > a:
                raise EditError(f"no floor makes the first cycle end at {lr_end:g}")
            return {**seg.p, "lr_min": new_min}
        if c > 1e-9 and a > lr_min and lr_end > lr_min:
            m = ((lr_end - lr_min) / ((a - lr_min) * c)) ** (1.0 / i)
            if 0 < m <= 1:
                return {**seg.p, "m_mul": m}
        raise EditError("this restart segment's end follows from its cycles; change period or m_mul")

    def truncated(self, seg, duration):
        return seg.replace(duration=duration)

    # ---- analysis -----------------------------------------------------------------------
    def candidates(self, lo, hi, seg):
        i_lo, _ = self.cycle_of(lo.astype(np.float64), seg)
        i_hi, _ = self.cycle_of(hi.astype(np.float64), seg)
        out = []
        for i in (i_lo + 1, i_lo + 2, i_hi, i_hi - 1):
            start = np.ceil(self.cycle_start(i, seg))
            for c in (start, start - 1):
                out.append(np.clip(c, lo, hi).astype(np.int64))
        return out

    def bounds(self, lo, hi, seg, mn, mx):
        """Widen per-range bounds where a range holds several cycles whose sampled peaks and
        troughs differ by a fraction of a step."""
        i_lo, _ = self.cycle_of(lo.astype(np.float64), seg)
        i_hi, _ = self.cycle_of(hi.astype(np.float64), seg)
        many = i_hi - i_lo >= 2
        lr_min = seg.param("lr_min")
        top = lr_min + (seg.lr_start - lr_min) * np.power(seg.param("m_mul"), i_lo + 1)
        return np.where(many, np.minimum(mn, lr_min), mn), np.where(many, np.maximum(mx, top), mx)

    def area(self, seg, n):
        if n <= 0:
            return 0.0
        lr_min, a = seg.param("lr_min"), seg.lr_start
        last, _ = self.cycle_of(float(n - 1), seg)
        cycles = int(last) + 1
        if cycles > _MAX_EXACT_CYCLES:
            # Only t_mul == 1 gets here (longer cycles grow geometrically): cycles differ only in
            # where their integer steps fall, so each sums to its length / 2 up to rounding.
            period, m = seg.param("period"), seg.param("m_mul")

            return lr_min * n + (a - lr_min) * 0.5 * period * geometric_sum(m, cycles)
        i = np.arange(cycles, dtype=np.float64)
        start = self.cycle_start(i, seg)
        length = self.cycle_start(i + 1, seg) - start
        first = np.ceil(start)
        stop = np.minimum(np.ceil(start + length), float(n))
        count = np.maximum(stop - first, 0.0)
        beta = np.pi / length
        alpha = np.pi * (first - start) / length
        cos_part = cos_sum(alpha, beta, count)
        amp = (a - lr_min) * np.power(seg.param("m_mul"), i)
        return float(lr_min * n + np.sum(amp * 0.5 * (count + cos_part)))

    def scaled_params(self, seg, factor):
        return {"lr_min": seg.param("lr_min") * factor}


SHAPE = CosineRestarts()

"""Cyclic LR between a base and a maximum (torch CyclicLR: triangular, triangular2, exp_range)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import DesignError, EditError
from .base import Param, Shape, Templates, into
from .periodic import periodic_candidates
from .summation import geometric_sum, smooth_sum

ARRAY = """
def _cyclic(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    max_lr, mode, gamma = params["max_lr"], params["mode"], params["gamma"]
    period = float(params["step_size_up"] + params["step_size_down"])
    rising = params["step_size_up"] / period

    def lr(steps_in):
        cycle = ops.floor(1.0 + steps_in / period)
        position = 1.0 + steps_in / period - cycle
        up, down = position / rising, (position - 1.0) / (rising - 1.0)
        scale = ops.where(position <= rising, up, down)
        if mode == "triangular2":
            scale = scale * 0.5 ** (cycle - 1.0)
        elif mode == "exp_range":
            scale = scale * gamma**steps_in
        return lr_start + (max_lr - lr_start) * scale

    return lr
"""

KERAS = '''
def cyclic(segment, steps_in):
    """torch's CyclicLR between lr_start and max_lr (mode: triangular, ...)."""
    params, lr_start = segment["params"], segment["lr_start"]
    period = float(params["step_size_up"] + params["step_size_down"])
    rising = params["step_size_up"] / period
    cycle = floor(1.0 + steps_in / period)
    position = 1.0 + steps_in / period - cycle
    scale = ops.where(
        position <= rising, position / rising, (position - 1.0) / (rising - 1.0)
    )
    if params["mode"] == "triangular2":
        scale = scale * 0.5 ** (cycle - 1.0)
    elif params["mode"] == "exp_range":
        scale = scale * params["gamma"] ** steps_in
    return lr_start + (params["max_lr"] - lr_start) * scale
'''


class Cyclic(Shape):
    """Triangle waves from the start knot (the base LR) up to `max_lr`, as torch's CyclicLR."""

    name, label = "cyclic", "Cyclic"
    implied_end = True
    rank = 90
    formula = (
        "PyTorch's CyclicLR with base lr_start: total = step_size_up + step_size_down, ratio = "
        "step_size_up / total, cycle = floor(1 + u / total), x = 1 + u / total - cycle, scale = x / ratio "
        "if x <= ratio else (x - 1) / (ratio - 1); triangular2 multiplies scale by 0.5 ** (cycle - 1), "
        "exp_range by gamma ** u; lr = lr_start + (max_lr - lr_start) * scale."
    )
    templates = Templates(array=ARRAY, keras=KERAS)
    params = (
        Param("max_lr", float, 1e-3, "Upper LR of the cycle.", minimum=0.0),
        Param("step_size_up", int, 2000, "Steps from base to max.", minimum=1),
        Param("step_size_down", int, 2000, "Steps from max back to base.", minimum=1),
        Param(
            "mode",
            str,
            "triangular",
            "Amplitude per cycle.",
            choices=("triangular", "triangular2", "exp_range"),
        ),
        Param(
            "gamma",
            float,
            1.0,
            "exp_range: amplitude factor per step.",
            minimum=0.0,
            maximum=1.0,
            exclusive_minimum=True,
        ),
    )

    def _scale(self, t, seg, xp):
        up, down = seg.param("step_size_up"), seg.param("step_size_down")
        total = float(up + down)
        ratio = up / total
        cycle = xp.floor(1.0 + t / total)
        x = 1.0 + t / total - cycle
        if xp is np:
            scale = np.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
        else:
            scale = x / ratio if x <= ratio else (x - 1.0) / (ratio - 1.0)
        mode = seg.param("mode")
        if mode == "triangular2":
            scale = scale * 0.5 ** (cycle - 1.0)
        elif mode == "exp_range":
            scale = scale * seg.param("gamma") ** t
        return scale

    def values(self, u, seg, out=None):
        a = seg.lr_start
        return into(a + (seg.param("max_lr") - a) * self._scale(np.asarray(u, np.float64), seg, np), out)

    def value(self, u, seg):
        a = seg.lr_start
        return a + (seg.param("max_lr") - a) * self._scale(float(u), seg, math)

    def params_for_end(self, seg, lr_end):
        s = self._scale(float(seg.duration), seg, math)
        if s < 1e-9:
            raise EditError("the cycle ends at its base; drag the start knot or change the cycle length")
        max_lr = seg.lr_start + (lr_end - seg.lr_start) / s
        if max_lr < 0:
            raise EditError(f"no cycle amplitude ends at {lr_end:g}")
        return {**seg.p, "max_lr": max_lr}

    def truncated(self, seg, duration):
        return seg.replace(duration=duration)

    def validate(self, seg, where):
        if seg.param("mode") != "exp_range" and seg.param("gamma") != 1.0:
            raise DesignError("gamma is used only in exp_range mode; leave it at 1", where)

    def candidates(self, lo, hi, seg):
        up, down = seg.param("step_size_up"), seg.param("step_size_down")
        offsets = [0.0, float(up)]
        gamma = seg.param("gamma")
        if seg.param("mode") == "exp_range" and gamma < 1.0:
            inner = -1.0 / math.log(gamma)  # where (t / up) * gamma**t peaks on a rising ramp
            if inner < up:
                offsets.append(inner)
        return periodic_candidates(lo, hi, float(up + down), offsets)

    def area(self, seg, n):
        up, down = seg.param("step_size_up"), seg.param("step_size_down")
        period = up + down
        mode, gamma = seg.param("mode"), seg.param("gamma")
        a = seg.lr_start

        def ramp_sum(length: int, weight_log: float) -> float:
            """Sum over the first `length` positions of one cycle of scale * gamma**pos."""
            rise = min(length, up + 1)
            total = smooth_sum(lambda p: (p / up) * np.exp(weight_log * p), rise)
            if length > up + 1:
                total += smooth_sum(
                    lambda q: ((period - (q + up + 1)) / down) * np.exp(weight_log * (q + up + 1)),
                    length - up - 1,
                )
            return total

        full, rest = divmod(n, period)
        weight_log = math.log(gamma) if mode == "exp_range" else 0.0
        cycle_sum, rest_sum = ramp_sum(period, weight_log), ramp_sum(rest, weight_log)
        if mode == "triangular":
            per_cycle = float(full)
            last = 1.0
        elif mode == "triangular2":
            per_cycle = 2.0 * (1.0 - 0.5**full)
            last = 0.5**full
        else:
            r = gamma**period
            per_cycle = geometric_sum(r, full)
            last = r**full
        return a * n + (seg.param("max_lr") - a) * (cycle_sum * per_cycle + rest_sum * last)

    def scaled_params(self, seg, factor):
        return {"max_lr": seg.param("max_lr") * factor}


SHAPE = Cyclic()

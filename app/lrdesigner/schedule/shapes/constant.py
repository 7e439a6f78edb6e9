"""The constant shape: the LR stays at the start knot."""

from __future__ import annotations

import numpy as np

from .base import Shape, Templates

ARRAY = """
def _constant(segment, _ops):
    lr_start = segment["lr_start"]
    return lambda steps_in: lr_start + 0.0 * steps_in
"""

KERAS = '''
def constant(segment, steps_in):
    """lr_start throughout."""
    return segment["lr_start"] + 0.0 * steps_in
'''


class Constant(Shape):
    name, label = "constant", "Constant"
    implied_end = True
    rank = 0
    formula = "lr = lr_start."
    templates = Templates(array=ARRAY, keras=KERAS)

    def values(self, u, seg, out=None):
        if out is None:
            out = np.empty(np.shape(u), dtype=np.float64)
        out.fill(seg.lr_start)
        return out

    def value(self, u, seg):
        return seg.lr_start

    def end_lr(self, seg):
        return seg.lr_start

    def params_for_end(self, seg, lr_end):
        return seg.p

    def truncated(self, seg, duration):
        return seg.replace(duration=duration)

    def area(self, seg, n):
        return seg.lr_start * n

    def part(self, seg, offset, n):
        return seg.replace(duration=n)

    def scaled_params(self, seg, factor):
        return {}


SHAPE = Constant()

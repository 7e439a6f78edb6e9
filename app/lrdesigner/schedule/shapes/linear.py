"""The linear shape: a straight line from the start knot to the end knot."""

from __future__ import annotations

import numpy as np

from .base import Templates
from .profile import ProfileShape

ARRAY = """
def _linear(segment, _ops):
    lr_start, lr_end, steps = segment["lr_start"], segment["lr_end"], segment["steps"]
    return lambda steps_in: lr_start + (lr_end - lr_start) * (steps_in / steps)
"""

KERAS = '''
def linear(segment, steps_in):
    """A straight line from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    return lr_start + (lr_end - lr_start) * (steps_in / segment["steps"])
'''


class Linear(ProfileShape):
    name, label = "linear", "Linear"
    rank = 10
    windowed = False
    templates = Templates(array=ARRAY, keras=KERAS)

    @property
    def formula(self) -> str:
        return "lr = lr_start + (lr_end - lr_start) * u / steps."

    def g(self, theta, seg):
        return 1.0 - theta

    def values(self, u, seg, out=None):
        # a + (b - a) * u / D keeps the start knot exact (a warmup from 0 starts at exactly 0).
        a, b = seg.lr_start, seg.lr_end
        x = np.divide(u, seg.duration, out=out, dtype=np.float64)
        x *= b - a
        x += a
        return x

    def value(self, u, seg):
        a, b = seg.lr_start, seg.lr_end
        return a + (b - a) * (u / seg.duration)

    def area(self, seg, n):
        a, b = seg.lr_start, seg.lr_end
        return a * n + (b - a) * (n * (n - 1) / 2.0) / seg.duration

    def truncated(self, seg, duration):
        return seg.replace(duration=duration, lr_end=self.value(duration, seg))

    def part(self, seg, offset, n):
        return seg.replace(duration=n, lr_start=self.value(offset, seg), lr_end=self.value(offset + n, seg))


SHAPE = Linear()

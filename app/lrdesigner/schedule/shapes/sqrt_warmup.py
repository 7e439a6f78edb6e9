"""The sqrt warmup of warmup-stable-decay schedules."""

from __future__ import annotations

import math

import numpy as np

from .base import Templates
from .profile import PHASE, ProfileShape

ARRAY = """
def _sqrt_warmup_wave(phase, ops, _params):
    return ops.sqrt(ops.minimum(ops.maximum(1.0 - phase, 0.0), 1.0))


def _sqrt_warmup(segment, ops):
    return _profile(segment, ops, _sqrt_warmup_wave)
"""

KERAS = '''
def _sqrt_warmup_wave(phase, _params):
    rest = 1.0 - phase
    return ops.sqrt(ops.where(rest > 0.0, ops.where(rest < 1.0, rest, 1.0), 0.0))


def sqrt_warmup(segment, steps_in):
    """The sqrt(1 - phase) curve from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _sqrt_warmup_wave)
'''


class SqrtWarmup(ProfileShape):
    """The sqrt warmup of warmup-stable-decay schedules: `1 - sqrt(1 - p)` of the way up."""

    name, label = "sqrt_warmup", "Sqrt warmup"
    rank = 70
    wave = "g(theta) = sqrt(min(max(1 - theta, 0), 1))."
    templates = Templates(array=ARRAY, keras=KERAS)
    params = PHASE

    def g(self, theta, seg):
        if isinstance(theta, np.ndarray):
            return np.sqrt(np.clip(1.0 - theta, 0.0, 1.0))
        return math.sqrt(min(max(1.0 - theta, 0.0), 1.0))

    def g_in_place(self, theta, seg):
        np.subtract(1.0, theta, out=theta)
        np.clip(theta, 0.0, 1.0, out=theta)
        np.sqrt(theta, out=theta)

    def g_integral(self, theta, seg):
        return -(2.0 / 3.0) * max(1.0 - theta, 0.0) ** 1.5


SHAPE = SqrtWarmup()

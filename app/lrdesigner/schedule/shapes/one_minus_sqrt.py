"""The 1-sqrt cooldown of warmup-stable-decay schedules."""

from __future__ import annotations

import math

import numpy as np

from .base import Templates
from .profile import PHASE, ProfileShape

ARRAY = """
def _one_minus_sqrt_wave(phase, ops, _params):
    return 1.0 - ops.sqrt(ops.minimum(ops.maximum(phase, 0.0), 1.0))


def _one_minus_sqrt(segment, ops):
    return _profile(segment, ops, _one_minus_sqrt_wave)
"""

KERAS = '''
def _one_minus_sqrt_wave(phase, _params):
    inside = ops.where(phase > 0.0, ops.where(phase < 1.0, phase, 1.0), 0.0)
    return 1.0 - ops.sqrt(inside)


def one_minus_sqrt(segment, steps_in):
    """The 1 - sqrt cooldown (WSD) from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _one_minus_sqrt_wave)
'''

KERAS_PLAIN = '''
def one_minus_sqrt(segment, steps_in):
    """The 1 - sqrt cooldown (WSD) from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    progress = ops.where(steps_in < segment["steps"], steps_in / segment["steps"], 1.0)
    return lr_end + (lr_start - lr_end) * (1.0 - ops.sqrt(progress))
'''


class OneMinusSqrt(ProfileShape):
    """The 1-sqrt cooldown of warmup-stable-decay schedules: fast at first, then slower."""

    name, label = "one_minus_sqrt", "1-sqrt cooldown"
    rank = 60
    wave = "g(theta) = 1 - sqrt(min(max(theta, 0), 1))."
    templates = Templates(array=ARRAY, keras=KERAS, keras_plain=KERAS_PLAIN)
    params = PHASE

    def g(self, theta, seg):
        if isinstance(theta, np.ndarray):
            return 1.0 - np.sqrt(np.clip(theta, 0.0, 1.0))
        return 1.0 - math.sqrt(min(max(theta, 0.0), 1.0))

    def g_in_place(self, theta, seg):
        np.clip(theta, 0.0, 1.0, out=theta)
        np.sqrt(theta, out=theta)
        np.subtract(1.0, theta, out=theta)

    def g_integral(self, theta, seg):
        t = min(max(theta, 0.0), 1.0)
        return t - (2.0 / 3.0) * t**1.5 + (theta - t)


SHAPE = OneMinusSqrt()

"""The cosine shape: half a cosine wave between the knots (optax `exponent`, timm `k_decay`)."""

from __future__ import annotations

import math

import numpy as np

from .base import Param, Templates
from .profile import PHASE, WARP, ProfileShape, cos_sum, warp_in_place, warped

ARRAY = """
def _cosine_wave(phase, ops, params):
    k_decay = params.get("k_decay", 1.0)
    phase = phase if k_decay == 1.0 else phase**k_decay
    wave = 0.5 * (1.0 + ops.cos(math.pi * phase))
    return wave if params["exponent"] == 1.0 else wave ** params["exponent"]


def _cosine(segment, ops):
    return _profile(segment, ops, _cosine_wave)
"""

KERAS = '''
def _cosine_wave(phase, params):
    if params["k_decay"] != 1.0:  # timm's k_decay: the phase runs as phase ** k
        phase = phase ** params["k_decay"]
    wave = 0.5 * (1.0 + cos(math.pi * phase))
    return wave if params["exponent"] == 1.0 else wave ** params["exponent"]


def cosine(segment, steps_in):
    """Half a cosine wave from lr_start down to lr_end (optax's `exponent` applies)."""
    return _along_wave(segment, steps_in, _cosine_wave)
'''

KERAS_PLAIN = '''
def cosine(segment, steps_in):
    """Half a cosine wave from lr_start down to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    wave = 0.5 * (1.0 + cos(math.pi * (steps_in / segment["steps"])))
    return lr_end + (lr_start - lr_end) * wave
'''


class Cosine(ProfileShape):
    name, label = "cosine", "Cosine"
    rank = 20
    wave = "g(theta) = (0.5 * (1 + cos(pi * theta))) ** exponent."
    monotone = True  # a half wave, warped by theta ** k_decay and raised to exponent > 0
    templates = Templates(array=ARRAY, keras=KERAS, keras_plain=KERAS_PLAIN)
    params = (
        Param(
            "exponent",
            float,
            1.0,
            "Power applied to the cosine profile (optax `exponent`).",
            minimum=0.0,
            exclusive_minimum=True,
        ),
        WARP,
    ) + PHASE

    def g(self, theta, seg):
        theta = warped(theta, seg)
        c = (
            0.5 * (1.0 + np.cos(np.pi * theta))
            if isinstance(theta, np.ndarray)
            else 0.5 * (1.0 + math.cos(math.pi * theta))
        )
        p = seg.param("exponent")
        return c if p == 1.0 else c**p

    def g_in_place(self, theta, seg):
        warp_in_place(theta, seg)
        theta *= np.pi
        np.cos(theta, out=theta)
        theta += 1.0
        theta *= 0.5
        p = seg.param("exponent")
        if p != 1.0:
            theta **= p

    def g_integral(self, theta, seg):
        if seg.param("exponent") != 1.0 or seg.param("k_decay") != 1.0:
            return None
        return 0.5 * (theta + math.sin(math.pi * theta) / math.pi)

    def candidates(self, lo, hi, seg):
        # Extremes of the cosine sit where theta is an integer.
        t0, t1 = self.window(seg)
        if (t0, t1) == (0.0, 1.0) and np.size(lo) and np.min(lo) >= 0 and np.max(hi) <= seg.duration:
            return []  # inside one half wave: every range has its extremes at its ends
        rate = (t1 - t0) / seg.duration
        th_lo, th_hi = t0 + rate * lo, t0 + rate * hi
        first, last = np.ceil(th_lo), np.floor(th_hi)
        u = (np.stack((first, first + 1, last, last - 1)) - t0) / rate
        return list(np.clip(np.concatenate((np.floor(u), np.ceil(u))), lo, hi).astype(np.int64))

    def area(self, seg, n):
        if seg.param("exponent") != 1.0 or seg.param("k_decay") != 1.0:
            return super().area(seg, n)
        lo, span = self.levels(seg)
        t0, t1 = self.window(seg)
        beta = math.pi * (t1 - t0) / seg.duration
        return n * lo + span * 0.5 * (n + cos_sum(math.pi * t0, beta, n))


SHAPE = Cosine()

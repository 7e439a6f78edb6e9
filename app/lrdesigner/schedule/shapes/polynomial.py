"""The polynomial shape: `(1 - theta) ** power` between the knots (timm `k_decay` applies)."""

from __future__ import annotations

import numpy as np

from .base import Param, Templates
from .profile import PHASE, WARP, ProfileShape, warp_in_place, warped

ARRAY = """
def _polynomial_wave(phase, ops, params):
    k_decay = params.get("k_decay", 1.0)
    phase = phase if k_decay == 1.0 else phase**k_decay
    return ops.maximum(1.0 - phase, 0.0) ** params["power"]


def _polynomial(segment, ops):
    return _profile(segment, ops, _polynomial_wave)
"""

KERAS = '''
def _polynomial_wave(phase, params):
    if params["k_decay"] != 1.0:  # timm's k_decay: the phase runs as phase ** k
        phase = phase ** params["k_decay"]
    return ops.where(phase < 1.0, 1.0 - phase, 0.0) ** params["power"]


def polynomial(segment, steps_in):
    """(1 - phase) ** power from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _polynomial_wave)
'''

KERAS_PLAIN = '''
def polynomial(segment, steps_in):
    """(1 - progress) ** power from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    progress = steps_in / segment["steps"]
    wave = ops.where(progress < 1.0, 1.0 - progress, 0.0) ** segment["params"]["power"]
    return lr_end + (lr_start - lr_end) * wave
'''


class Polynomial(ProfileShape):
    name, label = "polynomial", "Polynomial"
    rank = 40
    wave = "g(theta) = max(1 - theta, 0) ** power."
    templates = Templates(array=ARRAY, keras=KERAS, keras_plain=KERAS_PLAIN, keras_plain_reads=("power",))
    params = (
        Param("power", float, 2.0, "Power of the decay (1 = linear).", minimum=0.0, exclusive_minimum=True),
        WARP,
    ) + PHASE

    def g(self, theta, seg):
        theta = warped(theta, seg)
        p = seg.param("power")
        if isinstance(theta, np.ndarray):
            return np.clip(1.0 - theta, 0.0, None) ** p
        return max(1.0 - theta, 0.0) ** p

    def g_in_place(self, theta, seg):
        warp_in_place(theta, seg)
        np.subtract(1.0, theta, out=theta)
        np.maximum(theta, 0.0, out=theta)
        theta **= seg.param("power")

    def g_integral(self, theta, seg):
        if seg.param("k_decay") != 1.0:
            return None
        p = seg.param("power")
        return -(max(1.0 - theta, 0.0) ** (p + 1.0)) / (p + 1.0)


SHAPE = Polynomial()

"""REX, the reflected-exponential profile of Chen, Wolfe and Kyrillidis, "REX: Revisiting Budgeted
Training with an Improved Schedule" (MLSys 2022): `(1 - z) / (0.5 + 0.5 * (1 - z))`, z = t / T.

pytorch_optimizer ships it as `REXScheduler` ("rex" in its scheduler table); that class is the
preset here.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import DesignError
from .base import Param, ShapePreset, Templates
from .profile import PHASE, ProfileShape

ARRAY = """
def _rex_wave(phase, ops, _params):
    rest = 1.0 - ops.minimum(ops.maximum(phase, 0.0), 1.0)
    return rest / (0.5 + 0.5 * rest)


def _rex(segment, ops):
    return _profile(segment, ops, _rex_wave)
"""

KERAS = '''
def _rex_wave(phase, _params):
    rest = 1.0 - ops.where(phase > 0.0, ops.where(phase < 1.0, phase, 1.0), 0.0)
    return rest / (0.5 + 0.5 * rest)


def rex(segment, steps_in):
    """REX, (1 - z) / (0.5 + 0.5 * (1 - z)), from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _rex_wave)
'''


def rex_design(total_steps: int, max_lr: float, min_lr: float) -> dict:
    """pytorch_optimizer's REXScheduler as design data: its constructor sets every group's LR to
    min_lr, so update 0 runs at min_lr; update n (1 <= n < total_steps) at
    min_lr + (max_lr - min_lr) * (1 - n / total_steps) / (1 - n / (2 total_steps)); min_lr after."""
    if total_steps < 1:
        raise DesignError(f"must be >= 1, got {total_steps}", "total_steps")
    first = {"shape": "constant", "steps": 1, "lr_start": min_lr}
    if total_steps == 1:
        return {"segments": [first], "after_end": "hold"}
    z = 1.0 / total_steps
    curve = {
        "shape": "rex",
        "steps": total_steps - 1,
        "lr_start": min_lr + (max_lr - min_lr) * ((1.0 - z) / (1.0 - z / 2.0)),
        "lr_end": min_lr,
        "params": {"phase_start": z, "phase_end": 1.0},
    }
    return {"segments": [first, curve], "after_end": "hold"}


class Rex(ProfileShape):
    """REX (Chen, Wolfe and Kyrillidis 2022): a decay that stays high longer than linear and
    drops steeply at the end."""

    name, label = "rex", "REX"
    rank = 120
    wave = "g(theta) = (1 - c) / (0.5 + 0.5 * (1 - c)), c = min(max(theta, 0), 1)."
    templates = Templates(array=ARRAY, keras=KERAS)
    params = PHASE
    presets = (
        ShapePreset(
            "pytorch_optimizer.REXScheduler",
            "pytorch_optimizer's REXScheduler: min_lr + (max_lr - min_lr) * (1 - z) / (1 - z / 2), "
            "z = step / total_steps; update 0 runs at min_lr (the scheduler sets it when built).",
            "holds min_lr",
            (
                Param("total_steps", int, 100_000, "Number of steps to optimize.", minimum=1),
                Param("max_lr", float, 1e-3, "Maximum learning rate.", minimum=0.0),
                Param("min_lr", float, 0.0, "Minimum learning rate.", minimum=0.0),
            ),
            rex_design,
        ),
    )

    def g(self, theta, seg):
        if isinstance(theta, np.ndarray):
            rest = 1.0 - np.clip(theta, 0.0, 1.0)
            return rest / (0.5 + 0.5 * rest)
        rest = 1.0 - min(max(theta, 0.0), 1.0)
        return rest / (0.5 + 0.5 * rest)

    def g_in_place(self, theta, seg):
        np.clip(theta, 0.0, 1.0, out=theta)
        np.subtract(1.0, theta, out=theta)
        np.divide(theta, 0.5 + 0.5 * theta, out=theta)

    def g_integral(self, theta, seg):
        # d/dc (2c + 2 log(1 - c/2)) = (1 - c) / (1 - c/2); g is 1 before the curve and 0 after it.
        c = min(max(theta, 0.0), 1.0)
        return 2.0 * c + 2.0 * math.log1p(-c / 2.0) + min(theta, 0.0)


SHAPE = Rex()

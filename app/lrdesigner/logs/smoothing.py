"""TensorBoard's classic scalar smoothing (the web UI's debiased exponential moving average)."""

from __future__ import annotations

import math

import numpy as np


def smooth_reference(values, weight: float) -> list[float]:
    """The web UI's loop, transcribed (the reference the vectorized version is tested against)."""
    w = 0.0 if not math.isfinite(weight) else min(max(weight, 0.0), 1.0)
    values = [float(v) for v in values]
    if all(v == values[0] for v in values):  # NaN never equals itself
        return values
    last, n, out = 0.0, 0, []
    for y in values:
        if not math.isfinite(y):
            out.append(y)
            continue
        last = last * w + (1 - w) * y
        n += 1
        out.append(last / (1.0 if w == 1 else 1 - w**n))
    return out


def smooth(values, weight: float) -> np.ndarray:
    """TensorBoard's smoothing of `values` with slider `weight` (0 .. 1), vectorized.

    Non-finite values pass through and leave the running average untouched; a series whose
    values are all equal is returned unchanged.
    """
    from scipy.signal import lfilter

    y = np.asarray(values, dtype=np.float64)
    w = 0.0 if not math.isfinite(weight) else min(max(float(weight), 0.0), 1.0)
    if y.size == 0 or bool(np.all(y == y[0])):
        return y.copy()
    finite = np.isfinite(y)
    all_finite = bool(finite.all())
    x = y if all_finite else y[finite]
    if x.size == 0:
        return y.copy()
    ema = lfilter([1.0 - w], [1.0, -w], x)  # last = last * w + (1 - w) * y, from last = 0
    if 0.0 < w < 1.0:
        # Debias by 1 - w**n; past the first k points w**n is below half an ulp of 1 and the
        # divisor is exactly 1.
        k = min(x.size, int(math.log(2.0**-60) / math.log(w)) + 1)
        ema[:k] /= -np.expm1(np.arange(1, k + 1) * math.log(w))
    if all_finite:
        return ema
    out = y.copy()
    out[finite] = ema
    return out

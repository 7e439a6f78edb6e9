"""Sums of a smooth curve over many integer steps, in time independent of the step count."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

#: Sums over at most this many steps are done point by point; longer ones keep this many
#: exact terms at each end and use Euler-Maclaurin in between.
EXACT_TERMS = 1024


@functools.cache
def _gauss_legendre() -> tuple[np.ndarray, np.ndarray]:
    """24-point Gauss-Legendre nodes and weights on [-1, 1] (numpy.polynomial loads on first use)."""
    from numpy.polynomial.legendre import leggauss

    return leggauss(24)


def _integral(f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float) -> float:
    """Integral of f over [lo, hi] by composite Gauss-Legendre on panels graded towards both ends."""
    # Panel edges are dense near the ends, where curves such as sqrt have steep derivatives.
    t = np.linspace(0.0, 1.0, 65)
    graded = 0.5 - 0.5 * np.cos(np.pi * t)
    edges = lo + (hi - lo) * graded
    a, b = edges[:-1, None], edges[1:, None]
    gl_x, gl_w = _gauss_legendre()
    nodes = 0.5 * (b - a) * gl_x[None, :] + 0.5 * (a + b)
    return float(np.sum(0.5 * (b - a) * gl_w[None, :] * f(nodes)))


def smooth_sum(
    f: Callable[[np.ndarray], np.ndarray],
    n: int,
    antiderivative: Callable[[float], float] | None = None,
) -> float:
    """Sum of f(u) for integer u in [0, n), for an f that is smooth away from the two ends."""
    if n <= 0:
        return 0.0
    if n <= 3 * EXACT_TERMS:
        return float(np.sum(f(np.arange(n, dtype=np.float64))))
    k = EXACT_TERMS
    head = float(np.sum(f(np.arange(k, dtype=np.float64))))
    tail = float(np.sum(f(np.arange(n - k, n, dtype=np.float64))))
    lo, hi = float(k), float(n - k)
    integral = antiderivative(hi) - antiderivative(lo) if antiderivative is not None else _integral(f, lo, hi)
    ends = f(np.array([lo, hi, lo - 0.5, lo + 0.5, hi - 0.5, hi + 0.5]))
    f_lo, f_hi = ends[0], ends[1]
    d_lo, d_hi = ends[3] - ends[2], ends[5] - ends[4]
    # Euler-Maclaurin: sum_{lo}^{hi-1} f = int f - (f(hi) - f(lo))/2 + (f'(hi) - f'(lo))/12 - ...
    middle = integral - 0.5 * (f_hi - f_lo) + (d_hi - d_lo) / 12.0
    return head + float(middle) + tail


def geometric_sum(ratio: float, count: int) -> float:
    """Sum of ratio**j for j in [0, count), accurate when ratio is close to 1."""
    if count <= 0:
        return 0.0
    if ratio == 1.0:
        return float(count)
    if ratio == 0.0:
        return 1.0
    log_r = math.log(ratio)
    return math.expm1(count * log_r) / math.expm1(log_r)

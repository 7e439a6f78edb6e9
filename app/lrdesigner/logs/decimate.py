"""Min/max pyramid of a series for drawing: any visible range in O(pixels), all points kept."""

from __future__ import annotations

import math

import numpy as np

#: Levels 1 .. FIRST - 1 are not stored: a query that needs one reduces at most 2 ** FIRST points of
#: level 0 per block it returns (O(pixels) still), and the stored levels above level 0 take an
#: eighth of the memory of all of them (a quarter of the series' values for mins and maxs together).
FIRST = 3


def _reduce(lo: np.ndarray, hi: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Min of `lo` and max of `hi` over consecutive blocks of `size` (the last may be short), NaN
    ignored; no temporary as large as the input."""
    n = len(lo)
    full = n - n % size
    mins = np.empty(-(-n // size))
    maxs = np.empty(len(mins))
    if full:
        np.fmin.reduce(lo[:full].reshape(-1, size), axis=1, out=mins[: full // size])
        np.fmax.reduce(hi[:full].reshape(-1, size), axis=1, out=maxs[: full // size])
    if full < n:
        mins[-1], maxs[-1] = np.fmin.reduce(lo[full:]), np.fmax.reduce(hi[full:])
    return mins, maxs


def _whole_step(x: float, rounding) -> np.int64:
    """`x` rounded to a step (int64, clamped): a float bound would make searchsorted convert every
    step to float, O(points) per query."""
    lo, hi = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    if not math.isfinite(x):
        return np.int64(lo if x < 0 else hi)
    return np.int64(max(lo, min(hi, rounding(x))))


class Pyramid:
    """Level k holds the min and max of blocks of 2**k consecutive points (NaN ignored). Level 0
    is the values themselves, shared with the caller when they are all finite."""

    def __init__(self, steps: np.ndarray, values: np.ndarray) -> None:
        self.steps = np.asarray(steps, dtype=np.int64)
        v = np.asarray(values, dtype=np.float64)
        if not np.isfinite(v).all():
            v = np.where(np.isfinite(v), v, np.nan)  # inf is a marker, not a height: left out like NaN
        self.mins: dict[int, np.ndarray] = {0: v}
        self.maxs: dict[int, np.ndarray] = {0: v}
        self.top = 0
        if len(v) > 1:
            level, size = FIRST, 1 << FIRST
            lo, hi = _reduce(v, v, size)
            while True:
                self.mins[level], self.maxs[level] = lo, hi
                self.top = level
                if len(lo) <= 1:
                    break
                lo, hi = _reduce(lo, hi, 2)
                level += 1

    def _blocks(self, level: int, b0: int, b1: int) -> tuple[np.ndarray, np.ndarray]:
        """Blocks b0 .. b1 of `level`: stored, or reduced from level 0."""
        if level in self.mins:
            return self.mins[level][b0 : b1 + 1], self.maxs[level][b0 : b1 + 1]
        v = self.mins[0][b0 << level : (b1 + 1) << level]
        return _reduce(v, v, 1 << level)

    def query(self, x0: float, x1: float, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, min, max) of at most ~2 * bins blocks covering the points with x0 <= step <= x1.
        Blocks at the edges may reach a few points beyond the range."""
        i0 = int(np.searchsorted(self.steps, _whole_step(x0, math.ceil), side="left"))
        i1 = int(np.searchsorted(self.steps, _whole_step(x1, math.floor), side="right"))
        if i1 <= i0:
            empty = np.empty(0)
            return empty, empty, empty
        span = i1 - i0
        level = max(0, int(np.ceil(np.log2(max(span / max(bins, 1), 1.0)))))
        level = min(level, self.top)
        size = 1 << level
        b0, b1 = i0 >> level, (i1 - 1) >> level
        x = self.steps[np.minimum(np.arange(b0, b1 + 1) * size, len(self.steps) - 1)]
        lo, hi = self._blocks(level, b0, b1)
        return x, lo, hi

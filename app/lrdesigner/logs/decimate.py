"""Min/max pyramid of a series for drawing: any visible range in O(pixels), all points kept."""

from __future__ import annotations

import numpy as np


class Pyramid:
    """Level k holds the min and max of blocks of 2**k consecutive points (NaN ignored)."""

    def __init__(self, steps: np.ndarray, values: np.ndarray) -> None:
        self.steps = np.asarray(steps, dtype=np.int64)
        v = np.asarray(values, dtype=np.float64)
        v = np.where(np.isfinite(v), v, np.nan)  # inf is a marker, not a height: left out like NaN
        self.mins, self.maxs = [v], [v]
        while len(self.mins[-1]) > 1:
            lo, hi = self.mins[-1], self.maxs[-1]
            if len(lo) % 2:
                lo, hi = np.append(lo, np.nan), np.append(hi, np.nan)
            with np.errstate(invalid="ignore"):
                self.mins.append(np.fmin(lo[0::2], lo[1::2]))
                self.maxs.append(np.fmax(hi[0::2], hi[1::2]))

    def query(self, x0: float, x1: float, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, min, max) of at most ~2 * bins blocks covering the points with x0 <= step <= x1.
        Blocks at the edges may reach a few points beyond the range."""
        i0 = int(np.searchsorted(self.steps, x0, side="left"))
        i1 = int(np.searchsorted(self.steps, x1, side="right"))
        if i1 <= i0:
            empty = np.empty(0)
            return empty, empty, empty
        span = i1 - i0
        level = max(0, int(np.ceil(np.log2(max(span / max(bins, 1), 1.0)))))
        level = min(level, len(self.mins) - 1)
        size = 1 << level
        b0, b1 = i0 >> level, (i1 - 1) >> level
        x = self.steps[np.minimum(np.arange(b0, b1 + 1) * size, len(self.steps) - 1)]
        return x, self.mins[level][b0 : b1 + 1], self.maxs[level][b0 : b1 + 1]

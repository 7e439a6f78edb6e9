"""Helpers for shapes that repeat: extremum candidates of the first and last cycles in a range."""

from __future__ import annotations

import numpy as np


def periodic_candidates(lo, hi, period: float, offsets) -> list[np.ndarray]:
    """Integer steps near `c * period + offset` (first and last in [lo, hi]), for each offset."""
    out = []
    lo_f, hi_f = lo.astype(np.float64), hi.astype(np.float64)
    for off in offsets:
        first = np.ceil((lo_f - off) / period) * period + off
        last = np.floor((hi_f - off) / period) * period + off
        for x in (first, last):
            for c in (np.floor(x), np.ceil(x)):
                out.append(np.clip(c, lo_f, hi_f).astype(np.int64))
    return out

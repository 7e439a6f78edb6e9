"""Per-bin min/max of a design over a step range, in O(bins + segments) whatever the step count."""

from __future__ import annotations

import bisect
import functools

import numpy as np

from .design import Design
from .segment import Segment


def _inside(candidates: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each range [lo, hi], whether one of its candidates (a row each) lies strictly inside."""
    return ((candidates > lo) & (candidates < hi)).any(axis=0)


def _extremes(seg: Segment, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of a segment's curve over integer local steps [lo, hi] (arrays)."""
    kind = seg.kind
    ends = kind.values(np.concatenate([lo, hi]), seg).reshape(2, -1)
    mn, mx = np.minimum(ends[0], ends[1]), np.maximum(ends[0], ends[1])
    cands = kind.candidates(lo, hi, seg)
    if cands:
        # Only a candidate strictly inside its range can add to the ends: the others are an end
        # (clipped to it), so only the ranges that hold one evaluate their candidates.
        inner = np.stack(cands)
        cols = np.flatnonzero(_inside(inner, lo, hi))
        if cols.size:
            vals = kind.values(inner[:, cols].ravel(), seg).reshape(len(cands), -1)
            mn[cols] = np.minimum(mn[cols], vals.min(axis=0))
            mx[cols] = np.maximum(mx[cols], vals.max(axis=0))
    if hasattr(kind, "bounds"):
        mn, mx = kind.bounds(lo, hi, seg, mn, mx)
    return mn, mx


@functools.lru_cache(maxsize=64)
def _constant(value: float) -> Segment:
    """The LR after the design's end, as a segment (the same few values on every redraw)."""
    return Segment.create("constant", 1, value)


def bin_edges(step_from: int, step_to: int, bins: int) -> np.ndarray:
    """Edges of `bins` bins of whole steps over [step_from, step_to) (fewer when the range holds
    fewer steps): bin i covers steps [edges[i], edges[i+1])."""
    step_from, step_to = int(max(0, step_from)), int(step_to)
    span = max(step_to - step_from, 1)
    bins = int(max(1, min(bins, span)))
    edges = step_from + (np.arange(bins + 1, dtype=np.float64) * (span / bins)).astype(np.int64)
    edges[-1] = step_from + span
    return edges


def column_ends(edges: np.ndarray) -> np.ndarray:
    """The first and last step of each bin, in order: [edges[0], edges[1] - 1, edges[1], ...]."""
    x = np.empty(2 * (len(edges) - 1), dtype=np.int64)
    x[0::2] = edges[:-1]
    np.subtract(edges[1:], 1, out=x[1::2])
    return x


def _monotone(seg: Segment, first: int, last: int) -> bool:
    """No extreme of the segment's curve lies strictly inside local steps [first, last] (its
    shape names no candidate there), so every range inside has its extremes at its ends."""
    kind = seg.kind
    if hasattr(kind, "bounds"):
        return False
    lo, hi = np.array([first], dtype=np.int64), np.array([last], dtype=np.int64)
    candidates = kind.candidates(lo, hi, seg)
    return not candidates or not _inside(np.stack(candidates), lo, hi).any()


def column_polyline(
    design: Design, step_from: int, step_to: int, bins: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """(x, y): the curve through the first and last step of each bin (as `envelope` makes them)
    and, at each knot inside the range, the LR reached there and then the LR after it, when
    every piece of the design in the range is monotone up to its knots and the range holds
    fewer knots than bins. Each bin's lowest and highest LR are then points of the polyline: it
    is the envelope, drawn along the curve, in O(bins). None otherwise (draw `envelope`)."""
    edges = bin_edges(step_from, step_to, bins)
    first, end = int(edges[0]), int(edges[-1])
    starts, total = design.starts, design.total_steps
    # The segments in range: from the one holding `first` to the last starting before `end`.
    i0, i1 = design.segment_at(first), bisect.bisect_left(starts, end)
    if i1 - i0 > len(edges) - 1:
        return None  # more knots than bins: the envelope bounds the points drawn
    for i in range(i0, i1):
        seg, start = design.segments[i], starts[i]
        if start + seg.duration <= first:
            continue  # the range starts after the design's end
        # Up to its knot, if in range: the line is drawn to the LR the segment reaches there.
        last = min(end - 1, start + seg.duration) - start
        if not _monotone(seg, max(first, start) - start, last):
            return None
    if end > total and design.after_end == "continue":
        last, origin = design.segments[-1], starts[-1]
        if not _monotone(last, max(first, total) - origin, end - 1 - origin):
            return None
    x = column_ends(edges)
    y = design.evaluate(x)
    knots = design.knots[max(i0, 1) : i1 + 1]
    knots = [k for k in knots if first < k.step < end]
    if knots:  # each knot's two points go before the first step at or after it
        at = x.searchsorted([k.step for k in knots], "left").tolist()
        xs, ys, done = [], [], 0
        for k, i in zip(knots, at):
            xs += [x[done:i], [k.step, k.step]]
            ys += [y[done:i], [k.lr_in, design.lr_at(k.step)]]
            done = i
        x, y = np.concatenate([*xs, x[done:]]), np.concatenate([*ys, y[done:]])
    return x, y


def envelope(design: Design, step_from: int, step_to: int, bins: int):
    """(edges, mins, maxs): bin i covers steps [edges[i], edges[i+1]) and holds every LR there."""
    edges = bin_edges(step_from, step_to, bins)
    bins = len(edges) - 1
    mins = np.full(bins, np.inf)
    maxs = np.full(bins, -np.inf)
    total = design.total_steps
    # (first step, stop or None for "to the end of the range", segment, its local step 0)
    pieces = [(start, start + seg.duration, seg, start) for start, seg in zip(design.starts, design.segments)]
    if edges[-1] > total:
        last = design.segments[-1]
        if design.after_end == "continue":
            pieces.append((total, None, last, design.starts[-1]))
        else:
            value = last.lr_end if design.after_end == "hold" else 0.0
            pieces.append((total, None, _constant(value), total))
    for start, stop, seg, origin in pieces:
        stop_eff = edges[-1] if stop is None else stop
        if stop_eff <= edges[0] or start >= edges[-1]:
            continue
        b0 = max(int(edges.searchsorted(start, "right")) - 1, 0)
        b1 = min(int(edges.searchsorted(stop_eff, "left")), bins)
        # The piece's bins are contiguous: slices, not index arrays.
        lo = np.maximum(edges[b0:b1], start)
        hi = np.minimum(edges[b0 + 1 : b1 + 1], stop_eff) - 1
        ok = hi >= lo
        if not ok.all():  # a bin the piece does not reach (only ever at its ends)
            idx = np.flatnonzero(ok) + b0
            if not idx.size:
                continue
            lo, hi = lo[ok], hi[ok]
        else:
            idx = slice(b0, b1)
        mn, mx = _extremes(seg, lo - origin, hi - origin)
        if stop is None:
            mn, mx = np.maximum(mn, 0.0), np.maximum(mx, 0.0)
        mins[idx] = np.minimum(mins[idx], mn)
        maxs[idx] = np.maximum(maxs[idx], mx)
    return edges, mins, maxs

"""Fitting logged (step, LR) points with the fewest segments of the design's shapes.

Knots sit on logged points: each segment runs from one logged point to a later one along a
constant, linear, cosine or exponential curve through both (a cosine may be any part of a wave,
its phase window read from the points), and is kept as long as every point between them lies on
it within the tolerance. Extending each segment as far as it goes
(galloping, then bisection) gives the fewest segments for such knots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..design import Design
from ..errors import DesignError
from ..segment import Segment
from .families import rel_error, within

SHAPES = ("constant", "linear", "cosine", "exponential")


@dataclass(frozen=True)
class SegmentFit:
    """The segments through the points, where their knots are, and how close they come."""

    design: Design
    knots: tuple[int, ...]  # indices of the logged points the knots sit on
    max_rel_error: float


def _segment(shape: str, t: np.ndarray, y: np.ndarray, a: int, b: int) -> Segment | None:
    dur = int(t[b] - t[a])
    if dur < 1:
        return None
    try:
        if shape == "constant":
            return Segment.create("constant", dur, float(y[a])) if y[a] == y[b] else None
        if shape == "exponential":
            if y[a] <= 0 or y[b] <= 0 or y[a] == y[b]:
                return None
            return Segment.create("exponential", dur, float(y[a]), rate=float(y[b] / y[a]), every=dur)
        return Segment.create(shape, dur, float(y[a]), float(y[b]))
    except DesignError:
        return None


def _fits(seg: Segment, t: np.ndarray, y: np.ndarray, a: int, b: int, tol: float) -> bool:
    u = (t[a : b + 1] - t[a]).astype(np.float64)
    got = seg.kind.values(u, seg)
    got[-1] = seg.lr_end
    return within(y[a : b + 1], got, tol)


def _cosine_arc(t: np.ndarray, y: np.ndarray, a: int, b: int) -> Segment | None:
    """A cosine segment whose phase window follows the points a..b: part of a wave
    `c + A cos(w t + phi)`, its frequency read from the points' recurrence
    y[i+1] + y[i-1] = 2 cos(w h) y[i] + const (equally spaced points, at least five)."""
    if b - a < 4:
        return None
    tt = t[a : b + 1].astype(np.float64) - float(t[a])
    yy = y[a : b + 1]
    h = tt[1]
    if h <= 0 or np.any(np.diff(tt) != h):
        return None
    lhs = yy[2:] + yy[:-2]
    k, const = np.linalg.lstsq(np.column_stack([2 * yy[1:-1], np.ones(len(lhs))]), lhs, rcond=None)[0]
    if not -1 < k < 1 - 1e-12:
        return None
    w = float(np.arccos(k) / h)
    basis = np.column_stack([np.ones_like(tt), np.cos(w * tt), np.sin(w * tt)])
    c, p, q = np.linalg.lstsq(basis, yy, rcond=None)[0]
    amp = float(np.hypot(p, q))
    if amp == 0:
        return None
    phi = float(np.arctan2(-q, p))
    dur = int(t[b] - t[a])
    start, end = phi / np.pi, (w * dur + phi) / np.pi
    try:
        return Segment.create(
            "cosine", dur, float(y[a]), float(y[b]), phase_start=float(start), phase_end=float(end)
        )
    except DesignError:
        return None


def _best(t, y, a: int, b: int, tol: float) -> Segment | None:
    for shape in SHAPES:
        seg = _segment(shape, t, y, a, b)
        if seg is not None and _fits(seg, t, y, a, b, tol):
            return seg
    seg = _cosine_arc(t, y, a, b)
    if seg is not None and _fits(seg, t, y, a, b, tol):
        return seg
    return None


def fit_segments(steps: np.ndarray, values: np.ndarray, tol: float) -> SegmentFit:
    """The fewest segments (knots on logged points) reproducing every point within `tol`
    relative. `steps` are the design steps of the points, increasing; the design starts at step
    0 (the first segment is extended back to it) and holds the last value after the last point."""
    t = np.asarray(steps, dtype=np.int64)
    y = np.asarray(values, dtype=np.float64)
    n = len(t)
    if n == 0:
        raise DesignError("no logged point to fit", "fit")
    if n == 1 or t[-1] == t[0]:
        seg = Segment.create("constant", max(int(t[-1]), 1), float(y[-1]))
        return SegmentFit(Design((seg,), after_end="hold"), (0,), 0.0)
    segs: list[Segment] = []
    knots = [0]
    a = 0
    while a < n - 1:
        good, step = a + 1, 1
        seg = _best(t, y, a, good, tol) or _segment("linear", t, y, a, good)
        if seg is None:
            raise DesignError(f"two points at step {int(t[a]):,}: the steps must increase", "fit")
        while a + 2 * step <= n - 1:  # gallop (a cosine arc needs five points: go on until there)
            trial = _best(t, y, a, a + 2 * step, tol)
            if trial is None and a + 2 * step >= a + 4:
                break
            if trial is not None:
                good, seg = a + 2 * step, trial
            step *= 2
        lo, hi = good, min(a + 2 * step, n)  # bisect in (lo, hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            trial = _best(t, y, a, mid, tol)
            if trial is None:
                hi = mid
            else:
                lo, seg = mid, trial
        good = lo
        segs.append(seg)
        knots.append(good)
        a = good
    first = segs[0]
    if t[0] > 0:
        if first.shape == "linear":
            slope = (first.lr_end - first.lr_start) / first.duration
            at0 = first.lr_start - slope * float(t[0])
            if at0 >= 0:
                segs[0] = Segment.create("linear", first.duration + int(t[0]), at0, first.lr_end)
            else:
                segs.insert(0, Segment.create("constant", int(t[0]), first.lr_start))
        else:
            segs.insert(0, Segment.create("constant", int(t[0]), first.lr_start))
    design = Design(tuple(segs), after_end="hold")
    err = rel_error(y, design.evaluate(t))
    return SegmentFit(
        design,
        tuple(knots),
        float(err[np.isfinite(err)].max(initial=0.0)) if np.isfinite(err).all() else float("inf"),
    )


def jumps(steps: np.ndarray, values: np.ndarray, tol: float, bound: float = 0.2) -> list[tuple[int, float]]:
    """(index, factor) of each point that leaves the course of the points before it (their line,
    extended) by more than `bound` relative: plateau cuts and milestones (factor < 1), resumes and
    restarts (> 1). `factor` is the point's value over the value before it."""
    t = np.asarray(steps, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    if len(y) < 3:
        return []
    out = []
    for i in range(1, len(y)):
        before = y[i - 1]
        if y[i] > before:  # a rise counts where the LR was not rising already (not in a warmup)
            if i >= 2 and before <= y[i - 2] and y[i] > before * (1 + bound) + 10 * tol * y[i]:
                out.append((i, float(y[i] / before) if before > 0 else float("inf")))
            continue
        if i >= 2 and t[i - 1] > t[i - 2]:
            slope = min((before - y[i - 2]) / (t[i - 1] - t[i - 2]), 0.0)
            want = before + slope * (t[i] - t[i - 1])  # the fall so far, extended
        else:
            want = before
        if want > 0 and y[i] < want * (1 - max(bound, 10 * tol)):
            out.append((i, float(y[i] / before)))
    return out

"""Recognising a library schedule from logged (step, LR) points.

Each family names a preset and the roles of its arguments: the LR-valued ones the schedule is
linear in (solved by least squares for given step arguments), the one that sets where the warmup
ends, and the one that sets the decay's length (searched over integers). Every candidate is built
with the preset itself and must reproduce every point within the log's precision, so a family is
only ever reported when the library's own schedule gives the logged values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..design import Design
from ..errors import DesignError
from ..presets import get_preset
from ..segment import Segment
from .base import Recognized

#: How many points the parameter search looks at (every point is checked at the end).
SEARCH_POINTS = 600


@dataclass(frozen=True)
class Family:
    """A preset and the roles of its arguments."""

    preset: str
    linear: tuple[str, ...]  # LR-valued arguments the schedule is linear in
    base: tuple[float, ...]  # valid values of those arguments, to build the basis from
    warmup: str | None = None  # the step argument ending the warmup
    total: str | None = None  # the step argument setting the decay's length
    total_after_warmup: bool = False  # `total` counts from the warmup's end (Keras CosineDecay)
    length: str | None = None  # the argument giving the design's length when `total` is not it
    fixed: dict[str, Any] = field(default_factory=dict)
    decays: bool = True  # the LR falls after the peak (else it holds)

    def args(self, theta: Sequence[float], w: int | None, n: int | None, length: int) -> dict[str, Any]:
        out = dict(self.fixed)
        out.update(zip(self.linear, (float(v) for v in theta)))
        if self.warmup:
            out[self.warmup] = int(w or 0)
        if self.total:
            out[self.total] = int(n) - (int(w or 0) if self.total_after_warmup else 0)
        if self.length:
            out[self.length] = int(length)
        return out


FAMILIES: tuple[Family, ...] = (
    Family("constant", ("lr",), (1.0,), length="total_steps", decays=False),
    Family(
        "hf.constant_with_warmup",
        ("lr",),
        (1.0,),
        warmup="num_warmup_steps",
        length="num_training_steps",
        decays=False,
    ),
    Family("hf.linear", ("lr",), (1.0,), warmup="num_warmup_steps", total="num_training_steps"),
    Family("hf.cosine", ("lr",), (1.0,), warmup="num_warmup_steps", total="num_training_steps"),
    Family(
        "hf.cosine_with_min_lr",
        ("lr", "min_lr"),
        (1.0, 0.1),
        warmup="num_warmup_steps",
        total="num_training_steps",
        fixed={"min_lr_rate": None},
    ),
    Family(
        "hf.polynomial", ("lr", "lr_end"), (1.0, 0.1), warmup="num_warmup_steps", total="num_training_steps"
    ),
    Family("hf.inverse_sqrt", ("lr",), (1.0,), warmup="num_warmup_steps", length="num_training_steps"),
    Family("torch.CosineAnnealingLR", ("lr", "eta_min"), (1.0, 0.1), total="T_max"),
    Family(
        "optax.warmup_cosine_decay_schedule",
        ("init_value", "peak_value", "end_value"),
        (0.1, 1.0, 0.05),
        warmup="warmup_steps",
        total="decay_steps",
    ),
    Family(
        "keras.CosineDecay",
        ("initial_learning_rate", "warmup_target"),
        (0.1, 1.0),
        warmup="warmup_steps",
        total="decay_steps",
        total_after_warmup=True,
    ),
    Family("noam", ("factor",), (1.0,), warmup="warmup_steps", length="total_steps", fixed={"d_model": 512}),
)


@dataclass(frozen=True)
class Points:
    """Logged points on the design's axis for one placement, with their tolerance."""

    steps: np.ndarray  # int64, increasing
    values: np.ndarray  # float64, finite
    tol: float  # relative
    placement: str
    offset: int  # design step = logged step - offset
    max_lag: int = 0  # up to this many scheduler steps may be skipped along the log (fp16 overflow)

    @property
    def last(self) -> int:
        return int(self.steps[-1])


def rel_error(want: np.ndarray, got: np.ndarray) -> np.ndarray:
    """|got - want| / |want|, 0 where both are 0 and inf where only `want` is."""
    diff = np.abs(got - want)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(diff == 0, 0.0, diff / np.abs(want))


def lag_schedule(design: Design, pts: Points) -> list[tuple[int, int]] | None:
    """Where the log falls behind the schedule: [(index, lag)] with the logged value at point i
    equal to the design at `steps[i] - lag`, the lag never shrinking along the log (a skipped
    optimizer step does not step the scheduler); None when no such lags reproduce the points."""
    lags = np.arange(pts.max_lag + 1)
    ok = np.empty((len(lags), len(pts.steps)), dtype=bool)
    for j, lag in enumerate(lags):
        at = pts.steps - lag
        got = design.evaluate(np.maximum(at, 0))
        ok[j] = (rel_error(pts.values, got) <= pts.tol) & (at >= 0)
    changes: list[tuple[int, int]] = []
    lag = -1
    i = 0
    n = len(pts.steps)
    while i < n:
        if lag >= 0 and ok[lag, i]:
            i += 1
            continue
        nxt = np.flatnonzero(ok[max(lag, 0) :, i])
        if not len(nxt):
            return None
        lag = max(lag, 0) + int(nxt[0])
        changes.append((i, lag))
        i += 1
    return changes


def within(points_values: np.ndarray, got: np.ndarray, tol: float) -> bool:
    """Whether `got` reproduces the logged values within `tol` relative (a logged 0 needs a
    value below the smallest positive logged value times tol)."""
    err = rel_error(points_values, got)
    if np.all(err <= tol):
        return True
    zero = points_values == 0
    if not zero.any():
        return False
    positive = points_values[points_values > 0]
    slack = (positive.min() if len(positive) else 1.0) * tol
    return bool(np.all((err <= tol) | (zero & (np.abs(got) <= slack))))


class _Builder:
    """Designs of one family for given step arguments, and the least-squares LR arguments."""

    def __init__(self, family: Family, pts: Points, sample: np.ndarray):
        self.family = family
        self.preset = get_preset(family.preset)
        self.pts = pts
        self.sample = sample
        self.length = max(pts.last + 1, 1)

    def build(self, theta: Sequence[float], w: int | None, n: int | None) -> Design:
        return self.preset.build(**self.family.args(theta, w, n, self.length))

    def solve(self, w: int | None, n: int | None, idx: np.ndarray | None = None):
        """(theta, cost) for step arguments w, n: the LR arguments minimising the relative squared
        error over the points `idx` (the search sample by default); None when the preset refuses."""
        idx = self.sample if idx is None else idx
        steps, y = self.pts.steps[idx], self.pts.values[idx]
        base = np.array(self.family.base, dtype=np.float64)
        try:
            d0 = self.build(base, w, n).evaluate(steps)
            cols = []
            for i in range(len(base)):
                delta = base[i] * 1e-3
                probe = base.copy()
                probe[i] += delta
                cols.append((self.build(probe, w, n).evaluate(steps) - d0) / delta)
        except DesignError:
            return None
        a = np.column_stack(cols)
        c = d0 - a @ base  # the part that does not scale with the LR arguments (0 for these families)
        # relative for the large values, absolute near 0: the cost stays smooth in the step
        # arguments where a curve's tail tends to 0
        weight = 1.0 / np.maximum(np.abs(y), 0.01 * max(float(np.abs(y).max()), 1e-300))
        theta, *_ = np.linalg.lstsq(a * weight[:, None], (y - c) * weight, rcond=None)
        if np.any(theta < 0):  # an LR below 0 is not a schedule: the best one at 0 instead, so
            theta = np.maximum(theta, 0.0)  # the cost stays continuous over the step arguments
        resid = (a @ theta + c - y) * weight
        return theta, float(np.dot(resid, resid))

    def reproduces(self, theta, w, n) -> bool:
        """Whether these arguments reproduce every point (the search sample is checked first: most
        candidates fail there, at a fraction of the cost)."""
        try:
            design = self.build(theta, w, n)
        except DesignError:
            return False
        pts = self.pts
        if len(self.sample) < len(pts.steps):
            part = Points(
                pts.steps[self.sample], pts.values[self.sample], pts.tol, pts.placement, pts.offset, pts.max_lag
            )
            if not _reproduces(design, part):
                return False
        return _reproduces(design, pts)

    def _nearly(self, theta, w, n) -> bool:
        """Whether the points lie within 2% of these arguments (allowing the
        lag): rounding the LRs can only close that much."""
        try:
            design = self.build(theta, w, n)
        except DesignError:
            return False
        pts = self.pts
        idx = self.sample
        loose = Points(pts.steps[idx], pts.values[idx], 0.02, pts.placement, pts.offset, pts.max_lag)
        return lag_schedule(design, loose) is not None

    def shortest(self, theta, w, n) -> list[float] | None:
        """The LR arguments written with the fewest significant digits that still reproduce every
        point (a fitted 1.99999999e-4 is the 2e-4 the run was given), or None when no rounding of
        the least-squares values does."""
        theta = [float(v) for v in theta]
        ok = self.reproduces(theta, w, n)
        if not ok and not self.pts.max_lag:
            return None
        if not ok and not self._nearly(theta, w, n):
            return None  # skipped steps bias the least-squares values slightly, never by this much
        for i, v in enumerate(theta):
            for digits in range(1, 17 if ok else 7):
                probe = list(theta)
                probe[i] = _round_sig(v, digits)
                if self.reproduces(probe, w, n):
                    theta, ok = probe, True
                    break
        return theta if ok else None


def _reproduces(design: Design, pts: Points) -> bool:
    if pts.max_lag:
        return lag_schedule(design, pts) is not None
    return within(pts.values, design.evaluate(pts.steps), pts.tol)


def _round_sig(v: float, digits: int) -> float:
    return float(f"{v:.{digits}g}") if v and math.isfinite(v) else v


def _tidy(v: float) -> float:
    """A value rounded to the shortest decimal within 1e-12 relative."""
    v = float(v)
    for digits in range(1, 17):
        r = _round_sig(v, digits)
        if abs(r - v) <= 1e-12 * abs(v):
            return r
    return v


def sample_indices(n: int, size: int = SEARCH_POINTS) -> np.ndarray:
    """About `size` indices spread over n points, always with the first and the last."""
    if n <= size:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, size).round().astype(np.int64))


def _warmup_line(pts: Points, peak: int) -> tuple[float, float] | None:
    """(intercept, slope) of the rising points before index `peak` (None without a rise)."""
    if peak == 0:
        return None
    t = pts.steps[: peak + 1].astype(np.float64)
    y = pts.values[: peak + 1]
    if peak == 1 or len(t) < 3:
        if t[0] <= 0:
            return None
        return 0.0, float(y[0] / t[0])
    # the points strictly before the peak lie on the warmup line (the peak may be past its end)
    t, y = t[:-1], y[:-1]
    if len(t) == 1:
        return (0.0, float(y[0] / t[0])) if t[0] > 0 else None
    slope, intercept = np.polyfit(t, y, 1)
    return float(intercept), float(slope)


def _search_total(b: _Builder, w: int | None, lo: int, hi: int):
    """The decay length minimising the cost, searched over integers in [lo, hi]: a geometric grid,
    then each of the two best local minima refined (a cosine that runs past its end fits badly
    near the truth's neighbours on a coarse grid, so one minimum is not enough)."""
    if hi <= lo:
        hi = lo + 1
    grid = np.unique(np.geomspace(max(lo, 1), hi, 64).round().astype(np.int64))
    grid = grid[grid >= lo]
    cache: dict[int, float] = {}

    def cost(n: int) -> float:
        if n not in cache:
            r = b.solve(w, n)
            cache[n] = math.inf if r is None else r[1]
        return cache[n]

    costs = np.array([cost(int(n)) for n in grid])
    if not len(costs) or not np.isfinite(costs).any():
        return None
    minima = [
        i
        for i in range(len(grid))
        if np.isfinite(costs[i])
        and (i == 0 or costs[i] <= costs[i - 1])
        and (i == len(grid) - 1 or costs[i] <= costs[i + 1])
    ]
    best = None
    for k in sorted(minima, key=lambda i: costs[i])[:2]:
        left = int(grid[max(k - 1, 0)])
        right = int(grid[min(k + 1, len(grid) - 1)])
        while right - left > 4:
            m1 = left + (right - left) // 3
            m2 = right - (right - left) // 3
            if cost(m1) <= cost(m2):
                right = m2
            else:
                left = m1
        found = min(range(left, right + 1), key=cost)
        if best is None or cost(found) < cost(best):
            best = found
    return best


def _candidates_w(b: _Builder, pts: Points) -> list[int]:
    """Warmup lengths to try: where the rising points meet the peak."""
    y = pts.values
    peak_val = y.max()
    peak = int(np.flatnonzero(y >= peak_val * (1 - pts.tol))[0])
    if peak == 0:
        return [0]
    return [int(pts.steps[peak])]


def recognize_family(family: Family, pts: Points, warmup: int | None = None) -> Recognized | None:
    """The family's arguments reproducing every point, or None. `warmup`: the warmup length when
    it is known (a resumed run keeps the one it started with)."""
    if len(pts.steps) < 2:
        return None
    y = pts.values
    peak_val = float(y.max())
    if peak_val <= 0:
        return None
    peak = int(np.flatnonzero(y >= peak_val * (1 - max(pts.tol, 1e-12)))[0])
    if not family.decays:
        after = y[peak:]
        if np.any(rel_error(np.full(len(after), peak_val), after) > pts.tol):
            return None
    if not family.warmup and peak > 0:
        return None
    b = _Builder(family, pts, sample_indices(len(pts.steps)))
    line = _warmup_line(pts, peak) if family.warmup else None
    if not family.warmup:
        starts = [None]
    elif warmup is not None:
        starts, line = [warmup], None
    elif peak:
        starts = [int(pts.steps[peak])]
    else:  # the first point is the peak: no warmup, or one ending exactly there
        starts = [0] + ([int(pts.steps[0])] if pts.steps[0] > 0 else [])
    results = []
    for w0 in starts:
        found = _solve_from(family, b, pts, peak, line, w0)
        if found is not None and w0 == 0 and pts.steps[0] >= 1 and warmup is None:
            found = _rounder_warmup(family, b, pts, found) or found
        if found is not None:
            results.append(found)
    return min(results, key=digits) if results else None


def _rounder_warmup(family: Family, b: _Builder, pts: Points, found: Recognized) -> Recognized | None:
    """With no point before the first logged step, a warmup ending before it cannot be seen, and
    a linear decay fits any such warmup with another peak: take the warmup whose peak is written
    with the fewest digits (the 1e-6 a run was given rather than 1.111111e-06)."""
    n = found.params.get(family.total) if family.total else None
    if n is None or family.total_after_warmup:
        return None
    r0, r1 = b.solve(0, n), b.solve(1, n)
    if r0 is None or r1 is None:
        return None
    lr0, slope = float(r0[0][0]), float(r1[0][0] - r0[0][0])
    last_w = int(pts.steps[0])  # the first point may be the warmup's last step
    if slope == 0 or last_w < 1:
        return None
    lo, hi = sorted((lr0, lr0 + slope * last_w))
    peak = float(found.params[family.linear[0]])  # the family's peak LR argument
    have = len(repr(peak).split("e")[0].replace(".", "").strip("0"))
    for digits in range(1, min(4, have)):
        quantum = 10.0 ** (math.floor(math.log10(hi)) - digits + 1)
        for k in range(math.ceil(lo / quantum), math.floor(hi / quantum) + 1):
            lr = _round_sig(k * quantum, digits)
            w = int(round((lr - lr0) / slope))
            if not 0 < w <= last_w:
                continue
            r = b.solve(w, n)
            theta = None if r is None else b.shortest(r[0], w, n)
            if theta is not None and _round_sig(theta[0], digits) == theta[0]:
                return _recognized(family, b, b.build(theta, w, n), theta, w, n, pts)
    return None


def _solve_from(family: Family, b: _Builder, pts: Points, peak: int, line, w: int | None):
    """Search the decay length (and the warmup's, from the rising points) starting at warmup `w`."""
    seen = set()
    n = None
    for _ in range(6):
        if w in seen:
            break
        seen.add(w)
        if family.total:
            lo = (w or 0) + 1
            n = _search_total(b, w, lo, max(64 * (pts.last + 1), lo + 2))
            if n is None:
                return None
        r = b.solve(w, n)
        if r is None or line is None:
            break
        try:
            design = b.build(r[0], w, n)
        except DesignError:
            return None
        top = float(design.evaluate(np.array([w], dtype=np.int64))[0])
        intercept, slope = line
        if slope <= 0:
            return None
        w_new = int(round((top - intercept) / slope))
        w_new = max(w_new, int(pts.steps[peak - 1]) + 1)
        if w_new == w:
            break
        w = w_new
    every = np.arange(len(pts.steps)) if len(pts.steps) <= 4 * SEARCH_POINTS else None
    if pts.max_lag:
        return _solve_lagged(family, b, pts, w, n)
    found = _neighbours(family, b, pts, peak, w, n, every, recentre=False)
    if found is None and n is not None and family.warmup:
        r = b.solve(w, n)
        if r is not None and math.sqrt(r[1] / len(b.sample)) < 0.05:  # close: another warmup moves
            found = _neighbours(family, b, pts, peak, w, n, every, recentre=True)  # the length with it
    return found


def _neighbours(family: Family, b: _Builder, pts: Points, peak: int, w, n, every, recentre: bool):
    """The step arguments next to (w, n) that reproduce every point, the closest fits first."""
    tried = []
    for dw in (0, -1, 1, -2, 2) if family.warmup else (0,):
        if recentre and not dw:
            continue
        ww = (w or 0) + dw
        if family.warmup and (ww < 0 or (peak and ww < int(pts.steps[peak - 1]))):
            continue
        centre = n
        if recentre:
            span = max(16, n // 25)
            centre = _search_total(b, ww, max(ww + 1, n - span), n + span) or n
        for dn in (0, -1, 1, -2, 2, -3, 3) if family.total else (0,):
            nn = None if centre is None else centre + dn
            if nn is not None and nn <= ww:
                continue
            r = b.solve(ww, nn, every)
            if r is not None:
                tried.append((r[1], abs(dw) + abs(dn), ww, nn, r[0]))
    # the closest fits first; among those that fit as well as the log shows, the nearest
    good = len(b.sample) * pts.tol**2
    tried.sort(key=lambda c: (c[0] > good, c[1] if c[0] <= good else c[0]))
    for _cost, _dist, ww, nn, theta in tried:
        theta = b.shortest(theta, ww, nn)
        if theta is not None:
            return _recognized(family, b, b.build(theta, ww, nn), theta, ww, nn, pts)
    return None


def _solve_lagged(family: Family, b: _Builder, pts: Points, w: int | None, n: int | None):
    """With skipped scheduler steps the log runs behind the schedule, so the best fit has its
    warmup and its length too long by up to the lag: look below them."""
    r = b.solve(w, n)
    if r is None or math.sqrt(r[1] / len(b.sample)) > 0.05:
        return None  # not even close: another family
    reach = pts.max_lag + 1
    combos = [
        (dw, dn)
        for dw in (range(-reach, 2) if family.warmup else (0,))
        for dn in (range(-reach, 2) if family.total else (0,))
    ]
    combos.sort(key=lambda c: abs(c[0]) + abs(c[1]))
    for dw, dn in combos:
        ww = (w or 0) + dw
        nn = None if n is None else n + dn
        if ww < 0 or (nn is not None and nn <= ww):
            continue
        r = b.solve(ww, nn)
        if r is None:
            continue
        theta = b.shortest(r[0], ww, nn)
        if theta is not None:
            return _recognized(family, b, b.build(theta, ww, nn), theta, ww, nn, pts)
    return None


def _recognized(family: Family, b: _Builder, design: Design, theta, w, n, pts: Points) -> Recognized:
    params = family.args(theta, w, n, b.length)
    params = {k: v for k, v in params.items() if v is not None}
    inferred, notes = [], []
    if family.total and n is not None and n > pts.last + 1:
        inferred.append(
            f"{family.total}: the log ends at step {pts.last + pts.offset:,}; {n:,} comes from the decay seen"
        )
    if family.length and (not family.total):
        inferred.append(
            f"{family.length}: the schedule's length does not show in the LR; "
            f"{b.length:,} is where the log ends"
        )
    if family.warmup and w == 0 and pts.steps[0] > 1:
        notes.append(
            f"no point before step {int(pts.steps[0]):,}: a warmup shorter than that would "
            "show the same points with other arguments"
        )
    if family.preset == "noam":
        notes.append("noam: d_model and factor show only as factor / sqrt(d_model); d_model is taken as 512")
    extra: dict[str, Any] = {}
    if pts.max_lag:
        lags = lag_schedule(design, pts) or []
        # as logged: the value at step k is lr(k - s), s counting the placement's own shift
        extra["step_lag"] = [[int(pts.steps[i]) + pts.offset, lag + pts.offset] for i, lag in lags]
        if len(lags) > 1 or (lags and lags[0][1]):
            where = ", ".join(f"{s} from step {k:,}" for k, s in extra["step_lag"])
            notes.append(
                "scheduler steps skipped (fp16 overflow skips an optimizer step and the "
                f"scheduler's with it): the value logged at step k is lr(k - s), s = {where}"
            )
    return Recognized(
        family.preset,
        params,
        pts.placement,
        design,
        pts.steps,
        tuple(inferred),
        tuple(notes),
        pts.offset,
        extra,
    )


def recognize_exponential(pts: Points) -> Recognized | None:
    """torch.ExponentialLR: lr * gamma**t from step 0."""
    y, t = pts.values, pts.steps.astype(np.float64)
    if np.any(y <= 0) or len(y) < 3:
        return None
    slope, icpt = np.polyfit(t, np.log(y), 1)
    if slope >= 0:
        return None
    gamma, lr = _tidy(math.exp(slope)), _tidy(math.exp(icpt))
    try:
        design = get_preset("torch.ExponentialLR").build(lr=lr, gamma=gamma, total_steps=pts.last + 1)
    except DesignError:
        return None
    if not within(y, design.evaluate(pts.steps), pts.tol):
        return None
    return Recognized(
        "torch.ExponentialLR",
        {"lr": lr, "gamma": gamma, "total_steps": pts.last + 1},
        pts.placement,
        design,
        pts.steps,
        (f"total_steps: the log ends at step {pts.last:,}",),
        (),
        pts.offset,
    )


def recognize_steps(pts: Points) -> Recognized | None:
    """torch.StepLR / MultiStepLR: a constant LR cut by the same factor at each milestone."""
    y = pts.values
    if np.any(y <= 0) or len(y) < 3:
        return None
    change = np.flatnonzero(rel_error(y[:-1], y[1:]) > pts.tol)
    if not len(change):
        return None
    ratios = y[change + 1] / y[change]
    if np.any(ratios >= 1):
        return None
    gamma = _tidy(float(np.exp(np.mean(np.log(ratios)))))
    lr = _tidy(float(y[0]))
    # a milestone lies somewhere in (step before the drop, step of the drop]: the latest point
    # before it is the earliest it can be
    lo = pts.steps[change] + 1
    hi = pts.steps[change + 1]
    milestones = [int(h) for h in hi]
    ambiguous = bool(np.any(hi > lo))
    length = pts.last + 1
    name, params = (
        "torch.MultiStepLR",
        {"lr": lr, "milestones": milestones, "gamma": gamma, "total_steps": length},
    )
    gaps = np.diff([0, *milestones])
    if len(milestones) >= 1 and np.all(gaps == gaps[0]) and not ambiguous:
        name, params = (
            "torch.StepLR",
            {"lr": lr, "step_size": int(gaps[0]), "gamma": gamma, "total_steps": length},
        )
    try:
        design = get_preset(name).build(**params)
    except DesignError:
        return None
    if not within(y, design.evaluate(pts.steps), pts.tol):
        return None
    notes = []
    if ambiguous:
        notes.append(
            "the log is sparser than the steps: each milestone lies between the point before "
            "its drop and the drop; the drop's step is used"
        )
    return Recognized(
        name,
        params,
        pts.placement,
        design,
        pts.steps,
        (f"total_steps: the log ends at step {pts.last:,}",),
        tuple(notes),
        pts.offset,
    )


def recognize_log_warmup(pts: Points) -> Recognized | None:
    """DeepSpeed's WarmupLR with `warmup_type: log` (it replaces the Trainer's scheduler when a
    DeepSpeed config names one): update n uses min + (max - min) * ln(n + 1) / ln(W) for n < W,
    then max. It is not a preset: the design holds it as one constant segment per warmup step."""
    y = pts.values
    peak_val = float(y.max())
    peak = int(np.flatnonzero(y >= peak_val * (1 - max(pts.tol, 1e-12)))[0])
    if peak < 2 or np.any(rel_error(np.full(len(y) - peak, peak_val), y[peak:]) > pts.tol):
        return None
    x = np.log(pts.steps[:peak].astype(np.float64) + 1.0)
    if np.any(~np.isfinite(x)) or np.ptp(x) == 0:
        return None
    slope, low = np.polyfit(x, y[:peak], 1)
    if slope <= 0:
        return None
    low = _tidy(float(low)) if abs(low) > peak_val * 1e-9 else 0.0
    if low < 0:
        return None
    w = int(round(math.exp((peak_val - low) / slope)))
    if not 1 < w <= int(pts.steps[peak]) + 1 or w > 100_000:
        return None
    n = np.arange(w)
    ramp = low + (peak_val - low) * np.log(n + 1.0) / math.log(w)
    segs = [Segment.create("constant", 1, float(v)) for v in ramp]
    segs.append(Segment.create("constant", max(pts.last + 1 - w, 1), peak_val))
    design = Design(tuple(segs), after_end="hold")
    if not within(y, design.evaluate(pts.steps), pts.tol):
        return None
    params = {"warmup_min_lr": low, "warmup_max_lr": peak_val, "warmup_num_steps": w, "warmup_type": "log"}
    notes = (
        "DeepSpeed's WarmupLR: the LR rises as ln(n + 1) / ln(warmup_num_steps), then holds; a "
        "DeepSpeed config naming a scheduler replaces the one in the training arguments",
    )
    return Recognized("deepspeed.WarmupLR", params, pts.placement, design, pts.steps, (), notes, pts.offset)


#: Recognisers beyond the linear-in-LR families.
SPECIAL: tuple[Callable[[Points], Recognized | None], ...] = (
    recognize_exponential,
    recognize_steps,
    recognize_log_warmup,
)


def digits(found: Recognized) -> int:
    """How many significant digits the arguments need: the simpler reading of an ambiguous log."""
    total = 0
    for v in found.params.values():
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, float) and x:
                total += len(repr(x).split("e")[0].replace("-", "").replace(".", "").strip("0"))
            elif isinstance(x, int) and x:
                total += len(str(abs(x)).rstrip("0"))
    return total


def recognize(placements: Sequence[Points], families: Sequence[Family] = FAMILIES) -> Recognized | None:
    """The first family, in order of simplicity, that reproduces every point under one of the
    placements. When several placements reproduce the points with the family, the one whose
    arguments need the fewest digits wins, and the others are named in its notes."""
    recognisers: list[Callable[[Points], Recognized | None]] = [
        (lambda pts, f=f: recognize_family(f, pts)) for f in families
    ]
    recognisers += SPECIAL
    for rec in recognisers:
        found = [r for r in (rec(pts) for pts in placements) if r is not None]
        if not found:
            continue
        found.sort(key=digits)
        best = found[0]
        if len(found) > 1:
            others = "; ".join(f"as {r.placement}: {r.describe().split(', logged as')[0]}" for r in found[1:])
            best = replace(best, notes=(*best.notes, f"the points alone also fit {others}"))
        return best
    return None

"""Recognising the Ultralytics / YOLOv5 schedule in one LR column of a results.csv.

A row of epoch e holds the group's LR after the epoch's last iteration n = (e + 1) * nb - 1:
`interp(n, [0, nw], [start, lr0 * lf(e)])` while n <= nw, `lr0 * lf(e)` for the rest of the epoch in
which warmup ends, then `lr0 * lf(e - lag)`. The rows after warmup give the family, lr0 and the
decay; the warmup rows give nb, nw and the start (warmup_bias_lr for the bias group, else 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..design import Design
from ..presets import get_preset
from ..segment import Segment
from .base import Recognized

#: The most batches per epoch searched when the log alone has to tell them.
MAX_BATCHES = 200_000
#: The longest cosine schedule searched when the epochs are not given.
MAX_COSINE_EPOCHS = 20_000
PLACEMENT = "the LR of epoch e's last iteration at (e + 1) x nb - 1"


@dataclass(frozen=True)
class Decay:
    """The post-warmup part: family, lr0, lrf, epochs, lag and the first row it explains."""

    family: str  # "linear" or "cosine"
    lr0: float
    lrf: float
    epochs: int
    lag: int
    first_row: int
    inferred: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def lf_values(family: str, lrf: float, epochs: int, x: np.ndarray) -> np.ndarray:
    """The trainer's lf at epochs x (float64), operation for operation as trainer.py writes it."""
    x = np.asarray(x, dtype=np.float64)
    if family == "cosine":
        return ((1 - np.cos(x * math.pi / epochs)) / 2) * (lrf - 1) + 1
    return np.maximum(1 - x / epochs, 0) * (1.0 - lrf) + lrf


def row_values(decay: Decay, nb, nw, start, epochs: np.ndarray) -> np.ndarray:
    """The logged LR of each row (broadcasting over arrays of nb, nw and start)."""
    e = np.asarray(epochs, dtype=np.int64)
    nb, nw, start = np.asarray(nb), np.asarray(nw), np.asarray(start, dtype=np.float64)
    n = (e + 1) * nb - 1
    target = decay.lr0 * lf_values(decay.family, decay.lrf, decay.epochs, e)
    after = decay.lr0 * lf_values(decay.family, decay.lrf, decay.epochs, np.maximum(e - decay.lag, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        warm = start + (target - start) * (n / np.maximum(nw, 1))
    warm = np.where(n == nw, target, warm)
    in_warmup = (nw > 0) & (n <= nw)
    ends_here = (nw > 0) & (e * nb <= nw) & ~in_warmup
    return np.where(in_warmup, warm, np.where(ends_here, target, after))


def within(pred: np.ndarray, values: np.ndarray, rel_tol: float) -> np.ndarray:
    """Whether each prediction rounds to the logged value (along the last axis: all rows)."""
    return np.all(np.abs(pred - values) <= _slack(values, rel_tol), axis=-1)


def _round_sig(x: float, digits: int) -> float:
    return float(f"{x:.{digits}g}") if x else 0.0


def _snapped(x: float, hint: float | None = None) -> list[float]:
    """x itself, the hint, and x rounded to 1 .. 12 significant digits: the round values first."""
    out = [] if hint is None else [hint]
    out += [_round_sig(x, d) for d in range(1, 13)] + [x]
    return list(dict.fromkeys(out))


def _slack(values: np.ndarray, rel_tol: float) -> np.ndarray:
    return rel_tol * np.abs(values) * (1 + 1e-6) + 1e-12 * float(np.max(np.abs(values), initial=0.0))


def _line(x: np.ndarray, y: np.ndarray, rel_tol: float) -> tuple[float, float] | None:
    """(a, b) with a + b * x within the rounding of every y (the minimax line), or None."""
    from scipy.optimize import linprog

    if len(x) < 2:
        return None
    scale = float(np.max(np.abs(y))) or 1.0
    xs, ys, w = x / max(float(np.max(np.abs(x))), 1.0), y / scale, _slack(y, rel_tol) / scale
    ones = np.ones_like(xs)
    # minimise t subject to |a + b * xs - ys| <= t * w
    rows = np.block([[ones[:, None], xs[:, None], -w[:, None]], [-ones[:, None], -xs[:, None], -w[:, None]]])
    res = linprog(
        [0, 0, 1], A_ub=rows, b_ub=np.concatenate([ys, -ys]), bounds=[(None, None)] * 3, method="highs"
    )
    if not res.success or res.x[2] > 1.0:
        return None
    a, b = res.x[0] * scale, res.x[1] * scale / max(float(np.max(np.abs(x))), 1.0)
    return float(a), float(b)


def _slope_for(lr0: float, x: np.ndarray, y: np.ndarray, rel_tol: float) -> float | None:
    """A slope s with lr0 - s * x within the rounding of every y, or None."""
    w = _slack(y, rel_tol)
    flat = x == 0
    if np.any(np.abs(lr0 - y[flat]) > w[flat]):
        return None
    xs = x[~flat]
    if not len(xs):
        return 0.0
    lo, hi = (lr0 - y[~flat] - w[~flat]) / xs, (lr0 - y[~flat] + w[~flat]) / xs
    lo, hi = np.where(xs > 0, lo, hi), np.where(xs > 0, hi, lo)
    low, high = float(np.max(lo)), float(np.min(hi))
    return (low + high) / 2 if low <= high else None


def _linear_decay(e, v, rel_tol, lag, first, hints) -> Decay | None:
    x = (e - lag).astype(np.float64)
    fit = _line(x, v, rel_tol)
    if fit is None:
        return None
    for lr0 in _snapped(fit[0], hints.get("lr0")):
        slope = _slope_for(lr0, x, v, rel_tol)
        if slope is None or lr0 <= 0:
            continue
        for lrf, epochs, inferred, notes in _decay_lengths(lr0, slope, int(e[-1]) + 1, hints):
            ok = _checked(Decay("linear", lr0, lrf, epochs, lag, first, inferred, notes), e, v, rel_tol)
            if ok is not None:
                return ok
    return None


def _decay_lengths(lr0: float, slope: float, seen: int, hints: dict[str, Any]):
    """(lrf, epochs, inferred, notes) giving the slope lr0 * (1 - lrf) / epochs, the likeliest first."""
    lrf, epochs = hints.get("lrf"), hints.get("epochs")
    if lrf is not None and epochs is not None:
        yield lrf, epochs, (), ()
        return
    if slope <= 0:
        yield (lrf if lrf is not None else 1.0), (epochs or seen), (("lrf",) if lrf is None else ()), ()
        return
    if epochs is not None:
        for c in _snapped(1 - slope * epochs / lr0, lrf):
            yield c, epochs, ("lrf",), ()
        return
    guess = 0.01 if lrf is None else lrf
    raw = lr0 * (1 - guess) / slope
    lengths = list(
        dict.fromkeys(
            [max(1, round(_round_sig(raw, d))) for d in range(1, 8)]
            + [max(1, round(raw) + d) for d in (0, -1, 1)]
        )
    )
    if lrf is not None:
        for n in lengths:
            yield lrf, n, ("epochs",), ()
        return
    note = ("ambiguous: a linear decay shows only lr0 * (1 - lrf) / epochs; lrf 0.01 assumed",)
    for n in lengths:
        yield 0.01, n, ("lrf", "epochs"), note
    note = ("ambiguous: a linear decay shows only lr0 * (1 - lrf) / epochs; the epochs nearest lrf 0.01 taken",)
    for n in lengths:
        for c in _snapped(1 - slope * n / lr0)[:7]:
            if 0 <= c <= 1:
                yield c, n, ("lrf", "epochs"), note


def _cosine_decay(e, v, rel_tol, lag, first, hints) -> Decay | None:
    x = (e - lag).astype(np.float64)
    if hints.get("epochs"):
        grid = np.array([hints["epochs"]], dtype=np.float64)
    else:
        grid = np.arange(max(int(x[-1]), 1), MAX_COSINE_EPOCHS + 1, dtype=np.float64)
    found = None
    for lo in range(0, len(grid), 512):
        g = (1 - np.cos(x[None, :] * math.pi / grid[lo : lo + 512, None])) / 2  # (E, rows)
        gm, vm = g.mean(axis=1), v.mean()
        var = ((g - gm[:, None]) ** 2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = ((g - gm[:, None]) * (v - vm)).sum(axis=1) / var
        a = vm - c * gm
        ok = np.nonzero(within(a[:, None] + c[:, None] * g, v, 4 * rel_tol) & (var > 0))[0]
        if len(ok):
            found = [(float(a[i]), float(c[i]), int(grid[lo + i])) for i in ok[:: max(1, len(ok) // 20)]]
            break
    if found is None:
        return None
    inferred = () if hints.get("epochs") else ("epochs", "lrf")
    several = len(found) > 1
    notes = ("ambiguous: several cosine lengths reproduce the rows; the shortest is taken",) if several else ()
    # the roundest lr0, then the roundest lrf, over every length that fits
    tries = [
        (i, j, lr0, lrf, epochs)
        for a, c, epochs in found
        for i, lr0 in enumerate(_snapped(a, hints.get("lr0"))[:8])
        for j, lrf in enumerate(_snapped(1 + c / a, hints.get("lrf"))[:8])
    ]
    for _, _, lr0, lrf, epochs in sorted(tries, key=lambda t: (t[0], t[1])):
        ok = _checked(Decay("cosine", lr0, lrf, epochs, lag, first, inferred, notes), e, v, rel_tol)
        if ok is not None:
            return ok
    return None


def _checked(decay: Decay, e, v, rel_tol) -> Decay | None:
    after = decay.lr0 * lf_values(decay.family, decay.lrf, decay.epochs, np.maximum(e - decay.lag, 0))
    return decay if within(after, v, rel_tol) else None


def decays(e: np.ndarray, v: np.ndarray, rel_tol: float, hints: dict[str, Any]) -> list[Decay]:
    """Every (family, lag) whose formula explains the rows from some row on, the earliest start first."""
    families = {True: ("cosine",), False: ("linear",)}.get(hints.get("cos_lr"), ("linear", "cosine"))
    lags = (hints["lag"],) if hints.get("lag") is not None else (0, 1)
    out: list[Decay] = []
    for family in families:
        fit = _linear_decay if family == "linear" else _cosine_decay
        for lag in lags:

            def tail(first: int, lag=lag, fit=fit) -> Decay | None:
                return fit(e[first:], v[first:], rel_tol, lag, first, hints)

            # A tail that fits still fits without its first row: bisect for the earliest start.
            lo, hi = 0, len(e) - 3
            best = tail(hi) if hi >= 0 else None
            while best is not None and lo < hi:
                mid = (lo + hi) // 2
                found = tail(mid)
                if found is None:
                    lo = mid + 1
                else:
                    hi, best = mid, found
            if best is not None and best.first_row != hi:
                best = tail(hi)
            if best is not None:
                out.append(best)
    return sorted(out, key=lambda d: d.first_row)


def warmups(
    decay: Decay, e: np.ndarray, v: np.ndarray, rel_tol: float, start: float, steps_per_epoch: int | None
) -> list[tuple[int, int]]:
    """Every (nb, nw) that reproduces all rows with this decay and warmup start."""
    target = decay.lr0 * lf_values(decay.family, decay.lrf, decay.epochs, e)
    scale = np.maximum(np.abs(target), abs(start))
    gap = 1e3 if not steps_per_epoch else 4.0  # how far from the start a row must be to tell nw
    usable = np.nonzero((np.abs(target - start) > gap * rel_tol * scale) & (np.abs(v - start) > 0))[0]
    nbs = np.array([steps_per_epoch]) if steps_per_epoch else np.arange(1, MAX_BATCHES + 1)
    for r in usable[:3]:
        if r >= max(decay.first_row, 1):
            break
        q = (v[r] - start) / (target[r] - start)
        if not 0 < q <= 1:
            continue
        n0 = (e[r] + 1) * nbs - 1
        est = np.rint(n0 / q).astype(np.int64)
        # q is known to the rounding of both values: nw to that share of itself (wide for a bias
        # group whose start lies near its target; searched that wide only for a given nb)
        spread = float(_slack(v[r : r + 1], rel_tol)[0]) / abs(v[r] - start) + rel_tol
        width = 2 if len(nbs) > 1 else min(10_000, 2 + math.ceil(float(est[0]) * spread))
        nb = np.repeat(nbs, 2 * width + 1)
        nw = (est[:, None] + np.arange(-width, width + 1)[None, :]).ravel()
        keep = nw >= 1
        nb, nw = nb[keep], nw[keep]
        for i in range(len(e)):  # rows one by one: the candidates thin out within a few rows
            pred = row_values(decay, nb, nw, start, e[i : i + 1])
            ok = within(pred[:, None], v[i : i + 1], rel_tol)
            nb, nw = nb[ok], nw[ok]
            if not len(nb):
                break
        if len(nb):
            return sorted({(int(a), int(b)) for a, b in zip(nb, nw)})
    return []


def recognize(
    epoch_index: Sequence[int] | np.ndarray,
    values: Sequence[float] | np.ndarray,
    rel_tol: float,
    steps_per_epoch: int | None = None,
    *,
    start_lr: float | None = None,
    hints: dict[str, Any] | None = None,
) -> list[Recognized]:
    """Ultralytics / YOLOv5 schedules reproducing one LR column, the most likely first.

    `epoch_index` is each row's 0-based epoch, `values` the logged LRs, `rel_tol` the printed
    precision (0.5 * 10 ** (1 - digits)). `start_lr` is where this group's warmup starts when
    known (0 for weights, warmup_bias_lr for the bias group). `hints` are settings known from
    elsewhere (args.yaml: lr0, lrf, epochs, cos_lr, warmup_epochs, warmup_bias_lr,
    warmup_min_iterations, lag); they settle what the rows leave open.
    """
    e = np.asarray(epoch_index, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    hints = {k: val for k, val in (hints or {}).items() if val is not None}
    if len(e) == 0 or len(e) != len(v) or not np.all(np.isfinite(v)) or np.any(np.diff(e) != 1):
        return []
    found = decays(e, v, rel_tol, hints)
    if not found and {"lr0", "lrf", "epochs"} <= set(hints):
        family = "cosine" if hints.get("cos_lr") else "linear"
        whole = Decay(
            family,
            float(hints["lr0"]),
            float(hints["lrf"]),
            int(hints["epochs"]),
            int(hints.get("lag", 0)),
            len(e),
            ("epoch_lag",),
            ("no row after warmup: lr0, lrf and epochs are the settings', the lag is unknown",),
        )
        found = [whole]
    starts = (
        [start_lr]
        if start_lr is not None
        else list(dict.fromkeys([float(hints.get("warmup_bias_lr", 0.0)), 0.0, 0.1]))
    )
    out = []
    for decay in found:
        # of the starts that reproduce the rows, one that settles the batches per epoch first
        tried = (_recognized(decay, e, v, rel_tol, start, steps_per_epoch, hints) for start in starts)
        recs = [r for r in tried if r is not None]
        if recs:
            out.append(min(recs, key=lambda r: r.extra["per_epoch"]))
    return sorted(out, key=lambda r: (r.extra["first_exact_row"], r.extra["per_epoch"], r.params["epoch_lag"]))


def _recognized(decay, e, v, rel_tol, start, steps_per_epoch, hints) -> Recognized | None:
    notes, inferred = list(decay.notes), list(decay.inferred)
    minimum = int(hints.get("warmup_min_iterations", 100))
    if decay.first_row == 0 and decay.lag == 0:
        pairs = []  # no warmup row: warmup, if any, ended inside the first epoch
    else:
        pairs = warmups(decay, e, v, rel_tol, start, steps_per_epoch)
        if not pairs:
            return None
        we = hints.get("warmup_epochs")
        if we is not None:
            agreeing = [(nb, nw) for nb, nw in pairs if nw == _nw(we, nb, minimum)]
            if agreeing:
                pairs = agreeing
            else:
                notes.append(f"no warmup length max(round({we:g} * nb), {minimum}) fits the warmup rows")
        elif len(pairs) > 1:
            usual = [(nb, nw) for nb, nw in pairs if nw == minimum or nw in {w * nb for w in range(1, 11)}]
            if len(usual) == 1:
                notes.append(
                    "of several batches per epoch the one with a whole number of warmup epochs "
                    f"(or the {minimum}-iteration minimum) is taken"
                )
                pairs = usual
    nb = steps_per_epoch
    if len(pairs) == 1 or (pairs and steps_per_epoch):
        nb, nw = pairs[0]
    elif pairs:
        nbs = sorted({p[0] for p in pairs})
        shown = ", ".join(map(str, nbs[:6])) + (" ..." if len(nbs) > 6 else "")
        notes.append(f"batches per epoch not determined by the warmup rows ({shown} fit): a per-epoch design")
        nw = pairs[0][1]
    else:
        nw = 0 if not hints.get("warmup_epochs") else None
    params = dict(lr0=decay.lr0, lrf=decay.lrf, epochs=decay.epochs)
    per_epoch = nb is None or (bool(pairs) and len(pairs) > 1 and not steps_per_epoch)
    if per_epoch:
        if not pairs:
            notes.append("no warmup row tells the batches per epoch: a per-epoch design (one step per epoch)")
        design = _per_epoch(decay, pairs, start, int(max(e[-1] + 1, decay.epochs)))
        steps = e.copy()
        params.update(epoch_lag=decay.lag, warmup_bias_lr=start)
    else:
        if nw is None:
            nw = _nw(hints["warmup_epochs"], nb, minimum)
        warm = dict(warmup_epochs=nw / nb, warmup_min_iterations=0)
        we = hints.get("warmup_epochs")
        if we is not None and _nw(we, nb, minimum) == nw:
            warm = dict(warmup_epochs=float(we), warmup_min_iterations=minimum)
        elif nw:
            inferred.append("warmup_epochs")
        params.update(warm, warmup_bias_lr=start, steps_per_epoch=nb, epoch_lag=decay.lag)
        design = get_preset(f"ultralytics.{decay.family}").build(**params)
        steps = (e + 1) * nb - 1
    if not within(design.evaluate(steps), v, rel_tol):
        return None
    return Recognized(
        preset=f"ultralytics.{decay.family}",
        params=params,
        placement=PLACEMENT,
        design=design,
        steps=steps,
        inferred=tuple(dict.fromkeys(inferred)),
        notes=tuple(notes),
        extra=dict(
            first_exact_row=decay.first_row,
            warmup_iterations=nw,
            batches_per_epoch=nb if not per_epoch else None,
            candidates=pairs,
            per_epoch=per_epoch,
        ),
    )


def _nw(warmup_epochs: float, nb: int, minimum: int) -> int:
    return max(round(warmup_epochs * nb), minimum) if warmup_epochs > 0 else 0


def _per_epoch(decay: Decay, pairs: list[tuple[int, int]], start: float, epochs: int) -> Design:
    """One constant step per epoch at the LR its row logs (warmup rows from the first fitting nb, nw)."""
    nb, nw = pairs[0] if pairs else (1, 0)
    values = row_values(decay, nb, nw, start, np.arange(epochs))
    segs: list[Segment] = []
    for lr in values.tolist():
        if segs and segs[-1].lr_start == lr:
            segs[-1] = Segment("constant", segs[-1].duration + 1, lr, lr)
        else:
            segs.append(Segment("constant", 1, lr, lr))
    return Design(tuple(segs), steps_per_epoch=1, after_end="hold")

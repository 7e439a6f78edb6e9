"""Rule-based advice from training logs next to the design (shown with the design's advice).

Rules, each a small function returning `schedule.advice.Advice` items (with the step to locate):
- loss spikes during warmup (well above the smoothed trend) -> longer warmup or gradient clipping;
- NaN/inf in the losses -> where it started (one advice per step, naming every loss that went
  non-finite there) and the LR there: the run's own logged LR, else the design's (and it says so);
- validation stalls for longer than the plateau patience -> a plateau cut or an earlier decay;
- the logged LR differing from the design -> from which step.
`check_series(design, logged)` applies them to the series given (the window: the log layers shown);
`check_logs(design, runs)` to every fitting series of the runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..schedule.advice import Advice
from ..schedule.metrics import metrics
from .alignment import compare_lr, is_epoch_indexed, is_lr_tag, place
from .series import LogRun, Series
from .smoothing import smooth

SPIKE_RATIO = 1.5  # a spike is at least this many times the trend before it ...
SPIKE_SIGMAS = 6.0  # ... and this many robust deviations above it
TREND_WEIGHT = 0.9  # TensorBoard smoothing weight of the trend
DEFAULT_PATIENCE = 10  # evaluations (ReduceLROnPlateau's default) when the design sets no policy
_VALIDATION = re.compile(r"(^|[/_])(val|valid|validation|eval|test)([/_]|$)", re.IGNORECASE)


def is_loss_tag(tag: str) -> bool:
    return "loss" in tag.lower() and not is_lr_tag(tag)


def is_validation(run: LogRun, tag: str) -> bool:
    """A validation series: `val_loss`, `eval_loss`, `validation/...`, or a loss in a run named
    like Keras's `validation` folder."""
    return _is_validation(run.name, tag)


def _is_validation(run_name: str, tag: str) -> bool:
    return bool(_VALIDATION.search(tag) or _VALIDATION.search(run_name.rsplit("/", 1)[-1]))


def loss_spikes(steps: np.ndarray, values: np.ndarray, until: int, name: str) -> list[Advice]:
    """Spikes of a training loss before step `until` (the end of warmup)."""
    keep = np.isfinite(values) & (steps < until)
    x, y = steps[keep], values[keep]
    if len(y) < 8:
        return []
    trend = smooth(y, TREND_WEIGHT)
    before = np.r_[y[0], trend[:-1]]  # the trend up to the point before
    residual = y - before
    scale = 1.4826 * float(np.median(np.abs(residual - np.median(residual))))
    spikes = np.flatnonzero((y > SPIKE_RATIO * before) & (residual > SPIKE_SIGMAS * max(scale, 1e-12)))
    spikes = spikes[spikes >= 3]  # the first points have no trend yet
    if not len(spikes):
        return []
    i = int(spikes[np.argmax(y[spikes] / before[spikes])])
    return [
        Advice(
            "loss-spike-warmup",
            "warning",
            f"{name} spikes during warmup ({len(spikes)} time{'s' if len(spikes) > 1 else ''}; at step "
            f"{int(x[i]):,} it is {y[i] / before[i]:.1f}x its smoothed trend): try a longer warmup or "
            "gradient clipping (clipnorm=1.0)",
            int(x[i]),
        )
    ]


def _first_nonfinite(steps: np.ndarray, values: np.ndarray) -> tuple[int, str, int] | None:
    """(step, "NaN" or "inf", how many points are non-finite) of a series' first non-finite point."""
    bad = np.flatnonzero(~np.isfinite(values))
    if not len(bad):
        return None
    i = int(bad[0])
    return int(steps[i]), "NaN" if np.isnan(values[i]) else "inf", len(bad)


def logged_lr_at(step: int, lr: tuple[np.ndarray, np.ndarray] | None) -> tuple[float, int] | None:
    """(LR, where it was logged) of the nearest finite logged LR point at or before `step`."""
    if lr is None:
        return None
    steps, values = lr
    ok = np.flatnonzero(np.isfinite(values) & (steps <= step))
    if not len(ok):
        return None
    i = int(ok[steps[ok] == steps[ok].max()][-1])  # of a repeated step the later point stays
    return float(values[i]), int(steps[i])


def _nonfinite_advice(
    step: int, names: list[str], whats: set[str], count: int, design, logged: tuple[float, int] | None
) -> Advice:
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    what = next(iter(whats)) if len(whats) == 1 else "NaN or inf"
    if logged is not None:
        lr, at = logged
        where = "" if at == step else f", logged at step {at:,}"
        lr_text = f"the run's logged LR there was {lr:.3g}{where}"
    else:
        lr_text = f"the run logged no LR up to there; the design's LR there is {design.lr_at(max(step, 0)):.3g}"
    return Advice(
        "loss-nonfinite",
        "warning",
        f"{who} became {what} at step {step:,} ({count} non-finite point{'s' if count > 1 else ''}); "
        f"{lr_text}: lower the peak, warm up longer or clip gradients",
        step,
    )


def nonfinite_loss(
    steps: np.ndarray, values: np.ndarray, name: str, design, lr: tuple[np.ndarray, np.ndarray] | None = None
) -> list[Advice]:
    """The first NaN or inf of a loss, with the LR there: the run's own (`lr`: its logged LR as
    (steps, values) on the same axis) when it logged one by then, else the design's."""
    first = _first_nonfinite(steps, values)
    if first is None:
        return []
    step, what, count = first
    return [_nonfinite_advice(step, [name], {what}, count, design, logged_lr_at(step, lr))]


def stalls(
    steps: np.ndarray,
    values: np.ndarray,
    name: str,
    patience: int,
    min_delta: float = 1e-4,
    maximize: bool = False,
) -> list[Advice]:
    """The first stretch of more than `patience` evaluations without a relative improvement of
    `min_delta` over the best so far."""
    keep = np.isfinite(values)
    x, y = steps[keep], (-values[keep] if maximize else values[keep])
    if len(y) <= patience:
        return []
    best, since = y[0], 0
    for i in range(1, len(y)):
        if y[i] < best - abs(best) * min_delta:
            best, since = y[i], i
        elif i - since > patience:
            # Said in the past when it improved again later, in the present when it still has not.
            again = next((j for j in range(i + 1, len(y)) if y[j] < best - abs(best) * min_delta), None)
            if again is None:
                what = f"has not improved since step {int(x[since]):,} (more than {patience} evaluations)"
            else:
                what = (
                    f"did not improve from step {int(x[since]):,} to step {int(x[again]):,} "
                    f"({again - since - 1} evaluations, more than {patience})"
                )
            return [
                Advice(
                    "validation-stall",
                    "info",
                    f"{name} {what}: a plateau cut (ReduceLROnPlateau) or an earlier decay would "
                    "use those steps",
                    int(x[i]),
                )
            ]
    return []


def lr_differs(
    series: Series, design, writer: str = "", steps_per_epoch: int | None = None, offset: int = 0
) -> list[Advice]:
    """Where a logged LR leaves the design (nothing when it follows it)."""
    c = compare_lr(series, design, steps_per_epoch, offset, writer)
    if not c.compared or c.exact:
        return []
    return [Advice("lr-differs", "warning", f"logged {series.tag}: {c.message()}", c.first_diff_step)]


@dataclass(eq=False)
class Logged:
    """One logged series as drawn: the writer and step offset that place it, and its run's logged
    LR (None when the run logged none), which names the LR where a loss went non-finite."""

    series: Series
    writer: str = ""
    offset: int = 0
    run_lr: Series | None = None


def check_logs(
    design, runs: list[LogRun], steps_per_epoch: int | None = None, offsets: dict[str, int] | None = None
) -> list[Advice]:
    """Every rule on every fitting series of `runs` (offsets: per run name, steps to add)."""
    logged = []
    for run in runs:
        run_lr = next((s for tag, s in run.series.items() if is_lr_tag(tag) and len(s)), None)
        offset = (offsets or {}).get(run.name, 0)
        logged += [Logged(s, run.writer, offset, run_lr) for s in run.series.values()]
    return check_series(design, logged, steps_per_epoch)


def _run_lr(item: Logged, spe: int | None) -> tuple[np.ndarray, np.ndarray] | None:
    """The run's logged LR placed on the design's axis as the loss is (same offset)."""
    s = item.run_lr
    if s is None or not len(s) or (is_epoch_indexed(s, item.writer) and not spe):
        return None
    try:
        p = place(s, spe, item.offset, item.writer, lr=True)
    except ValueError:
        return None
    return p.steps, p.values


def check_series(design, logged: list[Logged], steps_per_epoch: int | None = None) -> list[Advice]:
    """Every rule on every fitting series; losses that went non-finite at the same step are one
    event (one advice naming them all). A series that cannot be placed gives no advice."""
    spe = steps_per_epoch or design.steps_per_epoch
    warmup_end = metrics(design).warmup_steps
    policy = getattr(design, "plateau", None)
    patience = policy.patience if policy is not None else DEFAULT_PATIENCE
    min_delta = policy.min_delta if policy is not None else 1e-4
    out: list[Advice] = []
    events: dict[int, list[tuple[str, str, int, Logged]]] = {}  # step -> (name, what, count, series)
    for item in logged:
        s, tag = item.series, item.series.tag
        if not len(s) or (is_epoch_indexed(s, item.writer) and not spe):
            continue
        name = f"{s.run}/{tag}"
        try:
            if is_lr_tag(tag):
                out += lr_differs(s, design, item.writer, spe, item.offset)
                continue
            p = place(s, spe, item.offset, item.writer, lr=False)
        except ValueError:
            continue
        validation = _is_validation(s.run, tag)
        if is_loss_tag(tag):
            first = _first_nonfinite(p.steps, p.values)
            if first is not None:
                events.setdefault(first[0], []).append((name, first[1], first[2], item))
            if validation:
                out += stalls(p.steps, p.values, name, patience, min_delta)
            elif warmup_end > 0:
                out += loss_spikes(p.steps, p.values, warmup_end, name)
        elif validation and re.search(r"acc|f1|auc|bleu|score", tag, re.IGNORECASE):
            out += stalls(p.steps, p.values, name, patience, min_delta, maximize=True)
    for step, hits in events.items():
        logged_lr = next(
            (lr for lr in (logged_lr_at(step, _run_lr(hit[3], spe)) for hit in hits) if lr is not None), None
        )
        names, whats, count = [hit[0] for hit in hits], {hit[1] for hit in hits}, sum(hit[2] for hit in hits)
        out.append(_nonfinite_advice(step, names, whats, count, design, logged_lr))
    order = {"warning": 0, "info": 1}
    return sorted(out, key=lambda a: (order.get(a.severity, 2), a.step if a.step is not None else 0))

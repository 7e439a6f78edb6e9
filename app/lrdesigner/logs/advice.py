"""Rule-based advice from training logs next to the design (shown with the design's advice).

Rules, each a small function returning `schedule.advice.Advice` items (with the step to locate):
- loss spikes during warmup (well above the smoothed trend) -> longer warmup or gradient clipping;
- NaN/inf in the loss -> where it started and what the LR was;
- validation stalls for longer than the plateau patience -> a plateau cut or an earlier decay;
- the logged LR differing from the design -> from which step.
`check_logs(design, runs)` applies them to every fitting series of the runs.
"""

from __future__ import annotations

import re

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
    return bool(_VALIDATION.search(tag) or _VALIDATION.search(run.name.rsplit("/", 1)[-1]))


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


def nonfinite_loss(steps: np.ndarray, values: np.ndarray, name: str, design) -> list[Advice]:
    """The first NaN or inf of a loss, with the design's LR there."""
    bad = np.flatnonzero(~np.isfinite(values))
    if not len(bad):
        return []
    i = int(bad[0])
    step = int(steps[i])
    what = "NaN" if np.isnan(values[i]) else "inf"
    lr = design.lr_at(max(step, 0))
    count = f"{len(bad)} non-finite point{'s' if len(bad) > 1 else ''}"
    return [
        Advice(
            "loss-nonfinite",
            "warning",
            f"{name} became {what} at step {step:,} ({count}); "
            f"the LR there is {lr:.3g}: lower the peak, warm up longer or clip gradients",
            step,
        )
    ]


def stalls(steps: np.ndarray, values: np.ndarray, name: str, patience: int, min_delta: float = 1e-4,
           maximize: bool = False) -> list[Advice]:
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
            return [
                Advice(
                    "validation-stall",
                    "info",
                    f"{name} has not improved for more than {patience} evaluations (since step "
                    f"{int(x[since]):,}): a plateau cut (ReduceLROnPlateau) or an earlier decay would "
                    "use those steps",
                    int(x[i]),
                )
            ]
    return []


def lr_differs(series: Series, design, writer: str = "", steps_per_epoch: int | None = None,
               offset: int = 0) -> list[Advice]:
    """Where a logged LR leaves the design (nothing when it follows it)."""
    c = compare_lr(series, design, steps_per_epoch, offset, writer)
    if not c.compared or c.exact:
        return []
    return [Advice("lr-differs", "warning", f"logged {series.tag}: {c.message()}", c.first_diff_step)]


def check_logs(design, runs: list[LogRun], steps_per_epoch: int | None = None,
               offsets: dict[str, int] | None = None) -> list[Advice]:
    """Every rule on every fitting series of `runs` (offsets: per run name, steps to add)."""
    spe = steps_per_epoch or design.steps_per_epoch
    warmup_end = metrics(design).warmup_steps
    policy = getattr(design, "plateau", None)
    patience = policy.patience if policy is not None else DEFAULT_PATIENCE
    min_delta = policy.min_delta if policy is not None else 1e-4
    out: list[Advice] = []
    for run in runs:
        offset = (offsets or {}).get(run.name, 0)
        for tag, s in run.series.items():
            if not len(s) or (is_epoch_indexed(s, run.writer) and not spe):
                continue
            name = f"{run.name}/{tag}"
            if is_lr_tag(tag):
                out += lr_differs(s, design, run.writer, spe, offset)
                continue
            p = place(s, spe, offset, run.writer, lr=False)
            if is_loss_tag(tag):
                out += nonfinite_loss(p.steps, p.values, name, design)
                if is_validation(run, tag):
                    out += stalls(p.steps, p.values, name, patience, min_delta)
                elif warmup_end > 0:
                    out += loss_spikes(p.steps, p.values, warmup_end, name)
            elif is_validation(run, tag) and re.search(r"acc|f1|auc|bleu|score", tag, re.IGNORECASE):
                out += stalls(p.steps, p.values, name, patience, min_delta, maximize=True)
    order = {"warning": 0, "info": 1}
    return sorted(out, key=lambda a: (order.get(a.severity, 2), a.step if a.step is not None else 0))

"""Comparing schedules: a preset fitted to a design's length and peak, the comparison metrics (steps
until the LR falls below 10% of its peak, the largest relative difference from the design), and the
ratio or difference of two schedules for drawing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .design import Design
from .envelope import _extremes
from .errors import DesignError
from .metrics import Metrics, metrics
from .presets.registry import Preset

#: Preset arguments that set the length of training, most specific first.
TOTAL_NAMES = (
    "total_steps",
    "num_training_steps",
    "T_max",
    "t_initial",
    "max_steps",
    "decay_steps",
    "transition_steps",
)
#: Preset arguments that set the warmup's length in steps.
WARMUP_NAMES = ("warmup_steps", "num_warmup_steps", "warmup_t")
#: Preset arguments that set the peak LR, most specific first.
PEAK_NAMES = (
    "max_lr",
    "peak_value",
    "warmup_target",
    "lr",
    "learning_rate",
    "initial_learning_rate",
    "init_value",
    "lr0",
    "factor",
)
#: Steps computed one by one (exactly) for the largest relative difference; longer designs are
#: bounded piece by piece instead.
EXACT_STEPS = 20_000_000


def _try(preset: Preset, args: dict) -> Design | None:
    try:
        return preset.build(**args)
    except (DesignError, ValueError, TypeError, OverflowError, ZeroDivisionError):
        return None


def fit_preset_args(
    preset: Preset, total_steps: int, peak_lr: float | None = None, warmup_steps: int | None = None
) -> dict[str, Any]:
    """Arguments for `preset` (its defaults otherwise) that make it last `total_steps`, warm up
    for `warmup_steps` and peak at `peak_lr`, where its arguments can: curves side by side compare
    at a glance. A warmup that cannot be set keeps the preset's (shortened to fit the length)."""
    args: dict[str, Any] = {}
    names = {p.name: p for p in preset.params}
    base = _try(preset, args)
    if base is None:
        return args
    warmup_key = next((k for k in WARMUP_NAMES if k in names and names[k].kind == "int"), None)
    if warmup_key is not None:
        default = int(names[warmup_key].default or 0)
        # The design's warmup, else the preset's own as the same share of the new length.
        share = round(default * total_steps / base.total_steps) if base.total_steps else default
        for wanted in dict.fromkeys(w for w in (warmup_steps, share) if w is not None and w >= 0):
            wanted = int(min(wanted, max(total_steps - 1, 0)))
            trial = _try(preset, {warmup_key: wanted})
            if wanted == default or trial is None:
                continue
            args[warmup_key], base = wanted, trial
            break
    if base.total_steps != total_steps:
        for key in TOTAL_NAMES:
            if key not in names or names[key].kind != "int":
                continue
            value = total_steps
            if key == "decay_steps":  # Keras counts decay after its warmup
                warmup = args.get(
                    "warmup_steps", names["warmup_steps"].default if "warmup_steps" in names else 0
                )
                value -= int(warmup or 0)
            trial = _try(preset, {**args, key: value})
            if trial is not None and trial.total_steps == total_steps:
                args[key], base = value, trial
                break
    if peak_lr is None or peak_lr <= 0:
        return args
    current = metrics(base).peak_lr
    if current <= 0 or math.isclose(current, peak_lr, rel_tol=1e-9):
        return args
    for key in PEAK_NAMES:
        p = names.get(key)
        if p is None or p.kind != "float" or not isinstance(p.default, (int, float)) or not p.default:
            continue
        value = float(args.get(key, p.default)) * peak_lr / current
        trial = _try(preset, {**args, key: value})
        if trial is not None and math.isclose(metrics(trial).peak_lr, peak_lr, rel_tol=1e-6):
            args[key] = value
            return args
    # Several LR arguments at once (a cycle's base and top, piecewise values): scale them together.
    scaled = dict(args)
    for p in preset.params:
        value = args.get(p.name, p.default)
        if (not _is_lr_name(p.name) and p.kind != "presets") or value is None:
            continue
        if p.kind == "float" and isinstance(value, (int, float)):
            scaled[p.name] = float(value) * peak_lr / current
        elif p.kind == "floats" and isinstance(value, (list, tuple)):
            scaled[p.name] = [float(v) * peak_lr / current for v in value]
        elif p.kind == "presets" and isinstance(value, (list, tuple)):
            scaled[p.name] = [_scaled_piece(item, peak_lr / current) for item in value]
    trial = _try(preset, scaled)
    if trial is not None and math.isclose(metrics(trial).peak_lr, peak_lr, rel_tol=1e-6):
        return scaled
    return args


def _scaled_piece(item: Any, ratio: float) -> Any:
    """A composition piece (`{"preset": NAME, ...}`) with its LR arguments multiplied by `ratio`."""
    if not isinstance(item, dict):
        return item
    return {
        k: float(v) * ratio if _is_lr_name(k) and isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for k, v in item.items()
    }


def _is_lr_name(name: str) -> bool:
    low = name.lower()
    return name in PEAK_NAMES or "lr" in low or "learning_rate" in low or "value" in low


# ---- metrics ------------------------------------------------------------------------------
def first_step_below(design: Design, level: float, start: int = 0) -> int | None:
    """The first step >= `start` (within training) where the LR is below `level`, found from each
    segment's closed-form extremes (no sampling); None if the LR never falls that low."""
    for seg_start, seg in zip(design.starts, design.segments):
        stop = seg_start + seg.duration
        if stop <= start:
            continue
        lo = max(start, seg_start)
        hi = stop - 1
        mn, _ = _extremes(seg, np.array([lo - seg_start]), np.array([hi - seg_start]))
        if mn[0] >= level:
            continue
        while lo < hi:  # bisect on the closed-form minimum of the left half
            mid = (lo + hi) // 2
            mn, _ = _extremes(seg, np.array([lo - seg_start]), np.array([mid - seg_start]))
            if mn[0] < level:
                hi = mid
            else:
                lo = mid + 1
        return lo
    return None


@dataclass(frozen=True)
class Difference:
    """The largest relative difference |other - design| / design over the design's steps. Steps
    where the design's LR is 0 have no relative difference: they are skipped, and `skipped_zero`
    says the other curve is not 0 at some of them."""

    value: float
    step: int
    exact: bool  # every step checked, or bounded piece by piece to 1e-6 relative (False: budget ran out)
    skipped_zero: bool = False


def max_relative_difference(design: Design, other: Design, exact_steps: int = EXACT_STEPS) -> Difference:
    """Largest |other(s) - design(s)| / design(s) for s in [0, design.total_steps): every step up
    to `exact_steps`, bounded piece by piece (to 1e-6 relative) beyond."""
    total = design.total_steps
    if total <= exact_steps:
        best, where, skipped = -1.0, 0, False
        for lo in range(0, total, 1 << 21):
            steps = np.arange(lo, min(total, lo + (1 << 21)), dtype=np.int64)
            d, o = design.evaluate(steps), other.evaluate(steps)
            rel = _relative(d, o)
            skipped = skipped or bool(np.any((d == 0) & (o != 0)))
            i = int(np.argmax(rel))
            if rel[i] > best:
                best, where = float(rel[i]), int(steps[i])
        return Difference(best, where, True, skipped)
    return _bounded_difference(design, other)


def _relative(d: np.ndarray, o: np.ndarray) -> np.ndarray:
    """|o - d| / d, 0 where the design is 0 (skipped: no relative difference there)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(o - d) / d
    rel[d == 0] = 0.0
    return rel


def _bounded_difference(design: Design, other: Design, rel_tol: float = 1e-6, budget: int = 400) -> Difference:
    """Branch and bound over step ranges with both curves' closed-form extremes: ranges whose
    bound cannot beat the best found so far (to `rel_tol`) are dropped."""
    from .envelope import envelope

    total = design.total_steps
    ranges = np.array([[0, total]], dtype=np.int64)
    best, where, skipped = -1.0, 0, False
    for _ in range(budget):
        if not len(ranges):
            return Difference(best, where, True, skipped)
        bins = 64
        next_ranges = []
        for lo, hi in ranges[:64]:
            edges, dmin, dmax = envelope(design, int(lo), int(hi), bins)
            _, omin, omax = envelope(other, int(lo), int(hi), bins)
            probe = edges[:-1]
            d, o = design.evaluate(probe), other.evaluate(probe)
            rel = _relative(d, o)
            skipped = skipped or bool(np.any((d == 0) & (o != 0)))
            i = int(np.argmax(rel))
            if rel[i] > best:
                best, where = float(rel[i]), int(probe[i])
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = np.maximum(omax - dmin, dmax - omin) / dmin
            bound[dmin <= 0] = np.inf
            keep = (bound > best * (1 + rel_tol)) & (edges[1:] - edges[:-1] > 1)
            next_ranges.extend(zip(edges[:-1][keep], edges[1:][keep]))
        ranges = np.array(list(next_ranges) + [list(r) for r in ranges[64:]], dtype=np.int64).reshape(-1, 2)
    return Difference(best, where, not len(ranges), skipped)


@dataclass(frozen=True)
class ComparisonRow:
    """One row of the comparison table."""

    name: str
    metrics: Metrics
    steps_to_10pct: int | None  # steps from 0 until the LR first falls below 10% of its peak
    difference: Difference | None  # from the design (None for the design itself)

    def as_dict(self) -> dict[str, Any]:
        m = self.metrics
        return {
            "layer": self.name,
            "peak_lr": m.peak_lr,
            "peak_step": m.peak_step,
            "final_lr": m.final_lr,
            "mean_lr": m.mean_lr,
            "lr_area": m.lr_area,
            "warmup_steps": m.warmup_steps,
            "warmup_fraction": m.warmup_fraction,
            "steps_to_10pct": self.steps_to_10pct,
            "max_rel_diff": None if self.difference is None else self.difference.value,
            "max_rel_diff_step": None if self.difference is None else self.difference.step,
        }


def comparison_row(
    name: str, layer: Design, design: Design | None, exact_steps: int = EXACT_STEPS
) -> ComparisonRow:
    """The metrics of `layer`, and its largest relative difference from `design` (if given)."""
    m = metrics(layer)
    below = first_step_below(layer, 0.1 * m.peak_lr, m.peak_step) if m.peak_lr > 0 else None
    diff = None if design is None else max_relative_difference(design, layer, exact_steps)
    return ComparisonRow(name, m, below, diff)


def comparison_table(
    design: Design, others: list[tuple[str, Design]], design_name: str = ""
) -> list[ComparisonRow]:
    """The design's row, then one per other schedule."""
    rows = [comparison_row(design_name or design.name, design, None)]
    rows += [comparison_row(name, other, design) for name, other in others]
    return rows


def difference_curve(design: Design, other: Design, steps: np.ndarray, mode: str = "ratio") -> np.ndarray:
    """other / design (mode "ratio") or other - design ("difference") at `steps`. The ratio is
    NaN (a gap in the plot) where the design is 0: 0/0 has no value (two warmups from 0 have
    the ratio of their slopes next to step 0, not 1)."""
    d, o = design.evaluate(steps), other.evaluate(steps)
    if mode == "difference":
        return o - d
    with np.errstate(divide="ignore", invalid="ignore"):
        out = o / d
    out[d == 0] = np.nan
    return out

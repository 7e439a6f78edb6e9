"""Rule-based advice on a design: what a practitioner would point out before training."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .design import Design
from .envelope import envelope
from .metrics import metrics

#: Adam-style Transformer training rarely goes above this peak LR.
TYPICAL_PEAK = 1e-3
#: Two LRs closer than this (relative) are the same LR: no jump between them.
SAME_LR = 1e-6
#: A rise to the peak longer than this fraction of training is a one-cycle ramp, not a warmup.
CYCLE_RAMP = 0.25


def _steps(n: int) -> str:
    return f"{n:,} step" + ("" if n == 1 else "s")


def _pct(p: float) -> str:
    return f"{p:.2g}%" if p < 0.1 else f"{p:.1f}%"


@dataclass(frozen=True)
class Advice:
    id: str
    severity: str  # "info", "warning"
    message: str
    step: int | None = None


def distinct(a: float, b: float) -> tuple[str, str]:
    """`a` and `b` with just enough significant digits to tell them apart (3 at least)."""
    for digits in range(3, 18):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            return sa, sb
    return repr(a), repr(b)


def jumps(design: Design) -> list[tuple[int, float, float]]:
    """(step, LR before, LR at the step) wherever the LR changes abruptly: between segments and
    at a staircase's drops."""
    out = []
    for i in range(1, len(design.segments)):
        before, after = design.segments[i - 1].lr_end, design.segments[i].lr_start
        if abs(before - after) > SAME_LR * max(abs(before), abs(after)):
            out.append((design.starts[i], before, after))
    for start, seg in zip(design.starts, design.segments):
        if seg.shape == "staircase" and seg.param("factor") != 1.0:
            every = seg.param("every")
            for local in range(every, seg.duration, every):
                out.append((start + local, seg.kind.value(local - 1, seg), seg.kind.value(local, seg)))
                if len(out) > 1000:
                    break
    return sorted(out)


def recipe(design: Design) -> str | None:
    """The preset whose own recipe the design is, unchanged: its description is exactly what the
    preset writes when built with its defaults, and those defaults give these very segments.
    Nothing in the description is evaluated, and only a preset's defaults are ever built."""
    text = design.description.strip()
    name = text.split("(", 1)[0]
    if not text.endswith(")") or name not in _recipe_names():
        return None
    built = _default_recipe(name)
    if built is None or built.description != text:
        return None
    return name if built.segments == design.segments and built.after_end == design.after_end else None


def _recipe_names():
    from .presets import PRESETS

    return PRESETS


@functools.cache
def _default_recipe(name: str) -> Design | None:
    from .presets import PRESETS

    try:
        return PRESETS[name].build()
    except Exception:  # noqa: BLE001 - a preset that needs arguments has no default recipe
        return None


def check(design: Design) -> list[Advice]:
    """Advice for the design, most important first. For a library's own recipe, unchanged, what
    would be a warning is said as information ("as in noam")."""
    out = _check(design)
    name = recipe(design)
    if name is None:
        return out
    return [
        Advice(a.id, "info", f"{a.message} (as in {name}, the library's own recipe)", a.step)
        if a.severity == "warning"
        else a
        for a in out
    ]


def _check(design: Design) -> list[Advice]:
    m = metrics(design)
    out: list[Advice] = []
    total = design.total_steps
    if design.lr_at(0) == 0.0:
        out.append(
            Advice(
                "zero-start",
                "warning",
                "LR is exactly 0 at step 0: the first update is wasted; start warmup "
                "from a small LR or count from step 1",
                0,
            )
        )
    if m.warmup_steps > 0:
        pct = 100 * m.warmup_fraction
        if m.warmup_fraction < 0.05:
            out.append(
                Advice(
                    "warmup-short",
                    "warning",
                    f"warmup is {_pct(pct)} of training ({_steps(m.warmup_steps)}); 5-10% is "
                    "typical, and short warmups often cause early loss spikes",
                    m.warmup_steps,
                )
            )
        elif m.warmup_fraction > CYCLE_RAMP:
            out.append(
                Advice(
                    "cycle-ramp",
                    "info",
                    f"the LR rises for {pct:.1f}% of training ({m.warmup_steps:,} steps) "
                    "before it decays, as one-cycle schedules do",
                    m.warmup_steps,
                )
            )
        elif m.warmup_fraction > 0.10:
            out.append(
                Advice(
                    "warmup-long",
                    "warning",
                    f"warmup is {pct:.1f}% of training ({m.warmup_steps:,} steps); beyond "
                    "~10% it mostly delays learning",
                    m.warmup_steps,
                )
            )
    elif m.peak_lr > 0 and total > 1 and design.lr_at(0) >= m.peak_lr * (1 - SAME_LR):
        out.append(
            Advice(
                "no-warmup",
                "info",
                "training starts at the peak LR with no warmup; Adam-style training "
                "usually warms up over 5-10% of the steps",
                0,
            )
        )
    if m.peak_lr > TYPICAL_PEAK:
        out.append(
            Advice(
                "peak-high",
                "warning",
                f"peak LR {m.peak_lr:.3g} is above the usual range for Adam-style "
                f"Transformer training (~{TYPICAL_PEAK:g}); fine for SGD",
                m.peak_step,
            )
        )
    found = jumps(design)
    if len(found) == 1:
        step, before, after = found[0]
        a, b = distinct(before, after)
        out.append(Advice("discontinuity", "info", f"the LR jumps from {a} to {b} at step {step:,}", step))
    elif found:
        step, before, after = found[0]
        a, b = distinct(before, after)
        more = "1,000+" if len(found) > 1000 else f"{len(found):,}"
        out.append(
            Advice(
                "discontinuity",
                "info",
                f"the LR changes abruptly {more} times, first from {a} to {b} at step {step:,}",
                step,
            )
        )
    if m.peak_lr > 0 and m.final_lr > 0.1 * m.peak_lr:
        out.append(
            Advice(
                "final-high",
                "warning",
                f"the last step's LR {m.final_lr:.3g} is still "
                f"{100 * m.final_lr / m.peak_lr:.0f}% of the peak; decaying further "
                "usually improves the final loss",
                total - 1,
            )
        )
    if design.after_end == "continue":
        _, _, hi = envelope(design, total, total + max(total // 2, 1), 64)
        if hi.max() > design.lr_at(total - 1) * (1 + 1e-9) + 1e-300:
            out.append(
                Advice(
                    "rises-after-end",
                    "warning",
                    "the LR rises again after the last step (the formula continues); "
                    "stop exactly at total_steps or hold the last value",
                    total,
                )
            )
    return out

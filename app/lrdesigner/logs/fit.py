"""The schedule behind a logged LR series: a library schedule when one reproduces every point,
else the fewest segments; and what the log shows besides (resumes, skipped scheduler steps,
cuts, appended runs).

Each writer numbers its points its own way (alignment.py); the conventions a writer is known to
use are all tried, and the one that reproduces the points is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..schedule.design import Design
from ..schedule.fitting.base import Recognized
from ..schedule.fitting.families import FAMILIES, Points, digits, recognize, recognize_family, rel_error
from ..schedule.fitting.segments import fit_segments, jumps
from .alignment import is_epoch_indexed, place
from .series import LogRun, Series

#: Relative precision of binary and JSON floats (float32 writers round to about 6e-8).
BINARY_TOL = 1e-6
#: Scheduler steps a run may fall behind through skipped optimizer steps (fp16 overflow).
MAX_LAG = 8

#: Placements each writer is known to use: (shift, words). The design step of a point logged at
#: step k is k - shift.
CONVENTIONS: dict[str, tuple[tuple[int, str], ...]] = {
    "hf": (
        (1, "lr(k-1) at step k, the newer Trainer's convention"),
        (0, "lr(k) at step k, the older Trainer's convention"),
    ),
    "lightning": ((0, "lr(n) at step n"), (1, "lr(n-1) at step n")),
    "": ((0, "lr(n) at step n"), (1, "lr(n-1) at step n")),
}


@dataclass
class Fit:
    """What `fit_series` found for one series (or one block of it)."""

    run: str
    tag: str
    recognized: Recognized | None
    design: Design
    segments: int
    max_rel_error: float
    tolerance: float
    inferred: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pieces: list[Recognized] = field(default_factory=list)  # a resumed run's schedules, in order

    def summary(self) -> str:
        """One line: what was recognised, or how many segments and how close."""
        if self.recognized is not None:
            head = self.recognized.describe()
            if self.pieces and len(self.pieces) > 1:
                head = f"{len(self.pieces)} pieces; the last: {head}"
            return f"{head} (exact: largest relative error {self.max_rel_error:.2g})"
        return (
            f"{self.segments} segment{'s' if self.segments != 1 else ''}, largest error "
            f"{self.max_rel_error:.2%}"
            if self.max_rel_error >= 1e-4
            else f"{self.segments} segment{'s' if self.segments != 1 else ''}, largest relative error "
            f"{self.max_rel_error:.2g}"
        )

    def to_json(self) -> dict[str, Any]:
        rec = self.recognized
        return {
            "run": self.run,
            "tag": self.tag,
            "recognized": None
            if rec is None
            else {
                "preset": rec.preset,
                "params": rec.params,
                "placement": rec.placement,
                **({"step_lag": rec.extra["step_lag"]} if "step_lag" in rec.extra else {}),
            },
            "pieces": [
                {
                    "preset": p.preset,
                    "params": p.params,
                    "placement": p.placement,
                    "first_logged_step": int(p.steps[0]) + p.offset,
                    "last_logged_step": int(p.steps[-1]) + p.offset,
                }
                for p in self.pieces
            ],
            "segments": _segments_json(self.design),
            "max_rel_error": self.max_rel_error,
            "tolerance": self.tolerance,
            "inferred": list(self.inferred),
            "notes": list(self.notes),
        }


def _segments_json(design: Design) -> list[dict[str, Any]]:
    out = []
    for start, seg in zip(design.starts, design.segments):
        out.append(
            {
                "shape": seg.shape,
                "start": start,
                "steps": seg.duration,
                "lr_start": seg.lr_start,
                "lr_end": seg.lr_end,
                **({"params": dict(seg.params)} if seg.params else {}),
            }
        )
    return out


def tolerance(series: Series) -> float:
    """The log's precision: 1e-6 relative for binary and JSON floats, the printed digits for
    CSV and console output."""
    return max(BINARY_TOL, float(series.rounding))


def fit_run_series(run: LogRun, tag: str, steps_per_epoch: int | None = None) -> list[Fit]:
    """Fit one LR series of a run (one Fit per block when several runs were appended)."""
    return fit_series(run.series[tag], run.writer, steps_per_epoch, run=run.name)


def fit_series(
    series: Series, writer: str = "", steps_per_epoch: int | None = None, run: str | None = None
) -> list[Fit]:
    """The schedule behind one logged LR series. Non-finite points are left out (and counted in
    a note); where the steps go back, the blocks are runs appended into one file and each is
    fitted on its own."""
    run = run if run is not None else series.run
    ok = np.isfinite(series.values)
    notes = []
    if not ok.all():
        notes.append(f"{int((~ok).sum())} non-finite value(s) left out")
    steps, values = series.steps[ok], series.values[ok]
    if not len(steps):
        raise ValueError(f"{series.tag}: no finite value to fit")
    back = np.flatnonzero(np.diff(steps) <= 0) + 1
    blocks = np.split(np.arange(len(steps)), back)
    if len(blocks) > 1:
        where = ", ".join(f"{int(steps[b[0]]):,} after {int(steps[b[0] - 1]):,}" for b in blocks[1:])
        notes.append(
            f"{len(blocks)} runs appended into one file: the steps start again ({where}); "
            "each is fitted on its own"
        )
    out = []
    for k, idx in enumerate(blocks):
        part = Series(
            series.tag,
            series.run,
            steps[idx],
            values[idx],
            None,
            series.x_kind,
            series.source,
            series.epoch_zero_based,
            series.rounding,
        )
        name = run if len(blocks) == 1 else f"{run} (block {k + 1} of {len(blocks)})"
        fit = _fit_block(part, writer, steps_per_epoch, name)
        fit.notes[:0] = notes
        out.append(fit)
    return out


def _placements(series: Series, writer: str, steps_per_epoch: int | None, tol: float) -> list[Points]:
    if series.x_kind == "epoch" or is_epoch_indexed(series, writer):
        spe = steps_per_epoch or 1
        p = place(series, spe, writer=writer, lr=True)
        words = p.rule if steps_per_epoch else f"{p.rule} (steps per epoch unknown: one step per epoch)"
        return [Points(p.steps, series.values, tol, words, 0)]
    conv = CONVENTIONS.get(writer, CONVENTIONS[""])
    out = []
    for shift, words in conv:
        keep = series.steps >= shift  # a point placed before step 0 cannot be told apart
        out.append(Points(series.steps[keep] - shift, series.values[keep], tol, words, shift))
    return out


def _fit_block(series: Series, writer: str, steps_per_epoch: int | None, run: str) -> Fit:
    tol = tolerance(series)
    if writer == "ultralytics":
        found = _ultralytics(series, tol, steps_per_epoch)
        if found is not None:
            return _from_recognized(series, run, found, tol)
    placements = _placements(series, writer, steps_per_epoch, tol)
    families = _by_library(writer)
    found = recognize(placements, families)
    if found is not None:
        return _from_recognized(series, run, found, tol)
    if series.x_kind == "step":
        lagged = [Points(p.steps, p.values, p.tol, p.placement, p.offset, MAX_LAG) for p in placements]
        found = recognize(lagged, families)
        if found is not None:
            return _from_recognized(series, run, found, tol)
        pieces = _resumed(placements)
        if pieces:
            return _from_pieces(series, run, pieces, tol)
    return _segments(series, run, placements[0], tol)


#: Schedules whose length a resume can change (a step schedule's drops are cuts, not resumes).
RESUMABLE = {f.preset for f in FAMILIES if f.total or f.length}

#: The library whose names a writer's schedules take first (the same curve has several names).
LIBRARY = {"hf": "hf.", "lightning": "torch.", "keras-csv": "keras.", "keras-tensorboard": "keras."}


def _by_library(writer: str):
    prefix = LIBRARY.get(writer)
    if not prefix:
        return FAMILIES
    # a flat LR stays `constant` whatever the writer: the simplest name for it
    return sorted(FAMILIES, key=lambda f: f.preset != "constant" and not f.preset.startswith(prefix))


def _ultralytics(series: Series, tol: float, steps_per_epoch: int | None) -> Recognized | None:
    try:
        from ..schedule.fitting import ultralytics
    except ImportError:
        return None
    epochs = series.steps - (0 if series.epoch_zero_based else 1)
    found = ultralytics.recognize(epochs, series.values, tol, steps_per_epoch)
    return found[0] if found else None


def _from_recognized(series: Series, run: str, rec: Recognized, tol: float) -> Fit:
    err = _error(rec, series)
    return Fit(
        run,
        series.tag,
        rec,
        rec.design,
        len(rec.design.segments),
        err,
        tol,
        list(rec.inferred),
        list(rec.notes),
    )


def _error(rec: Recognized, series: Series) -> float:
    steps = rec.steps
    values = series.values
    if len(values) != len(steps):  # a placement leaves out points it would put before step 0
        values = values[series.steps >= rec.offset]
    if "step_lag" in rec.extra:
        shift = np.zeros(len(steps), dtype=np.int64)
        logged = steps + rec.offset
        for k, s in rec.extra["step_lag"]:
            shift[logged >= k] = s - rec.offset
        steps = steps - shift
    err = rel_error(values, rec.design.evaluate(steps))
    return float(err.max()) if len(err) else 0.0


def _resumed(placements: list[Points]) -> list[Recognized] | None:
    """A run resumed with a changed schedule length: split where the LR jumps or its course
    changes, and recognise each piece."""
    base = placements[0]
    seg = fit_segments(base.steps, base.values, base.tol)
    candidates: list[int] = []
    biggest_first = sorted(jumps(base.steps, base.values, base.tol), key=lambda j: -abs(np.log(j[1] or 1e-300)))
    candidates += [i for i, _factor in biggest_first]
    candidates += [k for k in seg.knots[1:-1] if k not in candidates]
    tried = set()
    for knot in candidates[:12]:
        for cut in (knot, knot + 1, knot - 1):
            if cut in tried or cut < 3 or cut > len(base.steps) - 3:
                continue
            tried.add(cut)
            head = recognize([_slice(p, 0, cut) for p in placements])
            if head is None or head.preset not in RESUMABLE:  # cuts of a step schedule are not resumes
                continue
            tail = _resumed_tail(head, [_slice(p, cut, None) for p in placements])
            if tail is not None:
                return [head, tail]
    return None


def _resumed_tail(head: Recognized, placements: list[Points]) -> Recognized | None:
    """The schedule after a resume: the same scheduler, its warmup as before (the points after a
    resume rarely show it) or solved again, only its length changed."""
    family = next(f for f in FAMILIES if f.preset == head.preset)
    warmups = [head.params.get(family.warmup), None] if family.warmup else [None]
    found = [
        r for warmup in warmups for p in placements if (r := recognize_family(family, p, warmup)) is not None
    ]
    # the simplest arguments, in the convention the run was logged in before
    return min(found, key=lambda r: (digits(r), r.offset != head.offset)) if found else None


def _slice(p: Points, a: int, b: int | None) -> Points:
    return Points(p.steps[a:b], p.values[a:b], p.tol, p.placement, p.offset, p.max_lag)


def _from_pieces(series: Series, run: str, pieces: list[Recognized], tol: float) -> Fit:
    last = pieces[-1]
    first_step = int(last.steps[0]) + last.offset
    notes = []
    a, b = pieces[0], pieces[1]
    changed = [f"{k} {a.params.get(k)!r} -> {v!r}" for k, v in b.params.items() if a.params.get(k) != v]
    notes.append(
        f"resumed with a changed schedule at logged step {first_step:,}"
        f"{': ' + ', '.join(changed) if changed else ''}; before it: {a.describe()}; "
        f"from it: {b.describe()}"
    )
    errs = []
    for p in pieces:
        vals = series.values[np.isin(series.steps, p.steps + p.offset)]
        errs.append(float(rel_error(vals, p.design.evaluate(p.steps)).max()))
    inferred = [f"piece {i + 1}: {x}" for i, p in enumerate(pieces) for x in p.inferred]
    notes += [f"piece {i + 1}: {x}" for i, p in enumerate(pieces) for x in p.notes]
    design = resumed_design(pieces)
    return Fit(run, series.tag, last, design, len(design.segments), max(errs), tol, inferred, notes, pieces)


def resumed_design(pieces: list[Recognized]) -> Design:
    """The run as it went: each piece's schedule from the step its points start at (the design
    step of its first point) to the next piece's, the last one to its own end."""
    from ..schedule.compose import extended, window

    segs = []
    starts = [int(p.steps[0]) for p in pieces[1:]]
    lo = 0
    for piece, hi in zip(pieces, [*starts, None]):
        design = piece.design
        end = design.total_steps if hi is None else hi
        if end <= lo:
            continue
        at = 0
        for seg in extended(design, max(end, design.total_steps)):
            a, b = max(at, lo), min(at + seg.duration, end)
            if b > a:
                segs.append(seg if (a, b) == (at, at + seg.duration) else window(seg, a - at, b - a))
            at += seg.duration
        lo = end
    last = pieces[-1].design
    return Design(tuple(segs), name=last.name, description=last.description, after_end=last.after_end)


def _segments(series: Series, run: str, p: Points, tol: float) -> Fit:
    seg = fit_segments(p.steps, p.values, tol)
    notes = [f"no library schedule reproduces every point; segments placed as {p.placement}"]
    for i, factor in jumps(p.steps, p.values, tol):
        step = int(series.steps[i])
        if factor < 1:
            notes.append(
                f"the LR is cut by a factor {factor:.4g} at step {step:,} (a plateau cut or a milestone)"
            )
        else:
            notes.append(f"the LR jumps up by a factor {factor:.4g} at step {step:,} (a resume or a restart)")
    return Fit(run, series.tag, None, seg.design, len(seg.design.segments), seg.max_rel_error, tol, [], notes)

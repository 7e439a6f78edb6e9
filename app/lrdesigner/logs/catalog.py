"""The runs x tags table the window shows when a log is opened: one row per series."""

from __future__ import annotations

from dataclasses import dataclass

from .alignment import is_epoch_indexed, is_lr_tag
from .series import LogRun


@dataclass(frozen=True)
class SeriesInfo:
    run: str
    tag: str
    points: int
    first: int | None  # first and last x as logged (steps, or epochs when x_kind says so)
    last: int | None
    x_kind: str
    axis: str  # "lr": drawn on the design's LR axis; "metric": on the right-hand axis
    nonfinite: int
    needs_steps_per_epoch: bool  # x counts epochs: placing it needs the design's steps per epoch
    writer: str


def catalog(runs: list[LogRun]) -> list[SeriesInfo]:
    """One row per series of `runs`, in run order then tag order."""
    rows = []
    for run in runs:
        for tag, s in run.series.items():
            rows.append(
                SeriesInfo(
                    run.name,
                    tag,
                    len(s),
                    int(s.steps.min()) if len(s) else None,
                    int(s.steps.max()) if len(s) else None,
                    "epoch" if is_epoch_indexed(s, run.writer) else "step",
                    "lr" if is_lr_tag(tag) else "metric",
                    s.nonfinite_count,
                    is_epoch_indexed(s, run.writer),
                    run.writer,
                )
            )
    return rows

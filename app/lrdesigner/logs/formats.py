"""The registry of log formats: how each is read, whether following it reads on from where the
last poll stopped, and what the file dialog offers for it. `detect` and `follow` walk it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from . import events, mlflow
from .console import read_console
from .jsonlogs import read_jsonl, read_trainer_state
from .series import LogRun
from .tabular import read_csv
from .wandb_run import read_wandb

#: read(path, name or None, tick, skip_bad) -> the runs of one source.
Reader = Callable[[str, "str | None", "Callable[[int], None] | None", bool], list[LogRun]]


@dataclass(frozen=True)
class LogFormat:
    """One log format a source can have (`Source.fmt` is its name)."""

    name: str
    label: str  # what the file dialog calls its files
    patterns: tuple[str, ...]  # the file dialog's name patterns ("" for formats kept in folders)
    read: Reader
    #: Following reads on from where the last poll stopped ("append"), or reads a changed file
    #: again whole ("reread").
    follow: str = "reread"
    #: An unnamed run is named after the folder holding its file.
    named_by_folder: bool = False
    #: Whether `read` reports its own progress (else the source's size is counted once it is read).
    ticks: bool = False


FORMATS: dict[str, LogFormat] = {}


def register(fmt: LogFormat) -> LogFormat:
    """Add a log format (replacing one of the same name)."""
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> LogFormat:
    return FORMATS[name]


def run_name(path: str) -> str:
    """The name of the folder holding `path` ("run" at the root)."""
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or "run"


def file_dialog_filter() -> str:
    """The Qt file-dialog filter for opening a log: every format's patterns together first, then
    one entry per format, then all files."""
    entries = [(fmt.label, fmt.patterns) for fmt in FORMATS.values() if fmt.patterns]
    every = list(dict.fromkeys(p for _, patterns in entries for p in patterns))
    rows = [f"Training logs ({' '.join(every)})"]
    rows += [f"{label} ({' '.join(patterns)})" for label, patterns in entries]
    rows.append("All files (*)")
    return ";;".join(rows)


register(
    LogFormat(
        "tensorboard",
        "TensorBoard event files",
        ("*.tfevents*", "events.out*"),
        lambda path, name, tick, skip_bad: [events.read_run(path, name or run_name(path), tick, skip_bad)],
        follow="append",
        named_by_folder=True,
        ticks=True,
    )
)
register(
    LogFormat(
        "trainer_state",
        "Hugging Face trainer_state.json",
        ("trainer_state.json",),
        lambda path, name, tick, skip_bad: [read_trainer_state(path, name)],
    )
)
register(
    LogFormat(
        "jsonl",
        "JSON lines",
        ("*.jsonl", "*.ndjson", "*.json"),
        lambda path, name, tick, skip_bad: [read_jsonl(path, name)],
        named_by_folder=True,
    )
)
register(
    LogFormat(
        "csv",
        "CSV logs (Keras, Lightning, W&B export, results.csv)",
        ("*.csv", "*.tsv"),
        lambda path, name, tick, skip_bad: read_csv(path, name=name),
    )
)
register(LogFormat("mlflow", "MLflow runs", (), lambda path, name, tick, skip_bad: [mlflow.read_run(path)]))
register(
    LogFormat(
        "console",
        "Console output",
        ("*.log", "*.txt", "*.out"),
        lambda path, name, tick, skip_bad: [read_console(path, name or run_name(path))],
        named_by_folder=True,
    )
)
register(
    LogFormat(
        "wandb",
        "W&B run files",
        ("*.wandb",),
        lambda path, name, tick, skip_bad: [read_wandb(path, name or run_name(path))],
    )
)

"""The registry of log formats: how each is recognised (by file name and by content), read and
followed, which writer conventions it implies, and what the file dialog offers for it. `detect`,
`follow` and `alignment.guess_writer` walk it; a format registered from any module is opened,
found in folders and offered like the built-in ones."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from dataclasses import dataclass

from . import events, mlflow
from .console import looks_like_console_log, read_console
from .jsonlogs import (
    has_log_history,
    has_step_key,
    looks_like_trainer_state,
    read_jsonl,
    read_trainer_state,
    starts_json_object,
)
from .records import starts_with_record
from .series import LogRun
from .tabular import has_step_column, read_csv
from .wandb_run import read_wandb

#: read(path, name or None, tick, skip_bad) -> the runs of one source.
Reader = Callable[[str, "str | None", "Callable[[int], None] | None", bool], list[LogRun]]

# Sniffing priorities, lowest first. File-name tests come before any content is read; a binary
# format's leading bytes before text content; then text files that hold no log are set aside,
# and whatever is left is read as CSV.
NAME = 100
SIGNATURE = 200
TEXT = 300
NOT_A_LOG = 800
FALLBACK = 900


@dataclass(frozen=True)
class Sniff:
    """One test of a file: by its path only (`reads_head` false: the file is not opened) or by
    its first bytes too. Tests run in `priority` order; the first that holds decides."""

    priority: int
    test: Callable[[str, bytes], bool]  # (path, head) -> the file is of this format
    reads_head: bool = True


def by_name(priority: int, test: Callable[[str], bool]) -> Sniff:
    """A test of the path alone (the priority must come before content tests)."""
    if priority >= SIGNATURE:
        raise ValueError(f"a file-name test comes before content tests (priority < {SIGNATURE})")
    return Sniff(priority, lambda path, head: test(path), reads_head=False)


def by_content(priority: int, test: Callable[[str, bytes], bool]) -> Sniff:
    """A test of the file's first bytes (`head`) and path."""
    if priority < SIGNATURE:
        raise ValueError(f"a content test comes after file-name tests (priority >= {SIGNATURE})")
    return Sniff(priority, test)


@dataclass(frozen=True)
class WriterRule:
    """A writer convention (a key of `alignment.WRITERS`) recognised in a run, or None. Rules of
    every format and the format-free ones in `alignment` run in `priority` order."""

    priority: int
    guess: Callable[[LogRun], str | None]


@dataclass(frozen=True)
class LogFormat:
    """One log format a source can have (`Source.fmt` is its name)."""

    name: str
    label: str  # what the file dialog calls its files
    patterns: tuple[str, ...]  # the file dialog's name patterns, and the files a folder scan looks at
    read: Reader
    #: How a single file is recognised as this format.
    sniffs: tuple[Sniff, ...] = ()
    #: Following reads on from where the last poll stopped ("append"), or reads a changed file
    #: again whole ("reread").
    follow: str = "reread"
    #: An unnamed run is named after the folder holding its file.
    named_by_folder: bool = False
    #: Whether `read` reports its own progress (else the source's size is counted once it is read).
    ticks: bool = False
    #: A folder scan takes the files its patterns match as this format ("name"), sniffs them and
    #: takes whichever text format they hold ("content"), or finds runs as folders (`run_folder`).
    scan: str = "name"
    #: File names a folder scan names after their folder (Lightning's version_N/metrics.csv).
    folder_named: tuple[str, ...] = ()
    #: Plain text: a folder scan takes it wherever sniffing finds it (not only under its patterns).
    text: bool = True
    #: Whether a file sniffed as this format in a folder is a log (a JSON config is not).
    accept: Callable[[str], bool] | None = None
    #: A folder that is one run of this format (TensorBoard: it holds event files; MLflow: a run
    #: folder), `run_file` telling its files apart; with `whole_folder` nothing below it is scanned.
    run_folder: Callable[[str, list[str]], bool] | None = None
    run_file: Callable[[str], bool] | None = None
    whole_folder: bool = False
    #: The folder that is the run of one file of it (MLflow: metrics/<key> -> the run folder).
    run_of_file: Callable[[str], str] | None = None
    #: The writer conventions its runs imply.
    writers: tuple[WriterRule, ...] = ()

    def matches(self, file_name: str) -> bool:
        """Whether a file name matches one of the format's patterns (case-insensitive)."""
        lower = file_name.lower()
        return any(fnmatch.fnmatchcase(lower, p.lower()) for p in self.patterns)


FORMATS: dict[str, LogFormat] = {}
#: Sniffs that set a file aside as no log (not tied to one format).
NOT_LOGS: list[Sniff] = []


def register(fmt: LogFormat) -> LogFormat:
    """Add a log format (replacing one of the same name)."""
    if fmt.scan not in ("name", "content", "folder"):
        raise ValueError(f"{fmt.name}: scan is 'name', 'content' or 'folder', not {fmt.scan!r}")
    if (fmt.scan == "folder") != (fmt.run_folder is not None):
        raise ValueError(f"{fmt.name}: a format scanned as folders (scan='folder') has a run_folder test")
    FORMATS[fmt.name] = fmt
    return fmt


def get_format(name: str) -> LogFormat:
    return FORMATS[name]


def sniffs() -> list[tuple[Sniff, str | None]]:
    """Every sniff with the format it finds (None: no log), in priority order."""
    found = [(s, fmt.name) for fmt in FORMATS.values() for s in fmt.sniffs]
    found += [(s, None) for s in NOT_LOGS]
    return sorted(found, key=lambda pair: pair[0].priority)


def writer_rules() -> list[tuple[str, WriterRule]]:
    """(format name, rule) for every format's writer rules."""
    return [(fmt.name, rule) for fmt in FORMATS.values() for rule in fmt.writers]


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


_TEXT_LOGS = (".log", ".txt", ".out")


def _base(path: str) -> str:
    return os.path.basename(path)


def _keras_csv(run: LogRun) -> str | None:
    """Epoch-indexed rows: Keras's CSVLogger (or its console output)."""
    return "keras-csv" if any(s.x_kind == "epoch" for s in run.series.values()) else None


def _lightning_csv(run: LogRun) -> str | None:
    """An `epoch` column beside step-indexed series: Lightning's metrics.csv."""
    steps = any(s.x_kind == "step" for s in run.series.values())
    return "lightning" if "epoch" in run.series and steps else None


def _keras_tensorboard(run: LogRun) -> str | None:
    return "keras-tensorboard" if any(t.startswith(("epoch_", "batch_")) for t in run.series) else None


register(
    LogFormat(
        "tensorboard",
        "TensorBoard event files",
        ("*.tfevents*", "events.out*"),
        lambda path, name, tick, skip_bad: [events.read_run(path, name or run_name(path), tick, skip_bad)],
        sniffs=(
            by_name(NAME, lambda path: events.is_event_file(_base(path))),
            by_content(SIGNATURE, lambda path, head: starts_with_record(head)),
        ),
        follow="append",
        named_by_folder=True,
        ticks=True,
        text=False,
        scan="folder",
        run_folder=lambda folder, files: any(events.is_event_file(f) for f in files),
        run_file=events.is_event_file,
        writers=(WriterRule(50, _keras_tensorboard),),
    )
)
register(
    LogFormat(
        "trainer_state",
        "Hugging Face trainer_state.json",
        ("trainer_state.json",),
        lambda path, name, tick, skip_bad: [read_trainer_state(path, name)],
        sniffs=(
            by_name(NAME + 10, lambda path: _base(path) == "trainer_state.json"),
            by_content(TEXT + 10, looks_like_trainer_state),
        ),
        folder_named=("trainer_state.json",),
        accept=has_log_history,
        writers=(WriterRule(10, lambda run: "hf"),),
    )
)
register(
    LogFormat(
        "jsonl",
        "JSON lines",
        ("*.jsonl", "*.ndjson", "*.json"),
        lambda path, name, tick, skip_bad: [read_jsonl(path, name)],
        sniffs=(by_content(TEXT + 20, lambda path, head: starts_json_object(head)),),
        named_by_folder=True,
        scan="content",
        # One `.json` object without a step is a run summary, not a log.
        accept=lambda path: path.lower().endswith((".jsonl", ".ndjson")) or has_step_key(path),
    )
)
register(
    LogFormat(
        "csv",
        "CSV logs (Keras, Lightning, W&B export, results.csv)",
        ("*.csv", "*.tsv"),
        lambda path, name, tick, skip_bad: read_csv(path, name=name),
        sniffs=(by_content(FALLBACK, lambda path, head: True),),
        folder_named=("metrics.csv",),  # Lightning: version_N/metrics.csv
        writers=(WriterRule(30, _lightning_csv), WriterRule(40, _keras_csv)),
    )
)
register(
    LogFormat(
        "mlflow",
        "MLflow runs",
        (),
        lambda path, name, tick, skip_bad: [mlflow.read_run(path)],
        # A metric file: <run>/metrics/<key>, no extension.
        sniffs=(by_name(NAME + 20, lambda path: run_name(path) == "metrics" and "." not in _base(path)),),
        text=False,
        scan="folder",
        run_folder=lambda folder, files: mlflow.is_run_folder(folder),
        whole_folder=True,
        run_of_file=lambda path: os.path.dirname(os.path.dirname(os.path.abspath(path))),
    )
)
register(
    LogFormat(
        "console",
        "Console output",
        ("*.log", "*.txt", "*.out"),
        lambda path, name, tick, skip_bad: [read_console(path, name or run_name(path))],
        sniffs=(
            # A printed Python dict ({'loss': ...}) before JSON's `{`.
            by_content(TEXT, lambda path, head: head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{'")),
            by_content(TEXT + 30, lambda path, head: looks_like_console_log(head)),
        ),
        named_by_folder=True,
        scan="content",
        writers=(WriterRule(40, _keras_csv),),
    )
)
register(
    LogFormat(
        "wandb",
        "W&B run files",
        ("*.wandb",),
        lambda path, name, tick, skip_bad: [read_wandb(path, name or run_name(path))],
        sniffs=(by_content(SIGNATURE + 10, lambda path, head: head.startswith(b":W&B")),),
        text=False,
    )
)
# Text without metrics this reads; a text log with a step column is CSV (Keras's CSVLogger
# writes training.log as CSV).
NOT_LOGS.append(
    by_content(NOT_A_LOG, lambda path, head: path.lower().endswith(_TEXT_LOGS) and not has_step_column(head))
)

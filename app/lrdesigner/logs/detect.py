"""Open any supported log by path: the format is chosen by name and by content.

A folder is searched for every log in it, whatever the format: each folder holding TensorBoard
event files is a run (named as TensorBoard names it), MLflow run folders are runs, and every
other log file (CSV, JSON lines, trainer_state.json, console output, W&B run files) is a run of
its own. A file that cannot be read is skipped with a warning naming it and the problem; only
when nothing at all can be read is it an error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from . import events, mlflow
from .alignment import guess_writer
from .console import looks_like_console_log
from .errors import Cancelled, LogError, read_head
from .formats import FORMATS, get_format, run_name
from .jsonlogs import STEP_KEYS
from .records import starts_with_record
from .series import LogRun
from .tabular import has_step_column

_SNIFF_BYTES = 1 << 16
_TEXT_LOGS = (".log", ".txt", ".out")
_CSV = (".csv", ".tsv")
_JSON = (".json", ".jsonl", ".ndjson")

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


@dataclass(frozen=True)
class Source:
    """One run to read: its name, the file or folder holding it, and the format."""

    name: str
    path: str
    fmt: str

    def size(self) -> int:
        """Bytes to read (for progress)."""
        if os.path.isfile(self.path):
            return _size(self.path)
        total = 0
        for dirpath, _, files in os.walk(self.path):
            for f in files:
                if self.fmt != "tensorboard" or events.is_event_file(f):
                    total += _size(os.path.join(dirpath, f))
            if self.fmt == "tensorboard":
                break
        return total


class LogSet(list):
    """The runs read from a path (a list of LogRun), with `warnings` about files left out."""

    def __init__(self, runs=(), warnings=None) -> None:
        super().__init__(runs)
        self.warnings: list[str] = list(warnings or [])


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _first_line(path: str, limit: int = 1 << 24) -> bytes:
    with open(path, "rb") as f:
        return f.readline(limit)


def sniff_file(path: str) -> str | None:
    """The format of one file, or None when its content is no log this reads."""
    name = os.path.basename(path)
    if events.is_event_file(name):
        return "tensorboard"
    if name == "trainer_state.json":
        return "trainer_state"
    if os.path.basename(os.path.dirname(os.path.abspath(path))) == "metrics" and "." not in name:
        return "mlflow"
    head = read_head(path, _SNIFF_BYTES)
    if starts_with_record(head):
        return "tensorboard"
    if head.startswith(b":W&B"):
        return "wandb"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        if stripped.startswith(b"{'"):
            return "console"
        try:  # JSON lines: the first line is a whole object (it may be longer than the head)
            first = json.loads(_first_line(path).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError, OSError):
            return "trainer_state"  # one JSON document over several lines
        if isinstance(first, dict) and "log_history" in first:
            return "trainer_state"
        return "jsonl"
    if looks_like_console_log(head):
        return "console"
    if name.lower().endswith(_TEXT_LOGS) and not has_step_column(head):
        return None  # text without metrics this reads (Keras's CSVLogger writes training.log as CSV)
    return "csv"


def find_sources(path: str) -> list[Source]:
    """The runs at `path` (a file or a folder) and how to read each."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise LogError(path, "no such file or folder")
    if not os.path.isdir(path):
        fmt = sniff_file(path)
        if fmt is None:
            raise LogError(path, "no metrics found: not a log format this reads")
        if fmt == "mlflow":
            return [Source("", os.path.dirname(os.path.dirname(os.path.abspath(path))), "mlflow")]
        name = run_name(path) if FORMATS[fmt].named_by_folder else ""
        return [Source(name, path, fmt)]
    return _folder_sources(path)


def _folder_sources(root: str) -> list[Source]:
    out: list[Source] = []
    base = os.path.basename(os.path.normpath(root))
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel = os.path.relpath(dirpath, root)
        folder_name = base if rel == "." else rel.replace(os.sep, "/")
        if mlflow.is_run_folder(dirpath):
            out.append(Source("", dirpath, "mlflow"))
            dirnames[:] = []
            continue
        if any(events.is_event_file(f) for f in files):
            out.append(Source(folder_name, dirpath, "tensorboard"))
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            lower = f.lower()
            file_name = f if rel == "." else f"{rel.replace(os.sep, '/')}/{f}"
            if events.is_event_file(f) or f.startswith("."):
                continue
            if f == "trainer_state.json":
                out.append(Source(folder_name, full, "trainer_state"))
            elif f == "metrics.csv":  # Lightning: version_N/metrics.csv
                out.append(Source(folder_name, full, "csv"))
            elif lower.endswith(_CSV):
                out.append(Source(file_name, full, "csv"))
            elif lower.endswith(".wandb"):
                out.append(Source(file_name, full, "wandb"))
            elif lower.endswith(_JSON) or lower.endswith(_TEXT_LOGS):
                try:
                    fmt = sniff_file(full)
                except LogError:  # unreadable: read it anyway, so that the warning names it
                    out.append(Source(file_name, full, "jsonl" if lower.endswith(_JSON) else "console"))
                    continue
                if fmt == "trainer_state" and not _has_log_history(full):
                    continue  # a JSON document that is no training log (a config)
                if fmt == "jsonl" and not lower.endswith((".jsonl", ".ndjson")) and not _has_step_key(full):
                    continue  # one JSON object without a step (a run summary)
                if fmt in ("jsonl", "console", "trainer_state", "csv"):
                    out.append(Source(file_name, full, fmt))
    return _unique(out)


def _has_log_history(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return b'"log_history"' in f.read()
    except OSError:
        return False


def _has_step_key(path: str) -> bool:
    try:
        first = json.loads(_first_line(path).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, OSError):
        return True  # not valid JSON: reported when read
    return isinstance(first, dict) and any(k in first for k in STEP_KEYS)


def _unique(sources: list[Source]) -> list[Source]:
    seen: set[str] = set()
    out = []
    for s in sources:
        name = s.name
        if name and name in seen:
            name = f"{name}/{os.path.basename(s.path)}"
        seen.add(name)
        out.append(Source(name, s.path, s.fmt))
    return out


def read_source(src: Source, tick: Callable[[int], None] | None = None, skip_bad: bool = False) -> list[LogRun]:
    """The runs of one source (a CSV may hold several, a W&B export one per run)."""
    fmt = get_format(src.fmt)
    runs = fmt.read(src.path, src.name or None, tick, skip_bad)
    if tick is not None and not fmt.ticks:
        tick(src.size())
    for run in runs:
        run.writer = run.writer or guess_writer(run, src.fmt)
    return runs


def read(path: str, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> LogSet:
    """Every run in a file or folder. `progress(done, total)` reports bytes read; when
    `cancelled()` turns true, reading stops with `Cancelled`."""
    path = os.fspath(path)
    sources = find_sources(path)
    folder = os.path.isdir(path)
    total = sum(s.size() for s in sources) if progress is not None else 0
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise Cancelled(path)
        done += n
        if progress is not None:
            progress(min(done, total), total)

    runs: list[LogRun] = []
    problems: list[LogError] = []
    for src in sources:
        tick(0)
        try:
            runs.extend(read_source(src, tick, skip_bad=folder))
        except LogError as exc:
            if not folder:
                raise
            problems.append(exc)
    if folder and not runs:
        if problems:
            if len(problems) == 1:
                raise problems[0]
            raise LogError(
                path,
                f"no log could be read ({len(problems)} skipped): " + "; ".join(str(p) for p in problems[:3]),
            )
        raise LogError(
            path,
            "no logs found: no TensorBoard event files, MLflow runs, CSV logs, trainer_state.json, "
            "JSON lines, console logs or W&B run files in this folder",
        )
    if progress is not None:
        progress(total, total)
    return LogSet(runs, [f"skipped {p}" for p in problems])

"""Open any supported log by path: the format is chosen by name and by content.

A folder is searched for every log in it, whatever the format: each folder holding TensorBoard
event files is a run (named as TensorBoard names it), MLflow run folders are runs, and every
other log file (CSV, JSON lines, trainer_state.json, console output, W&B run files) is a run of
its own. A file that cannot be read is skipped with a warning naming it and the problem; only
when nothing at all can be read is it an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from .alignment import guess_writer
from .errors import Cancelled, LogError, read_head
from .formats import FORMATS, get_format, run_name, sniffs
from .series import LogRun

_SNIFF_BYTES = 1 << 16

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
        run_file = get_format(self.fmt).run_file  # a run of the folder's own files (TensorBoard)
        total = 0
        for dirpath, _, files in os.walk(self.path):
            for f in files:
                if run_file is None or run_file(f):
                    total += _size(os.path.join(dirpath, f))
            if run_file is not None:
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


def sniff_file(path: str) -> str | None:
    """The format of one file, or None when its content is no log this reads: the registry's
    sniffs in priority order (file names first, the head is read only for content tests)."""
    head: bytes | None = None
    for sniff, fmt in sniffs():
        if sniff.reads_head and head is None:
            head = read_head(path, _SNIFF_BYTES)
        if sniff.test(path, head if head is not None else b""):
            return fmt
    return None


def find_sources(path: str) -> list[Source]:
    """The runs at `path` (a file or a folder) and how to read each."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise LogError(path, "no such file or folder")
    if not os.path.isdir(path):
        fmt = sniff_file(path)
        if fmt is None:
            raise LogError(path, "no metrics found: not a log format this reads")
        run_of_file = FORMATS[fmt].run_of_file
        if run_of_file is not None:
            return [Source("", run_of_file(path), fmt)]
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
        runs = [fmt for fmt in FORMATS.values() if fmt.scan == "folder" and fmt.run_folder(dirpath, files)]
        whole = next((fmt for fmt in runs if fmt.whole_folder), None)
        if whole is not None:
            out.append(Source("", dirpath, whole.name))
            dirnames[:] = []
            continue
        out += [Source(folder_name, dirpath, fmt.name) for fmt in runs]
        run_files = [fmt.run_file for fmt in FORMATS.values() if fmt.run_file is not None]
        for f in sorted(files):
            if f.startswith(".") or any(is_run_file(f) for is_run_file in run_files):
                continue
            full = os.path.join(dirpath, f)
            found = _folder_file(full, f)
            if found is not None:
                file_name = f if rel == "." else f"{rel.replace(os.sep, '/')}/{f}"
                out.append(Source(folder_name if f in FORMATS[found].folder_named else file_name, full, found))
    return _unique(out)


def _folder_file(path: str, file_name: str) -> str | None:
    """The format of a file met in a folder scan, or None to leave it out: a format whose
    patterns take it by name, else the text format sniffing finds in it (when it matches the
    patterns of a format that is sniffed)."""
    matching = [fmt for fmt in FORMATS.values() if fmt.matches(file_name)]
    named = next((fmt for fmt in matching if fmt.scan == "name"), None)  # before any content is read
    if named is not None:
        return named.name
    sniffed = next((fmt for fmt in matching if fmt.scan == "content"), None)
    if sniffed is None:
        return None
    try:
        found = sniff_file(path)
    except LogError:  # unreadable: read it anyway, so that the warning names it
        return sniffed.name
    if found is None or not FORMATS[found].text:
        return None
    accept = FORMATS[found].accept
    return found if accept is None or accept(path) else None


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

"""Following logs that are still being written.

`Follower(path).poll()` returns what changed since the last poll: per series either the points
appended, or (after a restart purge or a rewritten file) the whole series with `replaced=True`.
TensorBoard event files are read from the byte offset where the previous poll stopped (a
record still being written waits for the next poll), and new event files in a run folder are
picked up (a restarted job starts one). The text formats (CSV, JSON lines, trainer_state.json,
MLflow, console logs) are read again whole when a file's size or modification time changed
(an incomplete last line waits for its line end), and compared
with what was emitted: that also covers Lightning rewriting metrics.csv when a metric appears
and HF rewriting trainer_state.json at each checkpoint.
`follow(path, interval, stop)` polls on a timer (`threading.Event.wait`, no busy loop).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import detect, events
from .alignment import guess_writer
from .errors import LogError
from .formats import get_format, run_name
from .series import Series


@dataclass
class Update:
    run: str
    tag: str
    series: Series  # the new points, or the whole series when `replaced`
    replaced: bool = False


class _Emitted:
    """What a consumer has seen of one series: its length and last point."""

    def __init__(self) -> None:
        self.count = 0
        self.last: tuple[int, float] | None = None


def _diff(run: str, s: Series, seen: dict[tuple[str, str], _Emitted]) -> Update | None:
    key = (run, s.tag)
    e = seen.setdefault(key, _Emitted())
    n = len(s)
    same_prefix = e.count == 0 or (
        n >= e.count
        and e.last is not None
        and int(s.steps[e.count - 1]) == e.last[0]
        and (s.values[e.count - 1] == e.last[1] or (np.isnan(s.values[e.count - 1]) and np.isnan(e.last[1])))
    )
    if same_prefix and n == e.count:
        return None
    if n:
        e.last = (int(s.steps[-1]), float(s.values[-1]))
    if same_prefix:
        start, e.count = e.count, n
        tail = Series(
            s.tag,
            s.run,
            s.steps[start:],
            s.values[start:],
            None if s.wall_times is None else s.wall_times[start:],
            s.x_kind,
            s.source,
        )
        return Update(run, s.tag, tail, False)
    e.count = n
    return Update(run, s.tag, s, True)


class Follower:
    """Polls a log file or folder for new points."""

    def __init__(self, path: str) -> None:
        self.path = os.fspath(path)
        self._seen: dict[tuple[str, str], _Emitted] = {}
        self._tb: dict[str, events.EventState] = {}  # run folder -> state
        self._text: dict[detect.Source, tuple[tuple, list]] = {}  # source -> (signature, runs)
        self.warnings: list[str] = []  # files skipped in the last poll

    def poll(self) -> list[Update]:
        """The changes since the last poll (everything, the first time)."""
        out: list[Update] = []
        for run in self._read():
            for s in run.series.values():
                u = _diff(run.name, s, self._seen)
                if u is not None:
                    out.append(u)
        return out

    def _read(self):
        folder = os.path.isdir(self.path)
        runs: list = []
        problems = self.warnings = []
        for src in detect.find_sources(self.path):
            try:
                if get_format(src.fmt).follow == "append":
                    runs.append(self._read_tb(src.name or run_name(src.path), src.path))
                    continue
                signature = _signature(src.path)
                cached = self._text.get(src)
                if cached is None or cached[0] != signature:
                    cached = self._text[src] = (signature, detect.read_source(src))
                runs.extend(cached[1])
            except LogError as exc:
                if not folder:
                    raise
                problems.append(f"skipped {exc}")
        return runs

    def _read_tb(self, name: str, folder: str):
        state = self._tb.setdefault(folder, events.EventState())
        files = [folder] if os.path.isfile(folder) else events.event_files(folder)
        for f in files:  # new files included: their offset starts at 0
            try:
                size = os.path.getsize(f)
            except OSError:
                continue
            if size > state.offsets.get(f, 0):
                try:
                    events.read_file(f, state)
                except LogError as exc:
                    if len(files) == 1:
                        raise
                    events._forget(state, f)
                    state.offsets[f] = size  # read it again only once it changes
                    self.warnings.append(f"skipped {exc}")
        run = events.build_run(name, folder, state)
        run.writer = guess_writer(run, "tensorboard")
        return run


def _signature(root: str) -> tuple:
    if os.path.isfile(root):
        st = os.stat(root)
        return ((root, st.st_size, st.st_mtime_ns),)
    out = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for f in sorted(files):
            try:
                st = os.stat(os.path.join(dirpath, f))
            except OSError:
                continue
            out.append((os.path.join(dirpath, f), st.st_size, st.st_mtime_ns))
    return tuple(out)


def follow(path: str, interval: float = 1.0, stop: threading.Event | None = None) -> Iterator[list[Update]]:
    """Yield each non-empty poll of `path` until `stop` is set; waits `interval` seconds between."""
    stop = stop or threading.Event()
    follower = Follower(path)
    while not stop.is_set():
        try:
            updates = follower.poll()
        except LogError:
            if stop.wait(interval):
                return
            continue
        if updates:
            yield updates
        if stop.wait(interval):
            return

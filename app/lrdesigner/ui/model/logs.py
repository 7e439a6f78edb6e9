"""The opened logs: every run read from each file or folder, in one home. Log layers draw series
held here, and following a file merges its new points here."""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QObject, Signal

from ...logs import Series, is_lr_tag


class Logs(QObject):
    """path -> run name -> tag -> Series. `updated(path, keys)` after new points arrived, `keys`
    the (run, tag) pairs that changed."""

    updated = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs: dict[str, dict[str, dict[str, Series]]] = {}

    def put(self, path: str, runs) -> None:
        """The runs read from `path` (read again: they replace what was held)."""
        self._runs[path] = {run.name: dict(run.series) for run in runs}

    def paths(self) -> list[str]:
        return list(self._runs)

    def series(self, path: str, run: str, tag: str) -> Series | None:
        return self._runs.get(path, {}).get(run, {}).get(tag)

    def lr_of(self, path: str, run: str) -> Series | None:
        """The run's logged LR (its first LR series with points), if it logged one."""
        tags = self._runs.get(path, {}).get(run, {})
        return next((s for t, s in tags.items() if is_lr_tag(t) and len(s)), None)

    def merge(self, path: str, updates) -> set[tuple[str, str]]:
        """New points of a followed file (`logs.follow.Update`s): appended, or a series replaced."""
        runs = self._runs.setdefault(path, {})
        changed = set()
        for update in updates:
            tags = runs.setdefault(update.run, {})
            old = tags.get(update.tag)
            tags[update.tag] = update.series if old is None else merged(old, update)
            changed.add((update.run, update.tag))
        if changed:
            self.updated.emit(path, changed)
        return changed


def merged(old: Series, update) -> Series:
    """A followed series with an update: appended points, or the whole series when replaced."""
    new = update.series
    if update.replaced or not len(old) or (len(new) and new.steps[0] <= old.steps[-1] and len(new) >= len(old)):
        return new
    walls = None
    if old.wall_times is not None and new.wall_times is not None:
        walls = np.concatenate([old.wall_times, new.wall_times])
    steps, values = np.concatenate([old.steps, new.steps]), np.concatenate([old.values, new.values])
    return dataclasses.replace(old, steps=steps, values=values, wall_times=walls)

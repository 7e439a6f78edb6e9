"""Where the document lives: settings, recent files, and per-window autosave with recovery."""

from __future__ import annotations

import datetime
import json
import os
import uuid
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from ...schedule import designfile
from ...schedule.design import Design
from ...schedule.errors import DesignError

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lrdesigner", "lrdesigner")


def recovery_dir() -> str:
    return os.path.join(os.path.dirname(settings().fileName()), "recovery")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@dataclass(frozen=True)
class Recovered:
    """An autosaved design left behind by a window that did not close normally."""

    design: Design
    source: str  # the file it was opened from ("" when never saved)
    when: str
    path: str  # the recovery file (removed once offered)


class Session:
    """One window's recent files and its own recovery file (several windows never share one)."""

    def __init__(self) -> None:
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    # ---- recent files ------------------------------------------------------------------
    def last_dir(self) -> str:
        return str(settings().value("last_dir", os.path.expanduser("~")))

    def recent(self) -> list[str]:
        s = settings()
        stored = [str(p) for p in (s.value("recent") or []) if p]
        files = [p for p in stored if os.path.isfile(p)]
        if files != stored:
            s.setValue("recent", files)  # files that are gone drop out
        return files

    def remember(self, path: str, drop: bool = False) -> None:
        s = settings()
        path = os.path.abspath(path)
        s.setValue("last_dir", os.path.dirname(path))
        recent = [p for p in self.recent() if p != path]
        if not drop:
            recent.insert(0, path)
        if recent != self.recent():
            s.setValue("recent", recent[:MAX_RECENT])

    # ---- recovery ----------------------------------------------------------------------
    @property
    def recovery_path(self) -> str:
        return os.path.join(recovery_dir(), f"{self.token}.lrdesign.json")

    def write_recovery(self, design: Design, source: str) -> None:
        """Autosave `design` to this window's recovery file (raises OSError)."""
        os.makedirs(recovery_dir(), exist_ok=True)
        designfile.save(design, self.recovery_path)
        meta = {"pid": os.getpid(), "source": source}
        with open(self.recovery_path[: -len(".lrdesign.json")] + ".meta.json", "w", encoding="utf-8") as f:
            json.dump(meta, f)

    def clear_recovery(self) -> None:
        for path in (self.recovery_path, self.recovery_path[: -len(".lrdesign.json")] + ".meta.json"):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass

    def orphans(self) -> list[Recovered]:
        """Recovery files of windows whose process is gone (newest first); unreadable ones are removed."""
        folder = recovery_dir()
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return []
        out = []
        for name in names:
            if not name.endswith(".lrdesign.json"):
                continue
            stem = name[: -len(".lrdesign.json")]
            meta_path = os.path.join(folder, stem + ".meta.json")
            try:
                with open(meta_path, encoding="utf-8") as f:
                    meta = json.load(f)
                pid, source = int(meta["pid"]), str(meta.get("source", ""))
            except (OSError, ValueError, KeyError, TypeError):
                pid, source = -1, ""
            if pid > 0 and _alive(pid):
                continue
            path = os.path.join(folder, name)
            try:
                design = designfile.load(path)
            except DesignError:
                discard(path)
                continue
            when = datetime.datetime.fromtimestamp(os.path.getmtime(path)).strftime("%Y-%m-%d %H:%M")
            out.append(Recovered(design, source, when, path))
        return sorted(out, key=lambda r: r.when, reverse=True)


def discard(recovery_file: str) -> None:
    """Remove a recovery file and its companion."""
    for path in (recovery_file, recovery_file[: -len(".lrdesign.json")] + ".meta.json"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def short_names(paths: list[str]) -> list[str]:
    """Each path's file name, with as many parent folders as it takes to tell it from the others
    (two `trainer_state.json` become `run-a/trainer_state.json` and `run-b/trainer_state.json`)."""
    parts = [os.path.normpath(p).split(os.sep) for p in paths]
    depth = [1] * len(paths)
    while True:
        names = [os.sep.join(p[-d:]) for p, d in zip(parts, depth)]
        clash = {n for n in names if names.count(n) > 1}
        grown = False
        for i, name in enumerate(names):
            if name in clash and depth[i] < len(parts[i]):
                depth[i] += 1
                grown = True
        if not clash or not grown:
            return names

"""Reading a training log off the GUI thread, with progress and Cancel; following growing logs."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ..logs import Cancelled, LogError, read
from ..logs.follow import Follower


class Worker(QObject):
    """Work in a daemon thread that reports through Qt signals; `cancel()` asks it to stop (or to
    drop its result) and `cancelled` tells whether it was asked."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        raise NotImplementedError


class LogReader(Worker):
    """Reads one path in a worker thread. `progress(done, total)` in bytes; `finished(path, runs)`,
    `failed(path, message)` or, once `cancel()` has made the reader stop at its next check,
    `stopped(path)`."""

    progress = Signal(int, int)
    finished = Signal(str, object)
    failed = Signal(str, str)
    stopped = Signal(str)

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__("log-reader", parent)
        self.path = path

    def _run(self) -> None:
        try:
            runs = read(
                self.path,
                progress=lambda done, total: self.progress.emit(done, total),
                cancelled=self._cancel.is_set,
            )
        except Cancelled:
            self.stopped.emit(self.path)
            return
        except LogError as exc:
            self.failed.emit(self.path, str(exc))
            return
        except (OSError, ValueError, MemoryError) as exc:
            self.failed.emit(self.path, f"{self.path}: {exc}")
            return
        if self._cancel.is_set():
            self.stopped.emit(self.path)
        else:
            self.finished.emit(self.path, runs)


class LogFollower(QObject):
    """Polls a growing log every `interval` seconds in a worker thread (it sleeps between polls:
    no busy loop); `updated(list of logs.Update)` on new points. `stop()` returns at once."""

    updated = Signal(object)
    failed = Signal(str)

    def __init__(self, path: str, interval: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path, self.interval = path, interval
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="log-follower", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            follower = Follower(self.path)
        except (LogError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        while not self._stop.is_set():
            try:
                updates = follower.poll()
            except (LogError, OSError, ValueError) as exc:
                self.failed.emit(str(exc))
                updates = []
            if updates and not self._stop.is_set():
                self.updated.emit(updates)
            self._stop.wait(self.interval)

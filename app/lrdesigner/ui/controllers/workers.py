"""Reading a training log off the GUI thread, with progress and Cancel; following growing logs."""

from __future__ import annotations

import queue
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from ...logs.errors import Cancelled, LogError


class Worker(QObject):
    """Work in a daemon thread whose reports reach the GUI thread as Qt signals.

    The thread never touches a Qt object: it puts `(signal name, args)` on a queue, and a timer
    on the GUI thread emits them in order. Once the owner is gone, the timer is gone with it and
    nothing is delivered. `cancel()` asks the work to stop (or to drop its result); `cancelled`
    tells whether it was asked; `done` is True once every report has been delivered."""

    POLL_MS = 15

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._deliver)
        self.done = False
        self.thread = threading.Thread(target=self._main, name=name, daemon=True)

    def start(self) -> None:
        self._timer.start()
        self.thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """On the GUI thread: wait up to `timeout` seconds for the work to end, then deliver its
        reports at once. True when everything has been delivered."""
        self.thread.join(timeout)
        if not self.thread.is_alive():
            self._deliver()
        return self.done

    def report(self, signal: str, *args) -> None:
        """From the worker thread: emit `signal(*args)` on the GUI thread."""
        self._outbox.put((signal, args))

    def _main(self) -> None:
        try:
            self._run()
        finally:
            self._outbox.put(None)

    def _deliver(self) -> None:
        while True:
            try:
                item = self._outbox.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self._timer.stop()
                self.done = True
                return
            signal, args = item
            getattr(self, signal).emit(*args)

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
        from ...logs.detect import read  # the readers, once a log is opened (not at start-up)

        self._read = read

    def _run(self) -> None:
        try:
            runs = self._read(
                self.path,
                progress=lambda done, total: self.report("progress", done, total),
                cancelled=self._cancel.is_set,
            )
        except Cancelled:
            self.report("stopped", self.path)
            return
        except LogError as exc:
            self.report("failed", self.path, str(exc))
            return
        except (OSError, ValueError, MemoryError) as exc:
            self.report("failed", self.path, f"{self.path}: {exc}")
            return
        if self._cancel.is_set():
            self.report("stopped", self.path)
        else:
            self.report("finished", self.path, runs)


class LogFollower(Worker):
    """Polls a growing log every `interval` seconds in a worker thread (it sleeps between polls:
    no busy loop); `updated(list of logs.Update)` on new points. `stop()` returns at once."""

    updated = Signal(object)
    failed = Signal(str)

    def __init__(self, path: str, interval: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__("log-follower", parent)
        self.path, self.interval = path, interval
        from ...logs.follow import Follower  # the readers, once a log is followed

        self._follower = Follower

    def stop(self) -> None:
        self.cancel()

    def _run(self) -> None:
        try:
            follower = self._follower(self.path)
        except (LogError, OSError) as exc:
            self.report("failed", str(exc))
            return
        while not self.cancelled:
            try:
                updates = follower.poll()
            except (LogError, OSError, ValueError) as exc:
                self.report("failed", str(exc))
                updates = []
            if updates and not self.cancelled:
                self.report("updated", updates)
            self._cancel.wait(self.interval)

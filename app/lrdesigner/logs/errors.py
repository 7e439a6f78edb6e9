"""The error every log reader raises: which file, where in it, and what is wrong."""

from __future__ import annotations


class LogError(Exception):
    """A log that cannot be read. `path`: the file; `place`: line, record or JSON path."""

    def __init__(self, path: str, problem: str, place: str = "") -> None:
        self.path, self.problem, self.place = str(path), problem, place
        where = f"{self.path}, {place}" if place else self.path
        super().__init__(f"{where}: {problem}")


def read_head(path: str, size: int) -> bytes:
    """The first `size` bytes of a log file; LogError when it cannot be read or is empty."""
    try:
        with open(path, "rb") as f:
            head = f.read(size)
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise LogError(path, "the file is empty")
    return head

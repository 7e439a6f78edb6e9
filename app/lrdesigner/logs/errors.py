"""The error every log reader raises: which file, where in it, and what is wrong."""

from __future__ import annotations


class LogError(Exception):
    """A log that cannot be read. `path`: the file; `place`: line, record or JSON path."""

    def __init__(self, path: str, problem: str, place: str = "") -> None:
        self.path, self.problem, self.place = str(path), problem, place
        where = f"{self.path}, {place}" if place else self.path
        super().__init__(f"{where}: {problem}")

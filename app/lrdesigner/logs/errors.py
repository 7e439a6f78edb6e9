"""The error every log reader raises: which file, where in it, and what is wrong."""

from __future__ import annotations


class LogError(Exception):
    """A log that cannot be read. `path`: the file; `place`: line, record or JSON path."""

    def __init__(self, path: str, problem: str, place: str = "") -> None:
        self.path, self.problem, self.place = str(path), problem, place
        where = f"{self.path}, {place}" if place else self.path
        super().__init__(f"{where}: {problem}")


class Cancelled(Exception):
    """Reading was cancelled by the caller."""


LFS_POINTER = b"version https://git-lfs.github.com/spec/v1"


def check_not_lfs_pointer(path: str, head: bytes) -> None:
    """LogError when `head` is the start of a Git LFS pointer file committed in place of a log."""
    if head.startswith(LFS_POINTER):
        raise LogError(
            path, "a Git LFS pointer, not the log itself (fetch the file with `git lfs pull`)", "byte 0"
        )


def read_head(path: str, size: int) -> bytes:
    """The first `size` bytes of a log file; LogError when it cannot be read, is empty or is a
    Git LFS pointer."""
    try:
        with open(path, "rb") as f:
            head = f.read(size)
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise LogError(path, "the file is empty")
    check_not_lfs_pointer(path, head)
    return head

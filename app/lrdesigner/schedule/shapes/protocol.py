"""What a shape needs from a segment: the fields and methods it reads, as a Protocol."""

from __future__ import annotations

from typing import Any, Protocol


class SegmentLike(Protocol):
    """The view of a segment that shapes evaluate and edit (implemented by `Segment`)."""

    @property
    def shape(self) -> str: ...

    @property
    def duration(self) -> int: ...

    @property
    def lr_start(self) -> float: ...

    @property
    def lr_end(self) -> float: ...

    @property
    def params(self) -> tuple[tuple[str, Any], ...]: ...

    @property
    def p(self) -> dict[str, Any]: ...

    def param(self, name: str) -> Any: ...

    def replace(self, keep_end: bool = False, where: str = "", **changes: Any) -> SegmentLike: ...

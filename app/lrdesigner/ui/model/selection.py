"""The one selection shared by the canvas, the segments table and the Delete action."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    """A selected knot (or none) and the segment it belongs to.

    Knot k is the start of segment k; the last knot (the end of training) belongs to the last
    segment. Selecting a segment (a table row) selects its start knot.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.knot: int | None = None
        self._segments = 1

    def set_segment_count(self, n: int) -> None:
        self._segments = n
        if self.knot is not None and self.knot > n:
            self.select_knot(n)

    @property
    def segment(self) -> int | None:
        if self.knot is None:
            return None
        return min(self.knot, self._segments - 1)

    def select_knot(self, knot: int | None) -> None:
        if knot is not None:
            knot = max(0, min(int(knot), self._segments))
        if knot != self.knot:
            self.knot = knot
            self.changed.emit()

    def select_segment(self, index: int | None) -> None:
        if index is None or index < 0:
            self.select_knot(None)
        elif self.segment != index:
            self.select_knot(index)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) knot; the first when none is selected."""
        self.select_knot(0 if self.knot is None else self.knot + delta)

"""The core's advice on the design; clicking an item marks its step on the plot."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from ...schedule.advice import Advice, check
from ...schedule.design import Design


class AdviceList(QListWidget):
    locate = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMinimumHeight(60)
        self.items: list[Advice] = []
        self.itemClicked.connect(self._clicked)

    def show_design(self, d: Design, extra: list[Advice] = ()) -> None:
        """The design's advice, then `extra` (advice from the logs)."""
        self.clear()
        self.items = check(d) + list(extra)
        if not self.items:
            self.addItem(QListWidgetItem("No advice: the design looks sound."))
        for a in self.items:
            item = QListWidgetItem(("⚠ " if a.severity == "warning" else "ℹ ") + a.message)
            item.setData(Qt.ItemDataRole.UserRole, a.step)
            item.setToolTip(a.message)
            self.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        if step is not None:
            self.locate.emit(int(step))

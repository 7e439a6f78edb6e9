"""Controls in scrolled panels that a passing mouse wheel does not change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox


class ScrollSafeComboBox(QComboBox):
    """A combo box that takes the wheel only when it has the keyboard focus (clicked or tabbed
    into): a wheel turned over it while scrolling the panel scrolls the panel, and never edits."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone gives no focus

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # left to the scroll area around it

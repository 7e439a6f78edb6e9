"""Controls in scrolled panels that a passing mouse wheel does not change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox


class _ScrollSafe:
    """Takes the wheel only with the keyboard focus (clicked or tabbed into): a wheel turned over
    the control while scrolling its panel or dialog scrolls that, and never edits. With
    `wheel_edits` off it never takes the wheel (the segments table's shapes: a table's current
    cell keeps the focus long after the click, and a scroll must not rewrite the design)."""

    wheel_edits = True

    def _init_focus(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone gives no focus

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.wheel_edits and self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # left to the scroll area around it


class ScrollSafeComboBox(_ScrollSafe, QComboBox):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._init_focus()


class ScrollSafeSpinBox(_ScrollSafe, QSpinBox):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._init_focus()


class ScrollSafeDoubleSpinBox(_ScrollSafe, QDoubleSpinBox):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._init_focus()

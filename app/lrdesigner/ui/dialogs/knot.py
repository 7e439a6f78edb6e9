"""Type a knot's exact step and LR; a refused value keeps the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout


class KnotDialog(QDialog):
    """`apply(text)` returns the problem, or "" once the value is set (then the dialog closes)."""

    def __init__(self, parent, knot: int, text: str, apply: Callable[[str], str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Knot {knot}")
        self.apply = apply
        layout = QVBoxLayout(self)
        hint = "step, LR  (e.g. 30,000, 5e-4)" if knot else "step 0, LR (the first knot stays at step 0)"
        layout.addWidget(QLabel(hint))
        self.edit = QLineEdit(text)
        self.edit.selectAll()
        # Wide enough for the whole value (`0.00043757627532340737`) and a sentence of reason.
        metrics = self.edit.fontMetrics()
        wide = max(metrics.horizontalAdvance(text), metrics.horizontalAdvance("x" * 40))
        self.edit.setMinimumWidth(wide + 24)
        layout.addWidget(self.edit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_accept(self) -> None:
        problem = self.apply(self.edit.text())
        if problem:
            self.error.setText(problem)
            self.error.setMinimumWidth(self.edit.minimumWidth())
            self.layout().activate()
            self.adjustSize()
        else:
            self.accept()

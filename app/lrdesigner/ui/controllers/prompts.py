"""Every question the controllers put to the user, and the status line: one small object, so a
controller never needs the window, and tests answer the questions without dialogs."""

from __future__ import annotations

import os

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog, QMessageBox, QStatusBar, QWidget

from ..text import elide

Button = QMessageBox.StandardButton


class Prompts:
    """Dialogs parented to `parent` and messages on `status`. With LRDESIGNER_NO_DIALOGS set
    (scripts, the `gui` command) warnings go to the status line only and questions that would
    block are answered "no"."""

    def __init__(self, parent: QWidget, status: QStatusBar) -> None:
        self.parent, self.status = parent, status
        self.topic = ""  # what the status line shows now ("knot": the selected knot)

    @staticmethod
    def quiet() -> bool:
        return bool(os.environ.get("LRDESIGNER_NO_DIALOGS"))

    # ---- telling ---------------------------------------------------------------------------
    def say(self, text: str, ms: int = 6000, topic: str = "") -> None:
        self.topic = topic
        self.status.showMessage(text, ms)

    def clear(self) -> None:
        self.topic = ""
        self.status.clearMessage()

    def warn(self, title: str, text: str) -> None:
        self.say(text, 10000)
        if not self.quiet():
            QMessageBox.warning(self.parent, title, text)

    # ---- asking ----------------------------------------------------------------------------
    def ask_unsaved(self, name: str) -> Button:
        """Save, Discard or Cancel for unsaved changes."""
        return QMessageBox.question(
            self.parent,
            "Unsaved changes",
            f"Save the changes to {elide(name)!r}?",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )

    def ask_restore(self, when: str) -> bool:
        """Whether to restore the design autosaved `when`."""
        answer = QMessageBox.question(
            self.parent,
            "Recover unsaved work",
            f"LR Designer did not close normally. Restore the design autosaved {when}?",
        )
        return answer == Button.Yes

    def ask_open_path(self, title: str, start: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(self.parent, title, start, filters)[0]

    def ask_save_path(self, title: str, start: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(self.parent, title, start, filters)[0]

    def ask_folder(self, title: str, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, title, start)

    def ask_steps_per_epoch(self, path: str, suggested: int | None = None) -> int | None:
        """The run counts epochs: how many optimizer steps make one (`suggested` filled in)."""
        if self.quiet():
            return None
        value, ok = QInputDialog.getInt(
            self.parent,
            "Steps per epoch",
            f"{os.path.basename(path)} counts epochs. Optimizer steps per epoch:",
            suggested or 1000,
            1,
            2**31 - 1,
        )
        return value if ok else None

    def ask_color(self, color: str, title: str) -> str | None:
        chosen = QColorDialog.getColor(QColor(color), self.parent, title)
        return chosen.name() if chosen.isValid() else None

"""The undo history: every change the user can take back, design edits and layer steps alike."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack


class History(QUndoStack):
    """The window's one undo stack. Commands (`ui.commands`) are pushed by the controllers; the
    models they change never see it."""

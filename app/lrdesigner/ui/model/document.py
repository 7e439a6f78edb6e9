"""The open document: the current Design, its file, and the undo stack that changes it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ...schedule.defaults import default_design
from ...schedule.design import Design
from .commands import SetDesign


class Document(QObject):
    """Holds the design. `designChanged` after every committed change (undo/redo included);
    `previewChanged` while a drag is in progress (nothing committed yet)."""

    designChanged = Signal(object)
    previewChanged = Signal(object)
    pathChanged = Signal(str)

    def __init__(self, design: Design | None = None, path: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._design = design or default_design()
        self._preview: Design | None = None
        self.path = path
        self.stack = QUndoStack(self)
        self._saved = self._design  # what the file holds (or the new design as it started)

    @property
    def design(self) -> Design:
        return self._design

    @property
    def shown(self) -> Design:
        """What the views draw: the preview during a drag, else the design."""
        return self._preview or self._design

    def set_design(self, design: Design) -> None:
        """Show `design` as committed (called by undo commands; edits go through `apply`)."""
        self._design = design
        self._preview = None
        self.designChanged.emit(design)

    def apply(self, design: Design, text: str, merge_key: object = None) -> bool:
        """Commit `design` as one undoable step; False (and nothing pushed) if it is unchanged."""
        if design == self._design:
            self.cancel_preview()
            return False
        self.stack.push(SetDesign(self, self._design, design, text, merge_key))
        return True

    def preview(self, design: Design) -> None:
        self._preview = design
        self.previewChanged.emit(design)

    def cancel_preview(self) -> None:
        if self._preview is not None:
            self.set_design(self._design)

    def replace(self, design: Design, path: str = "") -> None:
        """Start over with `design` (new or opened file): history cleared, clean."""
        self.stack.clear()
        self.path = path
        self._saved = design
        self.set_design(design)
        self.stack.setClean()
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.path = path
        self._saved = self._design
        self.stack.setClean()
        self.pathChanged.emit(path)

    @property
    def modified(self) -> bool:
        """Whether the design differs from the file's (layer steps on the undo stack, and edits
        undone back to the saved design, do not count)."""
        return self._design != self._saved

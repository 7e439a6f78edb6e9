"""The open document: the current Design, its file, and the undo stack that changes it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..schedule.defaults import default_design
from ..schedule.design import Design


class DesignCommand(QUndoCommand):
    """One user gesture: the design before and after it (designs are immutable)."""

    def __init__(self, doc: Document, before: Design, after: Design, text: str) -> None:
        super().__init__(text)
        self.doc, self.before, self.after = doc, before, after

    def redo(self) -> None:
        self.doc._set(self.after)

    def undo(self) -> None:
        self.doc._set(self.before)


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

    @property
    def design(self) -> Design:
        return self._design

    @property
    def shown(self) -> Design:
        """What the views draw: the preview during a drag, else the design."""
        return self._preview or self._design

    def _set(self, design: Design) -> None:
        self._design = design
        self._preview = None
        self.designChanged.emit(design)

    def apply(self, design: Design, text: str) -> None:
        """Commit `design` as one undoable step (nothing happens if it equals the current one)."""
        if design == self._design:
            if self._preview is not None:
                self._set(self._design)
            return
        self.stack.push(DesignCommand(self, self._design, design, text))

    def preview(self, design: Design) -> None:
        self._preview = design
        self.previewChanged.emit(design)

    def cancel_preview(self) -> None:
        if self._preview is not None:
            self._set(self._design)

    def replace(self, design: Design, path: str = "") -> None:
        """Start over with `design` (new or opened file): history cleared, clean."""
        self.stack.clear()
        self.path = path
        self._set(design)
        self.stack.setClean()
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.path = path
        self.stack.setClean()
        self.pathChanged.emit(path)

    @property
    def modified(self) -> bool:
        return not self.stack.isClean()

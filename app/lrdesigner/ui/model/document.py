"""The open document: the current Design, the drag preview and the file it came from."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...schedule.defaults import default_design
from ...schedule.design import Design


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
        self._saved = self._design  # what the file holds (or the new design as it started)

    @property
    def design(self) -> Design:
        return self._design

    @property
    def shown(self) -> Design:
        """What the views draw: the preview during a drag, else the design."""
        return self._preview or self._design

    def set_design(self, design: Design) -> None:
        """Show `design` as committed (undo commands call it: edits are `commands.apply_design`)."""
        self._design = design
        self._preview = None
        self.designChanged.emit(design)

    def preview(self, design: Design) -> None:
        self._preview = design
        self.previewChanged.emit(design)

    def cancel_preview(self) -> None:
        if self._preview is not None:
            self.set_design(self._design)

    def replace(self, design: Design, path: str = "") -> None:
        """Start over with `design` (new or opened file): unmodified."""
        self.path = path
        self._saved = design
        self.set_design(design)
        self.pathChanged.emit(path)

    def forget_path(self) -> None:
        """The design is no longer the file's (a workspace held a newer version): Save asks where."""
        self.path = ""
        self.pathChanged.emit("")

    def mark_saved(self, path: str) -> None:
        self.path = path
        self._saved = self._design
        self.pathChanged.emit(path)

    @property
    def modified(self) -> bool:
        """Whether the design differs from the file's (layer steps, and edits undone back to the
        saved design, do not count)."""
        return self._design != self._saved

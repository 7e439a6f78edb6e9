"""Export: the design as code (the export window follows the design while open), the plot as an
image file or on the clipboard."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from .. import actions
from ..model.document import Document
from ..model.session import Session
from ..model.view_state import ViewState
from .prompts import Prompts


class ExportController(QObject):
    def __init__(
        self, doc: Document, view: ViewState, session: Session, prompts: Prompts, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.doc, self.view, self.session, self.prompts = doc, view, session, prompts
        self.canvas = None  # the plot, once `connect_views` has run
        self.dialog = None  # the export window last opened
        self.actions = actions.build(
            self,
            {
                "export.code": self.export_code,
                "file.export_plot": self.export_plot_dialog,
                "file.copy_plot": self.copy_plot,
            },
        )

    def connect_views(self, canvas) -> None:
        self.canvas = canvas

    def export_code(self):
        """The export window for the design as it is now (it follows later edits)."""
        from ..dialogs.export import ExportDialog

        dialog = ExportDialog(self.prompts.parent, self.doc.design, self.view.dark)
        self.doc.designChanged.connect(dialog.set_design)
        dialog.finished.connect(lambda _r: self.doc.designChanged.disconnect(dialog.set_design))
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_plot(self, path: str, width: int | None = None) -> bool:
        from ..plot.render import export_plot

        try:
            export_plot(self.canvas, path, width)
        except (OSError, ValueError) as exc:
            self.prompts.warn("Export plot", f"{path}: {exc}")
            return False
        self.prompts.say(f"plot saved to {path}", 4000)
        return True

    def export_plot_dialog(self) -> None:
        start = os.path.join(self.session.last_dir(), self.doc.design.name + ".png")
        path = self.prompts.ask_save_path("Export plot", start, "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            if not path.lower().endswith((".png", ".svg")):
                path += ".png"
            self.export_plot(path)

    def copy_plot(self) -> None:
        QApplication.clipboard().setImage(self.canvas.grab().toImage())
        self.prompts.say("plot copied to the clipboard", 3000)

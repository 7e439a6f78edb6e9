"""The main window: layout, the model-to-view updates, view state, title, autosave and close.
Editing, layers, files and menus are wired in their own modules; state lives in the models."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QSplitter,
    QUndoView,
)

from ..schedule.defaults import default_design
from ..schedule.design import Design
from . import actions as action_table
from . import palette
from .blocked import blocked
from .editing import EditingMixin
from .editor import DesignEditor
from .files import FilesMixin
from .layer_editor import LayerEditor
from .layers_view import LayersMixin
from .log_editor import LogEditor
from .log_fit import LogFitEditor
from .menus import MenusMixin
from .model.document import Document
from .model.layers import LayerList
from .model.session import Session, discard
from .model.view_state import ViewState
from .panels.side import SidePanel
from .plot.canvas import Canvas
from .plot_menus import PlotMenusMixin

AUTOSAVE_MS = 30_000


def app_icon():
    """The application's icon (PNG sizes from the shipped resources)."""
    from PySide6.QtGui import QIcon

    from .. import resources

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        png = resources.icon_png(size)
        if png.is_file():
            icon.addFile(str(png))
    return icon


class MainWindow(MenusMixin, PlotMenusMixin, FilesMixin, EditingMixin, LayersMixin, QMainWindow):
    def __init__(self, design: Design | None = None, path: str = "", check_recovery: bool = True) -> None:
        super().__init__()
        self.resize(1280, 800)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(640, 400)
        self.setAcceptDrops(True)
        self.doc = Document(design or default_design(), path, self)
        self.layers = LayerList(self.doc, self)
        self.editor = DesignEditor(self.doc, self)
        self.layer_editor = LayerEditor(self.doc, self.layers, self)
        self.view = ViewState(parent=self)
        self.session = Session()
        self._dialog = None  # the open exact-value dialog, if any
        self._menu = None  # the plot menu last shown
        self._export_dialog = None
        self.canvas = Canvas(self.layers)
        self.panel = SidePanel(self.layers)
        split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        split.setSizes([780, 500])
        self.setCentralWidget(split)
        self.history = QUndoView(self.doc.stack)
        self.history.setEmptyLabel("Opened")
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("history")
        self.history_dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        self.statusBar().showMessage("Drag a knot; right-click the plot for more", 4000)
        self.log_editor = LogEditor(self)
        self.log_fit = LogFitEditor(self.doc, self.layer_editor, self)
        self.actions = action_table.build(self, self._slots())
        self._build_menus()
        self._wire()
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()
        self._design_changed(self.doc.design)
        self.apply_view()
        self.canvas.fit()
        self._update_title()
        if check_recovery:
            QTimer.singleShot(0, self.offer_recovery)

    # ---- wiring --------------------------------------------------------------------------
    def _wire(self) -> None:
        doc = self.doc
        doc.designChanged.connect(self._design_changed)
        doc.designChanged.connect(self._update_title)
        doc.stack.cleanChanged.connect(self._update_title)
        doc.pathChanged.connect(self._update_title)
        self.view.changed.connect(lambda _key: self.apply_view())
        self._wire_editing()
        self._wire_layers()

    # ---- model -> views ------------------------------------------------------------------
    def _design_changed(self, design: Design) -> None:
        self.panel.properties.show_design(design)
        self.panel.segments.show_design(design)
        self.panel.segments.select_row(self.editor.selection.segment)
        self.panel.metrics.show_layers(self.layers)
        self.log_editor.refresh_advice()
        self._sync_epochs()
        self.canvas.place_logs(design.steps_per_epoch)
        layer = self.panel.layers.current_layer()
        self.panel.logs.show_layer(layer, *self.log_editor.comparison(layer))

    def export_code(self):
        """The export window for the design as it is now."""
        from .dialogs.export import ExportDialog

        dialog = ExportDialog(self, self.doc.design, self.view.dark)
        self.doc.designChanged.connect(dialog.set_design)
        dialog.finished.connect(lambda _r: self.doc.designChanged.disconnect(dialog.set_design))
        self._export_dialog = dialog
        dialog.open()
        return dialog

    def _sync_epochs(self) -> None:
        """The epoch axis shows epochs only while the design has steps per epoch."""
        spe = self.doc.design.steps_per_epoch
        action = self.actions["view.epochs"]
        action.setEnabled(spe is not None)
        with blocked(action):
            action.setChecked(self.view.epochs and spe is not None)
        self.canvas.set_steps_per_epoch(spe if self.view.epochs else None)

    def apply_view(self) -> None:
        """Show the view state: log scale, epochs, palette (and tick the actions)."""
        for key, name in (("view.log_scale", "log_scale"), ("view.dark", "dark")):
            with blocked(self.actions[key]):
                self.actions[key].setChecked(getattr(self.view, name))
        if self.canvas.log_y != self.view.log_scale:
            self.canvas.set_log(self.view.log_scale)
        if self.canvas.smoothing != self.view.smoothing:
            self.canvas.set_smoothing(self.view.smoothing)
            self.panel.logs.set_smoothing(self.view.smoothing)
        if self.canvas.dark != self.view.dark or not hasattr(self, "_palette_set"):
            self._palette_set = True
            palette.apply(QApplication.instance(), self.view.dark)
            self.canvas.set_colors(self.view.dark)
        self._sync_epochs()

    def _update_title(self, *_args) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else self.doc.design.name + " (unsaved)"
        self.setWindowTitle(f"{name}[*] — LR Designer")
        self.setWindowModified(self.doc.modified)

    # ---- autosave and recovery ---------------------------------------------------------
    def write_recovery(self) -> None:
        if not self.doc.modified:
            return
        try:
            self.session.write_recovery(self.doc.design, self.doc.path)
        except OSError as exc:
            self.statusBar().showMessage(f"autosave failed: {exc.strerror or exc}", 10000)

    def offer_recovery(self) -> bool:
        restored = False
        for found in self.session.orphans():
            if not restored and self.ask_restore(found.when):
                self.doc.replace(self.doc.design, found.source)
                self.doc.apply(found.design, "Restore autosaved design")
                self.canvas.fit()
                restored = True
            discard(found.path)
        return restored

    def closeEvent(self, ev):  # noqa: N802
        if not self.maybe_save():
            ev.ignore()
            return
        self.session.clear_recovery()
        self.autosave.stop()
        self.log_editor.stop_all()
        ev.accept()

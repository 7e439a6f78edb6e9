"""The main window: layout and wiring. Editing lives in the DesignEditor, state in the models."""

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
from .editor import DesignEditor
from .files import FilesMixin
from .layer_editor import LayerEditor
from .log_editor import LogEditor
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


class MainWindow(MenusMixin, PlotMenusMixin, FilesMixin, QMainWindow):
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
        doc, editor, canvas, panel = self.doc, self.editor, self.canvas, self.panel
        doc.designChanged.connect(self._design_changed)
        doc.designChanged.connect(self._update_title)
        doc.stack.cleanChanged.connect(self._update_title)
        doc.designChanged.connect(lambda _design: self._update_title())
        doc.pathChanged.connect(self._update_title)
        for signal, getter in (
            (doc.stack.canUndoChanged, "edit.undo"),
            (doc.stack.canRedoChanged, "edit.redo"),
        ):
            signal.connect(lambda on, key=getter: self.actions[key].setEnabled(on))
        self.actions["edit.undo"].setEnabled(False)
        self.actions["edit.redo"].setEnabled(False)
        # During a drag Ctrl+Z drops it, even with nothing committed yet to undo.
        doc.previewChanged.connect(lambda _design: self.actions["edit.undo"].setEnabled(True))
        doc.designChanged.connect(lambda _design: self.actions["edit.undo"].setEnabled(doc.stack.canUndo()))
        editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        editor.failed.connect(panel.error.setText)
        editor.failed.connect(panel.properties.show_problem)
        # A refused or empty edit puts the typed text back to what the design holds.
        editor.restore.connect(lambda: panel.segments.show_design(doc.design))
        editor.restore.connect(lambda: panel.properties.show_design(doc.design))
        editor.selection.changed.connect(self._selection_changed)
        # The selected knot's step and LR in the status bar follow drags and typed edits.
        doc.designChanged.connect(
            lambda _design: self._selection_changed()
            if "arrow keys nudge it" in self.statusBar().currentMessage() else None
        )
        canvas.dragStarted.connect(editor.begin_drag)
        canvas.dragMoved.connect(editor.drag_to)
        canvas.dragFinished.connect(editor.finish_drag)
        canvas.knotClicked.connect(editor.selection.select_knot)
        # Arrow keys nudge the knot just grabbed: the plot takes the keyboard from the table.
        canvas.knotClicked.connect(lambda _k: canvas.setFocus())
        canvas.dragStarted.connect(lambda *_: canvas.setFocus())
        doc.stack.undoTextChanged.connect(
            lambda text: self.actions["edit.undo"].setText(f"&Undo {text}".strip())
        )
        doc.stack.redoTextChanged.connect(
            lambda text: self.actions["edit.redo"].setText(f"&Redo {text}".strip())
        )
        canvas.splitRequested.connect(editor.split_at)
        canvas.contextRequested.connect(self._context_menu)
        canvas.nudgeRequested.connect(
            lambda dx, dy: editor.nudge(
                dx, dy, self.canvas.plotItem.vb.viewRange()[0][1] - self.canvas.plotItem.vb.viewRange()[0][0]
            )
        )
        panel.segments.cellEdited.connect(editor.edit_cell)
        panel.segments.shapeChosen.connect(editor.change_shape)
        panel.segments.rowSelected.connect(editor.selection.select_segment)
        panel.properties.edited.connect(editor.set_property)
        panel.advice.locate.connect(canvas.locate)
        # Metrics follow committed designs and layer changes, not every drag move.
        for signal in (self.layers.inserted, self.layers.removed, self.layers.changed):
            signal.connect(lambda _layer: self.panel.metrics.show_layers(self.layers))
        self.view.changed.connect(lambda _key: self.apply_view())
        self.layer_editor.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.layers.dataChanged.connect(self._layer_data_changed)
        self.panel.layers.currentLayerChanged.connect(self._current_layer_changed)
        self.layers.inserted.connect(self.panel.layers.select_layer)
        self.layers.inserted.connect(lambda _layer: self.canvas.fit())  # show the new curve whole
        self.layers.removed.connect(
            lambda layer: self.log_editor.set_follow(layer, False) if getattr(layer, "follow", False) else None
        )
        logs = self.panel.logs
        logs.set_smoothing(self.view.smoothing)
        self.canvas.set_smoothing(self.view.smoothing)
        logs.smoothingChanged.connect(self.view.set_smoothing)
        logs.lossLogChanged.connect(self.canvas.set_loss_log)
        logs.offsetEdited.connect(
            lambda text: logs.show_offset_problem(
                self.log_editor.set_offset(self.panel.layers.current_layer(), text)
            )
        )
        logs.followChanged.connect(lambda on: self.log_editor.set_follow(self.panel.layers.current_layer(), on))
        self.log_editor.message.connect(lambda text: self.statusBar().showMessage(text, 10000))

    # ---- model -> views ------------------------------------------------------------------
    def _design_changed(self, design: Design) -> None:
        self.panel.properties.show_design(design)
        self.panel.segments.show_design(design)
        self.panel.segments.select_row(self.editor.selection.segment)
        self.panel.metrics.show_layers(self.layers)
        self.log_editor.refresh_advice()
        self._sync_epochs()
        self.canvas.place_logs(design.steps_per_epoch)
        self.panel.logs.show_layer(
            self.panel.layers.current_layer(),
            self.log_editor.comparison_text(self.panel.layers.current_layer()),
        )

    def export_code(self):
        """The export window for the design as it is now."""
        from .dialogs.export import ExportDialog

        dialog = ExportDialog(self, self.doc.design, self.view.dark)
        self.doc.designChanged.connect(dialog.set_design)
        dialog.finished.connect(lambda _r: self.doc.designChanged.disconnect(dialog.set_design))
        self._export_dialog = dialog
        dialog.open()
        return dialog

    def undo(self) -> None:
        """Undo; during a drag it also drops the drag (nothing undone comes back on release)."""
        dragging = self.editor.drag is not None
        self.editor.cancel_drag()
        self.doc.stack.undo()
        if dragging:
            self.statusBar().showMessage("drag cancelled", 4000)

    def _layer_data_changed(self, layer) -> None:
        if layer is not self.layers.design_layer:
            self.panel.metrics.show_layers(self.layers)

    def _current_layer_changed(self, layer) -> None:
        comparison = layer is not None and layer is not self.layers.design_layer
        for key in (
            "layers.remove",
            "layers.move_up",
            "layers.move_down",
            "layers.make_design",
            "layers.edit_params",
        ):
            self.actions[key].setEnabled(comparison)
        self.actions["layers.edit_params"].setEnabled(comparison and "preset" in getattr(layer, "source", {}))
        self.actions["layers.make_design"].setEnabled(comparison and layer.kind == "compare")
        if self.actions["view.difference"].isChecked():
            self._show_difference(True)
        is_log = layer is not None and layer.kind == "log"
        self.actions["logs.follow"].setEnabled(is_log)
        self.actions["logs.plateau"].setEnabled(is_log and not layer.is_lr)
        with blocked(self.actions["logs.follow"]):
            self.actions["logs.follow"].setChecked(bool(is_log and layer.follow))
        self.panel.logs.show_layer(layer, self.log_editor.comparison_text(layer))

    def _show_difference(self, on: bool) -> None:
        """The ratio of the selected comparison curve to the design; with the design, a log or
        a plateau layer selected, the comparison shown already (or the first one)."""
        layer = self.panel.layers.current_layer()
        if on and (layer is None or layer.kind != "compare"):
            shown = self.canvas.difference[0] if self.canvas.difference else None
            curves = [c for c in self.layers.comparisons() if c.kind == "compare"]
            layer = shown if shown in curves else next(iter(curves), None)
        if on and layer is None:
            self.statusBar().showMessage(
                "the ratio view divides a comparison curve by the design: add one first (Layers menu)", 8000
            )
            with blocked(self.actions["view.difference"]):
                self.actions["view.difference"].setChecked(False)
            return
        self.canvas.set_difference(layer if on else None)

    def _selection_changed(self) -> None:
        sel = self.editor.selection
        self.canvas.select(sel.knot)
        self.panel.segments.select_row(sel.segment)
        if sel.knot is not None and sel.knot < len(self.doc.design.knots):
            k = self.doc.design.knots[sel.knot]
            self.statusBar().showMessage(
                f"knot {sel.knot} at step {k.step:,}, LR {k.lr:.6g} (segment {sel.segment + 1}): arrow keys "
                "nudge it, [ and ] select another, Del deletes its segment",
                6000,
            )

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

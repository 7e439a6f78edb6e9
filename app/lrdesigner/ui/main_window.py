"""The main window: layout and wiring. Editing lives in the DesignEditor, state in the models."""

from __future__ import annotations

import os

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QSplitter,
    QUndoView,
)

from ..schedule.defaults import default_design
from ..schedule.design import Design
from ..schedule.shapes import SHAPES
from . import actions as action_table
from . import palette
from .dialogs.knot import KnotDialog
from .editor import DesignEditor
from .files import FilesMixin
from .layer_editor import LayerEditor
from .log_editor import LogEditor
from .model.document import Document
from .model.layers import LayerList
from .model.session import Session, discard
from .model.view_state import ViewState
from .panels.side import SidePanel, tool_button
from .plot.canvas import Canvas

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


class MainWindow(FilesMixin, QMainWindow):
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
    def _slots(self) -> dict:
        e = self.editor
        return {
            "file.new": self.new,
            "file.new_from_preset": self.new_from_preset,
            "file.open": self.open_dialog,
            "file.save": self.save,
            "file.save_as": self.save_as,
            "file.quit": self.close,
            "edit.undo": self.undo,
            "edit.redo": self.doc.stack.redo,
            "edit.delete": e.delete_selected,
            "edit.split": e.split_selected,
            "edit.set_exact": lambda: self.set_exact(),
            "edit.change_shape": lambda: self.shape_menu(),
            "edit.next_knot": lambda: (e.selection.step(1), self.canvas.setFocus()),
            "edit.previous_knot": lambda: (e.selection.step(-1), self.canvas.setFocus()),
            "edit.context_menu": self.menu_at_selection,
            "view.log_scale": lambda on: self.view.set("log_scale", on),
            "view.epochs": lambda on: self.view.set("epochs", on),
            "view.fit": self.canvas.fit,
            "view.zoom_in": lambda: self.canvas.plotItem.vb.scaleBy((0.5, 1)),
            "view.zoom_out": lambda: self.canvas.plotItem.vb.scaleBy((2, 1)),
            "view.dark": lambda on: self.view.set("dark", on),
            "view.difference": self._show_difference,
            "file.open_workspace": self.open_workspace_dialog,
            "file.open_example": self.open_example,
            "file.save_workspace": self.save_workspace_dialog,
            "file.export_plot": self.export_plot_dialog,
            "file.copy_plot": self.copy_plot,
            "export.code": self.export_code,
            "layers.add_preset": self.layer_editor.add_preset_dialog,
            "layers.add_file": self.layer_editor.add_file_dialog,
            "layers.add_snapshot": self.layer_editor.add_snapshot,
            "layers.remove": lambda: self.layer_editor.remove(self.panel.layers.current_layer()),
            "layers.move_up": lambda: self.layer_editor.move(self.panel.layers.current_layer(), -1),
            "layers.move_down": lambda: self.layer_editor.move(self.panel.layers.current_layer(), 1),
            "layers.color": lambda: self.layer_editor.pick_color(self.panel.layers.current_layer()),
            "layers.line_style": lambda: self.layer_editor.next_line(self.panel.layers.current_layer()),
            "layers.edit_params": lambda: self.layer_editor.edit_params(self.panel.layers.current_layer()),
            "layers.make_design": lambda: self.layer_editor.make_design(self.panel.layers.current_layer()),
            "logs.open_file": lambda: self.log_editor.open_dialog(folder=False),
            "logs.open_folder": lambda: self.log_editor.open_dialog(folder=True),
            "logs.follow": lambda on: self.log_editor.set_follow(self.panel.layers.current_layer(), on),
            "logs.plateau": lambda: self.log_editor.simulate_plateau(self.panel.layers.current_layer()),
            "metrics.copy_csv": lambda: self.panel.metrics.copy("csv"),
            "metrics.copy_markdown": lambda: self.panel.metrics.copy("markdown"),
        }

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        m = bar.addMenu("&File")
        for key in ("file.new", "file.new_from_preset", "file.open"):
            m.addAction(a[key])
        self.recent_menu = m.addMenu("Open &recent")
        for key in (
            "file.save",
            "file.save_as",
            None,
            "file.open_example",
            "file.open_workspace",
            "file.save_workspace",
            None,
            "export.code",
            "file.export_plot",
            "file.copy_plot",
            None,
            "file.quit",
        ):
            m.addSeparator() if key is None else m.addAction(a[key])
        e = bar.addMenu("&Edit")
        for key in (
            "edit.undo",
            "edit.redo",
            None,
            "edit.split",
            "edit.delete",
            "edit.set_exact",
            "edit.change_shape",
            None,
            "edit.previous_knot",
            "edit.next_knot",
            "edit.context_menu",
        ):
            e.addSeparator() if key is None else e.addAction(a[key])
        v = bar.addMenu("&View")
        for key in ("view.log_scale", "view.epochs", "view.fit", "view.zoom_in", "view.zoom_out", "view.dark"):
            v.addAction(a[key])
        v.addAction(a["view.difference"])
        v.addAction(self.history_dock.toggleViewAction())
        layer_keys = (
            "layers.add_preset",
            "layers.add_file",
            "layers.add_snapshot",
            None,
            "layers.edit_params",
            "layers.make_design",
            "layers.color",
            "layers.line_style",
            "layers.move_up",
            "layers.move_down",
            "layers.remove",
            None,
            "metrics.copy_csv",
            "metrics.copy_markdown",
        )
        logs_menu = bar.addMenu("L&ogs")
        for key in ("logs.open_file", "logs.open_folder", None, "logs.follow", "logs.plateau"):
            logs_menu.addSeparator() if key is None else logs_menu.addAction(a[key])
        lm = bar.addMenu("&Layers")
        for key in layer_keys:
            lm.addSeparator() if key is None else lm.addAction(a[key])
        self.panel.layers.menu_actions = [None if k is None else a[k] for k in layer_keys[:11]] + [
            None,
            a["view.difference"],
        ]
        add_menu = QMenu(self)
        for key in ("layers.add_preset", "layers.add_file", "layers.add_snapshot"):
            add_menu.addAction(a[key])
        buttons = self.panel.layer_buttons
        buttons.addWidget(tool_button(a["layers.add_preset"], add_menu))
        for key in ("layers.make_design", "layers.remove"):
            buttons.addWidget(tool_button(a[key]))
        buttons.addStretch(1)
        metrics_menu = self.panel.metrics
        metrics_menu.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        metrics_menu.addActions([a["metrics.copy_csv"], a["metrics.copy_markdown"]])
        self.recent_menu.aboutToShow.connect(self._refresh_recent)
        self._refresh_recent()

    def _wire(self) -> None:
        doc, editor, canvas, panel = self.doc, self.editor, self.canvas, self.panel
        doc.designChanged.connect(self._design_changed)
        doc.designChanged.connect(self._update_title)
        doc.stack.cleanChanged.connect(self._update_title)
        doc.pathChanged.connect(self._update_title)
        for signal, getter in (
            (doc.stack.canUndoChanged, "edit.undo"),
            (doc.stack.canRedoChanged, "edit.redo"),
        ):
            signal.connect(lambda on, key=getter: self.actions[key].setEnabled(on))
        self.actions["edit.undo"].setEnabled(False)
        self.actions["edit.redo"].setEnabled(False)
        editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        editor.failed.connect(panel.error.setText)
        # A refused or empty edit puts the typed text back to what the design holds.
        editor.failed.connect(lambda _text: panel.segments.show_design(doc.design))
        editor.failed.connect(lambda _text: panel.properties.show_design(doc.design))
        editor.selection.changed.connect(self._selection_changed)
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
            lambda text: self.log_editor.set_offset(self.panel.layers.current_layer(), text)
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
        with _blocked(self.actions["logs.follow"]):
            self.actions["logs.follow"].setChecked(bool(is_log and layer.follow))
        self.panel.logs.show_layer(layer, self.log_editor.comparison_text(layer))

    def _show_difference(self, on: bool) -> None:
        layer = self.panel.layers.current_layer()
        if on and (layer is None or layer is self.layers.design_layer):
            layer = next((c for c in self.layers.comparisons() if c.kind == "compare"), None)
        if on and layer is None:
            self.statusBar().showMessage("add a comparison first (Layers menu)", 5000)
            with _blocked(self.actions["view.difference"]):
                self.actions["view.difference"].setChecked(False)
            return
        self.canvas.set_difference(layer if on and layer.kind == "compare" else None)

    def _selection_changed(self) -> None:
        sel = self.editor.selection
        self.canvas.select(sel.knot)
        self.panel.segments.select_row(sel.segment)
        if sel.knot is not None:
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
        with _blocked(action):
            action.setChecked(self.view.epochs and spe is not None)
        self.canvas.set_steps_per_epoch(spe if self.view.epochs else None)

    def apply_view(self) -> None:
        """Show the view state: log scale, epochs, palette (and tick the actions)."""
        for key, name in (("view.log_scale", "log_scale"), ("view.dark", "dark")):
            with _blocked(self.actions[key]):
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

    # ---- menus on the plot -------------------------------------------------------------------
    def _context_menu(self, step: int, lr: float, where: QPoint) -> None:
        d = self.doc.design
        index = d.segment_at(step)
        knot = min(range(len(d.knots)), key=lambda k: abs(d.knots[k].step - step))
        menu = QMenu(self)
        split = menu.addAction(f"Split segment here (step {int(step):,})", lambda: self.editor.split_at(step))
        if step in d.starts or step >= d.total_steps:
            split.setEnabled(False)
            menu.addAction(
                f"Split segment {index + 1} in the middle",
                lambda: (self.editor.selection.select_segment(index), self.editor.split_selected()),
            )
        menu.addAction(f"Delete segment {index + 1}", lambda: self.editor.delete_segment(index))
        self._shape_submenu(menu.addMenu("Change shape"), index)
        menu.addAction(f"Set exact value of knot {knot}...", lambda: self.set_exact(knot))
        menu.addSeparator()
        menu.addAction(self.actions["view.fit"])
        menu.popup(where)
        self._menu = menu

    def _shape_submenu(self, menu: QMenu, index: int) -> None:
        current = self.doc.design.segments[index].shape
        for name, shape in SHAPES.items():
            act = menu.addAction(shape.label, lambda n=name: self.editor.change_shape(index, n))
            act.setCheckable(True)
            act.setChecked(name == current)

    def menu_at_selection(self) -> None:
        """The plot's menu at the selected knot (the Menu key)."""
        sel = self.editor.selection
        d = self.doc.design
        knot = 0 if sel.knot is None else sel.knot
        step = d.knots[knot].step
        where = self.canvas.knot_global_pos(knot)
        self._context_menu(min(step, d.total_steps - 1), d.knots[knot].lr, where)

    def shape_menu(self) -> None:
        index = self.editor.selection.segment
        if index is None:
            self.statusBar().showMessage("select a knot or a segment first", 4000)
            return
        menu = QMenu(self)
        self._shape_submenu(menu, index)
        menu.popup(self.canvas.knot_global_pos(index))
        self._menu = menu

    def set_exact(self, knot: int | None = None) -> None:
        if knot is None:
            knot = self.editor.selection.knot
        if knot is None:
            self.statusBar().showMessage("select a knot first ([ and ] select knots)", 4000)
            return
        k = self.doc.design.knots[knot]
        dialog = KnotDialog(
            self, knot, f"{k.step:,}, {k.lr!r}", lambda text: self.editor.set_knot_text(knot, text)
        )
        self._dialog = dialog
        dialog.open()

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


class _blocked:
    """Block an object's signals inside a with-block (model -> view pushes must not echo back)."""

    def __init__(self, obj) -> None:
        self.obj = obj

    def __enter__(self):
        self.old = self.obj.blockSignals(True)

    def __exit__(self, *exc):
        self.obj.blockSignals(self.old)

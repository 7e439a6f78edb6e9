"""The main window: layout and wiring. Editing lives in the DesignEditor, state in the models."""

from __future__ import annotations

import os

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QUndoView,
)

from ..schedule import designfile
from ..schedule.defaults import default_design
from ..schedule.design import Design
from ..schedule.errors import DesignError
from ..schedule.shapes import SHAPES
from . import actions as action_table
from . import palette
from .dialogs.knot import KnotDialog
from .dialogs.preset import PresetDialog
from .editor import DesignEditor
from .model.document import Document
from .model.layers import LayerList
from .model.session import Session, discard
from .model.view_state import ViewState
from .panels.side import SidePanel
from .plot.canvas import Canvas

AUTOSAVE_MS = 30_000


class MainWindow(QMainWindow):
    def __init__(self, design: Design | None = None, path: str = "", check_recovery: bool = True) -> None:
        super().__init__()
        self.resize(1280, 800)
        self.setMinimumSize(640, 400)
        self.setAcceptDrops(True)
        self.doc = Document(design or default_design(), path, self)
        self.layers = LayerList(self.doc, self)
        self.editor = DesignEditor(self.doc, self)
        self.view = ViewState(parent=self)
        self.session = Session()
        self._dialog = None  # the open exact-value dialog, if any
        self._menu = None  # the plot menu last shown
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
            "edit.undo": self.doc.stack.undo,
            "edit.redo": self.doc.stack.redo,
            "edit.delete": e.delete_selected,
            "edit.split": e.split_selected,
            "edit.set_exact": lambda: self.set_exact(),
            "edit.change_shape": lambda: self.shape_menu(),
            "edit.next_knot": lambda: e.selection.step(1),
            "edit.previous_knot": lambda: e.selection.step(-1),
            "edit.context_menu": self.menu_at_selection,
            "view.log_scale": lambda on: self.view.set("log_scale", on),
            "view.epochs": lambda on: self.view.set("epochs", on),
            "view.fit": self.canvas.fit,
            "view.zoom_in": lambda: self.canvas.plotItem.vb.scaleBy((0.5, 1)),
            "view.zoom_out": lambda: self.canvas.plotItem.vb.scaleBy((2, 1)),
            "view.dark": lambda on: self.view.set("dark", on),
        }

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        m = bar.addMenu("&File")
        for key in ("file.new", "file.new_from_preset", "file.open"):
            m.addAction(a[key])
        self.recent_menu = m.addMenu("Open &recent")
        for key in ("file.save", "file.save_as"):
            m.addAction(a[key])
        m.addSeparator()
        m.addAction(a["file.quit"])
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
        v.addAction(self.history_dock.toggleViewAction())
        self.recent_menu.aboutToShow.connect(self._refresh_recent)
        self._refresh_recent()

    def _wire(self) -> None:
        doc, editor, canvas, panel = self.doc, self.editor, self.canvas, self.panel
        doc.designChanged.connect(self._design_changed)
        doc.stack.cleanChanged.connect(lambda _clean: self._update_title())
        doc.pathChanged.connect(lambda _p: self._update_title())
        for signal, getter in (
            (doc.stack.canUndoChanged, "edit.undo"),
            (doc.stack.canRedoChanged, "edit.redo"),
        ):
            signal.connect(lambda on, key=getter: self.actions[key].setEnabled(on))
        self.actions["edit.undo"].setEnabled(False)
        self.actions["edit.redo"].setEnabled(False)
        editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        editor.failed.connect(panel.error.setText)
        editor.failed.connect(lambda text: text and panel.segments.show_design(doc.design))
        editor.failed.connect(lambda text: text and panel.properties.show_design(doc.design))
        editor.selection.changed.connect(self._selection_changed)
        canvas.dragStarted.connect(editor.begin_drag)
        canvas.dragMoved.connect(editor.drag_to)
        canvas.dragFinished.connect(editor.finish_drag)
        canvas.knotClicked.connect(editor.selection.select_knot)
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

    # ---- model -> views ------------------------------------------------------------------
    def _design_changed(self, design: Design) -> None:
        self.panel.properties.show_design(design)
        self.panel.segments.show_design(design)
        self.panel.segments.select_row(self.editor.selection.segment)
        self.panel.metrics.show_layers(self.layers)
        self.panel.advice.show_design(design)
        self._sync_epochs()

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
        if self.canvas.dark != self.view.dark or not hasattr(self, "_palette_set"):
            self._palette_set = True
            palette.apply(QApplication.instance(), self.view.dark)
            self.canvas.set_colors(self.view.dark)
        self._sync_epochs()

    def _update_title(self) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else self.doc.design.name + " (unsaved)"
        self.setWindowTitle(f"{name}[*] — LR Designer")
        self.setWindowModified(self.doc.modified)

    # ---- menus on the plot -------------------------------------------------------------------
    def _context_menu(self, step: int, lr: float, where: QPoint) -> None:
        d = self.doc.design
        index = d.segment_at(step)
        knot = min(range(len(d.knots)), key=lambda k: abs(d.knots[k].step - step))
        menu = QMenu(self)
        menu.addAction(f"Split segment here (step {int(step):,})", lambda: self.editor.split_at(step))
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

    # ---- files ---------------------------------------------------------------------------
    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        return QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.doc.design.name!r}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def ask_restore(self, when: str) -> bool:
        """Whether to restore the recovered design (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "Recover unsaved work",
            f"LR Designer did not close normally. Restore the design autosaved {when}?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_open_path(self) -> str:
        return QFileDialog.getOpenFileName(
            self, "Open design", self.session.last_dir(), "Designs (*.json);;All files (*)"
        )[0]

    def ask_save_path(self) -> str:
        start = self.doc.path or os.path.join(self.session.last_dir(), self.doc.design.name + ".json")
        return QFileDialog.getSaveFileName(self, "Save design", start, "Designs (*.json)")[0]

    def warn(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text, 10000)
        if not os.environ.get("LRDESIGNER_NO_DIALOGS"):
            QMessageBox.warning(self, title, text)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.doc.modified:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _replace(self, design: Design, path: str = "") -> None:
        self.editor.drag = None
        self.editor.selection.select_knot(None)
        self.doc.replace(design, path)
        self.canvas.fit()

    def new(self) -> None:
        if self.maybe_save():
            self._replace(default_design())

    def new_from_preset(self) -> None:
        if not self.maybe_save():
            return
        dialog = PresetDialog(self)
        if not dialog.exec():
            return
        self._replace(dialog.design)

    def open_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if not self.maybe_save():
            return False
        try:
            design = designfile.load(path)
        except (DesignError, OSError) as exc:
            self.warn("Open design", str(exc))
            self.session.remember(path, drop=True)
            return False
        self._replace(design, os.path.abspath(path))
        self.session.remember(path)
        return True

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            designfile.save(self.doc.design, path)
        except OSError as exc:
            self.warn("Save design", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.mark_saved(os.path.abspath(path))
        self.session.remember(path)
        self.session.clear_recovery()
        self.statusBar().showMessage(f"saved {path}", 4000)
        return True

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.session.recent()
        for p in files:
            self.recent_menu.addAction(os.path.basename(p), lambda p=p: self.open_path(p)).setToolTip(p)
        self.recent_menu.setEnabled(bool(files))

    def dragEnterEvent(self, ev):  # noqa: N802
        if ev.mimeData().hasUrls() and any(u.isLocalFile() for u in ev.mimeData().urls()):
            ev.acceptProposedAction()

    def dropEvent(self, ev):  # noqa: N802
        for url in ev.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())
                ev.acceptProposedAction()
                return

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
        ev.accept()


class _blocked:
    """Block an object's signals inside a with-block (model -> view pushes must not echo back)."""

    def __init__(self, obj) -> None:
        self.obj = obj

    def __enter__(self):
        self.old = self.obj.blockSignals(True)

    def __exit__(self, *exc):
        self.obj.blockSignals(self.old)

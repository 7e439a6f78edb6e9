"""The main window: canvas, side panel, menus, files, undo history, autosave and recovery."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QUndoView,
)

from ..schedule import designfile, edits
from ..schedule.defaults import default_design
from ..schedule.design import Design
from ..schedule.errors import DesignError
from ..schedule.shapes import SHAPES
from .canvas import Canvas
from .dialogs import PresetDialog
from .document import Document
from .panel import SidePanel

AUTOSAVE_MS = 30_000
MAX_RECENT = 8
NUDGE_STEPS = 0.01  # arrow keys move a knot by 1% of the visible steps
NUDGE_LR = 1.02  # ... or its LR by 2%


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lrdesigner", "lrdesigner")


def recovery_path() -> str:
    return os.path.join(os.path.dirname(settings().fileName()), "recovery.lrdesign.json")


class MainWindow(QMainWindow):
    def __init__(self, design: Design | None = None, path: str = "", check_recovery: bool = True) -> None:
        super().__init__()
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        self.doc = Document(design or default_design(), path, self)
        self.canvas = Canvas()
        self.panel = SidePanel()
        split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 500])
        self.setCentralWidget(split)
        self.history = QUndoView(self.doc.stack)
        self.history.setEmptyLabel("Opened")
        dock = QDockWidget("History", self)
        dock.setObjectName("history")
        dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        self.history_dock = dock
        self.dark = False
        self._drag_base: Design | None = None
        self._build_menus()
        self.doc.designChanged.connect(self._design_changed)
        self.doc.previewChanged.connect(lambda d: self.canvas.set_design(d))
        self.doc.stack.cleanChanged.connect(lambda clean: self._update_title())
        self.doc.pathChanged.connect(lambda p: self._update_title())
        self.panel.segments.edited.connect(self.doc.apply)
        self.panel.properties.edited.connect(self.doc.apply)
        self.panel.advice.locate.connect(self.canvas.locate)
        self.panel.segments.failed.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.canvas.knotMoved.connect(self._knot_moved)
        self.canvas.splitRequested.connect(self.split_at)
        self.canvas.contextRequested.connect(self._context_menu)
        self.canvas.nudgeRequested.connect(self._nudge)
        self.canvas.knotSelected.connect(
            lambda i: self.statusBar().showMessage(
                f"knot {i} selected: arrow keys nudge it, Shift/Ctrl while dragging keep one axis", 5000
            )
        )
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()
        self._design_changed(self.doc.design, fit=True)
        self._update_title()
        if check_recovery:
            QTimer.singleShot(0, self.offer_recovery)

    # ---- menus -------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot, shortcut=None, tip: str = "", checkable=False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(tip or text)
        a.setStatusTip(tip)
        a.setCheckable(checkable)
        (a.toggled if checkable else a.triggered).connect(slot)
        menu.addAction(a)
        return a

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        self._action(m, "&New", self.new, QKeySequence.StandardKey.New, "A new design (the default)")
        self._action(
            m,
            "New from &preset...",
            self.new_from_preset,
            "Ctrl+Shift+N",
            "A design from a library schedule (Noam, cosine, one-cycle, WSD ...)",
        )
        self._action(m, "&Open...", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu("Open &recent")
        self._action(m, "&Save", self.save, QKeySequence.StandardKey.Save)
        self._action(m, "Save &as...", self.save_as, QKeySequence.StandardKey.SaveAs)
        m.addSeparator()
        self._action(m, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        e = self.menuBar().addMenu("&Edit")
        undo = self.doc.stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.doc.stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        e.addAction(undo)
        e.addAction(redo)
        e.addSeparator()
        self._action(e, "&Delete selected segment", self.delete_selected, QKeySequence.StandardKey.Delete)
        v = self.menuBar().addMenu("&View")
        self.log_action = self._action(v, "&Log-scale LR", self.canvas.set_log, "Ctrl+L", checkable=True)
        self.epoch_action = self._action(
            v,
            "&Epochs on the x axis",
            self.canvas.set_epoch_axis,
            "Ctrl+E",
            "Needs steps per epoch",
            checkable=True,
        )
        self._action(v, "&Fit to design", self.canvas.fit, "Ctrl+0")
        self._action(
            v, "Zoom &in", lambda: self.canvas.plotItem.vb.scaleBy((0.5, 1)), QKeySequence.StandardKey.ZoomIn
        )
        self._action(
            v, "Zoom &out", lambda: self.canvas.plotItem.vb.scaleBy((2, 1)), QKeySequence.StandardKey.ZoomOut
        )
        self.dark_action = self._action(v, "&Dark palette", self.set_dark, checkable=True)
        v.addAction(self.history_dock.toggleViewAction())
        self._refresh_recent()

    # ---- model -> views ----------------------------------------------------------------
    def _design_changed(self, design: Design, fit: bool = False) -> None:
        self.canvas.set_design(design, fit=fit)
        self.panel.show_design(design)
        self.panel.error.clear()
        self.epoch_action.setEnabled(design.steps_per_epoch is not None)

    def _update_title(self) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else self.doc.design.name + " (unsaved)"
        self.setWindowTitle(f"{name}[*] — LR Designer")
        self.setWindowModified(self.doc.modified)

    # ---- gestures -> commands ------------------------------------------------------------
    def _knot_moved(self, knot: int, step: int, lr: float, finished: bool) -> None:
        if self._drag_base is None:
            self._drag_base = self.doc.design
        base = self._drag_base
        try:
            new = edits.move_knot(base, knot, step=step if knot > 0 else None, lr=lr)
        except DesignError as exc:
            self.statusBar().showMessage(str(exc), 4000)
            new = None
        if not finished:
            if new is not None:
                self.doc.preview(new)
            return
        self._drag_base = None
        if new is None:
            self.doc.cancel_preview()
        else:
            self.doc.apply(new, f"Move knot {knot}")

    def _nudge(self, knot: int, dx: int, dy: int) -> None:
        d = self.doc.design
        step, _, lr_out = d.knots[knot]
        lr = lr_out if knot < len(d.segments) else d.knots[knot][1]
        (x0, x1), _ = self.canvas.plotItem.vb.viewRange()
        step = step + dx * max(1, int((x1 - x0) * NUDGE_STEPS))
        lr = lr * (NUDGE_LR**dy) if dy else lr
        self.try_apply(
            lambda d: edits.move_knot(d, knot, step=step if dx and knot else None, lr=lr if dy else None),
            f"Nudge knot {knot}",
        )

    def try_apply(self, change, text: str) -> bool:
        try:
            new = change(self.doc.design)
        except DesignError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            self.panel.error.setText(str(exc))
            return False
        self.doc.apply(new, text)
        return True

    def split_at(self, step: int) -> None:
        self.try_apply(lambda d: edits.split(d, step), f"Split at step {step:,}")

    def delete_segment(self, index: int) -> None:
        self.try_apply(lambda d: edits.delete(d, index), f"Delete segment {index + 1}")

    def delete_selected(self) -> None:
        row = self.panel.segments.currentRow()
        if row < 0:
            self.statusBar().showMessage("select a segment in the table first", 4000)
            return
        self.delete_segment(row)

    def change_shape(self, index: int, shape: str) -> None:
        self.try_apply(lambda d: edits.change_shape(d, index, shape), f"Change segment {index + 1} to {shape}")

    def _context_menu(self, step: int, lr: float, where) -> None:
        d = self.doc.design
        index = d.segment_at(step)
        menu = QMenu(self)
        menu.addAction(f"Split segment here (step {step:,})", lambda: self.split_at(step))
        menu.addAction(f"Delete segment {index + 1}", lambda: self.delete_segment(index))
        shapes = menu.addMenu("Change shape")
        for name in SHAPES:
            act = shapes.addAction(name, lambda n=name: self.change_shape(index, n))
            act.setCheckable(True)
            act.setChecked(name == d.segments[index].shape)
        knot = min(range(len(d.knots)), key=lambda k: abs(d.knots[k][0] - step))
        menu.addAction(f"Set exact value of knot {knot}...", lambda: self.set_exact(knot))
        menu.addSeparator()
        menu.addAction("Fit to design", self.canvas.fit)
        menu.popup(where)

    def set_exact(self, knot: int) -> None:
        d = self.doc.design
        step, _, lr = d.knots[knot]
        text, ok = QInputDialog.getText(self, f"Knot {knot}", "step, LR", text=f"{step}, {lr!r}")
        if not ok:
            return
        try:
            s, v = (p.strip() for p in text.split(","))
            step, lr = int(float(s)), float(v)
        except ValueError:
            self.statusBar().showMessage(f"expected 'step, LR', got {text!r}", 6000)
            return
        self.try_apply(
            lambda d: edits.move_knot(d, knot, step=step if knot else None, lr=lr), f"Set knot {knot}"
        )

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
            self, "Open design", self._last_dir(), "Designs (*.json);;All files (*)"
        )[0]

    def ask_save_path(self) -> str:
        start = self.doc.path or os.path.join(self._last_dir(), self.doc.design.name + ".json")
        return QFileDialog.getSaveFileName(self, "Save design", start, "Designs (*.json)")[0]

    def _last_dir(self) -> str:
        return str(settings().value("last_dir", os.path.expanduser("~")))

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.doc.modified:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self) -> None:
        if self.maybe_save():
            self.doc.replace(default_design())
            self.canvas.fit()

    def new_from_preset(self) -> None:
        if not self.maybe_save():
            return
        dialog = PresetDialog(self)
        if not dialog.exec():
            return
        try:
            design = dialog.preset.build(**dialog.values())
        except DesignError as exc:
            QMessageBox.warning(self, "Preset", str(exc))
            return
        self.doc.replace(design)
        self.canvas.fit()

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
            if not os.environ.get("LRDESIGNER_NO_DIALOGS"):
                QMessageBox.warning(self, "Open design", str(exc))
            self.statusBar().showMessage(str(exc), 10000)
            self._remember(path, drop=True)
            return False
        self.doc.replace(design, os.path.abspath(path))
        self.canvas.fit()
        self._remember(path)
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
            QMessageBox.warning(self, "Save design", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.mark_saved(os.path.abspath(path))
        self._remember(path)
        self.statusBar().showMessage(f"saved {path}", 4000)
        return True

    def _remember(self, path: str, drop: bool = False) -> None:
        s = settings()
        s.setValue("last_dir", os.path.dirname(os.path.abspath(path)))
        recent = [p for p in (s.value("recent") or []) if p != os.path.abspath(path)]
        if not drop:
            recent.insert(0, os.path.abspath(path))
        s.setValue("recent", recent[:MAX_RECENT])
        self._refresh_recent()

    def recent_files(self) -> list[str]:
        return [p for p in (settings().value("recent") or []) if os.path.isfile(p)]

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if files != list(settings().value("recent") or []):
            settings().setValue("recent", files)  # missing files drop out
        for p in files:
            self.recent_menu.addAction(os.path.basename(p), lambda p=p: self.open_path(p)).setToolTip(p)
        self.recent_menu.setEnabled(bool(files))

    def dragEnterEvent(self, ev):  # noqa: N802
        if ev.mimeData().hasUrls() and any(u.toLocalFile().endswith(".json") for u in ev.mimeData().urls()):
            ev.acceptProposedAction()

    def dropEvent(self, ev):  # noqa: N802
        for url in ev.mimeData().urls():
            if url.toLocalFile().endswith(".json"):
                self.open_path(url.toLocalFile())
                ev.acceptProposedAction()
                return

    # ---- autosave and recovery ---------------------------------------------------------
    def write_recovery(self) -> None:
        if not self.doc.modified:
            return
        path = recovery_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        designfile.save(self.doc.design, path)
        settings().setValue("recovery_source", self.doc.path)

    def offer_recovery(self) -> bool:
        path = recovery_path()
        if not os.path.isfile(path):
            return False
        try:
            design = designfile.load(path)
        except (DesignError, OSError):
            os.remove(path)
            return False
        import datetime

        when = datetime.datetime.fromtimestamp(os.path.getmtime(path)).strftime("%Y-%m-%d %H:%M")
        restored = self.ask_restore(when)
        if restored:
            source = str(settings().value("recovery_source", "") or "")
            self.doc.replace(self.doc.design, source)
            self.doc.apply(design, "Restore autosaved design")
            self.canvas.fit()
        os.remove(path)
        return restored

    def closeEvent(self, ev):  # noqa: N802
        if not self.maybe_save():
            ev.ignore()
            return
        if os.path.isfile(recovery_path()):
            os.remove(recovery_path())
        self.autosave.stop()
        ev.accept()

    # ---- palettes ------------------------------------------------------------------------
    def set_dark(self, on: bool) -> None:
        self.dark = on
        app = QApplication.instance()
        app.setStyle("Fusion")
        if on:
            p = QPalette()
            base, window, text = QColor("#1e1f24"), QColor("#2a2c33"), QColor("#e3e5ea")
            for role, color in (
                (QPalette.ColorRole.Window, window),
                (QPalette.ColorRole.WindowText, text),
                (QPalette.ColorRole.Base, base),
                (QPalette.ColorRole.AlternateBase, window),
                (QPalette.ColorRole.Text, text),
                (QPalette.ColorRole.Button, window),
                (QPalette.ColorRole.ButtonText, text),
                (QPalette.ColorRole.ToolTipBase, base),
                (QPalette.ColorRole.ToolTipText, text),
                (QPalette.ColorRole.Highlight, QColor("#3d6fb6")),
                (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
                (QPalette.ColorRole.PlaceholderText, QColor("#8a8d96")),
            ):
                p.setColor(role, color)
            app.setPalette(p)
        else:
            app.setPalette(app.style().standardPalette())
        self.canvas.set_colors(on)
        if self.dark_action.isChecked() != on:
            self.dark_action.setChecked(on)

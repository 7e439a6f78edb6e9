"""Menus on the plot: the context menu, the shape menu and the exact-value dialog of a knot."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from ..schedule.shapes import SHAPES
from .dialogs.knot import KnotDialog


class PlotMenusMixin:
    """The plot's menus of the MainWindow (it provides doc, editor, canvas and actions)."""

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

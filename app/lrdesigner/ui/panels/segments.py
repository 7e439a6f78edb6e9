"""The segments table: one row per segment. Edits leave as intents (row, field, text); the
table never builds a Design."""

from __future__ import annotations

import json

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from ...schedule.design import Design
from ...schedule.shapes import SHAPES
from ..wheel import ScrollSafeComboBox

COLUMNS = ("shape", "start", "steps", "LR start", "LR end", "parameters")
FIELDS = (None, None, "steps", "lr_start", "lr_end", "parameters")


def format_params(seg) -> str:
    defaults = {p.name: p.default for p in seg.kind.params}
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in seg.params if v != defaults.get(k))


class SegmentTable(QTableWidget):
    """Shows a Design; emits `cellEdited(row, field, text)`, `shapeChosen(row, shape)` and
    `rowSelected(row)`."""

    cellEdited = Signal(int, str, str)
    shapeChosen = Signal(int, str)
    rowSelected = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMinimumHeight(90)
        self.design: Design | None = None
        self.cellChanged.connect(self._cell_changed)
        self.itemSelectionChanged.connect(self._selection_changed)
        tips = (
            "Shape of the segment's curve",
            "First step (follows from the steps before)",
            "Length of the segment in steps (1,000 and 1e3 are understood)",
            "LR at the segment's first step",
            "LR the segment reaches at its end",
            "Shape parameters as name=value, comma separated",
        )
        for col, tip in enumerate(tips):
            self.horizontalHeaderItem(col).setToolTip(tip)

    def show_design(self, design: Design) -> None:
        """Fill the rows from `design` (also used to put a refused cell back)."""
        self.design = design
        with QSignalBlocker(self):
            self.setRowCount(len(design.segments))
            for i, (seg, start) in enumerate(zip(design.segments, design.starts)):
                combo = self.cellWidget(i, 0)
                if not isinstance(combo, QComboBox):
                    combo = ScrollSafeComboBox()
                    combo.wheel_edits = False  # picked by click or keyboard, never by a scroll
                    combo.addItems(list(SHAPES))
                    combo.currentTextChanged.connect(lambda shape, c=combo: self._shape_changed(c, shape))
                    self.setCellWidget(i, 0, combo)
                with QSignalBlocker(combo):
                    combo.setCurrentText(seg.shape)
                cells = (
                    f"{start:,}",
                    f"{seg.duration:,}",
                    f"{seg.lr_start:.6g}",
                    f"{seg.lr_end:.6g}",
                    format_params(seg),
                )
                exact = (None, None, repr(seg.lr_start), repr(seg.lr_end), None)
                for col, text in enumerate(cells, start=1):
                    item = QTableWidgetItem(text)
                    if exact[col - 1]:
                        item.setToolTip(f"exactly {exact[col - 1]}")
                    if col == 1 or (col == 4 and seg.kind.implied_end and seg.shape == "constant"):
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    self.setItem(i, col, item)

    def select_row(self, row: int | None) -> None:
        with QSignalBlocker(self):
            if row is None or not 0 <= row < self.rowCount():
                self.clearSelection()
            else:
                self.selectRow(row)

    def _selection_changed(self) -> None:
        rows = {i.row() for i in self.selectedIndexes()}
        if rows:
            self.rowSelected.emit(min(rows))

    def _shape_changed(self, combo: QComboBox, shape: str) -> None:
        for row in range(self.rowCount()):
            if self.cellWidget(row, 0) is combo:
                self.shapeChosen.emit(row, shape)
                return

    def _cell_changed(self, row: int, col: int) -> None:
        field = FIELDS[col]
        if field is None or self.design is None:
            return
        self.cellEdited.emit(row, field, self.item(row, col).text())

"""The side panel: segments table, design properties, live metrics and advice."""

from __future__ import annotations

import json

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..schedule import edits
from ..schedule.advice import check
from ..schedule.design import AFTER_END, Design
from ..schedule.errors import DesignError
from ..schedule.metrics import metrics
from ..schedule.shapes import SHAPES
from .canvas import format_lr

COLUMNS = ("shape", "start", "steps", "LR start", "LR end", "parameters")


def format_params(seg) -> str:
    defaults = {p.name: p.default for p in seg.kind.params}
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in seg.params if v != defaults.get(k))


def parse_params(text: str) -> dict:
    """`a=1, mode="triangular"` -> {"a": 1, "mode": "triangular"} (values as JSON, else text)."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, raw = part.partition("=")
        if not sep or not key.strip():
            raise DesignError(f"expected name=value, got {part!r}", "parameters")
        try:
            out[key.strip()] = json.loads(raw.strip())
        except json.JSONDecodeError:
            out[key.strip()] = raw.strip().strip("'\"")
    return out


def _number(text: str, what: str) -> float:
    try:
        return float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise DesignError(f"{text!r} is not a number", what) from None


class SegmentTable(QTableWidget):
    """One row per segment; a committed cell edit emits `edited(new design, description)`."""

    edited = Signal(object, str)
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.design: Design | None = None
        self.cellChanged.connect(self._cell_changed)
        tips = (
            "Shape of the segment's curve",
            "First step (follows from the steps before)",
            "Length of the segment in steps",
            "LR at the segment's first step",
            "LR the segment reaches at its end",
            "Shape parameters as name=value, comma separated",
        )
        for col, tip in enumerate(tips):
            self.horizontalHeaderItem(col).setToolTip(tip)

    def show_design(self, design: Design) -> None:
        self.design = design
        blocker = QSignalBlocker(self)
        selected = self.currentRow()
        self.setRowCount(len(design.segments))
        for i, (seg, start) in enumerate(zip(design.segments, design.starts)):
            combo = self.cellWidget(i, 0)
            if not isinstance(combo, QComboBox):
                combo = QComboBox()
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
        if 0 <= selected < len(design.segments):
            self.selectRow(selected)
        del blocker

    def _shape_changed(self, combo: QComboBox, shape: str) -> None:
        for row in range(self.rowCount()):
            if self.cellWidget(row, 0) is combo:
                self._commit(
                    lambda d, row=row: edits.change_shape(d, row, shape), f"Change segment {row + 1} to {shape}"
                )
                return

    def _cell_changed(self, row: int, col: int) -> None:
        text = self.item(row, col).text().strip()
        seg = self.design.segments[row]

        def change(d: Design) -> Design:
            if col == 2:
                steps = int(_number(text, "steps"))
                return d.replace(
                    segments=d.segments[:row] + (seg.replace(duration=steps),) + d.segments[row + 1 :]
                )
            if col == 3:
                return edits.move_knot(d, row, lr=_number(text, "LR start"), side="right" if row else "both")
            if col == 4:
                last = row == len(d.segments) - 1
                return edits.move_knot(d, row + 1, lr=_number(text, "LR end"), side="both" if last else "left")
            return edits.set_params(d, row, **parse_params(text))

        self._commit(change, f"Edit {COLUMNS[col]} of segment {row + 1}")

    def _commit(self, change, text: str) -> None:
        try:
            new = change(self.design)
        except (DesignError, ValueError, TypeError) as exc:
            self.failed.emit(str(exc))
            self.show_design(self.design)  # put the cell back
            return
        self.edited.emit(new, text)


class PropertiesForm(QGroupBox):
    edited = Signal(object, str)
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__("Design", parent)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.total = QLabel()
        self.spe = QSpinBox()
        self.spe.setRange(0, 2**31 - 1)
        self.spe.setSpecialValueText("not set")
        self.spe.setToolTip("Optimizer steps per epoch: enables the epoch axis and plateau evaluation")
        self.after = QComboBox()
        self.after.addItems(AFTER_END)
        self.after.setToolTip("What the LR does after the last step: hold it, continue the formula, or 0")
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("Total steps", self.total)
        form.addRow("Steps per epoch", self.spe)
        form.addRow("After the end", self.after)
        self.design: Design | None = None
        self.name.editingFinished.connect(lambda: self._commit(name=self.name.text()))
        self.description.editingFinished.connect(lambda: self._commit(description=self.description.text()))
        self.spe.editingFinished.connect(lambda: self._commit(steps_per_epoch=self.spe.value() or None))
        self.after.currentTextChanged.connect(lambda v: self._commit(after_end=v))

    def show_design(self, d: Design) -> None:
        self.design = d
        for w in (self.name, self.description, self.spe, self.after):
            w.blockSignals(True)
        self.name.setText(d.name)
        self.description.setText(d.description)
        self.total.setText(f"{d.total_steps:,}")
        self.spe.setValue(d.steps_per_epoch or 0)
        self.after.setCurrentText(d.after_end)
        for w in (self.name, self.description, self.spe, self.after):
            w.blockSignals(False)

    def _commit(self, **change) -> None:
        if self.design is None:
            return
        key, value = next(iter(change.items()))
        if getattr(self.design, key) == value:
            return
        try:
            new = self.design.replace(**change)
        except DesignError as exc:
            self.failed.emit(str(exc))
            self.show_design(self.design)
            return
        self.edited.emit(new, f"Set {key.replace('_', ' ')}")


class MetricsView(QGroupBox):
    def __init__(self, parent=None) -> None:
        super().__init__("Metrics", parent)
        self.form = QFormLayout(self)
        self.labels = {}
        for key, title in (
            ("peak", "Peak LR"),
            ("peak_step", "Step of peak"),
            ("final", "Final LR"),
            ("mean", "Mean LR"),
            ("warmup", "Warmup"),
        ):
            self.labels[key] = QLabel()
            self.labels[key].setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(title, self.labels[key])

    def show_design(self, d: Design) -> None:
        m = metrics(d)
        self.labels["peak"].setText(format_lr(m.peak_lr))
        self.labels["peak_step"].setText(f"{m.peak_step:,}")
        self.labels["final"].setText(format_lr(m.final_lr))
        self.labels["mean"].setText(format_lr(m.mean_lr))
        self.labels["warmup"].setText(f"{m.warmup_steps:,} steps ({m.warmup_fraction:.1%})")


class AdviceList(QListWidget):
    """The core's advice; activating an item locates its step on the canvas."""

    locate = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.itemClicked.connect(self._clicked)

    def show_design(self, d: Design) -> None:
        self.clear()
        advice = check(d)
        if not advice:
            self.addItem(QListWidgetItem("No advice: the design looks sound."))
        for a in advice:
            item = QListWidgetItem(("⚠ " if a.severity == "warning" else "ℹ ") + a.message)
            item.setData(Qt.ItemDataRole.UserRole, a.step)
            item.setToolTip(a.message)
            self.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        step = item.data(Qt.ItemDataRole.UserRole)
        if step is not None:
            self.locate.emit(int(step))


class SidePanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.properties = PropertiesForm()
        self.segments = SegmentTable()
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.metrics = MetricsView()
        advice_box = QGroupBox("Advice")
        self.advice = AdviceList()
        QVBoxLayout(advice_box).addWidget(self.advice)
        segs_box = QGroupBox("Segments")
        seg_layout = QVBoxLayout(segs_box)
        seg_layout.addWidget(self.segments)
        seg_layout.addWidget(self.error)
        layout.addWidget(self.properties)
        layout.addWidget(segs_box, stretch=3)
        layout.addWidget(self.metrics)
        layout.addWidget(advice_box, stretch=2)
        self.segments.failed.connect(self.error.setText)
        self.properties.failed.connect(self.error.setText)

    def show_design(self, d: Design) -> None:
        self.properties.show_design(d)
        self.segments.show_design(d)
        self.metrics.show_design(d)
        self.advice.show_design(d)

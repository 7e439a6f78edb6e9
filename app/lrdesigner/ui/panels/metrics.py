"""The metrics of every visible curve, one row each, as the core computes them; copy as CSV or
Markdown."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableWidget, QTableWidgetItem

from ...schedule.compare import ComparisonRow, comparison_row
from ..plot.axes import format_lr
from ..text import elide

COLUMNS = (
    "layer",
    "peak LR",
    "step of peak",
    "final LR",
    "mean LR",
    "LR area",
    "warmup",
    "to 10% of peak",
    "max diff from design",
)
#: Beyond this many steps the largest difference is bounded piece by piece (to 1e-6) instead of
#: computed step by step, to keep the table instant.
UI_EXACT_STEPS = 2_000_000


def format_row(row: ComparisonRow) -> dict[str, str]:
    """One row as shown (and as written to the state dump and copied)."""
    m = row.metrics
    diff = "—"
    if row.difference is not None:
        d = row.difference
        diff = "0" if d.value == 0 else f"{d.value:.3g}"
        if d.value:
            diff += f" (step {d.step:,})"
        if d.skipped_zero:
            diff += "; steps at LR 0 skipped"
    return {
        "layer": row.name,
        "peak LR": format_lr(m.peak_lr),
        "step of peak": f"{m.peak_step:,}",
        "final LR": format_lr(m.final_lr),
        "mean LR": format_lr(m.mean_lr),
        "LR area": f"{m.lr_area:.4g}",
        "warmup": f"{m.warmup_steps:,} ({m.warmup_fraction:.1%})",
        "to 10% of peak": "never" if row.steps_to_10pct is None else f"{row.steps_to_10pct:,}",
        "max diff from design": diff,
    }


class MetricsTable(QTableWidget):
    """One row per curve. The layer's name is the row's header, so it stays in view when the
    table scrolls sideways."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS) - 1, parent)
        self.setHorizontalHeaderLabels(COLUMNS[1:])
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMaximumWidth(220)  # a long name is elided, never the numbers
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMinimumHeight(60)
        self.setToolTip("max diff from design: the largest |layer - design| / design over the design's steps")
        self.rows: list[dict] = []
        self._cache: dict[str, tuple[object, object, ComparisonRow]] = {}

    def show_layers(self, layers) -> None:
        design = layers.design_layer.design
        computed = []
        for layer in layers:
            if not layer.visible or not layer.draws_design:
                continue
            is_design = layer is layers.design_layer
            key = (layer.design, None if is_design else design)
            cached = self._cache.get(layer.id)
            if (
                cached is not None
                and cached[0] is key[0]
                and cached[1] is key[1]
                and cached[2].name == layer.name
            ):
                row = cached[2]
            else:
                row = _row(layer.name, layer.design, None if is_design else design)
                self._cache[layer.id] = (key[0], key[1], row)
            computed.append(row)
        self.rows = [format_row(r) for r in computed]
        self.setRowCount(len(self.rows))
        row_height = self.verticalHeader().defaultSectionSize()
        self.setMinimumHeight(min(self.horizontalHeader().height() + row_height * len(self.rows) + 24, 260))
        self.setVerticalHeaderLabels([elide(row["layer"], 40) for row in self.rows])
        for r, row in enumerate(self.rows):
            self.verticalHeaderItem(r).setToolTip(row["layer"])
            for c, key in enumerate(COLUMNS[1:]):
                item = QTableWidgetItem(row[key])
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

    def as_csv(self) -> str:
        import csv

        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()

    def as_markdown(self) -> str:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(row[c].replace("|", "\\|") for c in COLUMNS) + " |" for row in self.rows]
        return "\n".join(lines) + "\n"

    def copy(self, fmt: str) -> None:
        QApplication.clipboard().setText(self.as_csv() if fmt == "csv" else self.as_markdown())


def _row(name, layer_design, design) -> ComparisonRow:
    return comparison_row(name, layer_design, design, UI_EXACT_STEPS)

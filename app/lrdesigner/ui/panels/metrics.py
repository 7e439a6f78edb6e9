"""Metrics of every visible curve layer, one row each, as the core computes them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ...schedule.metrics import Metrics, metrics
from ..plot.axes import format_lr

COLUMNS = ("layer", "peak LR", "step of peak", "final LR", "mean LR", "LR area", "warmup")


def metric_row(name: str, m: Metrics) -> dict:
    """One row as shown (and as written to the state dump)."""
    return {
        "layer": name,
        "peak LR": format_lr(m.peak_lr),
        "step of peak": f"{m.peak_step:,}",
        "final LR": format_lr(m.final_lr),
        "mean LR": format_lr(m.mean_lr),
        "LR area": f"{m.lr_area:.4g}",
        "warmup": f"{m.warmup_steps:,} steps ({m.warmup_fraction:.1%})",
    }


class MetricsTable(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMinimumHeight(60)
        self.rows: list[dict] = []

    def show_layers(self, layers) -> None:
        self.rows = [
            metric_row(
                layer.name if layer.kind != "design" else f"{layer.name} (design)", metrics(layer.design)
            )
            for layer in layers
            if layer.visible and hasattr(layer, "design")
        ]
        self.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, key in enumerate(COLUMNS):
                item = QTableWidgetItem(row[key])
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)

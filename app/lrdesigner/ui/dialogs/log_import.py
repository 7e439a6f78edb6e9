"""Pick the series of a log to draw: a tree of runs and tags with point counts and step ranges."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from ...logs import catalog
from ...logs.advice import is_loss_tag


def default_pick(info) -> bool:
    """Checked at first: learning rates and losses."""
    return info.points > 0 and (info.axis == "lr" or is_loss_tag(info.tag))


class SeriesDialog(QDialog):
    """Runs x tags; `chosen()` lists the checked (run, tag) pairs."""

    def __init__(self, parent, path: str, runs, warnings=()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Series to draw")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"{path}\nChecked series are drawn: learning rates on the LR axis, the rest on "
                "the right-hand axis."
            )
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["run / tag", "points", "steps", "axis"])
        self.tree.setColumnWidth(0, 300)
        self.infos = catalog(runs)
        by_run: dict[str, QTreeWidgetItem] = {}
        for info in self.infos:
            parent_item = by_run.get(info.run)
            if parent_item is None:
                parent_item = QTreeWidgetItem([info.run])
                parent_item.setFlags(
                    parent_item.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable
                )
                self.tree.addTopLevelItem(parent_item)
                by_run[info.run] = parent_item
            span = "" if info.first is None else f"{info.first:,} .. {info.last:,}"
            if info.x_kind == "epoch":
                span = f"epochs {span}"
            note = " (needs steps per epoch)" if info.needs_steps_per_epoch else ""
            item = QTreeWidgetItem(
                [info.tag, f"{info.points:,}", span, ("LR" if info.axis == "lr" else "right") + note]
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if default_pick(info) else Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, (info.run, info.tag))
            if info.nonfinite:
                item.setToolTip(1, f"{info.nonfinite:,} non-finite values")
            parent_item.addChild(item)
        self.tree.expandAll()
        for column in range(4):  # every column readable ("right (needs steps per epoch)" ...)
            self.tree.resizeColumnToContents(column)
        self.tree.setColumnWidth(0, min(max(self.tree.columnWidth(0), 220), 420))
        width = sum(self.tree.columnWidth(c) for c in range(4)) + 60
        self.resize(min(max(640, width), 1100), 460)
        layout.addWidget(self.tree)
        if warnings:
            note = QLabel("Left out: " + "; ".join(warnings[:5]) + (" ..." if len(warnings) > 5 else ""))
            note.setWordWrap(True)
            note.setStyleSheet("color: #b9770e")
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def items(self):
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                yield top.child(j)

    def chosen(self) -> list[tuple[str, str]]:
        return [
            item.data(0, Qt.ItemDataRole.UserRole)
            for item in self.items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def set_checked(self, pairs) -> None:
        wanted = set(map(tuple, pairs))
        for item in self.items():
            on = tuple(item.data(0, Qt.ItemDataRole.UserRole)) in wanted
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

"""The layers dock: every layer with its colour and visibility, the design first."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from ..model.layers import LayerList


def swatch(color: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(QColor(color))
    return QIcon(pix)


class LayersPanel(QListWidget):
    """Checking an item shows its layer, unchecking hides it; the list follows the LayerList."""

    def __init__(self, layers: LayerList, parent=None) -> None:
        super().__init__(parent)
        self.layers = layers
        self.setMinimumHeight(40)
        self.itemChanged.connect(self._item_changed)
        for signal in (layers.inserted, layers.removed, layers.changed):
            signal.connect(lambda *_: self.refresh())
        layers.reordered.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        with QSignalBlocker(self):
            self.clear()
            for layer in self.layers:
                text = f"{layer.name}  (design)" if layer.kind == "design" else layer.name
                item = QListWidgetItem(swatch(layer.color), text)
                item.setData(Qt.ItemDataRole.UserRole, layer.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
                self.addItem(item)

    def _item_changed(self, item: QListWidgetItem) -> None:
        layer = self.layers.by_id(item.data(Qt.ItemDataRole.UserRole))
        if layer is not None:
            visible = item.checkState() == Qt.CheckState.Checked
            if visible != layer.visible:
                self.layers.update(layer, visible=visible)

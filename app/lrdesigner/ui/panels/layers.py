"""The layers list: the design first, then the comparisons, each with its colour, visibility and
editable name. Buttons and the context menu carry the window's `layers.*` actions."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu

from ..model.layers import Layer, LayerList
from ..text import elide, name_problem

#: How much of a name a row shows (the tooltip has it all).
SHOWN_IN_LIST = 60

LINE_PENS = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine}


def swatch(color: str, line: str = "solid") -> QIcon:
    pix = QPixmap(22, 14)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setPen(QPen(QColor(color), 3, LINE_PENS.get(line, Qt.PenStyle.SolidLine)))
    painter.drawLine(1, 7, 21, 7)
    painter.end()
    return QIcon(pix)


class LayersPanel(QListWidget):
    """Checking an item shows its layer, unchecking hides it; double-click renames a comparison.
    The highlighted row is the model's current layer (`LayerList.current`); choosing another row
    asks for it with `currentLayerChanged(layer)`."""

    currentLayerChanged = Signal(object)
    refused = Signal(str)  # a typed name that is not taken, and why

    def __init__(self, layers: LayerList, parent=None) -> None:
        super().__init__(parent)
        self.layers = layers
        self.menu_actions: list = []
        self.setMinimumHeight(40)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemChanged.connect(self._item_changed)
        self.currentRowChanged.connect(self._row_chosen)
        for signal in (layers.inserted, layers.removed, layers.changed):
            signal.connect(lambda *_: self.refresh())
        layers.reordered.connect(self.refresh)
        layers.currentChanged.connect(self.select_layer)
        self.refresh()

    def _row_chosen(self, _row: int) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.currentLayerChanged.emit(layer)

    def refresh(self) -> None:
        current = self.layers.current
        with QSignalBlocker(self):
            self.clear()
            for layer in self.layers:
                name = elide(layer.name, SHOWN_IN_LIST)
                if layer.is_design:
                    text = f"{name}  (design)"
                elif layer.problem:
                    text = f"{name}  (missing: {elide(layer.problem, SHOWN_IN_LIST)})"
                else:
                    text = name
                item = QListWidgetItem(swatch(layer.color, layer.line), text)
                item.setData(Qt.ItemDataRole.UserRole, layer.id)
                flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                if layer.renamable:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                item.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
                item.setToolTip(layer.name)
                if layer.problem:
                    item.setToolTip(f"{layer.name}: {layer.problem}")
                    item.setForeground(QColor("#c0392b"))
                self.addItem(item)
                if layer is current:
                    self.setCurrentItem(item)
        rows = 24 * len(self.layers) + 8
        self.setMinimumHeight(min(rows, 130))
        self.setMaximumHeight(max(48, min(220, rows)))

    def current_layer(self) -> Layer | None:
        item = self.currentItem()
        return None if item is None else self.layers.by_id(item.data(Qt.ItemDataRole.UserRole))

    def select_layer(self, layer: Layer) -> None:
        """Highlight `layer` (the model's current layer) without asking for it again."""
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == layer.id:
                with QSignalBlocker(self):
                    self.setCurrentRow(row)

    def _item_changed(self, item: QListWidgetItem) -> None:
        layer = self.layers.by_id(item.data(Qt.ItemDataRole.UserRole))
        if layer is None:
            return
        visible = item.checkState() == Qt.CheckState.Checked
        changes = {}
        if visible != layer.visible:
            changes["visible"] = visible
        name = item.text().strip()
        if layer.renamable and name and name != elide(layer.name, SHOWN_IN_LIST):
            problem = name_problem(name)
            if problem:
                self.refused.emit(problem)
                self.refresh()  # the row shows the name it keeps
                return
            changes["name"] = name
        if changes:
            self.layers.update(layer, **changes)

    def _menu(self, pos) -> None:
        item = self.itemAt(pos)
        if item is not None:
            self.setCurrentItem(item)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # a disabled action's tooltip says why
        for action in self.menu_actions:
            menu.addSeparator() if action is None else menu.addAction(action)
        menu.popup(self.viewport().mapToGlobal(pos))
        self._shown_menu = menu

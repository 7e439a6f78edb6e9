"""The side panel: layers, design properties, segments, metrics and advice, scrolling when short."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ..model.layers import LayerList
from .advice import AdviceList
from .layers import LayersPanel
from .metrics import MetricsTable
from .properties import PropertiesForm
from .segments import SegmentTable


def _box(title: str, *widgets) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    for w in widgets:
        layout.addWidget(w)
    return box


class SidePanel(QScrollArea):
    def __init__(self, layers: LayerList, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(260)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 4, 4)
        self.layers = LayersPanel(layers)
        self.layers.setMaximumHeight(96)
        self.properties = PropertiesForm()
        self.segments = SegmentTable()
        self.error = QLabel()
        self.error.setObjectName("edit-error")
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.metrics = MetricsTable()
        self.advice = AdviceList()
        layout.addWidget(_box("Layers", self.layers))
        layout.addWidget(self.properties)
        layout.addWidget(_box("Segments", self.segments, self.error), stretch=3)
        layout.addWidget(_box("Metrics", self.metrics), stretch=1)
        layout.addWidget(_box("Advice", self.advice), stretch=2)
        self.setWidget(inner)

"""The side panel: layers, design properties, segments, metrics and advice, scrolling when short."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model.layers import LayerList
from ..model.view_state import ViewState
from .advice import AdviceList
from .layers import LayersPanel
from .logs import LogsPanel
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
    """The panels beside the plot; `view`: the window's ViewState, which the logs controls set
    and follow (without it they only emit their intents)."""

    def __init__(self, layers: LayerList, view: ViewState | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setMinimumWidth(260)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 4, 4)
        self.layers = LayersPanel(layers)
        self.layer_buttons = QHBoxLayout()
        self.layer_buttons.setContentsMargins(0, 0, 0, 0)
        buttons = QWidget()
        buttons.setLayout(self.layer_buttons)
        self.properties = PropertiesForm()
        self.segments = SegmentTable()
        self.error = QLabel()
        self.error.setObjectName("edit-error")
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.metrics = MetricsTable()
        self.advice = AdviceList()
        self.logs = LogsPanel(view)
        self.logs.hide()  # shown once a log is open
        #: Each panel by name, in order (the state dump reports where each is and whether it can
        #: be scrolled into view).
        self.boxes = {
            "Layers": _box("Layers", self.layers, buttons),
            "Logs": self.logs,
            "Design": self.properties,
            "Segments": _box("Segments", self.segments, self.error),
            "Metrics": _box("Metrics", self.metrics),
            "Advice": _box("Advice", self.advice),
        }
        stretch = {"Segments": 3, "Metrics": 1, "Advice": 2}
        for name, box in self.boxes.items():
            layout.addWidget(box, stretch=stretch.get(name, 0))
        # However short the window, the panels keep their own height and the area scrolls to
        # each of them (none is squeezed out of sight).
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        self.setWidget(inner)

    def reachable(self, name: str) -> bool:
        """Whether the panel is shown and can be scrolled into view whole enough to use."""
        box = self.boxes[name]
        inner = self.widget()
        if not box.isVisibleTo(inner):
            return False
        top = box.mapTo(inner, box.rect().topLeft()).y()
        return box.height() >= min(box.minimumSizeHint().height(), 40) and top + box.height() <= inner.height()


def tool_button(action, menu=None) -> QToolButton:
    """A compact button for an action (with a drop-down menu when given)."""
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    if menu is not None:
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    return button

"""The layers the canvas draws: the editable design first, then comparison curves (a preset, a
design file, a snapshot), logged series and plateau results. Each kind of layer is a class that
says which operations it allows; `kind` is only what the workspace and the state dump write."""

from __future__ import annotations

import colorsys
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from ...schedule.design import Design
from .document import Document

if TYPE_CHECKING:
    from ...logs import Series
    from ...schedule.plateau import PlateauResult

#: A colour-blind-safe palette (Okabe-Ito), the design's blue first.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
LINES = ("solid", "dash", "dot")
#: The design's colour in the light and the dark palette.
DESIGN_BLUES = ("#0072b2", "#56b4e9")
#: Colours for layers past the palette: 36 hues at two brightnesses.
_EXTRA_COLORS = tuple(
    "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in colorsys.hsv_to_rgb(k / 36, 0.85, value)))
    for value in (0.8, 0.5)
    for k in range(36)
)
_ids = itertools.count(1)


@dataclass(eq=False)
class Layer:
    """What every layer has: identity, name, style and which y axis it belongs to; and, as class
    attributes its subclasses override, what can be done with it."""

    name: str
    color: str = PALETTE[0]
    visible: bool = True
    line: str = "solid"  # "solid", "dash", "dot"
    axis: str = "lr"  # "lr" (left) or "right"
    id: str = field(default_factory=lambda: f"layer-{next(_ids)}")

    #: The file format's name for the layer (workspace, state dump); never tested by the views.
    kind = "layer"
    #: The editable design (drawn on top, knots on it).
    is_design = False
    #: It can be removed from the list, and moved within it (the design stays first).
    removable = True
    movable = True
    #: Its name can be edited in the layers list.
    renamable = False
    #: Its curve is a Design's LR (readout, metrics, the ratio view).
    draws_design = False
    #: It is drawn on the plot with an extent (fit, legend, log-axis floor); a missing file is not.
    drawn = True
    #: A comparison curve that can become the editable design.
    can_become_design = False
    #: A preset's curve: its parameters can be edited.
    has_params = False
    #: A logged series: its file can be followed as it grows.
    can_follow = False
    #: Why it is not drawn (a missing file); "" when it is.
    problem = ""

    @property
    def on_right(self) -> bool:
        """Drawn on the right-hand axis (logged losses and metrics)."""
        return self.axis == "right"

    @property
    def can_simulate_plateau(self) -> bool:
        """ReduceLROnPlateau can be simulated on it (a logged loss or metric)."""
        return False

    @property
    def can_fit(self) -> bool:
        """A design can be fitted to it (a logged LR)."""
        return False


@dataclass(eq=False)
class CurveLayer(Layer):
    """A comparison curve: a Design of its own, and where it came from (for the workspace and for
    "Edit parameters"): {"preset": NAME, "params": {...}}, {"file": PATH} or {"snapshot": True}.
    Make one with `curve_layer`, which picks the class from the source."""

    fixed: Design | None = None
    source: dict = field(default_factory=lambda: {"snapshot": True})
    kind = "compare"
    renamable = True
    draws_design = True
    can_become_design = True

    @property
    def design(self) -> Design:
        assert self.fixed is not None
        return self.fixed


@dataclass(eq=False)
class PresetLayer(CurveLayer):
    """A preset's curve: its parameters can be edited."""

    has_params = True

    @property
    def preset(self) -> str:
        return self.source["preset"]

    @property
    def params(self) -> dict:
        return self.source.get("params", {})


@dataclass(eq=False)
class FileLayer(CurveLayer):
    """A design file's curve, as read when it was added."""

    @property
    def path(self) -> str:
        return self.source["file"]


@dataclass(eq=False)
class SnapshotLayer(CurveLayer):
    """A kept version of the design (or the design a comparison replaced)."""


def curve_class(source: dict) -> type[CurveLayer]:
    """The comparison class for a source: a preset, a design file or a snapshot."""
    if "preset" in source:
        return PresetLayer
    if "file" in source:
        return FileLayer
    return SnapshotLayer


def curve_layer(source: dict, **fields) -> CurveLayer:
    """A comparison layer of the class its source names (`fields`: name, fixed, color, ...)."""
    return curve_class(source)(source=source, **fields)


@dataclass(eq=False)
class MissingLayer(Layer):
    """A comparison the workspace names but that cannot be read (a moved file): shown, not drawn."""

    source: dict = field(default_factory=dict)
    problem: str = ""
    kind = "missing"
    drawn = False


@dataclass(eq=False)
class DesignLayer(CurveLayer):
    """The editable design: its curve is the document's (the drag preview while dragging)."""

    document: Document | None = None
    kind = "design"
    is_design = True
    removable = False
    movable = False
    renamable = False  # renamed in the design's properties (an undoable edit)
    can_become_design = False

    @property
    def design(self) -> Design:
        assert self.document is not None
        return self.document.shown

    @property
    def name_text(self) -> str:
        return self.design.name


@dataclass(eq=False)
class LogLayer(Layer):
    """One logged series (loss, metric or LR) placed on the step axis."""

    series: Series | None = None
    writer: str = ""  # who wrote it (logs.guess_writer): decides where each point goes
    path: str = ""  # the file or folder it was read from
    offset: int = 0  # steps added (a resumed run)
    follow: bool = False
    run_lr: Series | None = None  # its run's logged LR (the LR named where a loss went NaN)
    kind = "log"
    can_follow = True

    @property
    def is_lr(self) -> bool:
        return self.axis == "lr"

    @property
    def can_simulate_plateau(self) -> bool:
        return not self.is_lr

    @property
    def can_fit(self) -> bool:
        return self.is_lr

    @property
    def run(self) -> str:
        return self.series.run

    @property
    def tag(self) -> str:
        return self.series.tag


@dataclass(eq=False)
class PlateauLayer(Layer):
    """The design's LR with ReduceLROnPlateau cuts simulated on a logged validation series (the
    design as it is now: simulated again whenever the design changes)."""

    design: Design | None = None
    result: PlateauResult | None = None
    monitor: str = ""  # "run/tag" of the series it was simulated on
    monitored: LogLayer | None = None  # that series' layer
    kind = "plateau"


def _color_distance(a: str, b: str) -> float:
    """How different two colours look ("redmean" weighted RGB distance)."""
    first, second = QColor(a), QColor(b)
    r1, g1, b1 = first.red(), first.green(), first.blue()
    r2, g2, b2 = second.red(), second.green(), second.blue()
    mean_red = (r1 + r2) / 2
    red, green, blue = (r1 - r2) ** 2, (g1 - g2) ** 2, (b1 - b2) ** 2
    return math.sqrt((2 + mean_red / 256) * red + 4 * green + (2 + (255 - mean_red) / 256) * blue)


class LayerList(QObject):
    """An ordered list of layers with change signals; the design layer is always first."""

    inserted = Signal(object)  # layer
    removed = Signal(object)  # layer
    changed = Signal(object)  # layer: name, style or visibility
    dataChanged = Signal(object)  # layer: what it draws (the design layer on every edit and drag move)
    reordered = Signal()
    currentChanged = Signal(object)  # layer: the one the layer actions apply to

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.design_layer = DesignLayer(name=document.design.name, document=document, id="design")
        self._layers: list[Layer] = [self.design_layer]
        self._current: Layer = self.design_layer
        document.designChanged.connect(lambda _d: self._design_changed())
        document.previewChanged.connect(lambda _d: self.dataChanged.emit(self.design_layer))

    def _design_changed(self) -> None:
        renamed = self.design_layer.name != self.design_layer.design.name
        self.design_layer.name = self.design_layer.design.name
        self.dataChanged.emit(self.design_layer)
        if renamed:
            self.changed.emit(self.design_layer)

    def __iter__(self):
        return iter(list(self._layers))

    def __len__(self) -> int:
        return len(self._layers)

    def __getitem__(self, index: int) -> Layer:
        return self._layers[index]

    @property
    def current(self) -> Layer:
        """The layer the layer actions apply to (the design when none other is chosen)."""
        return self._current

    def set_current(self, layer: Layer | None) -> None:
        layer = layer if layer in self._layers else self.design_layer
        if layer is not self._current:
            self._current = layer
            self.currentChanged.emit(layer)

    def visible(self) -> list[Layer]:
        return [layer for layer in self._layers if layer.visible]

    def by_id(self, layer_id: str) -> Layer | None:
        return next((layer for layer in self._layers if layer.id == layer_id), None)

    def next_color(self) -> str:
        """The first palette colour no layer has; past the palette, the candidate hue farthest from
        every colour in use (a near repeat of a palette colour reads as the same layer)."""
        # Both of the design's blues (the light palette's and the dark one's) are kept for it:
        # a comparison in the other blue would read as the design.
        used = {layer.color for layer in self._layers} | set(DESIGN_BLUES)
        free = next((c for c in PALETTE if c not in used), None)
        if free is not None:
            return free
        candidates = [c for c in _EXTRA_COLORS if c not in used] or list(_EXTRA_COLORS)
        return max(candidates, key=lambda c: min(_color_distance(c, u) for u in used))

    def add(self, layer: Layer) -> Layer:
        self._layers.append(layer)
        self.inserted.emit(layer)
        return layer

    def insert(self, index: int, layer: Layer) -> Layer:
        """Put `layer` at `index` (after the design): a removed layer coming back."""
        self.add(layer)
        if index < len(self._layers) - 1:
            self.move(layer, index)
        return layer

    def remove(self, layer: Layer) -> None:
        if layer is self.design_layer:
            raise ValueError("the design layer cannot be removed")
        self._layers.remove(layer)
        self.removed.emit(layer)
        if layer is self._current:
            self.set_current(self.design_layer)

    def update(self, layer: Layer, **changes) -> None:
        """Change a layer's name, style or visibility and tell the views."""
        for key, value in changes.items():
            setattr(layer, key, value)
        self.changed.emit(layer)

    def set_data(self, layer: CurveLayer, design: Design, source: dict | None = None) -> None:
        """Give a comparison layer another design (edited parameters, a swap with the design); a
        new source may change its class (a preset swapped with the design becomes a snapshot)."""
        layer.fixed = design
        if source is not None:
            layer.source = source
            # The same object changes class (the curve classes share their fields): the views, the
            # undo commands and the selection keep holding it.
            layer.__class__ = curve_class(source)
        self.dataChanged.emit(layer)
        self.changed.emit(layer)

    def comparisons(self) -> list[CurveLayer | MissingLayer]:
        """The comparison curves (and the ones that cannot be read), in order: not logs or
        plateau results."""
        return [layer for layer in self._layers[1:] if isinstance(layer, (CurveLayer, MissingLayer))]

    def logs(self) -> list[LogLayer]:
        return [layer for layer in self._layers if isinstance(layer, LogLayer)]

    def plateaus(self) -> list[PlateauLayer]:
        return [layer for layer in self._layers if isinstance(layer, PlateauLayer)]

    def after_design(self) -> list[Layer]:
        """Every layer but the design: comparisons, logs and plateau results."""
        return self._layers[1:]

    def index(self, layer: Layer) -> int:
        return self._layers.index(layer)

    def move(self, layer: Layer, index: int) -> None:
        """Move a comparison layer to `index` (the design stays first)."""
        if layer is self.design_layer:
            return
        self._layers.remove(layer)
        self._layers.insert(max(1, min(index, len(self._layers))), layer)
        self.reordered.emit()

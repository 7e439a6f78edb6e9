"""Layers: add comparisons (a preset fitted to the design, a design file, a snapshot), restyle,
reorder, remove, edit a preset's parameters, make one the design; the ratio view; the metrics
table's copy actions. The current layer is the model's (`LayerList.current`)."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu

from ...schedule import designfile
from ...schedule.compare import fit_preset_args
from ...schedule.design import Design
from ...schedule.errors import DesignError
from ...schedule.metrics import metrics
from ...schedule.presets import get_preset
from .. import actions
from ..blocked import blocked
from ..commands import AddLayer, MakeDesign, RemoveLayer
from ..model.document import Document
from ..model.history import History
from ..model.layers import LINES, CurveLayer, Layer, LayerList, MissingLayer, SnapshotLayer, curve_layer
from .prompts import Prompts

#: The layer actions shown in the Layers menu and the Layers panel's menu, in order (None: a line).
LAYER_MENU = (
    "layers.add_preset",
    "layers.add_file",
    "layers.add_snapshot",
    None,
    "layers.edit_params",
    "layers.make_design",
    "logs.make_design",
    "layers.color",
    "layers.line_style",
    "layers.move_up",
    "layers.move_down",
    "layers.remove",
    None,
    "metrics.copy_csv",
    "metrics.copy_markdown",
)


class LayerEditor(QObject):
    """Layer intents -> LayerList changes and undo commands. `message(text)` goes to the status line."""

    message = Signal(str)

    def __init__(
        self, doc: Document, history: History, layers: LayerList, prompts: Prompts, parent=None
    ) -> None:
        super().__init__(parent)
        self.doc, self.history, self.layers, self.prompts = doc, history, layers, prompts
        self.canvas = None  # the plot, once `connect_views` has run
        current = lambda: self.layers.current  # noqa: E731 - the layer each action applies to
        self.actions = actions.build(
            self,
            {
                "layers.add_preset": self.add_preset_dialog,
                "layers.add_file": self.add_file_dialog,
                "layers.add_snapshot": self.add_snapshot,
                "layers.remove": lambda: self.remove(current()),
                "layers.move_up": lambda: self.move(current(), -1),
                "layers.move_down": lambda: self.move(current(), 1),
                "layers.color": lambda: self.pick_color(current()),
                "layers.line_style": lambda: self.next_line(current()),
                "layers.edit_params": lambda: self.edit_params(current()),
                "layers.make_design": lambda: self.make_design(current()),
                "view.difference": self.show_difference,
                "metrics.copy_csv": lambda: self.panel.metrics.copy("csv"),
                "metrics.copy_markdown": lambda: self.panel.metrics.copy("markdown"),
            },
        )
        self.message.connect(lambda text: prompts.say(text, 8000))
        layers.currentChanged.connect(self._current_changed)
        layers.inserted.connect(layers.set_current)
        self._current_changed(layers.current)

    # ---- adding --------------------------------------------------------------------------
    def add_design(self, design: Design, source: dict, name: str = "") -> CurveLayer:
        layer = curve_layer(source, name=name or design.name, color=self.layers.next_color(), fixed=design)
        return self.layers.add(layer)

    def fitted_args(self, preset_name: str) -> dict:
        """The preset's arguments fitted to the design's total steps, warmup and peak LR."""
        design = self.doc.design
        m = metrics(design)
        return fit_preset_args(get_preset(preset_name), design.total_steps, m.peak_lr, m.warmup_steps)

    def add_preset(self, preset_name: str, args: dict | None = None) -> CurveLayer | None:
        if args is None:
            args = self.fitted_args(preset_name)
        try:
            design = get_preset(preset_name).build(**args)
        except DesignError as exc:
            self.message.emit(str(exc))
            return None
        return self.add_design(design, {"preset": preset_name, "params": dict(args)}, preset_name)

    def add_file(self, path: str) -> Layer | None:
        try:
            design = designfile.load(path)
        except DesignError as exc:
            self.message.emit(str(exc))
            return None
        return self.add_design(design, {"file": os.path.abspath(path)}, design.name)

    def add_snapshot(self) -> CurveLayer:
        design = self.doc.design
        count = sum(isinstance(layer, SnapshotLayer) for layer in self.layers.comparisons()) + 1
        return self.add_design(design, {"snapshot": True}, f"{design.name} (version {count})")

    # ---- dialogs ---------------------------------------------------------------------------
    def ask_preset(self, current: str | None = None, args: dict | None = None) -> tuple[str, dict] | None:
        """The preset dialog, on `current` (else the last preset compared with)."""
        from ...schedule.presets import PRESETS
        from ..dialogs.preset import PresetDialog
        from ..model.session import settings

        if current is None:
            last = str(settings().value("compare/last_preset", "noam"))
            current = last if last in PRESETS else "noam"
        dialog = PresetDialog(
            self.prompts.parent, current, title="Compare with a preset", initial=args, fit=self.fitted_args
        )
        if not dialog.exec():
            return None
        settings().setValue("compare/last_preset", dialog.choice.currentText())
        return dialog.choice.currentText(), dialog.values()

    def add_preset_dialog(self) -> None:
        chosen = self.ask_preset()
        if chosen is not None:
            self.add_preset(*chosen)

    def add_file_dialog(self) -> None:
        path = self.prompts.ask_open_path("Compare with a design", "", "Designs (*.json);;All files (*)")
        if path:
            self.add_file(path)

    # ---- the current layer -----------------------------------------------------------------
    def _comparison(self, layer: Layer | None) -> Layer | None:
        if layer is None or layer is self.layers.design_layer:
            self.message.emit("select a comparison layer first")
            return None
        return layer

    def remove(self, layer: Layer | None) -> None:
        """Remove the layer as one undoable step (Ctrl+Z brings it back, style and data kept)."""
        if not self._comparison(layer):
            return
        # Plateau cuts simulated on a removed series go with it (one step: undo brings back both).
        dependents = [p for p in self.layers.plateaus() if p.monitored is layer]
        if not dependents:
            self.history.push(RemoveLayer(self.layers, layer))
            return
        self.history.beginMacro(f"Remove {layer.name!r}")
        for plateau in dependents:
            self.history.push(RemoveLayer(self.layers, plateau))
        self.history.push(RemoveLayer(self.layers, layer))
        self.history.endMacro()
        names = ", ".join(p.name for p in dependents)
        self.message.emit(f"removed {layer.name} and {names}, simulated on it")

    def move(self, layer: Layer | None, delta: int) -> None:
        if self._comparison(layer):
            self.layers.move(layer, self.layers.index(layer) + delta)

    def next_line(self, layer: Layer | None) -> None:
        if layer is not None:
            self.layers.update(layer, line=LINES[(LINES.index(layer.line) + 1) % len(LINES)])

    def pick_color(self, layer: Layer | None) -> None:
        if layer is None:
            return
        color = self.prompts.ask_color(layer.color, f"Colour of {layer.name}")
        if color:
            self.layers.update(layer, color=color)

    def edit_params(self, layer: Layer | None) -> None:
        if not self._comparison(layer):
            return
        if not layer.has_params:
            self.message.emit(f"{layer.name} is not a preset; only preset layers have parameters")
            return
        chosen = self.ask_preset(layer.source["preset"], layer.source.get("params", {}))
        if chosen is not None:
            self.set_params(layer, *chosen)

    def set_params(self, layer: CurveLayer, preset_name: str, args: dict) -> bool:
        try:
            design = get_preset(preset_name).build(**args)
        except DesignError as exc:
            self.message.emit(str(exc))
            return False
        if layer.name == layer.source.get("preset"):
            layer.name = preset_name
        self.layers.set_data(layer, design, {"preset": preset_name, "params": dict(args)})
        return True

    def make_design(self, layer: Layer | None) -> None:
        if not self._comparison(layer):
            return
        if not layer.can_become_design:
            why = (
                f"cannot be read: {layer.problem}"
                if isinstance(layer, MissingLayer)
                else "is not a schedule curve (for a logged LR: Logs -> Make a design from this log)"
            )
            self.message.emit(f"{layer.name} {why}")
            return
        self.history.push(MakeDesign(self.doc, self.layers, layer))

    def adopt(self, design: Design, text: str) -> CurveLayer:
        """`design` becomes the design in one undo step; the old design stays as a comparison (as
        "Make this the design" leaves it). Returns that comparison layer."""
        layer = curve_layer({"snapshot": True}, name=design.name, color=self.layers.next_color(), fixed=design)
        self.history.beginMacro(text)
        self.history.push(AddLayer(self.layers, layer))
        self.history.push(MakeDesign(self.doc, self.layers, layer))
        self.history.endMacro()
        return layer

    def _current_changed(self, layer: Layer) -> None:
        """Which layer actions the current layer allows."""
        self.actions["layers.remove"].setEnabled(layer.removable)
        for key in ("layers.move_up", "layers.move_down"):
            self.actions[key].setEnabled(layer.movable)
        self.actions["layers.edit_params"].setEnabled(layer.has_params)
        self.actions["layers.make_design"].setEnabled(layer.can_become_design)
        if self.actions["view.difference"].isChecked():
            self.show_difference(True)

    # ---- the views ---------------------------------------------------------------------------
    def connect_views(self, canvas, panel, add_menu: QMenu) -> None:
        """The Layers panel follows the current layer and sets it; the metrics table follows the
        layers; a new layer is shown whole."""
        from ..panels.side import tool_button

        self.canvas, self.panel = canvas, panel
        layers = self.layers
        # Metrics follow committed designs and layer changes, not every drag move.
        for signal in (layers.inserted, layers.removed, layers.changed):
            signal.connect(lambda _layer: panel.metrics.show_layers(layers))
        layers.dataChanged.connect(
            lambda layer: panel.metrics.show_layers(layers) if layer is not layers.design_layer else None
        )
        self.doc.designChanged.connect(lambda _design: panel.metrics.show_layers(layers))
        panel.layers.currentLayerChanged.connect(layers.set_current)
        panel.layers.refused.connect(self.message.emit)
        layers.inserted.connect(lambda _layer: canvas.fit())  # show the new curve whole
        for key in ("layers.add_preset", "layers.add_file", "layers.add_snapshot"):
            add_menu.addAction(self.actions[key])
        buttons = panel.layer_buttons
        buttons.addWidget(tool_button(self.actions["layers.add_preset"], add_menu))
        for key in ("layers.make_design", "layers.remove"):
            buttons.addWidget(tool_button(self.actions[key]))
        buttons.addStretch(1)
        panel.metrics.addActions([self.actions["metrics.copy_csv"], self.actions["metrics.copy_markdown"]])

    def show_difference(self, on: bool) -> None:
        """The ratio of the current comparison curve to the design; with the design, a log or a
        plateau layer current, the comparison shown already (or the first one)."""
        layer = self.layers.current
        if on and not layer.can_become_design:  # the design, a log, a plateau or a missing file
            shown = self.canvas.difference[0] if self.canvas.difference else None
            curves = [c for c in self.layers.comparisons() if c.can_become_design]
            layer = shown if shown in curves else next(iter(curves), None)
        if on and layer is None:
            self.message.emit(
                "the ratio view divides a comparison curve by the design: add one first (Layers menu)"
            )
            with blocked(self.actions["view.difference"]):
                self.actions["view.difference"].setChecked(False)
            return
        self.canvas.set_difference(layer if on else None)

"""What the user does with layers: add comparisons (a preset fitted to the design, a design file, a
snapshot), restyle, reorder, remove, edit a preset's parameters, make one the design."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog

from ..schedule import designfile
from ..schedule.compare import fit_preset_args
from ..schedule.design import Design
from ..schedule.errors import DesignError
from ..schedule.metrics import metrics
from ..schedule.presets import get_preset
from .model.commands import AddLayer, MakeDesign, RemoveLayer
from .model.document import Document
from .model.layers import LINES, CurveLayer, Layer, LayerList, MissingLayer


class LayerEditor(QObject):
    """Layer intents -> LayerList changes (and one undo command for "Make this the design")."""

    message = Signal(str)

    def __init__(self, doc: Document, layers: LayerList, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.layers = doc, layers
        self.window = parent

    # ---- adding --------------------------------------------------------------------------
    def add_design(self, design: Design, source: dict, name: str = "") -> CurveLayer:
        layer = CurveLayer(
            name=name or design.name, color=self.layers.next_color(), fixed=design, source=source
        )
        return self.layers.add(layer)

    def fitted_args(self, preset_name: str) -> dict:
        """The preset's arguments fitted to the design's total steps and peak LR."""
        design = self.doc.design
        return fit_preset_args(get_preset(preset_name), design.total_steps, metrics(design).peak_lr)

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

    def add_missing(self, name: str, source: dict, problem: str) -> Layer:
        return self.layers.add(MissingLayer(name=name, color="#999999", source=source, problem=problem))

    def add_snapshot(self) -> CurveLayer:
        design = self.doc.design
        count = sum(1 for layer in self.layers.comparisons() if layer.source.get("snapshot")) + 1
        return self.add_design(design, {"snapshot": True}, f"{design.name} (version {count})")

    # ---- dialogs (the window runs them) ----------------------------------------------------
    def ask_preset(self, current: str = "noam", args: dict | None = None) -> tuple[str, dict] | None:
        from .dialogs.preset import PresetDialog

        dialog = PresetDialog(
            self.window, current, title="Compare with a preset", initial=args, fit=self.fitted_args
        )
        if not dialog.exec():
            return None
        return dialog.choice.currentText(), dialog.values()

    def add_preset_dialog(self) -> None:
        chosen = self.ask_preset()
        if chosen is not None:
            self.add_preset(*chosen)

    def add_file_dialog(self) -> None:
        path = QFileDialog.getOpenFileName(
            self.window, "Compare with a design", "", "Designs (*.json);;All files (*)"
        )[0]
        if path:
            self.add_file(path)

    # ---- the selected layer -----------------------------------------------------------------
    def _comparison(self, layer: Layer | None) -> Layer | None:
        if layer is None or layer is self.layers.design_layer:
            self.message.emit("select a comparison layer first")
            return None
        return layer

    def remove(self, layer: Layer | None) -> None:
        """Remove the layer as one undoable step (Ctrl+Z brings it back, style and data kept)."""
        if self._comparison(layer):
            self.doc.stack.push(RemoveLayer(self.layers, layer))

    def move(self, layer: Layer | None, delta: int) -> None:
        if self._comparison(layer):
            self.layers.move(layer, self.layers.index(layer) + delta)

    def next_line(self, layer: Layer | None) -> None:
        if layer is not None:
            self.layers.update(layer, line=LINES[(LINES.index(layer.line) + 1) % len(LINES)])

    def pick_color(self, layer: Layer | None) -> None:
        if layer is None:
            return
        color = QColorDialog.getColor(QColor(layer.color), self.window, f"Colour of {layer.name}")
        if color.isValid():
            self.layers.update(layer, color=color.name())

    def edit_params(self, layer: Layer | None) -> None:
        if not self._comparison(layer):
            return
        if "preset" not in getattr(layer, "source", {}):
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
        if layer.kind != "compare":
            self.message.emit(f"{layer.name} cannot be read: {getattr(layer, 'problem', '')}")
            return
        self.doc.stack.push(MakeDesign(self.doc, self.layers, layer))

    def adopt(self, design: Design, text: str) -> CurveLayer:
        """`design` becomes the design in one undo step; the old design stays as a comparison (as
        "Make this the design" leaves it). Returns that comparison layer."""
        layer = CurveLayer(name=design.name, color=self.layers.next_color(), fixed=design)
        stack = self.doc.stack
        stack.beginMacro(text)
        stack.push(AddLayer(self.layers, layer))
        stack.push(MakeDesign(self.doc, self.layers, layer))
        stack.endMacro()
        return layer

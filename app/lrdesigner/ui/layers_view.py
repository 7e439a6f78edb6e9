"""The window's layers: the layer list, its panel and the logs panel wired to their editors; which
actions the selected layer allows; the ratio view's curve."""

from __future__ import annotations

from .actions import SPECS
from .blocked import blocked
from .log_fit import fit_problem


class LayersMixin:
    """Layers in the MainWindow (it provides layers, layer and log editors, canvas, panel, view
    and actions)."""

    def _wire_layers(self) -> None:
        """The layer list, its panel, the logs panel and their editors."""
        # Metrics follow committed designs and layer changes, not every drag move.
        for signal in (self.layers.inserted, self.layers.removed, self.layers.changed):
            signal.connect(lambda _layer: self.panel.metrics.show_layers(self.layers))
        self.layer_editor.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.layers.dataChanged.connect(self._layer_data_changed)
        self.panel.layers.currentLayerChanged.connect(self._current_layer_changed)
        self.layers.inserted.connect(self.panel.layers.select_layer)
        self.layers.inserted.connect(lambda _layer: self.canvas.fit())  # show the new curve whole
        self.layers.removed.connect(
            lambda layer: self.log_editor.set_follow(layer, False) if getattr(layer, "follow", False) else None
        )
        logs = self.panel.logs
        logs.set_smoothing(self.view.smoothing)
        self.canvas.set_smoothing(self.view.smoothing)
        logs.smoothingChanged.connect(self.view.set_smoothing)
        logs.lossLogChanged.connect(self.canvas.set_loss_log)
        logs.offsetEdited.connect(
            lambda text: logs.show_offset_problem(
                self.log_editor.set_offset(self.panel.layers.current_layer(), text)
            )
        )
        logs.offsetChosen.connect(lambda steps: self.log_editor.shift(self.panel.layers.current_layer(), steps))
        logs.followChanged.connect(lambda on: self.log_editor.set_follow(self.panel.layers.current_layer(), on))
        self.log_editor.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.log_fit.message.connect(lambda text: self.statusBar().showMessage(text, 20000))
        self.log_fit.adopted.connect(self._log_adopted)
        self._sync_log_fit(self.panel.layers.current_layer())

    def _sync_log_fit(self, layer) -> None:
        """The action "Make a design from this log": for a logged LR only; its tooltip says why not."""
        problem = fit_problem(layer)
        action = self.actions["logs.make_design"]
        action.setEnabled(not problem)
        action.setToolTip(problem or SPECS["logs.make_design"].tip)

    def _log_adopted(self, layer) -> None:
        """The log's fit is the design: the design and the log shown whole (not the old design,
        which may be far longer), the log selected (the Logs box compares them)."""
        if layer in list(self.layers):
            self.canvas.fit([self.layers.design_layer, layer])
            self.panel.layers.select_layer(layer)
        else:
            self.canvas.fit([self.layers.design_layer])

    def _layer_data_changed(self, layer) -> None:
        if layer is not self.layers.design_layer:
            self.panel.metrics.show_layers(self.layers)

    def _current_layer_changed(self, layer) -> None:
        comparison = layer is not None and layer is not self.layers.design_layer
        for key in (
            "layers.remove",
            "layers.move_up",
            "layers.move_down",
            "layers.make_design",
            "layers.edit_params",
        ):
            self.actions[key].setEnabled(comparison)
        self.actions["layers.edit_params"].setEnabled(comparison and "preset" in getattr(layer, "source", {}))
        self.actions["layers.make_design"].setEnabled(comparison and layer.kind == "compare")
        if self.actions["view.difference"].isChecked():
            self._show_difference(True)
        is_log = layer is not None and layer.kind == "log"
        self.actions["logs.follow"].setEnabled(is_log)
        self.actions["logs.plateau"].setEnabled(is_log and not layer.is_lr)
        with blocked(self.actions["logs.follow"]):
            self.actions["logs.follow"].setChecked(bool(is_log and layer.follow))
        self._sync_log_fit(layer)
        self.panel.logs.show_layer(layer, *self.log_editor.comparison(layer))

    def _show_difference(self, on: bool) -> None:
        """The ratio of the selected comparison curve to the design; with the design, a log or
        a plateau layer selected, the comparison shown already (or the first one)."""
        layer = self.panel.layers.current_layer()
        if on and (layer is None or layer.kind != "compare"):
            shown = self.canvas.difference[0] if self.canvas.difference else None
            curves = [c for c in self.layers.comparisons() if c.kind == "compare"]
            layer = shown if shown in curves else next(iter(curves), None)
        if on and layer is None:
            self.statusBar().showMessage(
                "the ratio view divides a comparison curve by the design: add one first (Layers menu)", 8000
            )
            with blocked(self.actions["view.difference"]):
                self.actions["view.difference"].setChecked(False)
            return
        self.canvas.set_difference(layer if on else None)

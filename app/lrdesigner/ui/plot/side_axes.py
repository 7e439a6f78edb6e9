"""The plot's right-hand axes: logged losses and metrics on one, the difference view on another,
each a ViewBox linked on x (pyqtgraph's MultiplePlotAxes pattern)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from ..model.layers import Layer
from ..palette import readable
from .axes import Axis


class PassiveViewBox(pg.ViewBox):
    """The right-hand axis's ViewBox: it draws, and leaves every mouse gesture to the plot below."""

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802
        ev.ignore()

    def mouseClickEvent(self, ev):  # noqa: N802
        ev.ignore()

    def wheelEvent(self, ev, axis=None):  # noqa: N802
        ev.ignore()


class SideAxes:
    """The plot's right-hand axes, owned by the Canvas: two more ViewBoxes linked on x, each with
    its own y axis on the right (pyqtgraph's MultiplePlotAxes pattern), re-synced when the plot
    resizes: logged losses and metrics on the first, the difference view on the second. `items`
    is the Canvas's table of layer items (shared, not copied)."""

    def __init__(self, plot_item: pg.PlotItem, layers, items: dict, view) -> None:
        self.plotItem, self.layers, self.items, self.view = plot_item, layers, items, view
        self.loss_vb = PassiveViewBox(enableMenu=False)
        self.plotItem.showAxis("right")
        self.right_axis = self.plotItem.getAxis("right")
        self.right_axis.linkToView(self.loss_vb)
        self.right_axis.setLabel("loss")
        self.right_axis.enableAutoSIPrefix(False)
        self.right_axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plotItem.hideAxis("right")
        self.diff_vb = PassiveViewBox(enableMenu=False)
        self.diff_axis = Axis("right")
        self.diff_axis.linkToView(self.diff_vb)
        self.diff_axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plotItem.layout.addItem(self.diff_axis, 2, 3)
        self.diff_axis.hide()
        for vb in (self.loss_vb, self.diff_vb):
            self.plotItem.scene().addItem(vb)
            vb.setXLink(self.plotItem.vb)
            vb.setZValue(-1)
        self.plotItem.vb.sigResized.connect(self._sync_right)
        self.difference_item = pg.PlotDataItem(
            pen=pg.mkPen("#888888", width=1.5, style=Qt.PenStyle.DashDotLine)
        )
        self.diff_vb.addItem(self.difference_item)
        self.difference: tuple[Layer, str] | None = None

    def _sync_right(self, *_args) -> None:
        for vb in (self.loss_vb, self.diff_vb):
            vb.setGeometry(self.plotItem.vb.sceneBoundingRect())
            vb.linkedViewChanged(self.plotItem.vb, vb.XAxis)

    @property
    def loss_log(self) -> bool:
        """A logarithmic right-hand (loss) axis (the view's choice)."""
        return self.view.loss_log

    def apply_loss_scale(self) -> None:
        self.right_axis.setLogMode(False, self.view.loss_log)

    def fit_loss(self) -> None:
        """The right-hand axis spans the visible logged series."""
        items = [
            self.items[layer.id] for layer in self.layers.visible() if layer.on_right and layer.id in self.items
        ]
        self.plotItem.showAxis("right") if items else self.plotItem.hideAxis("right")
        extents = [item.y_extent() for item in items]
        lows = [e[2] if self.loss_log else e[0] for e in extents if np.isfinite(e[0])]
        highs = [e[1] for e in extents if np.isfinite(e[1])]
        if not lows or not highs:
            return
        lo, hi = min(lows), max(highs)
        if self.loss_log:
            lo, hi = math.log10(max(lo, 1e-300)), math.log10(max(hi, 1e-300))
        pad = 0.05 * ((hi - lo) or abs(hi) or 1.0)
        self.loss_vb.setYRange(lo - pad, hi + pad, padding=0)

    def set_difference(self, layer: Layer | None, mode: str = "ratio") -> None:
        """Show `layer`'s ratio to the design (or difference) on the right axis; None hides it."""
        self.difference = (layer, mode) if layer is not None else None
        if layer is None:
            self.diff_axis.hide()
            self.difference_item.setData([], [])
            return
        self.diff_axis.show()
        label = f"{layer.name} / design" if mode == "ratio" else f"{layer.name} - design"
        self.diff_axis.setLabel(label)
        color = readable(layer.color, self.view.dark)
        self.difference_item.setPen(pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashDotLine))
        self._sync_right()
        self.redraw_difference(fit=True)

    def redraw_difference(self, fit: bool = False) -> None:
        from ...schedule.compare import difference_curve

        if self.difference is None:
            return
        layer, mode = self.difference
        if layer not in list(self.layers) or not layer.draws_design:
            self.set_difference(None)
            return
        (x0, x1), _ = self.plotItem.vb.viewRange()
        lo, hi = max(0, int(x0)), max(int(x0) + 2, int(math.ceil(x1)))
        n = min(max(int(self.plotItem.vb.width()), 50) * 2, hi - lo)
        steps = np.unique(np.linspace(lo, hi - 1, n).astype(np.int64))
        values = difference_curve(self.layers.design_layer.design, layer.design, steps, mode)
        self.difference_item.setData(steps, values, connect="finite")
        if fit:
            finite = values[np.isfinite(values)]
            if finite.size:
                a, b = float(finite.min()), float(finite.max())
                pad = 0.05 * ((b - a) or abs(b) or 1.0)
                self.diff_vb.setYRange(a - pad, b + pad, padding=0)

"""One graphics item per layer, made from a table keyed by the layer's kind."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from ...schedule.envelope import envelope
from ..model.layers import Layer

LINE_STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine}


class CurveItem(pg.PlotDataItem):
    """A schedule curve drawn from the core's envelope of the visible range: one polyline through
    each pixel column's minimum and maximum, so a redraw costs O(pixels) however long the design.
    Where a column holds many cycles the band is drawn with a thin aliased pen (a thick
    antialiased zig-zag is slow to paint)."""

    def __init__(self, layer: Layer) -> None:
        super().__init__(antialias=True)
        self.layer = layer
        self.dense = False
        self._extent: tuple[object, tuple[float, float, float]] | None = None
        self.width = 2.4 if layer.kind == "design" else 1.8
        if layer.kind != "design":
            # Other curves stay still while the design is dragged: repaint them from a pixmap.
            self.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.restyle()

    def restyle(self) -> None:
        style = LINE_STYLES.get(self.layer.line, Qt.PenStyle.SolidLine)
        if self.dense:
            self.setPen(pg.mkPen(self.layer.color, width=1, style=style))
            self.opts["antialias"] = False
        else:
            self.setPen(pg.mkPen(self.layer.color, width=self.width, style=style))
            self.opts["antialias"] = True
        self.setVisible(self.layer.visible)
        self.setZValue(10 if self.layer.kind == "design" else 5)

    @property
    def vertices(self) -> int:
        return 0 if self.xData is None else int(len(self.xData))

    def redraw(self, x0: float, x1: float, pixels: int, to_y: Callable, per_px: float) -> None:
        if not self.layer.visible:
            return
        design = self.layer.design
        lo = max(0, int(np.floor(x0)))
        hi = max(lo + 1, int(np.ceil(x1)) + 1)
        edges, mins, maxs = envelope(design, lo, hi, pixels)
        ok = np.isfinite(mins)
        centers = np.where(edges[1:] - edges[:-1] > 1, (edges[:-1] + edges[1:] - 1) / 2.0, edges[:-1])
        x = np.repeat(centers[ok], 2)
        y = np.empty(x.size)
        low, high = to_y(mins[ok]), to_y(maxs[ok])
        # Visit each column's extremes in the curve's direction so a steep line does not zig-zag.
        mid = low + high
        rising = np.append(mid[1:] >= mid[:-1], True) if mid.size else mid.astype(bool)
        y[0::2], y[1::2] = np.where(rising, low, high), np.where(rising, high, low)
        # Dense: the columns' ranges add up to far more ink than the curve's travel from column to
        # column (cycles inside each pixel), as opposed to a steep but monotone stretch.
        per_px = max(per_px, 1e-300)
        spread = float(np.sum(high - low)) / per_px
        travel = float(np.sum(np.abs(np.diff(y[0::2] + y[1::2])))) / (2 * per_px)
        dense = spread > 3.0 * travel + 300.0
        if dense != self.dense:
            self.dense = dense
            self.restyle()
        self.setData(x, y)

    def y_extent(self) -> tuple[float, float, float]:
        """(lowest LR, highest LR, smallest positive LR) over the layer's training steps."""
        design = self.layer.design
        if self._extent is not None and self._extent[0] is design:
            return self._extent[1]
        self._extent = (design, self._y_extent(design))
        return self._extent[1]

    @staticmethod
    def _y_extent(design) -> tuple[float, float, float]:
        _, mins, maxs = envelope(design, 0, design.total_steps, 1024)
        # A curve leaving 0 at a knot has its smallest positive LR one step later.
        knots = [v for k in design.knots for v in (k.lr_in, k.lr_out)]
        knots += [design.lr_at(k.step + 1) for k in design.knots[:-1]]
        positive = [v for v in (*mins, *knots) if v > 0]
        return float(np.min(mins)), float(np.max(maxs)), min(positive) if positive else np.inf

    def x_extent(self) -> int:
        return self.layer.design.total_steps


#: Which item draws which kind of layer.
LAYER_ITEMS: dict[str, type] = {"design": CurveItem, "compare": CurveItem}


def item_for(layer: Layer):
    return LAYER_ITEMS[layer.kind](layer)

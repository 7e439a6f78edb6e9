"""The plot's legend: which layers it lists, and where the view places it ("auto": the corner
that covers the fewest points of the curves drawn)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from ..model.layers import Layer
from ..text import elide
from .still import descendants

#: Legend rows before "… and N more".
LEGEND_ROWS = 8
#: How much of a layer's name a legend row shows.
LEGEND_NAME = 40

#: Where each legend place anchors the legend: (x, y) of the corner (0 left/top, 1 right/bottom),
#: and its offset from that corner in pixels. "auto" picks one of the corners.
LEGEND_CORNERS = {
    "top-right": ((1, 0), (-10, 10)),
    "top-left": ((0, 0), (10, 10)),
    "bottom-right": ((1, 1), (-10, -10)),
    "bottom-left": ((0, 1), (10, -10)),
}


class Legend(pg.LegendItem):
    """pyqtgraph's legend, placed only by the view's choice (View -> Legend): a press on it never
    starts a drag, so a knot under or beside it is grabbed, and the legend cannot be lost off
    the plot."""

    def hoverEvent(self, ev):  # noqa: N802 - pyqtgraph's name
        return None

    def mouseDragEvent(self, ev):  # noqa: N802 - pyqtgraph's name
        ev.ignore()


def show_legend(legend: pg.LegendItem, shown: list[Layer], items: dict, place: str, view_box=None) -> str:
    """List the drawn layers of `shown` (visible, in order) at `place` (a ViewState legend place;
    "auto" needs `view_box`), once there is more than the design to tell apart. Returns the
    corner used ("hidden" when none)."""
    legend.clear()
    shown = [layer for layer in shown if layer.drawn and layer.id in items]
    if len(shown) < 2 or place == "hidden":
        legend.hide()
        return "hidden"
    for layer in shown[:LEGEND_ROWS]:
        name = elide(layer.name, LEGEND_NAME)
        legend.addItem(items[layer.id], f"{name} (design)" if layer.is_design else name)
    if len(shown) > LEGEND_ROWS:  # a row without a sample says where the rest are listed
        more = len(shown) - LEGEND_ROWS
        legend.addItem(pg.PlotDataItem(pen=None), f"… and {more} more in the Layers panel")
    if place == "auto":
        place = (
            least_covered(legend, view_box, [items[layer.id] for layer in shown]) if view_box else "top-right"
        )
    corner, offset = LEGEND_CORNERS[place]
    legend.anchor(itemPos=corner, parentPos=corner, offset=offset)
    # It changes only with the layers, and lies over the design: every part of it (box, samples,
    # labels) repaints from a pixmap while a knot is dragged under it.
    for part in [legend, *descendants(legend)]:
        part.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    legend.show()
    return place


#: Points per curve where `least_covered` looks: a curve drawn with a few vertices (a straight
#: stretch needs two) covers a corner all along its line.
COVER_SAMPLES = 1024


def along(x: np.ndarray, y: np.ndarray, x0: float, x1: float) -> tuple[np.ndarray, np.ndarray]:
    """The polyline (x, y) as evenly spaced points over the view's steps [x0, x1], besides its
    vertices (x ascending; NaN gaps stay gaps)."""
    ok = np.isfinite(x)
    x, y = x[ok], y[ok]
    if x.size < 2 or np.any(np.diff(x) < 0):
        return x, y
    grid = np.linspace(max(x0, x[0]), min(x1, x[-1]), COVER_SAMPLES)
    return np.concatenate([x, grid]), np.concatenate([y, np.interp(grid, x, y)])


def least_covered(legend: pg.LegendItem, view_box: pg.ViewBox, items: list) -> str:
    """The corner where a legend of this size covers the fewest drawn points of `items` (the
    top right on a tie, then the top left, bottom right and bottom left)."""
    (x0, x1), _ = view_box.viewRange()
    width_px, height_px = max(view_box.width(), 1.0), max(view_box.height(), 1.0)
    size = legend.boundingRect()
    fx = min((size.width() + 10) / width_px, 1.0)
    fy = min((size.height() + 10) / height_px, 1.0)
    xs, ys = [], []
    for item in items:
        # Each curve in the units of the axis it is drawn on (a loss on the right-hand axis).
        box = item.getViewBox() or view_box
        (_, _), (b0, b1) = box.viewRange()
        for curve in (item, getattr(item, "raw", None)):
            if curve is None or curve.xData is None or not len(curve.xData):
                continue
            x, y = along(np.asarray(curve.xData, dtype=float), np.asarray(curve.yData, dtype=float), x0, x1)
            xs.append(x)
            ys.append((y - b0) / ((b1 - b0) or 1.0))
    if not xs:
        return "top-right"
    x, y = np.concatenate(xs), np.concatenate(ys)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = (x[ok] - x0) / ((x1 - x0) or 1.0), y[ok]
    best, fewest = "top-right", None
    for place, ((cx, cy), _offset) in LEGEND_CORNERS.items():
        in_x = (x >= 1 - fx) if cx == 1 else (x <= fx)
        in_y = (y >= 1 - fy) if cy == 0 else (y <= fy)  # y grows upwards in data, downwards on screen
        count = int(np.count_nonzero(in_x & in_y))
        if fewest is None or count < fewest:
            best, fewest = place, count
    return best

"""One graphics item per layer, made from a table keyed by the layer's class (napari's
`layer_to_visual`). Items read the view choices they draw with (smoothing, the right axis's
scale, steps per epoch) from the ViewState; they keep no copy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from ...schedule.envelope import column_ends, column_polyline, envelope
from ..model.layers import CurveLayer, Layer, LogLayer, MissingLayer, PlateauLayer
from ..model.view_state import ViewState
from ..palette import readable
from .lines import Polyline, simplified

LINE_STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine, "dot": Qt.PenStyle.DotLine}


def through_knots(design, edges, mins, maxs, ok, x, y, to_y) -> tuple[np.ndarray, np.ndarray]:
    """The envelope's polyline (x, y) with each column that holds one knot drawn through it: the
    column's first step, the knot (the LR reached and the LR after it) and its last step, when
    those hold the column's lowest and highest LR (each side of the knot monotone there)."""
    knots = design.knots
    cols = edges.searchsorted([k.step for k in knots], "right").tolist()
    bins = len(edges) - 1
    every = bool(ok.all())
    xs, ys, done = [], [], 0
    for i, knot in enumerate(knots):
        c = cols[i] - 1
        if not 0 <= c < bins or not ok[c] or c + 1 in cols[i - 1 : i] + cols[i + 1 : i + 2]:
            continue  # out of view, or sharing its column with another knot
        a, b = int(edges[c]), int(edges[c + 1]) - 1
        values = [
            design.lr_at(a),
            design.lr_at(max(knot.step - 1, a)),
            design.lr_at(knot.step),
            design.lr_at(b),
        ]
        if not (_same(min(values), float(mins[c])) and _same(max(values), float(maxs[c]))):
            continue  # the column's extremes lie elsewhere: keep them
        at = 2 * (c if every else int(np.count_nonzero(ok[:c])))  # its place among the drawn columns
        xs += [x[done:at], np.array([a, knot.step, knot.step, b], dtype=np.float64)]
        ys += [y[done:at], to_y(np.array([values[0], knot.lr_in, values[2], values[3]]))]
        done = at + 2
    if not xs:
        return x, y
    return np.concatenate([*xs, x[done:]]), np.concatenate([*ys, y[done:]])


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))


class LayerItem(pg.PlotDataItem):
    """What every layer's item has: its layer, the view choices, and how many vertices it draws."""

    def __init__(self, layer: Layer, view: ViewState, **opts) -> None:
        super().__init__(**opts)
        self.layer, self.view = layer, view

    @property
    def vertices(self) -> int:
        """The vertices drawn (of the line; a log's smoothed line)."""
        return 0 if self.curve.xData is None else int(len(self.curve.xData))

    @property
    def color(self) -> str:
        """The layer's colour as drawn: readable on the palette's background (3:1 at least)."""
        return readable(self.layer.color, self.view.dark)


class CurveItem(LayerItem):
    """A schedule curve drawn from the core's envelope of the visible range: one polyline through
    each pixel column's minimum and maximum, so a redraw costs O(pixels) however long the design.
    Where a column holds many cycles the band is drawn with a thin aliased pen (a thick
    antialiased zig-zag is slow to paint)."""

    def __init__(self, layer: Layer, view: ViewState) -> None:
        super().__init__(layer, view, antialias=True)
        self.dense = False
        self._extent: tuple[object, tuple[float, float, float]] | None = None
        self.width = 2.4 if layer.is_design else 1.8
        if not layer.is_design:
            # Other curves stay still while the design is dragged: repaint them from a pixmap.
            self.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.restyle()

    #: While its knots are dragged the curve is drawn by a plain Polyline, without antialiasing
    #: (a third of the painting); the release draws it smooth again.
    moving = False
    line: Polyline | None = None

    def _drag_line(self, on: bool) -> None:
        """Hand the drawing to the drag's Polyline (starting from the line shown), or back; a
        restyle during the drag changes the line's pen only."""
        if on and self.line is not None and self.line.isVisible():
            self.line.pen = self.opts["pen"]
            self.line.update()
            return
        if on:
            if self.line is None:
                self.line = Polyline(self)
            x, y = self.curve.xData, self.curve.yData
            if x is not None and len(x):
                self.line.set_line(x, y, self.opts["pen"], (0.0, 0.0))
        elif self.line is not None:
            self.line.clear()
        if self.line is not None:
            self.line.setVisible(on)
        # Opacity, not visibility: the item's data bounds (auto-range) stay the curve's.
        self.curve.setOpacity(0.0 if on else 1.0)
        self.curve.update()

    def restyle(self) -> None:
        style = LINE_STYLES.get(self.layer.line, Qt.PenStyle.SolidLine)
        color = self.color
        # The pen last: setting it hands every style option (antialiasing too) to the line.
        if self.dense:
            self.opts["antialias"] = False
            self.setPen(pg.mkPen(color, width=1, style=style))
        else:
            self.opts["antialias"] = not self.moving
            self.setPen(pg.mkPen(color, width=self.width, style=style))
        if self.line is not None or self.moving:
            self._drag_line(self.moving)
        self.setVisible(self.layer.visible)
        self.setZValue(10 if self.layer.is_design else 5)

    def redraw(self, x0: float, x1: float, pixels: int, to_y: Callable, per_px: float) -> None:
        if not self.layer.visible:
            return
        design = self.layer.design
        lo = max(0, int(np.floor(x0)))
        hi = max(lo + 1, int(np.ceil(x1)) + 1)
        per_px = max(per_px, 1e-300)
        line = column_polyline(design, lo, hi, pixels)
        if line is not None:  # monotone in view: the curve's own points, never a band
            x, y, dense = line[0].astype(np.float64), to_y(line[1]), False
        else:
            x, y, dense = self._envelope_line(design, lo, hi, pixels, to_y, per_px)
        if dense != self.dense:
            self.dense = dense
            self.restyle()
        if not dense and x.size > 2:
            x, y = simplified(x, y, pixels / max(x1 - x0, 1e-300), 1.0 / per_px)
        if self.moving and self.line is not None:
            # A drag's frame: the line alone (the release sets the item's data).
            pad = 2.0 * self.width
            self.line.set_line(x, y, self.opts["pen"], (pad * (x1 - x0) / pixels, pad * per_px))
        else:
            self.setData(x, y)

    @staticmethod
    def _envelope_line(
        design, lo: int, hi: int, pixels: int, to_y: Callable, per_px: float
    ) -> tuple[np.ndarray, np.ndarray, bool]:
        """(x, y, dense): the envelope's polyline where a piece in view has extremes inside
        columns (cycles, restarts): each column's lowest and highest LR, and whether they make a
        band (cycles inside each pixel) rather than a line."""
        edges, mins, maxs = envelope(design, lo, hi, pixels)
        ok = np.isfinite(mins)
        every = bool(ok.all())
        # Each column's extremes at its first and last step: where a monotone stretch has them,
        # so the polyline passes through the curve's own points there.
        x = column_ends(edges).astype(np.float64)
        if every:
            low, high = to_y(mins), to_y(maxs)
        else:
            x = x[np.repeat(ok, 2)]
            low, high = to_y(mins[ok]), to_y(maxs[ok])
        y = np.empty(x.size)
        # Visit each column's extremes in the curve's direction so a steep line does not zig-zag.
        mid = low + high
        step = np.diff(mid)
        rising = np.append(step >= 0, True) if mid.size else mid.astype(bool)
        y[0::2], y[1::2] = np.where(rising, low, high), np.where(rising, high, low)
        # Dense: the columns' ranges add up to far more ink than the curve's travel from column to
        # column (cycles inside each pixel), as opposed to a steep but monotone stretch.
        spread = float(np.sum(high - low)) / per_px
        travel = float(np.sum(np.abs(step))) / (2 * per_px)
        dense = spread > 3.0 * travel + 300.0
        if not dense and x.size > 2:
            x, y = through_knots(design, edges, mins, maxs, ok, x, y, to_y)
        return x, y, dense

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


class MissingItem(LayerItem):
    """A layer that names a file that is gone: nothing to draw (the layers list says why)."""

    def __init__(self, layer: Layer, view: ViewState) -> None:
        super().__init__(layer, view)

    def restyle(self) -> None:
        self.setVisible(False)

    def redraw(self, *args) -> None:
        return None


class LogItem(LayerItem):
    """A logged series: every point drawn through the min/max pyramid (O(pixels) for any length),
    raw faint behind the smoothed line as TensorBoard draws it. What it builds from the series
    (pyramids, extents) is kept until the series or how it is placed and smoothed changes, and the
    pyramids share the series' arrays where they can: a drag of the design costs O(pixels) and a
    long series is not held twice."""

    def __init__(self, layer: LogLayer, view: ViewState) -> None:
        super().__init__(layer, view, antialias=False)
        from ...logs.decimate import Pyramid

        self.raw = pg.PlotDataItem(antialias=False)
        self.raw.setParentItem(self)
        # A log stays still while the design is dragged: repaint it from a pixmap.
        for item in (self, self.raw):
            item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._pyramid_cls = Pyramid
        self._raw_pyramid = None
        self._smooth_pyramid = None
        self._key = None
        self._x_extent = 0
        self._y_extent: tuple[float, float, float] | None = None
        self.restyle()

    @property
    def weight(self) -> float:
        """The smoothing drawn: the view's for a loss or metric; none for an LR (drawn as logged)."""
        return self.view.smoothing if self.layer.on_right else 0.0

    @property
    def steps_per_epoch(self) -> int | None:
        return self.view.steps_per_epoch

    @property
    def log_values(self) -> bool:
        """Its axis is logarithmic: it draws log10 of the positive values."""
        return self.layer.on_right and self.view.loss_log

    def restyle(self) -> None:
        color = pg.mkColor(self.color)
        faint = pg.mkColor(color)
        faint.setAlpha(70)
        style = LINE_STYLES.get(self.layer.line, Qt.PenStyle.SolidLine)
        self.setPen(pg.mkPen(color, width=1.6, style=style))
        self.raw.setPen(pg.mkPen(faint, width=1))
        self.raw.setVisible(self.weight > 0)
        self.setVisible(self.layer.visible)
        self.setZValue(4)

    def x_steps(self):
        """The series' points on the design's step axis (each writer's convention, epochs mapped
        with the design's steps per epoch, offset applied); None while that is impossible."""
        from ...logs import place

        try:
            return place(self.layer.series, self.steps_per_epoch, self.layer.offset, self.layer.writer).steps
        except ValueError:
            return None

    def _pyramids(self):
        from ...logs import smooth

        series = self.layer.series
        key = (id(series), len(series), self.weight, self.steps_per_epoch, self.layer.offset, self.log_values)
        if key != self._key:
            self._key = key
            self._raw_pyramid = self._smooth_pyramid = None  # let the old ones go before building anew
            self._y_extent = None
            x = self.x_steps()
            if x is None:
                self._x_extent = 0
                return None
            self._x_extent = int(x.max()) + 1 if len(x) else 0
            values = series.values
            smoothed = smooth(values, self.weight) if self.weight > 0 else values
            if self.log_values:
                values = _log10_positive(values)
                smoothed = _log10_positive(smoothed) if self.weight > 0 else values
            self._raw_pyramid = self._pyramid_cls(x, values)
            self._smooth_pyramid = self._pyramid_cls(x, smoothed) if self.weight > 0 else self._raw_pyramid
        return self._raw_pyramid

    @property
    def held(self) -> bool:
        """A learning rate logged once per epoch: each value was in force since the point before
        (a point marks the updates done), so it is drawn as steps, not slopes."""
        from ...logs.alignment import is_epoch_indexed

        series = self.layer.series
        return self.layer.is_lr and (series.x_kind == "epoch" or is_epoch_indexed(series, self.layer.writer))

    def _band(self, pyramid, x0, x1, pixels, to_y):
        x, lo, hi = pyramid.query(x0, x1, pixels)
        if not len(x):
            return np.empty(0), np.empty(0)
        lo, hi = to_y(lo), to_y(hi)
        if self.held and len(x) > 1:
            # The first value from one interval before its point, then for each next point:
            # along at its value from the point before, and up or down to its range:
            # [x[i-1], x[i], x[i]] at [lo[i], lo[i], hi[i]].
            xs = np.empty(3 * len(x))
            ys = np.empty(xs.size)
            xs[:3] = max(x[0] - (x[1] - x[0]), 0), x[0], x[0]
            ys[:3] = lo[0], lo[0], hi[0]
            xs[3::3], xs[4::3], xs[5::3] = x[:-1], x[1:], x[1:]
            ys[3::3], ys[4::3], ys[5::3] = lo[1:], lo[1:], hi[1:]
            return xs, ys
        xs = np.repeat(x, 2)
        ys = np.empty(xs.size)
        ys[0::2], ys[1::2] = lo, hi
        return xs, ys

    @staticmethod
    def _show(item: pg.PlotDataItem, xs: np.ndarray, ys: np.ndarray) -> None:
        """Set the vertices unless they are the ones shown (the cached pixmap stays valid)."""
        if (
            item.xData is not None
            and np.array_equal(item.xData, xs)
            and np.array_equal(item.yData, ys, equal_nan=True)
        ):
            return
        item.setData(xs, ys, connect="finite")

    def redraw(self, x0: float, x1: float, pixels: int, to_y: Callable, per_px: float) -> None:
        if not self.layer.visible or self._pyramids() is None:
            self.setData([], [])
            self.raw.setData([], [])
            return
        ident = (lambda v: v) if self.layer.on_right else to_y
        self._show(self, *self._band(self._smooth_pyramid, x0, x1, pixels, ident))
        if self.weight > 0:
            self._show(self.raw, *self._band(self._raw_pyramid, x0, x1, pixels, ident))
        else:
            self.raw.setData([], [])

    def y_extent(self) -> tuple[float, float, float]:
        """(lowest, highest, smallest positive) finite value, in data units whatever the axis scale."""
        if self._pyramids() is None:
            return np.inf, -np.inf, np.inf
        if self._y_extent is None:
            self._y_extent = _value_extent(self.layer.series.values)
        return self._y_extent

    def x_extent(self) -> int:
        self._pyramids()
        return self._x_extent


def _log10_positive(values: np.ndarray) -> np.ndarray:
    """log10 of the positive values, NaN elsewhere (what a logarithmic axis draws)."""
    out = np.full(len(values), np.nan)
    positive = values > 0
    np.log10(values, out=out, where=positive)
    return out


def _value_extent(values: np.ndarray, chunk: int = 1 << 20) -> tuple[float, float, float]:
    """(lowest, highest, smallest positive) finite value of `values`; inf, -inf, inf when none.
    In chunks: no temporary as large as a long series."""
    lo, hi, low_positive = np.inf, -np.inf, np.inf
    for start in range(0, len(values), chunk):
        part = values[start : start + chunk]
        part = part[np.isfinite(part)]
        if part.size:
            lo, hi = min(lo, float(part.min())), max(hi, float(part.max()))
            positive = part[part > 0]
            if positive.size:
                low_positive = min(low_positive, float(positive.min()))
    return lo, hi, low_positive


class PlateauItem(LayerItem):
    """The design's LR with simulated plateau cuts (a dashed curve) and a marker at each cut."""

    def __init__(self, layer: PlateauLayer, view: ViewState) -> None:
        super().__init__(layer, view, antialias=True)
        self.cuts = pg.ScatterPlotItem(symbol="t", size=11)
        self.cuts.setParentItem(self)
        self.restyle()

    def restyle(self) -> None:
        self.setPen(pg.mkPen(self.color, width=1.8, style=Qt.PenStyle.DashLine))
        self.cuts.setBrush(pg.mkBrush(self.color))
        self.cuts.setPen(pg.mkPen("#ffffff", width=1))
        self.setVisible(self.layer.visible)
        self.setZValue(6)

    def redraw(self, x0: float, x1: float, pixels: int, to_y: Callable, per_px: float) -> None:
        from ...schedule.plateau import plateau_lr

        if not self.layer.visible:
            return
        design, result = self.layer.design, self.layer.result
        lo, hi = max(0, int(np.floor(x0))), max(1, int(np.ceil(x1)))
        steps = np.unique(
            np.concatenate(
                [
                    np.linspace(lo, hi, max(pixels, 2) * 2).astype(np.int64),
                    result.steps[(result.steps >= lo) & (result.steps <= hi)],
                    result.steps[(result.steps >= lo) & (result.steps <= hi)] - 1,
                ]
            )
        )
        steps = steps[steps >= 0]
        self.setData(steps, to_y(plateau_lr(design, result, steps)))
        cut_steps = np.array([c.step for c in result.cuts], dtype=np.int64)
        self.cuts.setData(cut_steps, to_y(np.array([c.new_lr for c in result.cuts])))

    def y_extent(self) -> tuple[float, float, float]:
        lrs = np.asarray(self.layer.result.lrs, dtype=float)
        positive = lrs[lrs > 0]
        return 0.0, float(lrs.max()) if lrs.size else 0.0, float(positive.min()) if positive.size else np.inf

    def x_extent(self) -> int:
        return self.layer.design.total_steps


#: Which item draws which class of layer (a subclass is drawn as its nearest listed base: the
#: design and every comparison curve by CurveItem).
LAYER_ITEMS: dict[type[Layer], type[LayerItem]] = {
    CurveLayer: CurveItem,
    MissingLayer: MissingItem,
    LogLayer: LogItem,
    PlateauLayer: PlateauItem,
}


def item_for(layer: Layer, view: ViewState) -> LayerItem:
    """The graphics item that draws `layer`."""
    cls = next(LAYER_ITEMS[c] for c in type(layer).__mro__ if c in LAYER_ITEMS)
    return cls(layer, view)

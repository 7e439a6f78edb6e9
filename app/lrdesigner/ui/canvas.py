"""The plot: the design's curve drawn from the core's envelope (O(pixels) per redraw, however
long the design), draggable knots, a hover readout, log scale and an epoch axis."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem

from ..schedule.design import Design
from ..schedule.envelope import envelope

# Axes and grid are drawn without antialiasing (they are horizontal and vertical lines, and an
# antialiased grid costs more to paint than everything else in a drag update); the curve is
# antialiased on its own.


def format_step(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:g}B"
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def format_lr(v: float) -> str:
    if v == 0:
        return "0"
    return f"{v:.3g}" if 1e-2 <= abs(v) < 1e3 else f"{v:.2e}".replace("e-0", "e-").replace("e+0", "e")


class StepAxis(pg.AxisItem):
    """Steps, or epochs when `steps_per_epoch` is set (the plot itself stays in steps)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.steps_per_epoch: int | None = None

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - Qt naming
        spe = self.steps_per_epoch
        if not spe:
            return super().tickValues(minVal, maxVal, size)
        ticks = super().tickValues(minVal / spe, maxVal / spe, size)
        return [(spacing * spe, [v * spe for v in values]) for spacing, values in ticks]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        spe = self.steps_per_epoch or 1
        return [format_step(v / spe) for v in values]


class LRAxis(pg.AxisItem):
    """Learning rates in compact scientific notation; in log mode the values are log10(LR)."""

    def __init__(self) -> None:
        super().__init__("left")
        self.log = False

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.log:
            return [format_lr(10.0**v) for v in values]
        return [format_lr(v) for v in values]


class KnotsItem(pg.ScatterPlotItem):
    """The knots as handles. Emits drags in data coordinates (x = step, y as plotted)."""

    knotDragged = Signal(int, float, float, object)  # index, x, y, keyboard modifiers
    knotDragFinished = Signal(int, float, float, object)
    knotClicked = Signal(int)

    def __init__(self) -> None:
        super().__init__(
            size=14,
            pen=pg.mkPen("#ffffff", width=1.5),
            brush=pg.mkBrush("#e4572e"),
            hoverable=True,
            hoverSize=18,
            hoverBrush=pg.mkBrush("#ff8c61"),
            tip=None,
        )
        self._dragging: int | None = None

    def mouseDragEvent(self, ev):  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            hits = self.pointsAt(ev.buttonDownPos())
            if len(hits) == 0:
                ev.ignore()
                return
            self._dragging = int(hits[0].index())
        if self._dragging is None:
            ev.ignore()
            return
        ev.accept()
        pos = ev.pos()
        if ev.isFinish():
            index, self._dragging = self._dragging, None
            self.knotDragFinished.emit(index, pos.x(), pos.y(), ev.modifiers())
        else:
            self.knotDragged.emit(self._dragging, pos.x(), pos.y(), ev.modifiers())

    def mouseClickEvent(self, ev):  # noqa: N802
        hits = self.pointsAt(ev.pos())
        if ev.button() == Qt.MouseButton.LeftButton and len(hits):
            ev.accept()
            self.knotClicked.emit(int(hits[0].index()))
        else:
            ev.ignore()


class Canvas(pg.PlotWidget):
    """Draws a Design; knots emit semantic signals, it never edits the design itself."""

    knotMoved = Signal(int, int, float, bool)  # knot, step, lr, finished (False while dragging)
    knotSelected = Signal(int)
    contextRequested = Signal(float, float, object)  # step, lr, global position
    splitRequested = Signal(int)
    nudgeRequested = Signal(int, int, int)  # knot, dx (-1/0/1), dy (-1/0/1)

    def __init__(self, parent=None) -> None:
        self.step_axis, self.lr_axis = StepAxis(), LRAxis()
        super().__init__(parent, axisItems={"bottom": self.step_axis, "left": self.lr_axis})
        self.setMenuEnabled(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        for axis in (self.step_axis, self.lr_axis):
            axis.setStyle(maxTickLevel=0)  # ticks and grid lines at major ticks only
            # Axes (labels and grid) change only with the view range: repaint them from a pixmap.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setLabel("bottom", "step")
        self.setLabel("left", "learning rate")
        for axis in (self.step_axis, self.lr_axis):
            axis.enableAutoSIPrefix(False)
        self.design: Design | None = None
        self.log_y = False
        self.selected: int | None = None
        # One polyline through each pixel column's minimum and maximum: a smooth line where the
        # curve is smooth at this zoom, a solid band where a column holds many cycles. Dense bands
        # are drawn with a thin aliased pen (a thick antialiased zig-zag is slow to paint).
        self.color = "#2e86de"
        self.curve = pg.PlotDataItem(pen=pg.mkPen(self.color, width=2.2), antialias=True)
        self.dense = False
        self.knots = KnotsItem()
        # The selected knot: a ring drawn around it (not a per-point brush list, which PySide6
        # has been seen to crash on when replaced many times).
        self.ring = pg.ScatterPlotItem(size=24, pen=pg.mkPen("#2e4057", width=2.5), brush=None)
        self.ring.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.marker = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#f39c12", width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.marker.hide()
        self.hover_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((128, 128, 128, 110)))
        self.readout = pg.TextItem(anchor=(0, 0), color="#555")
        self.readout.setParentItem(self.plotItem.vb)
        self.readout.setPos(8, 4)
        for item in (self.curve, self.marker, self.hover_line, self.ring, self.knots):
            self.addItem(item, ignoreBounds=item is not self.curve)
        self.knots.knotDragged.connect(lambda i, x, y, m: self._drag(i, x, y, m, False))
        self.knots.knotDragFinished.connect(lambda i, x, y, m: self._drag(i, x, y, m, True))
        self.knots.knotClicked.connect(self.select)
        self.plotItem.vb.sigXRangeChanged.connect(lambda *_: self.redraw_curve())
        self.plotItem.vb.sigResized.connect(lambda *_: self.redraw_curve())
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._clicked)
        self._drag_origin: tuple[float, float] | None = None

    # ---- drawing -------------------------------------------------------------------
    def set_design(self, design: Design, fit: bool = False) -> None:
        self.design = design
        self.step_axis.steps_per_epoch = self.step_axis.steps_per_epoch and design.steps_per_epoch
        self._update_knots()
        if fit:
            self.fit()
        self.redraw_curve()

    def _y(self, lr):
        if not self.log_y:
            return np.asarray(lr, dtype=np.float64)
        floor = self._log_floor()
        return np.log10(np.maximum(np.asarray(lr, dtype=np.float64), floor))

    def _log_floor(self) -> float:
        """Where 0 is drawn on a log axis: a third of the smallest positive LR of the design
        (at a knot, or one step after a knot at 0), never below 1e-9 of the peak."""
        if self.design is None:
            return 1e-12
        knots = self.design.knots
        peak = max(max(k[1], k[2]) for k in knots)
        candidates = [v for k in knots for v in (k[1], k[2]) if v > 0]
        candidates += [v for v in (self.design.lr_at(k[0] + 1) for k in knots[:-1]) if v > 0]
        low = min(candidates) if candidates else peak
        return max(low / 3.0, max(peak, 1e-300) * 1e-9)

    def lr_from_y(self, y: float) -> float:
        return 10.0**y if self.log_y else y

    def _update_knots(self) -> None:
        knots = self.design.knots
        xs = [k[0] for k in knots]
        ys = [k[2] for k in knots[:-1]] + [knots[-1][1]]
        y = self._y(ys)
        self.knots.setData(xs, list(y))
        if self.selected is not None and self.selected < len(xs):
            self.ring.setData([xs[self.selected]], [float(y[self.selected])])
            self.ring.show()
        else:
            self.ring.hide()

    def redraw_curve(self) -> None:
        if self.design is None:
            return
        (x0, x1), _ = self.plotItem.vb.viewRange()
        lo = max(0, math.floor(x0))
        hi = max(lo + 1, math.ceil(x1) + 1)
        pixels = max(int(self.plotItem.vb.width()), 50)
        edges, mins, maxs = envelope(self.design, lo, hi, pixels)
        ok = np.isfinite(mins)
        centers = np.where(edges[1:] - edges[:-1] > 1, (edges[:-1] + edges[1:] - 1) / 2.0, edges[:-1])
        x = np.repeat(centers[ok], 2)
        y = np.empty(x.size)
        lo, hi = self._y(mins[ok]), self._y(maxs[ok])
        # Visit each column's extremes in the curve's direction so a steep line does not zig-zag.
        mid = lo + hi
        rising = np.append(mid[1:] >= mid[:-1], True) if mid.size else mid.astype(bool)
        y[0::2], y[1::2] = np.where(rising, lo, hi), np.where(rising, hi, lo)
        # Dense: the columns' ranges add up to far more ink than the curve's travel from column to
        # column (cycles inside each pixel), as opposed to a steep but monotone stretch.
        per_px = max(self.plotItem.vb.viewPixelSize()[1], 1e-300)
        spread = float(np.sum(hi - lo)) / per_px
        travel = float(np.sum(np.abs(np.diff(y[0::2] + y[1::2])))) / (2 * per_px)
        dense = spread > 3.0 * travel + 300.0
        if dense != self.dense:
            self.dense = dense
            self._set_pen()
        self.curve.setData(x, y)

    def _set_pen(self) -> None:
        if self.dense:
            self.curve.setPen(pg.mkPen(self.color, width=1))
            self.curve.opts["antialias"] = False
        else:
            self.curve.setPen(pg.mkPen(self.color, width=2.2))
            self.curve.opts["antialias"] = True

    def fit(self) -> None:
        if self.design is None:
            return
        total = self.design.total_steps
        _, mins, maxs = envelope(self.design, 0, total, 512)
        top, bottom = float(np.max(maxs)), float(np.min(mins))
        ys = self._y([max(bottom, self._log_floor()) if self.log_y else 0.0, top])
        pad = 0.05 * (ys[1] - ys[0] or 1.0)
        self.plotItem.vb.setRange(
            xRange=(-0.015 * total, total * 1.03), yRange=(ys[0] - pad, ys[1] + pad), padding=0
        )

    def set_log(self, on: bool) -> None:
        self.log_y = on
        self.lr_axis.log = on
        self.lr_axis.picture = None
        self._update_knots()
        self.fit()
        self.redraw_curve()

    def set_epoch_axis(self, on: bool) -> None:
        self.step_axis.steps_per_epoch = self.design.steps_per_epoch if on and self.design else None
        self.setLabel("bottom", "epoch" if self.step_axis.steps_per_epoch else "step")
        self.step_axis.picture = None
        self.step_axis.update()

    def locate(self, step: int) -> None:
        """Show `step`: a marker there, centered if it is out of view."""
        self.marker.setPos(step)
        self.marker.show()
        (x0, x1), _ = self.plotItem.vb.viewRange()
        if not x0 <= step <= x1:
            half = (x1 - x0) / 2
            self.plotItem.vb.setXRange(step - half, step + half, padding=0)

    def select(self, index: int | None) -> None:
        self.selected = index
        self._update_knots()
        if index is not None:
            self.knotSelected.emit(index)

    def set_colors(self, dark: bool) -> None:
        self.setBackground("#1e1f24" if dark else "#ffffff")
        fg = "#d7d9de" if dark else "#303030"
        for axis in (self.step_axis, self.lr_axis):
            axis.setPen(pg.mkPen(fg))
            axis.setTextPen(pg.mkPen(fg))
        self.readout.setColor(fg)
        self.color = "#5aa9ff" if dark else "#2e86de"
        self._set_pen()

    # ---- interaction ---------------------------------------------------------------
    def _drag(self, index: int, x: float, y: float, modifiers, finished: bool) -> None:
        if self._drag_origin is None:
            knot = self.design.knots[index]
            self._drag_origin = (knot[0], self._y(knot[2] if index < len(self.design.segments) else knot[1]))
        ox, oy = self._drag_origin
        if modifiers & Qt.KeyboardModifier.ShiftModifier:  # horizontal only
            y = float(oy)
        elif modifiers & Qt.KeyboardModifier.ControlModifier:  # vertical only
            x = float(ox)
        lr = max(self.lr_from_y(y), 0.0)
        if finished:
            self._drag_origin = None
        self.selected = index
        self.knotMoved.emit(index, int(round(x)), lr, finished)

    def _hover(self, pos: QPointF) -> None:
        if self.design is None or not self.plotItem.vb.sceneBoundingRect().contains(pos):
            self.hover_line.hide()
            return
        p = self.plotItem.vb.mapSceneToView(pos)
        step = max(0, int(round(p.x())))
        self.hover_line.setPos(step)
        self.hover_line.show()
        unit = ""
        if self.step_axis.steps_per_epoch:
            unit = f"  (epoch {step / self.step_axis.steps_per_epoch:.2f})"
        self.readout.setText(f"step {step:,}{unit}   LR {format_lr(self.design.lr_at(step))}")

    def _clicked(self, ev) -> None:
        if self.design is None or ev.isAccepted():
            return
        p = self.plotItem.vb.mapSceneToView(ev.scenePos())
        step = max(0, int(round(p.x())))
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.contextRequested.emit(step, self.lr_from_y(p.y()), ev.screenPos().toPoint())
        elif ev.double():
            ev.accept()
            self.splitRequested.emit(step)

    def keyPressEvent(self, ev):  # noqa: N802
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, 1),
            Qt.Key.Key_Down: (0, -1),
        }
        if self.selected is not None and ev.key() in moves:
            self.nudgeRequested.emit(self.selected, *moves[ev.key()])
            ev.accept()
            return
        super().keyPressEvent(ev)

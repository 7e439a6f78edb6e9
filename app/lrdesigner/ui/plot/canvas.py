"""The plot: draws the layers it is given (one item per layer) and the design's knots as the
ViewState says (scales, epochs, smoothing, legend), and turns mouse and keyboard gestures into
intents. It never holds or edits a Design of its own, nor a copy of a view choice."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsItem

from ..model.layers import DESIGN_BLUES, Layer, LayerList
from ..model.view_state import ViewState
from .axes import Axis, LRAxis, StepAxis, format_lr
from .items import item_for
from .knots import KnotHandles
from .legend import Legend, show_legend
from .lines import load_simplifier, simplifier_loaded
from .side_axes import SideAxes
from .still import StillScene, descendants

# Axes and grid are drawn without antialiasing (they are horizontal and vertical lines, and an
# antialiased grid costs more to paint than everything else in a drag update); curves are
# antialiased on their own.

#: A log LR axis spans at most this many decades below the highest LR shown.
LOG_DECADES = 5
#: A ceiling (KB) for the pixmaps of the items that stay still during a drag (axes, legend, other
#: curves, logs), each up to the plot's size: Qt's default 10 MB holds about three at 1280 x 800,
#: and items evicted in turn would all be repainted from scratch on every drag update.
PIXMAP_CACHE_KB = 256 * 1024


class StepViewBox(pg.ViewBox):
    """The wheel zooms the step axis at the cursor (with Ctrl, the LR axis); a drag pans, and a
    drag with Shift held draws a box to zoom into. Neither touches a knot."""

    def wheelEvent(self, ev, axis=None):  # noqa: N802 - Qt's name
        lr_axis = bool(ev.modifiers() & Qt.KeyboardModifier.ControlModifier)
        super().wheelEvent(ev, axis=1 if lr_axis else 0)

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 - Qt's name
        box = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        mode = pg.ViewBox.RectMode if box else pg.ViewBox.PanMode
        if self.state["mouseMode"] != mode:
            self.setMouseMode(mode)
        super().mouseDragEvent(ev, axis)

    def showAxRect(self, ax, **kwargs):  # noqa: N802 - pyqtgraph's name
        """The box drawn, exactly (no padding around it)."""
        super().showAxRect(ax, padding=0)


class Canvas(pg.PlotWidget):
    """Layers and view choices in, intents out. `view`: the window's ViewState (a private one,
    remembered nowhere, when not given)."""

    dragStarted = Signal(object, int)  # knots moving together, the knot grabbed
    dragMoved = Signal(int, float)  # step, LR of the grabbed knot
    dragFinished = Signal(int, float)
    knotClicked = Signal(int)
    contextRequested = Signal(int, float, object)  # step, LR, global position (QPoint)
    splitRequested = Signal(int)
    nudgeRequested = Signal(int, int)  # dx (-1/0/1), dy (-1/0/1)

    def __init__(self, layers: LayerList, view: ViewState | None = None, parent=None) -> None:
        self.step_axis, self.lr_axis = StepAxis(), LRAxis()
        super().__init__(
            parent,
            viewBox=StepViewBox(enableMenu=False),
            axisItems={
                "bottom": self.step_axis,
                "left": self.lr_axis,
                "top": Axis("top"),
                "right": Axis("right"),
            },
        )
        self.plotItem.hideAxis("top")  # pyqtgraph shows every axis it is given
        # While a knot moves, what stays still is painted once and shown as the background.
        self.still = StillScene(self, self._live_items)
        self._simplifier_asked = False
        self.dragged: int | None = None  # the knot being dragged (the readout follows it)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.layers = layers
        self.view = view if view is not None else ViewState.transient(self)
        self.setMenuEnabled(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(240, 160)
        self.plotItem.showGrid(x=True, y=True, alpha=0.15)
        # The curves over the grid (pyqtgraph paints the axes, which draw the grid, over the view).
        self.plotItem.vb.setZValue(1)
        for axis in (self.step_axis, self.lr_axis):
            axis.setStyle(maxTickLevel=0)  # ticks and grid lines at major ticks only
            # Axes (labels and grid) change only with the view range: repaint them from a pixmap.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            axis.enableAutoSIPrefix(False)
        self.setLabel("bottom", "step")
        self.setLabel("left", "learning rate")
        self.floor = 1e-12  # where LR 0 is drawn on a log axis
        self.clipped = False  # whether LRs above 0 are drawn on that line too (below the range)
        self.selected: int | None = None
        self.items: dict[str, pg.GraphicsObject] = {}
        self.knots = KnotHandles()
        self.marker = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#e69f00", width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.marker.hide()
        self.zero_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen((140, 140, 140, 160), width=1, style=Qt.PenStyle.DotLine),
            label="LR 0",
            labelOpts={"position": 0.02, "color": (120, 120, 120), "anchors": [(0, 1), (0, 1)]},
        )
        self.zero_line.hide()
        self.hover_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((128, 128, 128, 110)))
        self.hover_line.hide()
        self.hover_line.setZValue(9)  # over the other layers, under the design
        self.readout = pg.TextItem(anchor=(0, 0), color="#444")
        self.readout.setParentItem(self.plotItem.vb)
        self.readout.setPos(8, 4)
        self.readout.setZValue(70)  # above the legend: read whole wherever the legend sits
        for item in (self.marker, self.zero_line, self.hover_line):
            self.addItem(item, ignoreBounds=True)
        # Over the legend (a knot and its label are never hidden by it), under the readout.
        self.knots.attach(self.plotItem.vb)
        self.knots.setZValue(65)
        self.knots.dragStarted.connect(self.dragStarted)
        self.knots.dragMoved.connect(lambda x, y: self.dragMoved.emit(*self.snapped(x, y)))
        self.knots.dragFinished.connect(lambda x, y: self.dragFinished.emit(*self.snapped(x, y)))
        self.knots.knotClicked.connect(self.knotClicked)
        self.plotItem.vb.sigXRangeChanged.connect(lambda *_: self.redraw())
        self.plotItem.vb.sigResized.connect(lambda *_: self.redraw())
        self.scene().sigMouseMoved.connect(self._hover)
        self.scene().sigMouseClicked.connect(self._clicked)
        self._hover_step: int | None = None
        self.dark = False
        self.side = SideAxes(self.plotItem, layers, self.items, self.view)
        # The right-hand axes, as the window and the state dump name them.
        self.loss_vb, self.right_axis = self.side.loss_vb, self.side.right_axis
        self.diff_axis, self.difference_item = self.side.diff_axis, self.side.difference_item
        self.legend = Legend(offset=(-10, 10))
        self.legend.setParentItem(self.plotItem.vb)
        self.plotItem.legend = self.legend
        self.legend_place = "hidden"  # the corner the legend is in
        self.legend.setZValue(60)
        self._apply_scale()
        self.side.apply_loss_scale()
        self.step_axis.set_steps_per_epoch(self.view.epoch_axis)
        for layer in layers:
            self._inserted(layer)
        layers.inserted.connect(self._inserted)
        layers.removed.connect(self._removed)
        layers.changed.connect(self._restyled)
        layers.dataChanged.connect(self._changed)
        layers.reordered.connect(self._restack)
        self._changed(layers.design_layer)
        self.view.changed.connect(self._view_changed)
        # An edit (or steps per epoch placing a log) that lifts a curve above the view widens it.
        layers.design_layer.document.designChanged.connect(lambda _design: self._committed())
        for vb in (self.plotItem.vb, self.loss_vb, self.side.diff_vb):
            vb.sigRangeChanged.connect(self.still.invalidate)
        self.plotItem.vb.sigResized.connect(self.still.invalidate)
        self.dragStarted.connect(lambda _knots, grabbed: self._moving(True, grabbed))
        self.dragFinished.connect(lambda *_: self._moving(False))

    # ---- painting a drag -------------------------------------------------------------------
    def _live_items(self) -> list:
        """What moves or changes while a knot is dragged: the design's curve, the knots (with the
        selection ring and the drag's label), the hover line and readout, and the difference view
        (drawn from the design)."""
        live = [self.knots, self.hover_line, self.readout]
        design = self.items.get(self.layers.design_layer.id)
        if design is not None:
            live.append(design)
        if self.difference is not None:
            live.append(self.side.difference_item)
        return live

    def paintEvent(self, ev):  # noqa: N802 - Qt's name
        self.still.before_paint()
        super().paintEvent(ev)
        if not simplifier_loaded() and not self._simplifier_asked:
            # The first frame is on screen: load the simplifier now and redraw the curves with it.
            self._simplifier_asked = True
            QTimer.singleShot(0, self, self._load_simplifier)

    def _load_simplifier(self) -> None:
        """Load the simplifier (if no window has yet) and draw this canvas's curves with it."""
        load_simplifier()
        self.still.invalidate()
        self.redraw()

    def drawBackground(self, painter, rect):  # noqa: N802 - Qt's name
        if not self.still.draw(painter):
            super().drawBackground(painter, rect)

    # ---- the right-hand axes (SideAxes) ----------------------------------------------------
    @property
    def difference(self):
        """The layer shown as a ratio to the design on the right, and how (None: none)."""
        return self.side.difference

    @property
    def loss_log(self) -> bool:
        return self.side.loss_log

    def fit_loss(self) -> None:
        self.side.fit_loss()

    def set_difference(self, layer: Layer | None, mode: str = "ratio") -> None:
        self.side.set_difference(layer, mode)

    # ---- view choices --------------------------------------------------------------------
    @property
    def log_y(self) -> bool:
        """A logarithmic LR axis (the view's choice)."""
        return self.view.log_scale

    @property
    def smoothing(self) -> float:
        return self.view.smoothing

    def _view_changed(self, key: str) -> None:
        self.still.invalidate()
        if key == "log_scale":
            self._apply_scale()
            self.fit()
        elif key == "loss_log":
            self.side.apply_loss_scale()
            self._logs_changed()
        elif key == "smoothing":
            self._logs_changed()
        elif key in ("epochs", "steps_per_epoch"):
            self.step_axis.set_steps_per_epoch(self.view.epoch_axis)
            self._refresh_readout()
            if key == "steps_per_epoch":  # epoch-indexed logs are placed with it
                self._logs_changed()
        elif key == "legend":
            self._update_legend()

    def _logs_changed(self) -> None:
        """The logs draw differently (smoothing, scale, placement): restyle, redraw, refit."""
        for layer in self.layers:
            item = self.items.get(layer.id)
            if item is not None and layer.on_right:
                item.restyle()
        self.redraw()
        self.fit_loss()

    def _apply_scale(self) -> None:
        on = self.view.log_scale
        self.lr_axis.set_log(on)
        self.zero_line.setVisible(on)
        if on:
            self._update_floor()
        self._update_knots()

    # ---- layers ------------------------------------------------------------------------
    def _inserted(self, layer: Layer) -> None:
        self.still.invalidate()
        item = item_for(layer, self.view)
        self.items[layer.id] = item
        if layer.on_right:
            self.loss_vb.addItem(item)
        else:
            self.addItem(item)
        self._restack()
        self._layers_moved()
        self._update_legend()
        if layer.on_right:
            self.fit_loss()

    def _update_legend(self) -> None:
        self.still.invalidate()
        self.legend_place = show_legend(
            self.legend, self.layers.visible(), self.items, self.view.legend, self.plotItem.vb
        )

    def _removed(self, layer: Layer) -> None:
        self.still.invalidate()
        if self.difference is not None and self.difference[0] is layer:
            self.set_difference(None)
        item = self.items.pop(layer.id, None)
        if item is not None:
            if item.getViewBox() is self.loss_vb:
                self.loss_vb.removeItem(item)
            else:
                self.removeItem(item)
        self._layers_moved()
        self._update_legend()

    def _restyled(self, layer: Layer) -> None:
        if layer is not self.layers.design_layer:
            self.still.invalidate()
        item = self.items.get(layer.id)
        if item is not None:
            item.restyle()
        self._update_legend()
        self._changed(layer)

    def _changed(self, layer: Layer) -> None:
        """A layer's data changed: its curve (and, for the design, the knots) redraw. While a knot
        is dragged the log axis keeps its floor (the other curves stay as drawn); the release
        places it again."""
        dragged = self.still.active and layer is self.layers.design_layer
        if not dragged:
            self.still.invalidate()
        if self.log_y and not dragged:
            self._update_floor()
        if layer is self.layers.design_layer:
            self._update_knots()
        self.redraw(only=None if self.log_y and not dragged else layer)
        self._refresh_readout()

    def _layers_moved(self) -> None:
        if self.log_y:
            self._update_floor()
            self._update_knots()
        self.redraw()
        self._refresh_readout()

    def _restack(self) -> None:
        self.still.invalidate()
        for order, layer in enumerate(self.layers):
            item = self.items.get(layer.id)
            if item is not None:
                item.setZValue(10 if layer.is_design else 5 - order * 0.01)

    # ---- drawing -----------------------------------------------------------------------
    def to_y(self, lr):
        lr = np.asarray(lr, dtype=np.float64)
        if not self.log_y:
            return lr
        return np.log10(np.maximum(lr, self.floor))

    def lr_from_y(self, y: float) -> float:
        if self.log_y:
            return 0.0 if y <= math.log10(self.floor) else 10.0**y
        return max(y, 0.0)

    def _update_floor(self) -> None:
        """On a log axis LR 0 sits just below the smallest positive LR of the visible layers, but a
        comparison reaches no more than LOG_DECADES below the highest LR shown: one ending at 1e-13
        must not squeeze the others into the top of the plot (the design is always drawn whole).
        What falls below is drawn on the marked line."""
        extents = [item.y_extent() for item in self._curve_items()]
        lows = [e[2] for e in extents if np.isfinite(e[2])]
        highs = [e[1] for e in extents if np.isfinite(e[1]) and e[1] > 0]
        low = min(lows, default=1e-6)
        limit = max(highs, default=low) * 10.0**-LOG_DECADES
        design = self.items.get(self.layers.design_layer.id)
        if design is not None and self.layers.design_layer.visible:
            design_low = design.y_extent()[2]
            if np.isfinite(design_low):
                limit = min(limit, design_low / 2.0)
        self.floor = max(low / 2.0, limit)
        self.clipped = low / 2.0 < limit
        self.zero_line.setPos(math.log10(self.floor))
        self.zero_line.label.setFormat(f"LR 0 and below {format_lr(self.floor)}" if self.clipped else "LR 0")

    def _update_knots(self) -> None:
        design = self.layers.design_layer.design
        knots = design.knots
        xs = [k.step for k in knots]
        ys = self.to_y([k.lr for k in knots])
        label = ""
        if self.dragged is not None and self.dragged < len(knots):
            k = knots[self.dragged]
            label = f"step {k.step:,}   LR {k.lr:.6g}"
        self.knots.set_knots(xs, ys, self.selected, label)
        self.knots.setVisible(self.layers.design_layer.visible)

    def _curve_items(self, among: list | None = None) -> list:
        """The items of visible layers (of `among`, when given) that draw a schedule curve."""
        return [
            self.items[layer.id]
            for layer in self.layers.visible()
            if layer.id in self.items
            and layer.drawn
            and not layer.on_right
            and (among is None or layer in among)
        ]

    def redraw(self, only: Layer | None = None) -> None:
        """Redraw the curves for the visible range (one layer, or all)."""
        vb = self.plotItem.vb
        (x0, x1), _ = vb.viewRange()
        pixels = max(int(vb.width()), 50)
        per_px = vb.viewPixelSize()[1]
        targets = [only] if only is not None else list(self.layers)
        for layer in targets:
            item = self.items.get(layer.id)
            if item is not None and layer.visible:
                item.redraw(x0, x1, pixels, self.to_y, per_px)
        if self.difference is not None and (
            only is None or only is self.layers.design_layer or only is self.difference[0]
        ):
            self.side.redraw_difference()

    def fit(self, among: list | None = None) -> None:
        """Show every visible layer whole (every one of `among`, when given)."""
        visible = self._curve_items(among) or [self.items[self.layers.design_layer.id]]
        total = max(item.x_extent() for item in visible)
        extents = [item.y_extent() for item in visible]
        top = max(e[1] for e in extents)
        bottom = min(e[0] for e in extents)
        if self.log_y:
            self._update_floor()
            ys = self.to_y([max(bottom, self.floor), top])
        else:
            ys = np.array([0.0, top])
        pad = 0.05 * (ys[1] - ys[0] or 1.0)
        self.plotItem.vb.setRange(
            xRange=(-0.015 * total, total * 1.03), yRange=(ys[0] - pad, ys[1] + pad), padding=0
        )
        self.redraw()
        self._update_legend()  # "auto" finds the emptiest corner of the new view

    def _moving(self, on: bool, knot: int | None = None) -> None:
        """The design's curve drawn plainly while dragged, smooth otherwise; the still scene
        painted once for the drag; the readout tells where the dragged knot is."""
        if not on and not self.still.active:
            return  # no drag to end (a commit, or the release's second call)
        self.still.start() if on else self.still.stop()
        self.dragged = knot if on else None
        self._update_knots()
        self._refresh_readout()
        item = self.items.get(self.layers.design_layer.id)
        if item is not None and item.moving != on:
            item.moving = on
            item.restyle()
            for part in (self.legend, *descendants(self.legend)):
                part.update()  # its sample of the design is drawn as the design is
            if not on:  # the item's own data again (a drag's frames set its line only)
                self.redraw(only=self.layers.design_layer)

    def _committed(self) -> None:
        """After an edit (not during a drag): the LR axis keeps the curves in view, and an "auto"
        legend moves off them."""
        self._moving(False)  # a release (or an undo that dropped the drag) commits or restores
        self.keep_in_view()
        if self.view.legend == "auto":
            self._update_legend()

    def snapped(self, x: float, y: float) -> tuple[int, float]:
        """A dragged knot's step and LR, rounded to values a person would type at this zoom: the
        step to a power of ten near 0.1% of the visible steps (100 in a 100k view: 20,705 becomes
        20,700), the LR to three significant digits. Alt drags freely; a coordinate held by Shift or Ctrl is
        left as it was."""
        step, lr = int(round(x)), self.lr_from_y(y)
        if self.knots.free:
            return step, lr
        if self.knots.locked != "step":
            span = max(self.visible_steps(), 1.0)
            unit = 10 ** max(int(math.floor(math.log10(span))) - 3, 0)
            step = int(round(step / unit) * unit)
        if self.knots.locked != "lr" and lr > 0:
            lr = float(f"{lr:.3g}")
        return step, lr

    def keep_in_view(self) -> None:
        """Raise the LR axis's top when a visible curve now peaks above it (the step range and a
        lower top the user chose stay)."""
        items = self._curve_items()
        if not items:
            return
        top = max(item.y_extent()[1] for item in items)
        if not np.isfinite(top) or top <= 0:
            return
        (_x0, _x1), (y0, y1) = self.plotItem.vb.viewRange()
        wanted = float(self.to_y([top])[0])
        if wanted > y1:
            self.plotItem.vb.setYRange(y0, wanted + 0.05 * (wanted - y0), padding=0)

    def visible_steps(self) -> float:
        """How many steps the view spans."""
        (x0, x1), _ = self.plotItem.vb.viewRange()
        return x1 - x0

    def zoom_steps(self, factor: float) -> None:
        """Zoom the step axis about the view's centre (`factor` < 1 zooms in)."""
        self.plotItem.vb.scaleBy((factor, 1))

    def locate(self, step: int) -> None:
        """Show `step`: a marker there, centered if it is out of view."""
        self.still.invalidate()
        self.marker.setPos(step)
        self.marker.show()
        (x0, x1), _ = self.plotItem.vb.viewRange()
        if not x0 <= step <= x1:
            half = (x1 - x0) / 2
            self.plotItem.vb.setXRange(step - half, step + half, padding=0)

    def select(self, knot: int | None) -> None:
        self.selected = knot
        self._update_knots()

    def set_colors(self, dark: bool) -> None:
        self.still.invalidate()
        self.dark = dark
        self.setBackground("#1e1f24" if dark else "#ffffff")
        fg = "#d7d9de" if dark else "#303030"
        for axis in (self.step_axis, self.lr_axis):
            axis.setPen(pg.mkPen(fg))
            axis.setTextPen(pg.mkPen(fg))
        self.readout.setColor(fg)
        self.legend.setLabelTextColor(fg)
        self.legend.setBrush(pg.mkBrush("#2a2c33cc" if dark else "#ffffffcc"))
        self._update_legend()
        self.knots.set_colors("#1e1f24" if dark else "#ffffff", "#ffd166" if dark else "#1b2a3a")
        for item in self.items.values():
            item.restyle()  # each colour readable on the new background
        design = self.layers.design_layer
        if design.color in DESIGN_BLUES:
            self.layers.update(design, color=DESIGN_BLUES[1] if dark else DESIGN_BLUES[0])

    # ---- hover -------------------------------------------------------------------------
    def leaveEvent(self, ev):  # noqa: N802 - Qt's name
        """The pointer left the plot: no step is hovered any more."""
        self._end_hover()
        super().leaveEvent(ev)

    def _end_hover(self) -> None:
        self.hover_line.hide()
        self._hover_step = None
        self.readout.setText("")

    def _hover(self, pos: QPointF) -> None:
        if not self.plotItem.vb.sceneBoundingRect().contains(pos):
            self._end_hover()
            return
        p = self.plotItem.vb.mapSceneToView(pos)
        self._hover_step = max(0, int(round(p.x())))
        self._refresh_readout()

    def _refresh_readout(self) -> None:
        """The LR of every visible layer at the hovered step (recomputed whenever a layer changes);
        during a drag, the dragged knot's step and LR (what moved, and nothing more)."""
        if self.dragged is not None:  # the dragged knot's label says where it is
            self.hover_line.hide()
            if self.readout_text:
                self.readout.setText("")
            return
        step = self._hover_step
        if step is None:
            if self.readout_text:
                self.readout.setText("")
            return
        self.hover_line.setPos(step)
        self.hover_line.show()
        unit = ""
        if self.step_axis.steps_per_epoch:
            unit = f"  (epoch {step / self.step_axis.steps_per_epoch:.2f})"
        parts = [f"step {step:,}{unit}"]
        for layer in self.layers.visible():
            if layer.draws_design:
                name = "design" if layer.is_design else layer.name
                parts.append(f"{name} {format_lr(layer.design.lr_at(step))}")
        self.readout.setText("   ".join(parts))

    @property
    def readout_text(self) -> str:
        return self.readout.toPlainText()

    # ---- clicks and keys ---------------------------------------------------------------
    def _clicked(self, ev) -> None:
        if ev.isAccepted():
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
            self.nudgeRequested.emit(*moves[ev.key()])
            ev.accept()
            return
        super().keyPressEvent(ev)

    # ---- geometry for scripts and menus --------------------------------------------------
    def knot_global_pos(self, knot: int) -> QPoint:
        pos = self.knots.scene_positions()
        if knot >= len(pos):
            return self.mapToGlobal(self.rect().center())
        return self.mapToGlobal(self.mapFromScene(QPointF(*pos[knot])))

    def knot_window_pos(self, knot: int, window) -> tuple[int, int]:
        pos = self.knots.scene_positions()[knot]
        p = self.mapTo(window, self.mapFromScene(QPointF(*pos)))
        return p.x(), p.y()

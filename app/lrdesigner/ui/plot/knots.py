"""The design's knots as handles: a forgiving hit radius, the grab offset kept during a drag, and
knots that sit on one spot on screen grabbed together as one handle."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPaintEngine, QPainter, QPen, QPixmap, QTransform

HIT_RADIUS_PX = 12.0  # a press this close to a knot grabs it (instead of panning the view)
SAME_SPOT_PX = 5.0  # knots closer than this on screen move as one
LABEL_ROOM = (260.0, 30.0)  # px beside a knot the label may take (width, height)


class KnotHandles(pg.GraphicsObject):
    """Draws the knots (and a ring round the selected one) and turns mouse gestures into drags in
    data coordinates. Each knot is one small pre-rendered image placed at its point on screen, so
    a drag frame costs a few pixmap copies whatever the view's scale."""

    dragStarted = Signal(object, int)  # the knots moving together (sorted), the one grabbed
    dragMoved = Signal(float, float)  # x, y of the grabbed knot in view coordinates
    dragFinished = Signal(float, float)
    knotClicked = Signal(int)

    #: During a drag: which coordinate is held ("step", "lr" or None), and whether Alt frees the
    #: knot from snapping to round values.
    locked: str | None = None
    free = False

    SIZE, HOVER_SIZE, RING_SIZE = 13.0, 17.0, 25.0  # diameters, px

    def __init__(self) -> None:
        super().__init__()
        self._grab: QPointF | None = None  # knot position minus press position, in scene pixels
        self._origin: tuple[float, float] = (0.0, 0.0)
        self._active = False
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)
        self.selected: int | None = None  # the knot ringed
        self.hovered: int | None = None  # the knot under the pointer (drawn larger)
        self.outline = QColor("#ffffff")
        self.fill, self.hover_fill = QColor("#d55e00"), QColor("#ff8c61")
        self.ring_color = QColor("#1b2a3a")
        self._sprites: dict[str, QPixmap] = {}
        self.label = ""
        self.setAcceptHoverEvents(True)

    # ---- data and style -------------------------------------------------------------------
    def set_knots(self, xs, ys, selected: int | None = None, label: str = "") -> None:
        """The knots' points (view coordinates), the one ringed (None: none) and a label drawn
        beside it (a dragged knot's step and LR)."""
        self.prepareGeometryChange()
        self.xs, self.ys = np.asarray(xs, float), np.asarray(ys, float)
        self.selected = selected if selected is not None and 0 <= selected < self.xs.size else None
        self.label = label if self.selected is not None else ""
        if self.hovered is not None and self.hovered >= self.xs.size:
            self.hovered = None
        self.update()

    def set_colors(self, outline: str, ring: str) -> None:
        """The knots' outline (the plot's background) and the selection ring's colour."""
        self.outline, self.ring_color = QColor(outline), QColor(ring)
        self._sprites.clear()
        self.update()

    def _circle(self, painter: QPainter, kind: str, at: QPointF) -> None:
        """One knot ("knot", "hover") or the ring, centred on `at` (device pixels)."""
        diameter = self.RING_SIZE if kind == "ring" else self.HOVER_SIZE if kind == "hover" else self.SIZE
        painter.setPen(QPen(self.ring_color, 2.5) if kind == "ring" else QPen(self.outline, 1.5))
        if kind == "ring":
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setBrush(self.hover_fill if kind == "hover" else self.fill)
        painter.drawEllipse(at, diameter / 2, diameter / 2)

    def _sprite(self, kind: str, ratio: float) -> QPixmap:
        """The image of one knot ("knot", "hover") or of the ring, at the screen's pixel ratio."""
        key = f"{kind}@{ratio}"
        sprite = self._sprites.get(key)
        if sprite is None:
            side = int(np.ceil((self.RING_SIZE + 2.5 + 2) * ratio))  # room for the largest
            sprite = QPixmap(side, side)
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            centre = side / ratio / 2
            self._circle(painter, kind, QPointF(centre, centre))
            painter.end()
            self._sprites[key] = sprite
        return sprite

    # ---- placing ----------------------------------------------------------------------------
    def attach(self, view_box: pg.ViewBox) -> None:
        """Draw over everything the view box holds (its legend included): the handles are a child
        of the view box itself, in its pixels, and follow its view of the data."""
        self.setParentItem(view_box)
        view_box.sigTransformChanged.connect(self.view_moved)

    def view_moved(self, *_args) -> None:
        self.prepareGeometryChange()
        self.update()

    def _to_box(self) -> QTransform:
        """View (data) coordinates to this item's (the view box's pixels)."""
        vb = self.parentItem()
        return vb.childGroup.transform() if isinstance(vb, pg.ViewBox) else QTransform()

    # ---- painting ------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        if not self.xs.size:
            return QRectF()
        pad = max(self.RING_SIZE, 2 * HIT_RADIUS_PX) / 2 + 2
        wide, high = (pad + LABEL_ROOM[0], pad + LABEL_ROOM[1]) if self.label else (pad, pad)
        x0, x1 = float(self.xs.min()), float(self.xs.max())
        y0, y1 = float(self.ys.min()), float(self.ys.max())
        box = self._to_box().mapRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        return box.adjusted(-wide, -high, wide, high)

    def paint(self, painter: QPainter, *_args) -> None:
        if not self.xs.size:
            return
        to_device = self._to_box() * painter.transform()
        if painter.paintEngine().type() != QPaintEngine.Type.Raster:  # SVG, print: circles as vectors
            self._paint_vectors(painter, to_device)
            return
        ratio = painter.device().devicePixelRatioF()
        painter.resetTransform()
        knot, hover = self._sprite("knot", ratio), self._sprite("hover", ratio)
        for i, (x, y) in enumerate(zip(self.xs.tolist(), self.ys.tolist())):
            sprite = hover if i == self.hovered else knot
            self._stamp(painter, sprite, to_device.map(QPointF(x, y)), ratio)
        if self.selected is not None:
            point = QPointF(float(self.xs[self.selected]), float(self.ys[self.selected]))
            at = to_device.map(point)
            self._stamp(painter, self._sprite("ring", ratio), at, ratio)
            if self.label:
                self._paint_label(painter, at)

    def _paint_label(self, painter: QPainter, at: QPointF) -> None:
        """The label above and to the right of the ringed knot (to the left near the plot's right
        edge, below it near the top), on a translucent plate of the background's colour."""
        metrics = painter.fontMetrics()
        box = QRectF(0, 0, metrics.horizontalAdvance(self.label) + 8, metrics.height() + 4)
        clip = painter.clipBoundingRect()
        x = at.x() + 14
        if not clip.isEmpty() and x + box.width() > clip.right():
            x = at.x() - 14 - box.width()
        y = at.y() - 14 - box.height()
        if not clip.isEmpty() and y < clip.top():
            y = at.y() + 14
        box.moveTo(x, y)
        plate = QColor(self.outline)
        plate.setAlpha(220)  # readable over the legend; the curves under it still show
        painter.fillRect(box, plate)
        painter.setPen(self.ring_color)
        painter.drawText(QPointF(box.left() + 4, box.top() + 2 + metrics.ascent()), self.label)

    def _paint_vectors(self, painter: QPainter, to_device) -> None:
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, (x, y) in enumerate(zip(self.xs.tolist(), self.ys.tolist())):
            at = to_device.map(QPointF(x, y))
            self._circle(painter, "hover" if i == self.hovered else "knot", at)
            if i == self.selected:
                self._circle(painter, "ring", at)
        painter.restore()

    @staticmethod
    def _stamp(painter: QPainter, sprite: QPixmap, at: QPointF, ratio: float) -> None:
        half = sprite.width() / ratio / 2
        painter.drawPixmap(QPointF(at.x() - half, at.y() - half), sprite)

    def hoverEvent(self, ev):  # noqa: N802 - pyqtgraph's name
        index = None if ev.isExit() else self.nearest(ev.scenePos())
        if index is not None:  # a press here grabs the knot, whatever lies under or over it
            ev.acceptDrags(Qt.MouseButton.LeftButton)
            ev.acceptClicks(Qt.MouseButton.LeftButton)
        if index != self.hovered:
            self.hovered = index
            self.update()

    def scene_positions(self) -> np.ndarray:
        vb = self.getViewBox()
        if vb is None or not self.xs.size:
            return np.zeros((0, 2))
        pts = [vb.mapViewToScene(QPointF(float(x), float(y))) for x, y in zip(self.xs, self.ys)]
        return np.array([(p.x(), p.y()) for p in pts])

    def nearest(self, scene_pos: QPointF) -> int | None:
        """The knot within the hit radius of `scene_pos` (the closest), or None."""
        pos = self.scene_positions()
        if not pos.size:
            return None
        d = np.hypot(pos[:, 0] - scene_pos.x(), pos[:, 1] - scene_pos.y())
        i = int(np.argmin(d))
        return i if d[i] <= HIT_RADIUS_PX else None

    def group(self, index: int) -> list[int]:
        """`index` and its neighbours drawn on the same spot."""
        pos = self.scene_positions()
        out = [index]
        for direction in (-1, 1):
            j = index + direction
            while 0 <= j < len(pos) and np.hypot(*(pos[j] - pos[index])) <= SAME_SPOT_PX:
                out.append(j)
                j += direction
        return sorted(out)

    def mouseDragEvent(self, ev):  # noqa: N802
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            index = self.nearest(ev.buttonDownScenePos())
            if index is None:
                ev.ignore()
                return
            pos = self.scene_positions()[index]
            self._grab = QPointF(pos[0], pos[1]) - ev.buttonDownScenePos()
            self._origin = (float(self.xs[index]), float(self.ys[index]))
            self._active = True
            self.dragStarted.emit(self.group(index), index)
        if not self._active:
            ev.ignore()
            return
        ev.accept()
        p = self.getViewBox().mapSceneToView(ev.scenePos() + self._grab)
        x, y = p.x(), p.y()
        self.locked = None
        if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:  # sideways only
            y, self.locked = self._origin[1], "lr"
        elif ev.modifiers() & Qt.KeyboardModifier.ControlModifier:  # up/down only
            x, self.locked = self._origin[0], "step"
        self.free = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)  # no snapping
        if ev.isFinish():
            self._active = False
            self.dragFinished.emit(x, y)
        else:
            self.dragMoved.emit(x, y)

    def mouseClickEvent(self, ev):  # noqa: N802
        index = self.nearest(ev.scenePos())
        if ev.button() == Qt.MouseButton.LeftButton and index is not None and not ev.double():
            ev.accept()
            self.knotClicked.emit(index)
        else:
            ev.ignore()

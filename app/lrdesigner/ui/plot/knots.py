"""The design's knots as handles: a forgiving hit radius, the grab offset kept during a drag, and
knots that sit on one spot on screen grabbed together as one handle."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

HIT_RADIUS_PX = 12.0  # a press this close to a knot grabs it (instead of panning the view)
SAME_SPOT_PX = 5.0  # knots closer than this on screen move as one


class KnotHandles(pg.ScatterPlotItem):
    """Draws the knots and turns mouse gestures into drags in data coordinates."""

    dragStarted = Signal(object, int)  # the knots moving together (sorted), the one grabbed
    dragMoved = Signal(float, float)  # x, y of the grabbed knot in view coordinates
    dragFinished = Signal(float, float)
    knotClicked = Signal(int)

    #: During a drag: which coordinate is held ("step", "lr" or None), and whether Alt frees the
    #: knot from snapping to round values.
    locked: str | None = None
    free = False

    def __init__(self) -> None:
        super().__init__(
            size=13,
            pen=pg.mkPen("#ffffff", width=1.5),
            brush=pg.mkBrush("#d55e00"),
            hoverable=True,
            hoverSize=17,
            hoverBrush=pg.mkBrush("#ff8c61"),
            tip=None,
        )
        self._grab: QPointF | None = None  # knot position minus press position, in scene pixels
        self._origin: tuple[float, float] = (0.0, 0.0)
        self._active = False
        self.xs = np.zeros(0)
        self.ys = np.zeros(0)

    def set_knots(self, xs, ys) -> None:
        self.xs, self.ys = np.asarray(xs, float), np.asarray(ys, float)
        self.setData(self.xs, self.ys)

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

"""How a curve's line is drawn: simplified to the vertices the screen needs (shapely, loaded
after the window's first frame), and, while a knot is dragged, by a plain polyline item."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

#: A drawn curve leaves out the vertices that its neighbours' line passes closer than this to
#: (in screen pixels): a tenth of the thinnest pen, so the curve looks the same and paints in a
#: fraction of the time (a cosine over 700 columns keeps about 40 vertices).
SIMPLIFY_PX = 0.2


#: shapely, once loaded: the window loads it after its first frame (its imports are 13 ms of a
#: cold start), and draws the curves through every point of their columns until then.
_shapely = None


def load_simplifier() -> bool:
    """Load the curve simplifier (shapely); True when this call loaded it."""
    global _shapely
    if _shapely is not None:
        return False
    import shapely

    _shapely = shapely
    return True


def simplifier_loaded() -> bool:
    """Whether curves are drawn simplified (the simplifier is loaded)."""
    return _shapely is not None


def simplified(x: np.ndarray, y: np.ndarray, x_px: float, y_px: float) -> tuple[np.ndarray, np.ndarray]:
    """The polyline (x, y) with only the vertices needed to draw it within SIMPLIFY_PX of itself
    on screen (Douglas-Peucker, GEOS through shapely); `x_px` and `y_px` are pixels per unit.
    Before the simplifier is loaded: (x, y) as they are."""
    shapely = _shapely
    if shapely is None:
        return x, y
    # In screen pixels from the first vertex (one buffer), so the tolerance is one number.
    coords = np.empty((x.size, 2))
    np.subtract(x, x[0], out=coords[:, 0])
    coords[:, 0] *= x_px
    np.subtract(y, y[0], out=coords[:, 1])
    coords[:, 1] *= y_px
    line = shapely.simplify(shapely.linestrings(coords), SIMPLIFY_PX, preserve_topology=False)
    kept = shapely.get_coordinates(line)
    return kept[:, 0] / x_px + x[0], kept[:, 1] / y_px + y[0]


class Polyline(QGraphicsItem):
    """One polyline and one pen: the design's line while its knots are dragged. Its bounds only
    grow during a drag (they hold every frame's line), so a frame costs a repaint and no scene
    re-indexing, and nothing is derived from the data but the polygon itself."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.polygon = QPolygonF()
        self.pen = QPen()
        self._rect = QRectF()

    def set_line(self, x: np.ndarray, y: np.ndarray, pen: QPen, pad: tuple[float, float]) -> None:
        """Draw (x, y) with `pen`; `pad` is the pen's reach in data units (x, y)."""
        self.polygon = pg.functions.arrayToQPolygonF(np.asarray(x, float), np.asarray(y, float))
        self.pen = pen
        reach = self.polygon.boundingRect().adjusted(-pad[0], -pad[1], pad[0], pad[1])
        if not self._rect.contains(reach):
            self.prepareGeometryChange()
            self._rect = self._rect.united(reach) if self._rect.isValid() else reach
        self.update()

    def clear(self) -> None:
        self.prepareGeometryChange()
        self.polygon, self._rect = QPolygonF(), QRectF()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._rect

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(self.pen)
        painter.drawPolyline(self.polygon)

"""The still scene of a drag: while a knot moves, everything that does not move with it (axes,
grid, legend, the other layers, logs) is painted once into an image, and every frame shows that
image as the view's background and paints only the moving items over it.

Items are hidden from painting by an opacity of 0 (Qt skips an item whose opacity is 0 and every
child of it), which leaves layout, bounds, hit-testing and auto-range as they were. The image is
dropped, and the items shown, whenever what it holds could have changed: a range or size change,
another layer changed, the end of the drag."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

NO_CACHE = QGraphicsItem.CacheMode.NoCache


@contextmanager
def uncached(items: Iterable[QGraphicsItem]) -> Iterator[None]:
    """`items` paint themselves from scratch (paths, text, pixels) inside the block, not from their
    pixmap caches; the caches come back after it."""
    modes = {item: item.cacheMode() for item in items if item.cacheMode() != NO_CACHE}
    for item in modes:
        item.setCacheMode(NO_CACHE)
    try:
        yield
    finally:
        for item, mode in modes.items():
            item.setCacheMode(mode)


class StillScene:
    """`live()` names the items that move during the drag (drawn every frame); every other item of
    `view`'s scene is part of the image."""

    def __init__(self, view: QGraphicsView, live: Callable[[], Iterable[QGraphicsItem]]) -> None:
        self.view, self.live = view, live
        self.active = False  # a drag is in progress
        self.image: QPixmap | None = None
        self._hidden: dict[QGraphicsItem, float] = {}  # item -> opacity before the drag
        self._capturing = False

    # ---- the drag --------------------------------------------------------------------------
    def start(self) -> None:
        """A drag starts: the next paint takes the image."""
        self.active = True

    def stop(self) -> None:
        """The drag ended: every item paints itself again."""
        self.active = False
        self.invalidate()

    def invalidate(self) -> None:
        """What the image holds may have changed: show the items again (a drag in progress takes a
        new image at its next frame)."""
        if self.image is None and not self._hidden:
            return
        self.image = None
        for item, opacity in self._hidden.items():
            item.setOpacity(opacity)
            # Qt drops the repaints asked of an item while its opacity is 0 (an axis whose range
            # changed, say): each hidden item, and what it holds, paints itself anew.
            for part in (item, *descendants(item)):
                part.update()
        self._hidden.clear()
        self.view.resetCachedContent()

    # ---- painting ------------------------------------------------------------------------
    def before_paint(self) -> None:
        """Called as the view starts painting: takes the image when a drag needs one."""
        if self.active and self.image is None and not self._capturing:
            self._capture()

    def draw(self, painter: QPainter) -> bool:
        """Paint the image as the background (False: no image, paint the background as usual)."""
        if self.image is None or self._capturing:
            return False
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self.image)
        painter.restore()
        return True

    def _capture(self) -> None:
        scene = self.view.scene()
        live = [item for item in self.live() if item.scene() is scene]
        keep: set[QGraphicsItem] = set()  # the live items' ancestors: painted, so never hidden
        for item in live:
            parent = item.parentItem()
            while parent is not None:
                keep.add(parent)
                parent = parent.parentItem()
        order = scene.items(Qt.SortOrder.AscendingOrder)  # in the order they are painted
        rank = {item: i for i, item in enumerate(order)}
        lowest = min((rank[item] for item in live if item.isVisible()), default=len(order))
        moving = set(live)
        roots = [
            item
            for item in order
            if item not in moving
            and item not in keep
            and (item.parentItem() is None or item.parentItem() in keep)
            and item.opacity() > 0
        ]
        # A still item painted above a moving one goes on painting itself (over the moving items,
        # as before); the image holds only what lies beneath them all.
        below = [item for item in roots if rank[item] < lowest]
        over = live + [item for item in roots if rank[item] >= lowest]
        viewport = self.view.viewport()
        ratio = viewport.devicePixelRatioF()
        image = QPixmap(viewport.size() * ratio)
        image.setDevicePixelRatio(ratio)
        shown = {item: item.opacity() for item in over if item.opacity() > 0}
        self._capturing = True
        try:
            for item in shown:
                item.setOpacity(0.0)
            # Painted afresh: an item's pixmap cache for a device other than the screen can hold
            # an older view (on X11 Qt keeps one for `render` and does not refresh it after a zoom).
            with uncached(order):
                painter = QPainter(image)
                try:
                    self.view.render(
                        painter, QRectF(0, 0, viewport.width(), viewport.height()), viewport.rect()
                    )
                finally:
                    painter.end()
        finally:
            for item, opacity in shown.items():
                item.setOpacity(opacity)
            self._capturing = False
        for item in below:
            self._hidden[item] = item.opacity()
            item.setOpacity(0.0)
        self.image = image
        self.view.resetCachedContent()


def descendants(item: QGraphicsItem) -> list[QGraphicsItem]:
    out: list[QGraphicsItem] = []
    for child in item.childItems():
        out += [child, *descendants(child)]
    return out

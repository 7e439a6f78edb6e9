"""Real mouse gestures on the canvas viewport."""

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def mouse(widget, kind, pos, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    p = QPointF(pos)
    ev = QMouseEvent(kind, p, QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, ev)


def to_pixel(canvas, view_xy) -> QPoint:
    vb = canvas.plotItem.vb
    return canvas.mapFromScene(vb.mapViewToScene(QPointF(*view_xy)))


def to_view(canvas, pixel: QPoint) -> tuple[float, float]:
    p = canvas.plotItem.vb.mapSceneToView(canvas.mapToScene(pixel))
    return p.x(), p.y()


def drag_pixels(canvas, a: QPoint, b: QPoint, steps=8, modifiers=Qt.KeyboardModifier.NoModifier, during=None):
    """Press at `a`, move with the button held to `b`, release. `during(i)` runs after move i."""
    canvas.scene().minDragTime = 0
    vp = canvas.viewport()
    left = Qt.MouseButton.LeftButton
    mouse(vp, QEvent.Type.MouseButtonPress, a, left, left, modifiers)
    for i in range(1, steps + 1):
        p = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        mouse(vp, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left, modifiers)
        if during:
            during(i)
    mouse(vp, QEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton, modifiers)


def drag(canvas, start_view, end_view, steps=8, modifiers=Qt.KeyboardModifier.NoModifier, during=None):
    """A real drag between two points given in data coordinates; returns the release point's data
    coordinates."""
    a, b = to_pixel(canvas, start_view), to_pixel(canvas, end_view)
    drag_pixels(canvas, a, b, steps, modifiers, during)
    return to_view(canvas, b)


def hover(canvas, view_xy):
    vp = canvas.viewport()
    mouse(
        vp, QEvent.Type.MouseMove, to_pixel(canvas, view_xy), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton
    )


def finish_verification(dialog, timeout=300):
    """Wait for the export window's verification to end; its verdict text."""
    import time

    deadline = time.time() + timeout
    while dialog.process is not None and time.time() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    assert dialog.process is None, "verification did not finish"
    return dialog.verdict.text()

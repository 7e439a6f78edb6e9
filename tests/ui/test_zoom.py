"""Zoom and pan as a practitioner expects: the wheel zooms the step axis at the cursor (Ctrl: the
LR axis), Shift+drag draws a box to zoom into, and an edit that lifts the curve above the view
widens the LR axis. None of them moves a knot."""

import pytest
from lrdesigner.schedule import Design, Segment
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def design():
    return Design((Segment.create("linear", 2000, 1e-5, 1e-3), Segment.create("cosine", 48000, 1e-3, 1e-5)))


def wheel(canvas, at: QPoint, clicks: int, modifiers=Qt.KeyboardModifier.NoModifier):
    viewport = canvas.viewport()
    pos = QPointF(at)
    event = QWheelEvent(
        pos,
        QPointF(viewport.mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)
    QApplication.processEvents()


def ranges(canvas):
    return canvas.plotItem.vb.viewRange()


def at_data(canvas, step, lr):
    """The viewport pixel of a data point."""
    scene = canvas.plotItem.vb.mapViewToScene(QPointF(step, lr))
    return canvas.mapFromScene(scene)


@pytest.fixture
def shown(window):
    window.files._replace(design())
    window.canvas.fit()
    QApplication.processEvents()
    return window


def test_the_wheel_zooms_the_steps_at_the_cursor_and_keeps_the_lr_axis(shown):
    canvas, before = shown.canvas, shown.doc.design
    (x0, x1), (y0, y1) = ranges(canvas)
    cursor = at_data(canvas, 10000, 5e-4)
    wheel(canvas, cursor, 3)
    (a0, a1), (b0, b1) = ranges(canvas)
    assert a1 - a0 < 0.9 * (x1 - x0)  # zoomed in on the steps
    assert (b0, b1) == pytest.approx((y0, y1))  # the LR axis stays
    assert a0 < 10000 < a1 and (10000 - a0) / (a1 - a0) == pytest.approx((10000 - x0) / (x1 - x0), rel=0.02)
    assert shown.doc.design == before and shown.history.count() == 0


def test_ctrl_wheel_zooms_the_lr_axis_only(shown):
    canvas = shown.canvas
    (x0, x1), (y0, y1) = ranges(canvas)
    wheel(canvas, at_data(canvas, 20000, 5e-4), 3, Qt.KeyboardModifier.ControlModifier)
    (a0, a1), (b0, b1) = ranges(canvas)
    assert (a0, a1) == pytest.approx((x0, x1))
    assert b1 - b0 < 0.9 * (y1 - y0)


def test_shift_drag_zooms_into_the_box_without_moving_a_knot(shown):
    canvas, before = shown.canvas, shown.doc.design
    start, end = at_data(canvas, 5000, 9e-4), at_data(canvas, 15000, 2e-4)
    viewport = canvas.viewport()
    shift = Qt.KeyboardModifier.ShiftModifier
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, shift, start)
    for i in range(1, 11):  # Shift held through the drag, as a hand does
        point = QPointF(start + (end - start) * (i / 10))
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            point,
            QPointF(viewport.mapToGlobal(point.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            shift,
        )
        QApplication.sendEvent(viewport, move)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, shift, end)
    QApplication.processEvents()
    (a0, a1), (b0, b1) = ranges(canvas)
    assert a0 == pytest.approx(5000, rel=0.05) and a1 == pytest.approx(15000, rel=0.05)
    assert b0 == pytest.approx(2e-4, rel=0.1) and b1 == pytest.approx(9e-4, rel=0.1)
    assert shown.doc.design == before


def test_an_edit_that_lifts_the_peak_above_the_view_widens_the_lr_axis(shown):
    canvas = shown.canvas
    (x0, x1), (_, y1) = ranges(canvas)
    assert y1 < 3e-3
    assert shown.editor.set_knot_text(1, "2,000, 3e-3") == ""
    (a0, a1), (_, top) = ranges(canvas)
    assert top >= 3e-3
    assert (a0, a1) == pytest.approx((x0, x1))  # the steps shown stay


def test_a_log_axis_keeps_the_curves_readable_when_one_ends_near_zero(window):
    from lrdesigner.schedule import Design, Segment

    window.files._replace(design())  # 1e-5 .. 1e-3
    tiny = Design((Segment.create("exponential", 50000, 1e-3, 1.87e-13),), name="tiny")
    layer = window.layer_editor.add_design(tiny, {"snapshot": True}, "tiny")
    window.actions["view.log_scale"].setChecked(True)
    window.canvas.fit()
    QApplication.processEvents()
    canvas = window.canvas
    (_, _), (y0, y1) = ranges(canvas)
    assert y1 - y0 < 6.5  # about five decades, not ten
    design_span = (-3 - -5) / (y1 - y0)
    assert design_span > 0.3  # the design fills a third of the height or more, not the top 10%
    label = canvas.zero_line.label.format
    assert "below" in label and canvas.zero_line.isVisible()
    window.layer_editor.remove(layer)
    window.canvas.fit()
    assert canvas.zero_line.label.format == "LR 0"
    window.actions["view.log_scale"].setChecked(False)

"""What a drag frame shows: the still scene (axes, grid, legend, other layers, logs) painted once
and the moving curve and knots over it must look exactly like the whole scene painted afresh, at
every frame, after anything that changes the scene mid-drag, and after the release. Curves are
drawn with only the vertices the screen needs, and they stay on the curve."""

import numpy as np
import pytest
from lrdesigner.logs import read
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.envelope import envelope
from lrdesigner.ui.plot.lines import SIMPLIFY_PX
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from .helpers import drag_pixels, hover, mouse, to_pixel


def design():
    return Design(
        (Segment.create("linear", 5_000, 1e-6, 1e-3), Segment.create("cosine", 95_000, 1e-3, 1e-5)),
        name="frames",
    )


@pytest.fixture
def dressed(window, tmp_path):
    """The design, two library schedules and a log (loss on the right, LR on the left)."""
    path = tmp_path / "training.csv"
    with open(path, "w") as f:
        f.write("step,loss,lr\n")
        for s in range(0, 100_000, 500):
            f.write(f"{s},{2.0 / (1 + s / 5000)!r},{1e-3 * 0.99 ** (s / 500)!r}\n")
    window.files._replace(design())
    window.layer_editor.add_preset("noam")
    window.layer_editor.add_preset("hf.cosine")
    runs = read(str(path))
    window.log_editor.add_series(str(path), runs, [(runs[0].name, t) for t in ("loss", "lr")])
    window.canvas.fit()
    QApplication.processEvents()
    return window


def frame(canvas):
    """What the plot shows on screen now, as an image: the viewport repainted the way the window
    paints it (items from their pixmap caches), read back from the window's backing store."""
    vp = canvas.viewport()
    vp.repaint()
    top = vp.window()
    corner = vp.mapTo(top, QPoint(0, 0))
    shot = top.screen().grabWindow(top.winId(), corner.x(), corner.y(), vp.width(), vp.height())
    return shot.toImage().convertToFormat(QImage.Format.Format_RGB32)


def painted_afresh(canvas):
    """The same scene with every item painting itself anew: no still image, and every item's
    pixmap cache redrawn (an item left with a stale cache shows as a difference)."""
    still = canvas.still
    still.active = False
    still.invalidate()
    for item in canvas.scene().items():
        item.update()
    try:
        return frame(canvas)
    finally:
        still.active = True


def differing_pixels(a, b) -> int:
    assert a.size() == b.size()
    pa = np.frombuffer(a.constBits(), np.uint8, a.sizeInBytes()).reshape(a.height(), -1)
    pb = np.frombuffer(b.constBits(), np.uint8, b.sizeInBytes()).reshape(b.height(), -1)
    return int(np.count_nonzero(np.any((pa != pb).reshape(a.height(), a.width(), -1), axis=2)))


def grab(canvas, at):
    """Press the left button on `at` and move 20 px right, 10 down, holding it."""
    left = Qt.MouseButton.LeftButton
    canvas.scene().minDragTime = 0
    mouse(canvas.viewport(), QEvent.Type.MouseButtonPress, at, left, left)
    mouse(canvas.viewport(), QEvent.Type.MouseMove, at + QPoint(20, 10), Qt.MouseButton.NoButton, left)


def zoom_in_while_held(vp, at):
    """One wheel notch at `at` with the left button held."""
    left = Qt.MouseButton.LeftButton
    wheel = QWheelEvent(
        QPointF(at),
        QPointF(vp.mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, 120),
        left,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(vp, wheel)


def knot_pixel(window, k):
    knot = window.doc.shown.knots[k]
    return to_pixel(window.canvas, (knot.step, window.canvas.to_y([knot.lr])[0]))


def test_every_drag_frame_equals_the_scene_painted_afresh(dressed):
    window, canvas = dressed, dressed.canvas
    a = knot_pixel(window, 1)
    seen = []

    def during(i):
        assert canvas.still.active
        shown = frame(canvas)
        assert canvas.still.image is not None  # the frame came from the still image
        seen.append(differing_pixels(shown, painted_afresh(canvas)))

    drag_pixels(canvas, a, a + QPoint(60, 40), steps=4, during=during)
    assert seen == [0, 0, 0, 0]
    assert window.doc.design != design()  # the drag was real


def test_a_change_of_view_or_layers_mid_drag_is_shown(dressed):
    window, canvas = dressed, dressed.canvas
    vp = canvas.viewport()
    a = knot_pixel(window, 1)
    left = Qt.MouseButton.LeftButton
    grab(canvas, a)
    frame(canvas)
    first = canvas.still.image
    # The wheel zooms while the button is held: the still scene is taken anew.
    zoom_in_while_held(vp, a)
    mouse(vp, QEvent.Type.MouseMove, a + QPoint(30, 10), Qt.MouseButton.NoButton, left)
    shown = frame(canvas)
    assert canvas.still.image is not first
    assert differing_pixels(shown, painted_afresh(canvas)) == 0
    # A layer hidden mid-drag disappears from the next frame.
    noam = next(layer for layer in window.layers if layer.name == "noam")
    window.layers.update(noam, visible=False)
    shown = frame(canvas)
    assert differing_pixels(shown, painted_afresh(canvas)) == 0
    mouse(vp, QEvent.Type.MouseButtonRelease, a + QPoint(30, 10), left, Qt.MouseButton.NoButton)
    assert not canvas.still.active and canvas.still.image is None
    # After the release every item shows the zoomed view (none kept a picture of the old one).
    QApplication.processEvents()
    canvas.still.active = False
    assert differing_pixels(frame(canvas), painted_afresh(canvas)) == 0


def test_a_zoom_mid_drag_leaves_no_item_showing_the_old_view(dressed, qtbot):
    """Items hidden behind the still image miss the repaints a zoom asks for; once shown again
    they must paint the new view, not the one they last painted."""
    canvas = dressed.canvas
    vp = canvas.viewport()
    a = knot_pixel(dressed, 1)
    left = Qt.MouseButton.LeftButton
    grab(canvas, a)
    qtbot.wait(50)  # the window paints in its own time, as on screen
    zoom_in_while_held(vp, a)
    qtbot.wait(50)
    for dx in (25, 30):
        mouse(vp, QEvent.Type.MouseMove, a + QPoint(dx, 10), Qt.MouseButton.NoButton, left)
        qtbot.wait(50)
    mouse(vp, QEvent.Type.MouseButtonRelease, a + QPoint(30, 10), left, Qt.MouseButton.NoButton)
    qtbot.wait(50)
    shown = frame(canvas)
    assert differing_pixels(shown, painted_afresh(canvas)) == 0
    canvas.still.active = False


@pytest.mark.parametrize("change", ["zoom", "log axis", "palette"])
def test_a_view_changed_between_drags_is_what_the_next_drag_shows(dressed, qtbot, change):
    """The second drag's still image shows the view as it is now, not as the first drag saw it."""
    window, canvas = dressed, dressed.canvas
    a = knot_pixel(window, 1)
    drag_pixels(canvas, a, a + QPoint(30, 20), steps=3)
    qtbot.wait(20)
    if change == "zoom":
        zoom_in_while_held(canvas.viewport(), a + QPoint(30, 20))
    elif change == "log axis":
        window.view.set("log_scale", True, remember=False)
    else:
        window.actions["view.dark"].trigger()
    qtbot.wait(20)
    seen = []
    b = knot_pixel(window, 1)
    drag_pixels(
        canvas,
        b,
        b + QPoint(20, 10),
        steps=2,
        during=lambda i: seen.append(differing_pixels(frame(canvas), painted_afresh(canvas))),
    )
    assert seen == [0, 0]


def test_after_release_every_item_paints_itself_as_in_a_fresh_window(window):
    canvas = window.canvas
    window.files._replace(design())
    window.layer_editor.add_preset("noam")
    canvas.fit()
    a = knot_pixel(window, 1)
    drag_pixels(canvas, a, a + QPoint(50, -30), steps=5)
    QApplication.processEvents()
    assert [item for item in canvas.scene().items() if item.opacity() == 0] == []
    assert canvas.still.image is None and not canvas.still.active
    # Every curve redrawn from scratch (as a fresh load of the released design draws it) changes
    # nothing on screen, and the design is smooth again.
    item = canvas.items[window.layers.design_layer.id]
    assert item.opts["antialias"] is True
    before = frame(canvas)
    drawn = item.xData.copy(), item.yData.copy()
    for layer in window.layers:
        canvas.items[layer.id].restyle()
    canvas.redraw()
    np.testing.assert_array_equal(item.xData, drawn[0])
    np.testing.assert_array_equal(item.yData, drawn[1])
    assert differing_pixels(before, frame(canvas)) == 0


def test_the_log_axis_keeps_its_floor_during_a_drag_and_places_it_at_release(window, qtbot):
    from .conftest import make_window

    canvas = window.canvas
    window.files._replace(
        Design((Segment.create("linear", 5_000, 1e-4, 1e-3), Segment.create("cosine", 95_000, 1e-3, 1e-5)))
    )
    window.view.set("log_scale", True, remember=False)
    canvas.fit()
    QApplication.processEvents()
    floor = canvas.floor
    a = knot_pixel(window, 2)  # the last knot: the lowest LR
    floors = []
    drag_pixels(canvas, a, a + QPoint(0, 200), steps=4, during=lambda i: floors.append(canvas.floor))
    assert floors == [floor] * 4
    assert window.doc.design.knots[-1].lr < 5e-6  # lower than the floor was placed for
    fresh = make_window(qtbot, window.doc.design)
    fresh.view.set("log_scale", True, remember=False)
    assert canvas.floor == fresh.canvas.floor < floor


def screen_polyline(canvas, xs, ys):
    """Points in view coordinates as screen pixels."""
    vb = canvas.plotItem.vb
    (x0, x1), (y0, y1) = vb.viewRange()
    return np.column_stack(((xs - x0) / (x1 - x0) * vb.width(), (ys - y0) / (y1 - y0) * vb.height()))


def distance_to_polyline(points, line):
    """Each point's distance to the polyline `line` (both in pixels)."""
    a, b = line[:-1], line[1:]
    d = b - a
    length2 = np.maximum((d**2).sum(axis=1), 1e-300)
    t = np.clip(((points[:, None, :] - a[None]) * d[None]).sum(axis=2) / length2, 0.0, 1.0)
    nearest = a[None] + t[..., None] * d[None]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


@pytest.mark.parametrize("log_scale", [False, True])
def test_a_curve_keeps_the_vertices_the_screen_needs_and_stays_on_the_curve(window, log_scale):
    canvas = window.canvas
    window.files._replace(design())
    window.view.set("log_scale", log_scale, remember=False)
    canvas.fit()
    item = canvas.items[window.layers.design_layer.id]
    vb = canvas.plotItem.vb
    (x0, x1), _ = vb.viewRange()
    columns = max(int(vb.width()), 50)
    drawn = screen_polyline(canvas, item.xData, item.yData)
    # Every step's LR, at each screen column's first and last step, lies within SIMPLIFY_PX of
    # the line drawn (the curve is monotone inside each column here).
    edges, _, _ = envelope(window.doc.design, max(0, int(x0)), int(np.ceil(x1)) + 1, columns)
    steps = np.unique(np.concatenate([edges[:-1], edges[1:] - 1]))
    steps = steps[steps <= window.doc.design.total_steps]
    lrs = canvas.to_y(window.doc.design.evaluate(steps))
    exact = screen_polyline(canvas, steps.astype(float), lrs)
    assert distance_to_polyline(exact, drawn).max() <= SIMPLIFY_PX + 1e-6
    # ... the knots too, and a warmup-cosine needs far fewer vertices than columns.
    knots = np.array([k.step for k in window.doc.design.knots], float)
    on = screen_polyline(canvas, knots, canvas.to_y([k.lr for k in window.doc.design.knots]))
    assert distance_to_polyline(on, drawn).max() <= SIMPLIFY_PX + 1e-6
    assert 4 <= item.vertices <= columns // 5


def test_knots_grow_under_the_pointer_and_the_selected_one_is_ringed(window):
    canvas = window.canvas
    k = window.doc.design.knots[1]
    hover(canvas, (k.step, k.lr))
    assert canvas.knots.hovered == 1
    hover(canvas, (k.step + window.doc.design.total_steps // 3, k.lr))
    assert canvas.knots.hovered is None
    window.canvas.knotClicked.emit(1)
    QApplication.processEvents()
    assert canvas.knots.selected == 1
    # The ring is drawn: its colour is on screen round the knot, and not without a selection.
    image = frame(canvas)
    centre = to_pixel(canvas, (k.step, k.lr))
    ring = canvas.knots.ring_color
    ratio = canvas.viewport().devicePixelRatioF()

    def ring_pixels(img):
        r = int(canvas.knots.RING_SIZE / 2)
        return sum(
            1
            for dx in range(-r - 2, r + 3)
            for dy in range(-r - 2, r + 3)
            if abs(np.hypot(dx, dy) - r) < 1.5
            and img.pixelColor(int((centre.x() + dx) * ratio), int((centre.y() + dy) * ratio)).rgb()
            == ring.rgb()
        )

    assert ring_pixels(image) > 20
    canvas.select(None)
    assert ring_pixels(frame(canvas)) == 0


def test_during_a_drag_the_knot_says_where_it_is_and_nothing_else_is_read_out(window):
    canvas = window.canvas
    a = knot_pixel(window, 1)
    labels, readouts, status = [], [], []

    def during(i):
        k = window.doc.shown.knots[1]
        labels.append((canvas.knots.label, f"step {k.step:,}   LR {k.lr:.6g}"))
        readouts.append(canvas.readout_text)
        status.append(window.statusBar().currentMessage())

    drag_pixels(canvas, a, a + QPoint(40, 30), steps=3, during=during)
    assert all(shown == expected for shown, expected in labels) and len({s for s, _ in labels}) == 3
    assert readouts == ["", "", ""]  # the hover readout waits for the release
    assert all(text.startswith("dragging knot 1:") for text in status)  # how, not where: no stale step
    assert canvas.knots.label == ""
    assert window.statusBar().currentMessage().startswith("knot 1 at step")


def test_a_press_on_a_knot_grabs_it_even_straight_after_the_legend(dressed):
    """The pointer rests on the legend, then jumps to a knot and drags: the knot moves, and the
    legend stays where the view put it."""
    window, canvas = dressed, dressed.canvas
    vp = canvas.viewport()
    assert canvas.legend.isVisible()
    legend_at = canvas.legend.pos()
    over_legend = canvas.mapFromScene(canvas.legend.sceneBoundingRect().center())
    mouse(vp, QEvent.Type.MouseMove, over_legend, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    before = window.doc.design.knots[1]
    a = knot_pixel(window, 1)
    drag_pixels(canvas, a, a + QPoint(40, 30), steps=4)
    assert window.doc.design.knots[1] != before
    assert canvas.legend.pos() == legend_at
    # A drag that starts on the legend itself pans the view, as anywhere else off a knot.
    (x0, x1), _ = canvas.plotItem.vb.viewRange()
    drag_pixels(canvas, over_legend, over_legend + QPoint(-60, 0), steps=4)
    assert canvas.legend.pos() == legend_at and canvas.plotItem.vb.viewRange()[0][0] > x0


@pytest.mark.parametrize("log_scale", [False, True])
def test_the_line_a_drag_draws_is_the_line_its_release_leaves(window, log_scale):
    """During a drag the design is drawn by a plain polyline (no item data set, no bounds
    recomputed); its vertices are the ones the release then gives the curve, and the curve item
    itself is not painted meanwhile."""
    canvas = window.canvas
    window.files._replace(design())
    window.view.set("log_scale", log_scale, remember=False)
    canvas.fit()
    item = canvas.items[window.layers.design_layer.id]
    before = item.xData.copy()
    lines = []

    def seen(_i):
        QApplication.processEvents()  # the move delivered
        polygon = item.line.polygon
        lines.append(np.array([(polygon.at(i).x(), polygon.at(i).y()) for i in range(polygon.size())]))
        assert item.line.isVisible() and item.curve.opacity() == 0
        # The item keeps the data it had before the drag until the release.
        np.testing.assert_array_equal(item.xData, before)

    def painted(_i):
        seen(_i)
        # The line is on screen in the design's colour, where its vertices are.
        image, pen = frame(canvas), item.line.pen.color()
        ratio = canvas.viewport().devicePixelRatioF()
        knots = [to_pixel(canvas, (k.step, canvas.to_y([k.lr])[0])) for k in window.doc.shown.knots]
        for vx, vy in lines[-1][1:-1:3]:
            p = to_pixel(canvas, (vx, vy))
            if min((p - k).manhattanLength() for k in knots) < 20:
                continue  # under a knot's handle
            if 0 <= p.x() < canvas.viewport().width() and 0 <= p.y() < canvas.viewport().height():
                c = image.pixelColor(int(p.x() * ratio), int(p.y() * ratio))
                assert abs(c.red() - pen.red()) + abs(c.green() - pen.green()) + abs(c.blue() - pen.blue()) < 40

    a = knot_pixel(window, 1)
    drag_pixels(canvas, a, a + QPoint(60, 40), steps=4, during=painted)
    QApplication.processEvents()
    released = np.column_stack([item.xData, item.yData])
    np.testing.assert_allclose(lines[-1], released, rtol=1e-12, atol=0)
    assert not item.line.isVisible() and item.curve.opacity() == 1
    assert len(lines) == 4 and not np.array_equal(lines[0], lines[-1])


def test_a_palette_change_mid_drag_recolours_the_dragged_line_and_keeps_it(window):
    canvas = window.canvas
    window.files._replace(design())
    canvas.fit()
    item = canvas.items[window.layers.design_layer.id]
    k = window.doc.design.knots[1]
    canvas.dragStarted.emit([1], 1)
    canvas.dragMoved.emit(k.step + 20_000, k.lr * 0.5)
    QApplication.processEvents()
    moved = item.line.polygon.toList()
    colour = item.line.pen.color().name()
    window.view.set("dark", True, remember=False)
    QApplication.processEvents()
    assert item.line.polygon.toList() == moved  # the moved line, not the one before the drag
    assert item.line.pen.color().name() != colour and item.line.isVisible()
    canvas.dragFinished.emit(k.step + 20_000, k.lr * 0.5)


def test_the_first_frame_draws_every_vertex_and_the_simplifier_loads_after_it(qtbot, monkeypatch):
    """The curve simplifier (shapely) loads once the window's first frame is painted: before it,
    the design is drawn through every point of its envelope; after it, simplified."""
    from lrdesigner.ui.main_window import MainWindow
    from lrdesigner.ui.plot import lines

    monkeypatch.setattr(lines, "_shapely", None)
    w = MainWindow(design(), check_recovery=False)
    qtbot.addWidget(w)
    w.resize(1200, 760)
    item = w.canvas.items[w.layers.design_layer.id]
    assert not lines.simplifier_loaded()
    unsimplified = item.vertices
    assert unsimplified >= 2 * 50  # two per screen column
    w.show()
    qtbot.waitUntil(lines.simplifier_loaded)
    qtbot.waitUntil(lambda: item.vertices < unsimplified)
    columns = max(int(w.canvas.plotItem.vb.width()), 50)
    assert 4 <= item.vertices <= columns // 5
    # The axes shown: steps below, LRs on the left, none on top (the quiet-label axes are given
    # for every side, and pyqtgraph shows every axis it is given).
    shown = [name for name in ("top", "bottom", "left", "right") if w.canvas.plotItem.getAxis(name).isVisible()]
    assert shown == ["bottom", "left"]
    w.history.setClean()

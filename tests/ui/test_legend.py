"""The legend keeps out of the curves' way: "auto" picks the corner it covers least, the View
menu moves or hides it, and the choice is remembered."""

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication


def rising():
    """High on the right: the top right corner is taken."""
    return Design((Segment.create("linear", 10000, 1e-5, 1e-3),), name="rising")


def points_under_legend(canvas):
    """How many drawn vertices of the LR curves lie under the legend's rectangle."""
    vb = canvas.plotItem.vb
    rect = canvas.legend.mapRectToScene(canvas.legend.boundingRect())
    top_left = vb.mapSceneToView(rect.topLeft())
    bottom_right = vb.mapSceneToView(rect.bottomRight())
    count = 0
    for layer in canvas.layers.visible():
        item = canvas.items.get(layer.id)
        if item is None or layer.on_right or item.xData is None:
            continue
        x, y = np.asarray(item.xData), np.asarray(item.yData)
        inside = (x >= top_left.x()) & (x <= bottom_right.x()) & (y <= top_left.y()) & (y >= bottom_right.y())
        count += int(inside.sum())
    return count


@pytest.fixture
def rising_window(window):
    window.files._replace(rising())
    window.layer_editor.add_preset("hf.linear")
    window.layer_editor.add_snapshot()
    window.canvas.fit()
    QApplication.processEvents()
    return window


def test_auto_puts_the_legend_where_it_covers_no_curve(rising_window):
    canvas = rising_window.canvas
    assert rising_window.view.legend == "auto" and canvas.legend.isVisible()
    assert canvas.legend_place != "top-right"
    assert points_under_legend(canvas) == 0
    # Forced into the top right, it would cover the curves' end.
    rising_window.actions["view.legend.top-right"].trigger()
    QApplication.processEvents()
    assert canvas.legend_place == "top-right" and points_under_legend(canvas) > 0


def test_the_view_menu_moves_and_hides_it_and_the_choice_is_remembered(rising_window, qtbot):
    from .conftest import make_window

    rising_window.actions["view.legend.bottom-left"].trigger()
    assert rising_window.view.legend == "bottom-left" and rising_window.canvas.legend_place == "bottom-left"
    rising_window.actions["view.legend.hidden"].trigger()
    assert not rising_window.canvas.legend.isVisible()
    assert rising_window.actions["view.legend.hidden"].isChecked()
    assert not rising_window.actions["view.legend.auto"].isChecked()
    fresh = make_window(qtbot)
    assert fresh.view.legend == "hidden" and fresh.actions["view.legend.hidden"].isChecked()


def test_the_legend_is_laid_out_where_the_view_box_says(rising_window):
    canvas = rising_window.canvas
    rising_window.actions["view.legend.bottom-right"].trigger()
    QApplication.processEvents()
    rect = canvas.legend.mapRectToScene(canvas.legend.boundingRect())
    box = canvas.plotItem.vb.sceneBoundingRect()
    assert rect.right() <= box.right() and rect.bottom() <= box.bottom()
    assert rect.center().x() > box.center().x() and rect.center().y() > box.center().y()
    assert isinstance(rect.topLeft(), QPointF)


def test_auto_keeps_off_a_loss_drawn_on_the_right_hand_axis(window, tmp_path):
    from lrdesigner.logs import read

    flat = Design((Segment.create("constant", 10000, 1e-3, 1e-3),), name="flat")  # both top corners taken
    window.files._replace(flat)
    window.layer_editor.add_preset("hf.constant_with_warmup")
    path = tmp_path / "m.csv"
    # A loss falling from the top left to the bottom right, on the right-hand axis.
    path.write_text(
        "step,loss\n" + "".join(f"{s},{3.0 * (1 - s / 10000) + 0.01!r}\n" for s in range(0, 10001, 50))
    )
    runs = read(str(path))
    window.log_editor.add_series(str(path), runs, [(runs[0].name, "loss")])
    window.canvas.fit()
    QApplication.processEvents()
    assert window.canvas.legend_place == "bottom-left"

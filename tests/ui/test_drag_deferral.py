"""During a drag only the curve and its knots move: the metrics table, the advice and the forms
wait for the release. After the release they are what a fresh window shows for the released
design with the same layers."""

import pytest
from lrdesigner.logs import read
from lrdesigner.schedule import Design, Segment
from PySide6.QtWidgets import QApplication

from .conftest import make_window

SPE = 100


def design():
    return Design(
        (Segment.create("linear", 500, 1e-5, 1e-3), Segment.create("cosine", 2500, 1e-3, 1e-5)),
        name="deferred",
        steps_per_epoch=SPE,
    )


@pytest.fixture
def log_csv(tmp_path):
    path = tmp_path / "training.csv"
    with open(path, "w") as f:
        f.write("epoch,loss,val_loss,lr\n")
        for e in range(30):
            loss = 2.0 / (1 + e) if e < 20 else float("nan")
            f.write(f"{e},{loss!r},{1.5 - 0.1 * e if e < 6 else 0.9!r},{1e-3 * 0.97**e!r}\n")
    return path


def dress(window, d, log_csv, presets=(("noam", None), ("hf.cosine", None))):
    """The design, two presets (fitted to it, or with the arguments given) and a log with a
    logged LR, a loss and a validation loss."""
    window.files._replace(d)
    for name, args in presets:
        window.layer_editor.add_preset(name, args)
    runs = read(str(log_csv))
    window.log_editor.add_series(str(log_csv), runs, [(runs[0].name, t) for t in ("loss", "val_loss", "lr")])
    QApplication.processEvents()


def shown(window):
    """What the panels show: metrics rows, advice lines, the segment table and the properties."""
    table = window.panel.segments
    cells = [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    return {
        "metrics": window.panel.metrics.rows,
        "advice": [(a.id, a.message) for a in window.panel.advice.items],
        "segments": cells,
        "total": window.panel.properties.total.text(),
    }


def test_a_drag_recomputes_no_metric_advice_or_table_until_release(window, log_csv, monkeypatch):
    import lrdesigner.ui.controllers.logs as logs_controller
    import lrdesigner.ui.panels.advice as advice_panel
    import lrdesigner.ui.panels.metrics as metrics_panel

    dress(window, design(), log_csv)
    calls = {"metrics": 0, "advice": 0, "log advice": 0, "segments": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(metrics_panel, "_row", counting("metrics", metrics_panel._row))
    monkeypatch.setattr(advice_panel, "check", counting("advice", advice_panel.check))
    monkeypatch.setattr(logs_controller, "check_series", counting("log advice", logs_controller.check_series))
    segments = window.panel.segments
    monkeypatch.setattr(segments, "show_design", counting("segments", segments.show_design))

    canvas, knot = window.canvas, 1
    start = window.doc.design.knots[knot]
    canvas.dragStarted.emit([knot], knot)
    for i in range(1, 40):
        canvas.dragMoved.emit(start.step + 10 * i, start.lr * (1 - 0.01 * i))
        canvas.viewport().repaint()
        QApplication.processEvents()
    assert calls == {"metrics": 0, "advice": 0, "log advice": 0, "segments": 0}
    assert window.doc.shown != window.doc.design  # the curve did move
    canvas.dragFinished.emit(start.step + 400, start.lr * 0.6)
    QApplication.processEvents()
    assert (
        calls["metrics"] >= 1 and calls["advice"] == 1 and calls["log advice"] == 1 and calls["segments"] == 1
    )


def test_after_release_the_panels_equal_a_fresh_windows(qtbot, window, log_csv):
    dress(window, design(), log_csv)
    canvas, knot = window.canvas, 1
    start = window.doc.design.knots[knot]
    canvas.dragStarted.emit([knot], knot)
    for i in range(1, 30):
        canvas.dragMoved.emit(start.step + 20 * i, start.lr * (1 - 0.01 * i))
        QApplication.processEvents()
    canvas.dragFinished.emit(start.step + 600, start.lr * 0.7)
    QApplication.processEvents()
    released = window.doc.design
    assert released != design()

    fresh = make_window(qtbot)
    presets = [(layer.preset, layer.params) for layer in window.layers if layer.has_params]
    dress(fresh, released, log_csv, presets)
    assert shown(window) == shown(fresh)


def test_the_dragged_curve_is_drawn_plainly_and_smooth_again_on_release(window):
    canvas, knot = window.canvas, 1
    item = canvas.items[window.layers.design_layer.id]
    start = window.doc.design.knots[knot]
    assert item.opts["antialias"]
    canvas.dragStarted.emit([knot], knot)
    canvas.dragMoved.emit(start.step + 100, start.lr * 0.9)
    assert not item.opts["antialias"]
    canvas.dragFinished.emit(start.step + 100, start.lr * 0.9)
    assert item.opts["antialias"]
    # Undo in the middle of a drag drops it: smooth again as well.
    canvas.dragStarted.emit([knot], knot)
    canvas.dragMoved.emit(start.step + 300, start.lr * 0.8)
    window.actions["edit.undo"].trigger()
    assert item.opts["antialias"]

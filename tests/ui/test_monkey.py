"""A thousand random gestures keep every design valid and every view in step with it; undoing all
of them returns to the start."""

import random

import numpy as np
from lrdesigner.schedule.design import Design
from lrdesigner.schedule.shapes import SHAPES

GESTURES = (
    "drag",
    "drag",
    "split",
    "delete",
    "shape",
    "cell",
    "undo",
    "redo",
    "nudge",
    "select",
    "undo-in-drag",
)


def test_monkey_1000_gestures(window):
    rng = random.Random(7)
    doc, canvas, table, editor = window.doc, window.canvas, window.panel.segments, window.editor
    history = window.history
    start = doc.design
    counts = {}
    for _ in range(1000):
        d = doc.design
        total = d.total_steps
        kind = rng.choice(GESTURES)
        counts[kind] = counts.get(kind, 0) + 1
        if kind in ("drag", "undo-in-drag"):
            knot = rng.randrange(len(d.knots))
            step = rng.randrange(0, int(total * 1.3) + 2)
            lr = rng.choice([0.0, rng.uniform(0, 1e-3), d.knots[knot].lr * rng.uniform(0.5, 1.5)])
            canvas.dragStarted.emit([knot], knot)
            canvas.dragMoved.emit(int(step * 0.3), lr * 0.3)
            if kind == "undo-in-drag":
                window.actions["edit.undo"].trigger()
            canvas.dragMoved.emit(int(step * 0.7), lr * 0.7)
            canvas.dragFinished.emit(step, lr)
        elif kind == "split":
            editor.split_at(rng.randrange(0, total + 5))
        elif kind == "delete":
            window.actions["edit.delete"].trigger()
        elif kind == "shape":
            editor.change_shape(rng.randrange(len(d.segments)), rng.choice(list(SHAPES)))
        elif kind == "cell":
            row, col = rng.randrange(len(d.segments)), rng.choice([2, 3, 4, 5])
            text = {
                2: rng.choice([str(rng.randrange(-5, 50000)), "inf", "1e400", "2.5", "1,000"]),
                3: rng.choice([repr(rng.uniform(-1e-4, 1e-3)), "nan", "1e300"]),
                4: rng.choice([repr(rng.uniform(0, 1e-3)), "x"]),
                5: rng.choice(["", "exponent=2", "power=0.5", "bogus=1", "rate=0.5, every=100"]),
            }[col]
            table.item(row, col).setText(text)
        elif kind == "undo":
            history.undo()
        elif kind == "redo":
            history.redo()
        elif kind == "select":
            if rng.random() < 0.5:
                canvas.knotClicked.emit(rng.randrange(len(d.knots)))
            else:
                table.selectRow(rng.randrange(len(d.segments)))
        else:
            editor.selection.select_knot(rng.randrange(len(d.knots)))
            editor.nudge(rng.choice([-1, 0, 1]), rng.choice([-1, 0, 1]), total)
        now = doc.design
        assert isinstance(now, Design)
        now.validate()
        assert doc.shown == now and editor.drag is None  # no drag left half-done
        values = now.evaluate(np.linspace(0, now.total_steps, 50).astype(np.int64))
        assert np.all(np.isfinite(values)) and np.all(values >= 0)
        assert table.rowCount() == len(now.segments)
        sel = editor.selection
        # One selection: the canvas ring, the table row and Delete's target agree.
        assert canvas.selected == sel.knot
        if sel.knot is not None:
            assert 0 <= sel.knot <= len(now.segments)
            assert {i.row() for i in table.selectedIndexes()} == {sel.segment}
    assert set(counts) == set(GESTURES)
    assert history.count() > 100
    while history.canUndo():
        history.undo()
    assert doc.design == start

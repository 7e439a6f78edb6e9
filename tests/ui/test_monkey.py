"""A thousand random gestures keep every design valid; undoing all of them returns to the start."""

import random

import numpy as np
from lrdesigner.schedule.design import Design
from lrdesigner.schedule.shapes import SHAPES


def test_monkey_1000_gestures(window):
    rng = random.Random(7)
    doc, canvas, table = window.doc, window.canvas, window.panel.segments
    start = doc.design
    counts = {}
    for _ in range(1000):
        d = doc.design
        total = d.total_steps
        kind = rng.choice(["drag", "drag", "split", "delete", "shape", "cell", "undo", "redo", "nudge"])
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "drag":
            knot = rng.randrange(len(d.knots))
            step = rng.randrange(0, int(total * 1.3) + 2)
            lr = rng.choice([0.0, rng.uniform(0, 1e-3), d.knots[knot][2] * rng.uniform(0.5, 1.5)])
            for frac in (0.3, 0.7):
                canvas.knotMoved.emit(knot, int(step * frac), lr * frac, False)
            canvas.knotMoved.emit(knot, step, lr, True)
        elif kind == "split":
            window.split_at(rng.randrange(0, total + 5))
        elif kind == "delete":
            window.delete_segment(rng.randrange(len(d.segments)))
        elif kind == "shape":
            window.change_shape(rng.randrange(len(d.segments)), rng.choice(list(SHAPES)))
        elif kind == "cell":
            row, col = rng.randrange(len(d.segments)), rng.choice([2, 3, 4, 5])
            text = {
                2: str(rng.randrange(-5, 50000)),
                3: repr(rng.uniform(-1e-4, 1e-3)),
                4: rng.choice([repr(rng.uniform(0, 1e-3)), "x"]),
                5: rng.choice(["", "exponent=2", "power=0.5", "bogus=1", "rate=0.5, every=100"]),
            }[col]
            table.item(row, col).setText(text)
        elif kind == "undo":
            doc.stack.undo()
        elif kind == "redo":
            doc.stack.redo()
        else:
            canvas.select(rng.randrange(len(d.knots)))
            window._nudge(canvas.selected, rng.choice([-1, 0, 1]), rng.choice([-1, 0, 1]))
        now = doc.design
        assert isinstance(now, Design)
        now.validate()
        assert doc.shown == now  # no drag left half-done
        values = now.evaluate(np.linspace(0, now.total_steps, 50).astype(np.int64))
        assert np.all(np.isfinite(values)) and np.all(values >= 0)
        assert table.rowCount() == len(now.segments)
    assert set(counts) >= {"drag", "split", "delete", "shape", "cell", "undo", "redo", "nudge"}
    assert doc.stack.count() > 100
    while doc.stack.canUndo():
        doc.stack.undo()
    assert doc.design == start

"""Random gestures over every kind of layer: logs opened, hidden, shifted and followed, snapshots,
presets, plateau cuts, removals, design edits, undo and redo. After each one every layer is drawn
and listed once, the current layer is one of them, plateau cuts are simulated on the design as
it is, the advice names only what is shown, and undoing everything returns to the start."""

import random
import time

import numpy as np
from lrdesigner.logs import read
from lrdesigner.schedule import Design, Segment
from lrdesigner.ui.model.layers import CurveLayer
from PySide6.QtWidgets import QApplication

SPE = 100
LOG_ADVICE = {"loss-nonfinite", "validation-stall"}
PRESETS = ["noam", "hf.cosine", "hf.warmup_stable_decay", "pytorch_optimizer.REXScheduler"]


def design():
    return Design(
        (Segment.create("linear", 500, 1e-5, 1e-3), Segment.create("cosine", 2500, 1e-3, 1e-5)),
        name="monkey",
        steps_per_epoch=SPE,
    )


def write_rows(path, epochs, mode="w"):
    """A Keras CSVLogger run: the loss falls then goes NaN at epoch 20, val_loss stalls from epoch 6."""
    with open(path, mode) as f:
        if mode == "w":
            f.write("epoch,loss,val_loss,lr\n")
        for e in epochs:
            loss = 2.0 / (1 + e) if e < 20 else float("nan")
            val = 1.5 - 0.1 * e if e < 6 else 0.9
            f.write(f"{e},{loss!r},{val!r},{1e-3 * (0.97**e)!r}\n")


def check_views(window):
    layers = list(window.layers)
    ids = [layer.id for layer in layers]
    assert len(set(ids)) == len(ids)
    assert set(window.canvas.items) == set(ids)  # every layer drawn once, nothing stale
    assert window.panel.layers.count() == len(layers)
    assert window.layers.current in layers
    assert window.panel.layers.current_layer() is window.layers.current
    for plateau in window.layers.plateaus():
        assert plateau.design == window.doc.design  # simulated on the design as it is now
        assert plateau.monitored in layers
    assert set(window.log_editor.followers) == {layer.path for layer in window.layers.logs() if layer.follow}
    shown_logs = [layer for layer in window.layers.logs() if layer.visible]
    codes = {a.id for a in window.panel.advice.items}
    if not shown_logs:
        assert not codes & LOG_ADVICE, codes  # no advice from logs that are not shown
    metric_rows = window.panel.metrics.rowCount()
    assert metric_rows == sum(layer.visible and isinstance(layer, CurveLayer) for layer in layers)


def test_monkey_over_logs_snapshots_plateaus_and_follow(window, tmp_path):
    rng = random.Random(11)
    log = tmp_path / "training.csv"
    write_rows(log, range(12))
    window.files._replace(design())
    start_design = window.doc.design
    history, editor = window.history, window.log_editor
    next_epoch = 12
    counts = {}

    def pick(tags):
        return lambda p, runs, w: [(r.name, t) for r in runs for t in r.series if t in tags]

    for _ in range(160):
        gesture = rng.choice(
            ["log", "log", "hide", "offset", "snapshot", "preset", "plateau", "follow", "remove", "select",
             "edit", "undo", "redo", "grow"]
        )  # fmt: skip
        counts[gesture] = counts.get(gesture, 0) + 1
        logs = window.layers.logs()
        if gesture == "log":
            tags = rng.sample(["loss", "val_loss", "lr"], rng.randint(1, 3))
            runs = read(str(log))
            editor.add_series(str(log), runs, pick(tags)(str(log), runs, []))
        elif gesture == "hide" and len(window.layers) > 1:
            layer = rng.choice(list(window.layers)[1:])
            window.layers.update(layer, visible=not layer.visible)
        elif gesture == "offset" and logs:
            editor.set_offset(rng.choice(logs), rng.choice(["0", "100", "-200", "1,000", "x", "1e400"]))
        elif gesture == "snapshot":
            window.actions["layers.add_snapshot"].trigger()
        elif gesture == "preset":
            window.layer_editor.add_preset(
                rng.choice(["noam", "hf.cosine", "hf.warmup_stable_decay", "pytorch_optimizer.REXScheduler"])
            )
        elif gesture == "plateau":
            vals = [layer for layer in logs if layer.can_simulate_plateau]
            if vals:
                window.layers.set_current(rng.choice(vals))
                window.actions["logs.plateau"].trigger()
        elif gesture == "follow" and logs:
            window.layers.set_current(rng.choice(logs))
            action = window.actions["logs.follow"]
            action.setChecked(not action.isChecked())
        elif gesture == "remove" and len(window.layers) > 1:
            window.layers.set_current(rng.choice(list(window.layers)[1:]))
            window.actions["layers.remove"].trigger()
        elif gesture == "select":
            window.layers.set_current(rng.choice(list(window.layers)))
        elif gesture == "edit":
            d = window.doc.design
            window.editor.split_at(rng.randrange(1, d.total_steps))
        elif gesture == "undo":
            history.undo()
        elif gesture == "redo":
            history.redo()
        elif gesture == "grow":
            write_rows(log, range(next_epoch, next_epoch + 2), mode="a")
            next_epoch += 2
        QApplication.processEvents()
        check_views(window)
    assert {"log", "plateau", "follow", "snapshot", "remove", "undo"} <= set(counts)

    # A followed log grows as the file does.
    followed = next((layer for layer in window.layers.logs() if layer.follow), None)
    if followed is None:
        followed = window.layers.logs()[0] if window.layers.logs() else None
        if followed is None:
            runs = read(str(log))
            followed = editor.add_series(str(log), runs, [(runs[0].name, "loss")])[0]
        editor.set_follow(followed, True)
    before = len(followed.series)
    write_rows(log, range(next_epoch, next_epoch + 3), mode="a")
    deadline = time.monotonic() + 10
    while len(followed.series) < before + 3 and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    assert len(followed.series) >= before + 3
    check_views(window)

    while history.canUndo():
        history.undo()
        check_views(window)
    editor.stop_all()
    assert window.doc.design == start_design
    values = window.doc.design.evaluate(np.arange(0, 3000, 7))
    assert np.all(np.isfinite(values))

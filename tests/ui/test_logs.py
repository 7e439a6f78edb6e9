"""Training logs in the window: opened from real files, drawn, smoothed like TensorBoard, placed
on the design's steps, followed while a writer appends, refused cleanly when corrupt, cancelled,
checked against the design, and plateau cuts simulated on them."""

import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from lrdesigner.logs import read, smooth
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau
from lrdesigner.ui.state import window_state
from PySide6.QtWidgets import QApplication

from ..logs.writers import STEPS_PER_EPOCH, run_writer


def wait(window, timeout=60):
    for reader in list(window.log_editor.readers):
        reader.wait(timeout)
    for _ in range(3):
        QApplication.processEvents()


def all_series(path, runs, warnings):
    return [(r.name, t) for r in runs for t in r.series]


def write_csv(path, rows, header="step,train_loss,val_loss,lr"):
    with open(path, "w") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


def lightning_rows(design, n):
    """A Lightning-style metrics.csv: lr(s) logged at step s, losses falling then stalling."""
    return [
        (s, 2.0 / (1 + s / 500), 1.0 - min(s, 3000) / 10000 + (0.01 if s % 2 else 0.0), design.lr_at(s))
        for s in range(0, n, 50)
    ]


@pytest.fixture
def design():
    return Design(
        (Segment.create("linear", 800, 1e-5, 1e-3), Segment.create("cosine", 7200, 1e-3, 1e-5)),
        name="short",
        steps_per_epoch=STEPS_PER_EPOCH,
    )


def test_open_a_csv_log_draws_loss_right_and_lr_on_the_design(window, design, tmp_path):
    window.doc.replace(design)
    path = tmp_path / "metrics.csv"
    write_csv(path, lightning_rows(design, 8000))
    window.log_editor.open(str(path), pick=all_series)
    wait(window)
    logs = {layer.tag: layer for layer in window.layers if layer.kind == "log"}
    assert set(logs) == {"train_loss", "val_loss", "lr"}
    assert logs["lr"].axis == "lr" and logs["val_loss"].axis == "right"
    expected = read(str(path))[0].series["val_loss"]
    np.testing.assert_array_equal(logs["val_loss"].series.values, expected.values)  # every point, exact
    state = window_state(window)
    by_tag = {layer.get("tag"): layer for layer in state["layers"] if layer["kind"] == "log"}
    assert by_tag["val_loss"]["points"] == len(expected) and by_tag["val_loss"]["vertices"] > 0
    assert state["right_axis"]["visible"] and state["right_axis"]["label"] == "loss"
    assert "followed the design exactly" in by_tag["lr"]["comparison"]
    window.layers.set_current(logs["lr"])
    assert "exactly" in window.panel.logs.comparison.text()


def test_smoothing_equals_tensorboard_and_raw_stays_behind(window, design, tmp_path):
    window.doc.replace(design)
    path = tmp_path / "metrics.csv"
    write_csv(path, lightning_rows(design, 8000))
    window.log_editor.open(str(path), pick=lambda p, runs, w: [(runs[0].name, "train_loss")])
    wait(window)
    layer = next(layer for layer in window.layers if layer.kind == "log")
    window.panel.logs.smoothing.setValue(900)
    item = window.canvas.items[layer.id]
    assert item.weight == pytest.approx(0.9)
    np.testing.assert_array_equal(item._smooth_pyramid.mins[0], smooth(layer.series.values, 0.9))
    assert item.raw.isVisible() and item.raw.opts["pen"].color().alpha() < 255
    window.panel.logs.smoothing.setValue(0)
    assert not item.raw.isVisible()


def test_epoch_logs_are_placed_with_steps_per_epoch_and_offset(window, design, tmp_path):
    window.doc.replace(design.replace(steps_per_epoch=None))
    path = tmp_path / "training.log"
    write_csv(path, [(e, 1.0 / (e + 1), 1.2 / (e + 1)) for e in range(20)], "epoch,loss,val_loss")
    window.log_editor.open(str(path), pick=all_series)
    wait(window)
    layer = next(layer for layer in window.layers if layer.kind == "log" and layer.tag == "val_loss")
    assert window.canvas.items[layer.id].vertices == 0  # not placeable yet
    assert "steps per epoch" in window.statusBar().currentMessage()
    window.editor.set_property("steps_per_epoch", "400")
    xs, _ = window.canvas.items[layer.id].getData()
    assert xs.min() == 400  # Keras numbers epochs from 0: epoch 0 ends after 400 steps
    window.layers.set_current(layer)
    window.panel.logs.offset.setText("1,000")
    window.panel.logs.offset.editingFinished.emit()
    xs, _ = window.canvas.items[layer.id].getData()
    assert layer.offset == 1000 and xs.min() == 1400


def test_a_refused_step_offset_stays_as_typed_and_marked_until_fixed(window, design, tmp_path):
    window.doc.replace(design.replace(steps_per_epoch=400))
    path = tmp_path / "training.log"
    write_csv(path, [(e, 1.0 / (e + 1), 1.2 / (e + 1)) for e in range(20)], "epoch,loss,val_loss")
    window.log_editor.open(str(path), pick=all_series)
    wait(window)
    layer = next(layer for layer in window.layers if layer.kind == "log" and layer.tag == "val_loss")
    window.layers.set_current(layer)
    offset = window.panel.logs.offset
    offset.setText("1e400")
    offset.editingFinished.emit()
    reason = "step offset: '1e400' is not a finite number of steps"
    assert offset.text() == "1e400" and offset.styleSheet() and offset.toolTip() == reason
    assert window.statusBar().currentMessage() == reason and layer.offset == 0
    offset.setText("1,000")
    offset.editingFinished.emit()
    assert layer.offset == 1000 and not offset.styleSheet() and "resumed" in offset.toolTip()
    # Another layer's offset is shown unmarked.
    offset.setText("abc")
    offset.editingFinished.emit()
    assert offset.styleSheet()
    window.layers.set_current(next(x for x in window.layers if x.kind == "log" and x.tag == "loss"))
    assert offset.text() == "" and not offset.styleSheet()


def test_real_keras_run_of_the_exported_design_shows_as_exact(window, tmp_path):
    pytest.importorskip("tensorflow")
    design = Design(
        (Segment.create("linear", 8, 1e-3, 1e-2), Segment.create("cosine", 24, 1e-2, 1e-4)),
        name="keras run",
        steps_per_epoch=STEPS_PER_EPOCH,
    )
    out = run_writer("keras", tmp_path / "run", design)
    window.doc.replace(design)
    window.log_editor.open(out, pick=all_series)
    wait(window)
    lr = [layer for layer in window.layers if layer.kind == "log" and layer.axis == "lr"]
    assert lr, [layer.name for layer in window.layers]
    for layer in lr:
        assert "exactly" in window.log_editor.comparison_text(layer), layer.name
    window.editor.split_at(20)
    window.editor.edit_cell(2, "lr_end", "5e-4")
    assert "differs from step" in window.log_editor.comparison_text(lr[0])


def test_follow_shows_appended_points_once_and_a_restart_replaces(window, design, tmp_path):
    window.doc.replace(design)
    path = tmp_path / "metrics.csv"
    rows = lightning_rows(design, 8000)
    write_csv(path, rows[:20])
    window.log_editor.open(str(path), pick=lambda p, runs, w: [(runs[0].name, "val_loss")])
    wait(window)
    layer = next(layer for layer in window.layers if layer.kind == "log")
    window.layers.set_current(layer)
    window.panel.logs.follow.setChecked(True)
    follower = window.log_editor.followers[layer.path]

    def writer():
        for row in rows[20:60]:
            with open(path, "a") as f:
                f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
            time.sleep(0.01)

    t = threading.Thread(target=writer)
    t.start()
    t.join()
    deadline = time.time() + 10
    while len(layer.series) < 60 and time.time() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    assert list(layer.series.steps) == [r[0] for r in rows[:60]]  # every point once, in order
    write_csv(path, rows[:5])  # the run restarted: the file was rewritten
    deadline = time.time() + 10
    while len(layer.series) != 5 and time.time() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    assert list(layer.series.steps) == [r[0] for r in rows[:5]]
    started = time.perf_counter()
    window.panel.logs.follow.setChecked(False)
    follower.thread.join(1.0)
    assert not follower.thread.is_alive() and time.perf_counter() - started < 1.0


def test_corrupt_and_truncated_logs_leave_the_design_alone(window, tmp_path):
    window.editor.split_at(30000)
    before = window.doc.design
    bad = tmp_path / "events.out.tfevents.1.host"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00garbage-not-a-record" * 3)
    window.log_editor.open(str(bad), pick=all_series)
    wait(window)
    assert window.doc.design == before and window.history.count() == 1
    assert "events.out.tfevents.1.host" in window.statusBar().currentMessage()
    assert not [layer for layer in window.layers if layer.kind == "log"]


def test_cancel_adds_nothing(window, design, tmp_path):
    path = tmp_path / "metrics.csv"
    write_csv(path, lightning_rows(design, 8000))
    reader = window.log_editor.open(str(path), pick=all_series)
    reader.cancel()
    wait(window)
    QApplication.processEvents()
    assert not [layer for layer in window.layers if layer.kind == "log"]
    assert not window.log_editor.readers  # the stopped reader is let go: the window is idle again


def test_plateau_layer_equals_the_core_simulation(window, design, tmp_path):
    window.doc.replace(design.replace(steps_per_epoch=None))
    path = tmp_path / "metrics.csv"
    rows = [(s, 1.0, 1.0 - min(s, 2000) / 4000, 0.0) for s in range(100, 8001, 100)]
    write_csv(path, rows)
    window.log_editor.open(str(path), pick=lambda p, runs, w: [(runs[0].name, "val_loss")])
    wait(window)
    layer = next(layer for layer in window.layers if layer.kind == "log")
    plateau = window.log_editor.simulate_plateau(layer)
    expected = simulate_plateau(
        [r[2] for r in rows], PlateauPolicy(monitor="val_loss"), design=window.doc.design, every=100
    )
    assert [(c.step, c.new_lr) for c in plateau.result.cuts] == [(c.step, c.new_lr) for c in expected.cuts]
    assert plateau.result.cuts  # the stall after step 2,000 is cut
    state = window_state(window)
    entry = next(entry for entry in state["layers"] if entry["kind"] == "plateau")
    assert entry["cuts"] == [{"step": c.step, "lr": c.new_lr} for c in expected.cuts]


def gui(*args, tmp_path):
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    state, shot = tmp_path / "s.json", tmp_path / "s.png"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lrdesigner.cli",
            "gui",
            *args,
            "--state",
            str(state),
            "--screenshot",
            str(shot),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    return out, (json.loads(state.read_text()) if out.returncode == 0 else None)


def test_gui_command_with_a_log(tmp_path, design):
    from lrdesigner.schedule import designfile

    dpath = tmp_path / "d.json"
    designfile.save(design, dpath)
    log = tmp_path / "metrics.csv"
    write_csv(log, lightning_rows(design, 8000))
    out, state = gui(
        str(dpath), "--log", str(log), "--smooth", "0.5", "--plateau-on", "val_loss", tmp_path=tmp_path
    )
    assert out.returncode == 0, out.stderr
    kinds = {(layer["kind"], layer.get("tag")) for layer in state["layers"]}
    assert {("log", "lr"), ("log", "val_loss"), ("log", "train_loss")} <= kinds
    assert any(layer["kind"] == "plateau" for layer in state["layers"])
    assert state["view"]["smoothing"] == 0.5
    out, _ = gui("--log", str(tmp_path / "nope"), tmp_path=tmp_path)
    assert out.returncode == 2 and "nope" in out.stderr


def test_the_example_opens_with_its_real_run(tmp_path):
    out, state = gui("--example", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    layers = state["layers"]
    assert layers[0]["kind"] == "design" and layers[0]["name"].startswith("Noam")
    logged_lr = [layer for layer in layers if layer["kind"] == "log" and layer["axis"] == "lr"]
    losses = [layer for layer in layers if layer["kind"] == "log" and layer["axis"] == "right"]
    assert logged_lr and losses and all(layer["points"] > 0 for layer in logged_lr + losses)
    # The run cut its LR on a plateau: the window says where it left the design.
    csv_lr = next(layer for layer in logged_lr if layer["tag"] == "learning_rate")
    assert "differs from step" in csv_lr["comparison"]


def test_workspace_save_log_scale_and_make_design_with_logs_open(window, design, tmp_path):
    window.doc.replace(design)
    path = tmp_path / "training.log"
    write_csv(path, [(e, 3.0 / (e + 1), 3.2 / (e + 1)) for e in range(20)], "epoch,loss,val_loss")
    window.log_editor.open(str(path), pick=all_series)
    wait(window)
    ws = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws)) and ws.is_file()  # logs are left out of the workspace
    window.panel.logs.loss_log.setChecked(True)
    lo, hi = window.canvas.loss_vb.viewRange()[1]
    assert lo <= np.log10(3.0 / 20) and hi >= np.log10(3.2)  # every logged value is in view
    noam = window.layer_editor.add_preset("noam")
    window.layers.set_current(noam)
    window.actions["layers.make_design"].trigger()
    assert window.doc.design.steps_per_epoch == STEPS_PER_EPOCH  # the logs stay placed
    assert all(window.canvas.items[layer.id].vertices for layer in window.layers if layer.kind == "log")


def test_the_series_picker_shows_every_column_whole(window, tmp_path):
    from lrdesigner.ui.dialogs.log_import import SeriesDialog

    folder = tmp_path / "keras_run"
    folder.mkdir()
    write_csv(
        folder / "training_log.csv",
        [(e, 1.0 / (e + 1), 2.0, 1e-3) for e in range(5)],
        header="epoch,loss,val_loss,lr",
    )
    runs = read(folder)
    dialog = SeriesDialog(window, str(folder), runs)
    metrics = dialog.tree.fontMetrics()
    rows = list(dialog.items())
    assert {row.text(3) for row in rows} == {"right (needs steps per epoch)", "LR (needs steps per epoch)"}
    for row in rows:
        for column in range(1, 4):
            text = row.text(column)
            assert metrics.horizontalAdvance(text) <= dialog.tree.columnWidth(column), text
    assert sorted(dialog.chosen()) == sorted((runs[0].name, tag) for tag in ("loss", "val_loss", "lr"))
    dialog.deleteLater()

"""Layer defects found by trying the window as a new user: a snapshot with logs open, advice from
logs that are not shown, the LR named where a loss went NaN, and plateau cuts after the design
is replaced. Each story opens real files and triggers the window's actions by their ids."""

import time

import numpy as np
import pytest
from lrdesigner.logs import place
from lrdesigner.schedule import Design, Segment, designfile
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau
from lrdesigner.ui.state import window_state
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

SPE = 100  # steps per epoch of the designs below
NAN_EPOCH = 20
LOGGED_LR = 0.0747  # what the run logged from epoch 15 on: far from the design's LR


def design(peak=1e-3, name="run design"):
    return Design(
        (Segment.create("linear", 500, 1e-5, peak), Segment.create("cosine", 2500, peak, 1e-5)),
        name=name,
        steps_per_epoch=SPE,
    )


def keras_rows(epochs=30, nan_from=NAN_EPOCH, lr=True):
    """A Keras CSVLogger run: the loss falls, val_loss stalls after epoch 5, both NaN from `nan_from`."""
    rows = []
    for e in range(epochs):
        loss = 2.0 / (1 + e) if e < nan_from else float("nan")
        val = (1.5 - 0.1 * e if e < 6 else 0.9) if e < nan_from else float("nan")
        row = [e, loss, val]
        if lr:
            row.append(0.1 if e < 15 else LOGGED_LR)
        rows.append(row)
    return rows


def write_log(path, rows, lr=True, mode="w"):
    with open(path, mode) as f:
        if mode == "w":
            f.write("epoch,loss,val_loss" + (",lr" if lr else "") + "\n")
        for row in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


def open_log(window, monkeypatch, path, tags=None):
    """Logs -> Open log file, answering the file dialog with `path` and the picker with `tags`."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    window.log_editor.pick = lambda p, runs, w: [
        (r.name, t) for r in runs for t in r.series if tags is None or t in tags
    ]
    window.actions["logs.open_file"].trigger()
    for reader in list(window.log_editor.readers):
        reader.wait(60)
    for _ in range(3):
        QApplication.processEvents()
    return {layer.tag: layer for layer in window.layers if layer.kind == "log"}


def open_design(window, monkeypatch, d, path):
    designfile.save(d, path)
    monkeypatch.setattr(window.files, "ask_open_path", lambda: str(path))
    window.actions["file.open"].trigger()
    assert window.doc.design == d


def advice_ids(window):
    return [a.id for a in window.panel.advice.items]


def nonfinite(window):
    return [a for a in window.panel.advice.items if a.id == "loss-nonfinite"]


def set_shown(window, layer, shown):
    """Check or uncheck the layer in the Layers panel."""
    panel = window.panel.layers
    for row in range(panel.count()):
        item = panel.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == layer.id:
            item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
    assert layer.visible == shown


def remove(window, layer):
    window.layers.set_current(layer)
    window.actions["layers.remove"].trigger()


# ---- 1. Keep this version with logs open ------------------------------------------------------


def test_keep_this_version_works_with_logs_and_a_plateau_open(window, monkeypatch, tmp_path):
    window.doc.replace(design())
    write_log(tmp_path / "training.log", keras_rows())
    logs = open_log(window, monkeypatch, tmp_path / "training.log")
    window.layers.set_current(logs["val_loss"])
    window.actions["logs.plateau"].trigger()
    window.actions["layers.add_snapshot"].trigger()
    window.editor.edit_cell(1, "lr_end", "5e-4")
    window.actions["layers.add_snapshot"].trigger()
    snapshots = [layer for layer in window.layers if layer.kind == "compare"]
    assert [s.name for s in snapshots] == ["run design (version 1)", "run design (version 2)"]
    assert snapshots[0].design == design() and snapshots[1].design == window.doc.design
    # Whoever asks for the comparisons gets design curves, never logs or plateau results.
    assert {layer.kind for layer in window.layers.comparisons()} == {"compare"}
    assert {layer.kind for layer in window.layers} == {"design", "compare", "log", "plateau"}


# ---- 2. Advice only from the log layers that are shown -----------------------------------------


def test_advice_comes_only_from_the_series_that_are_drawn(window, monkeypatch, tmp_path):
    window.doc.replace(design())
    path = tmp_path / "training.log"
    write_log(path, keras_rows())
    open_log(window, monkeypatch, path, tags={"lr"})
    ids = advice_ids(window)
    assert "lr-differs" in ids
    assert "loss-nonfinite" not in ids and "validation-stall" not in ids  # never drawn

    logs = open_log(window, monkeypatch, path, tags={"loss", "val_loss"})
    ids = advice_ids(window)
    assert "loss-nonfinite" in ids and "validation-stall" in ids

    set_shown(window, logs["val_loss"], False)
    assert "validation-stall" not in advice_ids(window) and "loss-nonfinite" in advice_ids(window)
    set_shown(window, logs["loss"], False)
    assert "loss-nonfinite" not in advice_ids(window)
    set_shown(window, logs["val_loss"], True)
    assert "validation-stall" in advice_ids(window) and "loss-nonfinite" in advice_ids(window)

    for layer in [layer for layer in window.layers if layer.kind == "log"]:
        remove(window, layer)
    ids = advice_ids(window)
    assert not {"loss-nonfinite", "validation-stall", "lr-differs"} & set(ids)
    window.actions["edit.undo"].trigger()  # the last removed layer comes back, its advice too
    assert "validation-stall" in advice_ids(window)


def test_advice_follows_a_run_that_goes_nan_while_followed(window, monkeypatch, tmp_path):
    window.doc.replace(design())
    path = tmp_path / "training.log"
    rows = keras_rows()
    write_log(path, [r[:3] + [0.1] for r in rows[:12]])
    logs = open_log(window, monkeypatch, path, tags={"loss"})
    assert not nonfinite(window)
    window.layers.set_current(logs["loss"])
    window.actions["logs.follow"].trigger()
    assert logs["loss"].follow
    write_log(path, rows[12:], mode="a")
    deadline = time.time() + 15
    while not nonfinite(window) and time.time() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    (advice,) = nonfinite(window)
    assert f"step {(NAN_EPOCH + 1) * SPE:,}" in advice.message
    assert f"{LOGGED_LR:.3g}" in advice.message  # the run's LR, appended while followed
    window.actions["logs.follow"].trigger()


# ---- 3. The LR named where a loss went NaN -------------------------------------------------------


def test_nan_advice_names_the_runs_logged_lr_once_per_event(window, monkeypatch, tmp_path):
    d = design()
    window.doc.replace(d)
    path = tmp_path / "training.log"
    write_log(path, keras_rows())
    logs = open_log(window, monkeypatch, path, tags={"loss", "val_loss"})  # the LR is not drawn
    step = (NAN_EPOCH + 1) * SPE
    (advice,) = nonfinite(window)  # one event, not one advice per loss tag
    assert advice.step == step
    assert f"{logs['loss'].name} and {logs['val_loss'].name} became NaN" in advice.message
    assert f"{LOGGED_LR:.3g}" in advice.message and "logged" in advice.message
    assert f"{d.lr_at(step):.3g}" not in advice.message

    set_shown(window, logs["loss"], False)
    set_shown(window, logs["val_loss"], False)
    open_design(window, monkeypatch, design(peak=1e-3, name="another"), tmp_path / "another.json")
    assert not nonfinite(window)  # hidden logs give no advice
    state = window_state(window)
    assert not [a for a in state["advice"] if a["id"] == "loss-nonfinite"]


def test_nan_advice_without_a_logged_lr_names_the_designs_and_says_so(window, monkeypatch, tmp_path):
    d = design()
    window.doc.replace(d)
    path = tmp_path / "training.log"
    write_log(path, keras_rows(lr=False), lr=False)
    open_log(window, monkeypatch, path)
    step = (NAN_EPOCH + 1) * SPE
    (advice,) = nonfinite(window)
    assert f"{d.lr_at(step):.3g}" in advice.message and "design" in advice.message


# ---- 4. Plateau cuts follow the design ------------------------------------------------------------


def expected_plateau(window, layer):
    d = window.doc.design
    placed = place(layer.series, d.steps_per_epoch, layer.offset, layer.writer)
    ok = np.isfinite(placed.values) & (placed.steps > 0)
    result = simulate_plateau(
        placed.values[ok], d.plateau or PlateauPolicy(monitor=layer.tag), design=d, every=SPE
    )
    return [(c.step, c.new_lr) for c in result.cuts]


def plateau_cuts(window):
    (entry,) = [entry for entry in window_state(window)["layers"] if entry["kind"] == "plateau"]
    return [(c["step"], c["lr"]) for c in entry["cuts"]]


def test_plateau_cuts_are_recomputed_when_the_design_is_replaced(window, monkeypatch, tmp_path):
    window.doc.replace(design())
    path = tmp_path / "training.log"
    write_log(path, keras_rows(nan_from=99))
    logs = open_log(window, monkeypatch, path, tags={"val_loss"})
    window.layers.set_current(logs["val_loss"])
    window.actions["logs.plateau"].trigger()
    (plateau,) = [layer for layer in window.layers if layer.kind == "plateau"]
    first = plateau_cuts(window)
    assert first and first == expected_plateau(window, logs["val_loss"])

    window.editor.edit_cell(1, "lr_start", "2e-3")  # a design change ...
    assert plateau.design == window.doc.design
    assert plateau_cuts(window) == expected_plateau(window, logs["val_loss"]) != first
    window.actions["edit.undo"].trigger()  # ... undone
    assert plateau.design == window.doc.design and plateau_cuts(window) == first
    window.actions["edit.redo"].trigger()
    assert plateau.design == window.doc.design and plateau_cuts(window) != first

    open_design(window, monkeypatch, design(peak=3e-3, name="other"), tmp_path / "other.json")
    assert plateau.design == window.doc.design
    assert plateau_cuts(window) == expected_plateau(window, logs["val_loss"])
    xs, ys = window.canvas.items[plateau.id].getData()
    assert len(xs) and np.nanmax(ys) == pytest.approx(3e-3, rel=1e-3)  # drawn from the new design

    # File -> New: the default design has no steps per epoch, so the epoch log cannot be placed.
    window.actions["file.new"].trigger()
    assert plateau not in list(window.layers) and plateau.id not in window.canvas.items
    assert "plateau" in window.statusBar().currentMessage()

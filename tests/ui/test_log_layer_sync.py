"""Found by driving the window: the Follow checkbox and the Logs menu's Follow agree whichever is
used; plateau cuts are simulated where the series is drawn (its step offset); a run's settings
never take the open design's steps per epoch without asking."""

import json

import numpy as np
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau
from PySide6.QtWidgets import QApplication

SPE = 100


def design():
    return Design(
        (Segment.create("linear", 500, 1e-5, 1e-3), Segment.create("cosine", 9500, 1e-3, 1e-5)),
        name="sync",
        steps_per_epoch=SPE,
    )


def write_log(path, epochs=40):
    """Keras CSVLogger rows: val_loss improves for 6 epochs, then stalls."""
    with open(path, "w") as f:
        f.write("epoch,loss,val_loss\n")
        for e in range(epochs):
            f.write(f"{e},{2.0 / (1 + e)!r},{1.5 - 0.1 * e if e < 6 else 0.9!r}\n")


def open_val_loss(window, path):
    from lrdesigner.logs import read

    runs = read(str(path))
    (layer,) = window.log_editor.add_series(str(path), runs, [(runs[0].name, "val_loss")])
    window.layers.set_current(layer)
    return layer


def test_the_follow_checkbox_and_the_menu_agree(window, tmp_path):
    window.files._replace(design())
    path = tmp_path / "training.csv"
    write_log(path)
    layer = open_val_loss(window, path)
    action, box = window.actions["logs.follow"], window.panel.logs.follow
    box.setChecked(True)  # the Logs box, as a user ticks it
    assert layer.follow and action.isChecked()
    action.trigger()  # the menu unticks it
    assert not layer.follow and not box.isChecked() and not action.isChecked()
    action.trigger()
    assert layer.follow and box.isChecked()
    box.setChecked(False)
    assert not layer.follow and not action.isChecked()
    window.log_editor.stop_all()


def test_plateau_cuts_follow_the_series_step_offset(window, tmp_path):
    d = design().replace(plateau=PlateauPolicy(monitor="val_loss", factor=0.5, patience=2))
    window.files._replace(d)
    path = tmp_path / "training.csv"
    write_log(path)
    layer = open_val_loss(window, path)
    plateau = window.log_editor.simulate_plateau(layer)
    first = [c.step for c in plateau.result.cuts]
    assert first
    window.log_editor.set_offset(layer, "2,000")
    QApplication.processEvents()
    shifted = [c.step for c in plateau.result.cuts]
    assert shifted == [s + 2000 for s in first][: len(shifted)] and shifted
    # The same cuts as ReduceLROnPlateau evaluated at each drawn point (Keras logs epoch e at the
    # end of epoch e: step (e + 1) * 100), 2,000 steps later.
    values = [1.5 - 0.1 * e if e < 6 else 0.9 for e in range(40)]
    steps = (np.arange(40) + 1) * SPE + 2000
    expected = simulate_plateau(values, d.plateau, design=d, at=steps)
    assert shifted == [c.step for c in expected.cuts]
    # Undo puts the series and its cuts back.
    window.history.undo()
    QApplication.processEvents()
    assert [c.step for c in plateau.result.cuts] == first


def test_a_run_that_counts_epochs_asks_instead_of_taking_the_open_designs_steps_per_epoch(
    window, tmp_path, monkeypatch
):
    window.files._replace(design().replace(steps_per_epoch=3333))
    args = {"learning_rate": 3e-4, "lr_scheduler_type": "linear", "warmup_steps": 0, "max_steps": -1,
            "num_train_epochs": 2}  # fmt: skip
    path = tmp_path / "training_args.json"
    path.write_text(json.dumps(args))
    asked = []
    monkeypatch.setattr(
        window.prompts, "ask_steps_per_epoch", lambda p, suggested=None: asked.append(suggested) or 250
    )
    assert window.files.open_path(str(path))
    assert asked == [3333]  # offered, not taken
    assert window.doc.design.total_steps == 500


def test_two_layers_of_one_followed_file_share_one_reader_and_its_points(window, tmp_path):
    import time

    from lrdesigner.logs import read

    window.files._replace(design())
    path = tmp_path / "training.csv"
    write_log(path, epochs=10)
    runs = read(str(path))
    loss, val = window.log_editor.add_series(
        str(path), runs, [(runs[0].name, "loss"), (runs[0].name, "val_loss")]
    )
    window.log_editor.set_follow(loss, True)
    window.log_editor.set_follow(val, True)
    assert list(window.log_editor.followers) == [loss.path]  # one reader for the file
    with open(path, "a") as f:
        for e in range(10, 13):
            f.write(f"{e},{2.0 / (1 + e)!r},0.9\n")
    deadline = time.monotonic() + 10
    while (len(loss.series) < 13 or len(val.series) < 13) and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    assert list(loss.series.steps) == list(range(13)) and list(val.series.steps) == list(range(13))
    # The layers draw the Logs model's series: one home for the points.
    assert loss.series is window.logs.series(loss.path, loss.run, "loss")
    window.log_editor.set_follow(loss, False)
    assert list(window.log_editor.followers) == [loss.path]  # val_loss still follows
    window.log_editor.set_follow(val, False)
    assert window.log_editor.followers == {}

"""A logged LR made into the design (right-click the log, "Make a design from this log"), a run's
settings opened with the log beside them, and the Logs box naming a writer's other convention or
offering the step offset under which a run follows the design."""

import dataclasses
import json

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.presets import get_preset
from PySide6.QtWidgets import QApplication

HF_COSINE = {"lr": 3e-4, "num_warmup_steps": 50, "num_training_steps": 600}


def settle(window, timeout=120):
    """Wait for the window's log readers and fits, then let their results arrive."""
    for _ in range(3):
        for reader in list(window.log_editor.readers):
            reader.wait(timeout)
        for fitter in list(window.log_fit.fitters):
            fitter.wait(timeout)
        for _ in range(3):
            QApplication.processEvents()


def all_series(path, runs, warnings):
    return [(r.name, t) for r in runs for t in r.series]


def write_trainer_state(path, design, older=False):
    """A trainer_state.json as the Trainer writes it: at step k (from 1) the LR of the update just
    done, lr(k-1); older releases logged lr(k)."""
    n = design.total_steps
    history = [
        {
            "epoch": k / n,
            "step": k,
            "learning_rate": design.lr_at(k if older else k - 1),
            "loss": 2.0 / (1 + k / 100),
        }
        for k in range(1, n + 1)
    ]
    path.write_text(json.dumps({"global_step": n, "max_steps": n, "log_history": history}))
    return path


def write_lr_csv(path, steps, values):
    path.write_text("step,lr\n" + "".join(f"{s},{v!r}\n" for s, v in zip(steps.tolist(), values.tolist())))
    return path


def open_log(window, path):
    window.log_editor.open(str(path), pick=all_series)
    settle(window)
    return {layer.tag: layer for layer in window.layers if layer.kind == "log"}


def right_click_action(window, layer, action_id):
    """Right-click `layer` in the Layers panel; the menu's action with that id."""
    panel = window.panel.layers
    row = next(r for r in range(panel.count()) if panel.item(r).text() == layer.name)
    panel._menu(panel.visualItemRect(panel.item(row)).center())
    return next(a for a in panel._shown_menu.actions() if a.objectName() == action_id)


def test_a_trainer_state_becomes_the_library_schedule_it_was_run_with(window, tmp_path):
    preset = get_preset("hf.cosine").build(**HF_COSINE)
    logs = open_log(window, write_trainer_state(tmp_path / "trainer_state.json", preset))
    before = window.doc.design
    action = right_click_action(window, logs["learning_rate"], "logs.make_design")
    assert action.isEnabled()
    action.trigger()
    settle(window)
    steps = np.arange(preset.total_steps)
    np.testing.assert_allclose(window.doc.design.evaluate(steps), preset.evaluate(steps), rtol=1e-12, atol=0)
    assert "hf.cosine" in window.statusBar().currentMessage()
    # The view shows the new design and the log whole, not the default design's 100k steps.
    assert window.canvas.plotItem.vb.viewRange()[0][1] < 1.1 * preset.total_steps
    # The old design stays beside it, and the Logs box confirms the run followed the new design.
    assert [layer.design for layer in window.layers if layer.kind == "compare"] == [before]
    assert window.panel.layers.current_layer() is logs["learning_rate"]
    assert "followed the design exactly" in window.panel.logs.comparison.text()
    window.actions["edit.undo"].trigger()  # one step back: the design as it was, no extra layer
    assert window.doc.design == before
    assert not [layer for layer in window.layers if layer.kind == "compare"]
    window.actions["edit.redo"].trigger()
    np.testing.assert_allclose(window.doc.design.evaluate(steps), preset.evaluate(steps), rtol=1e-12, atol=0)


def test_a_loss_cannot_be_made_into_a_design_and_says_why(window, tmp_path):
    preset = get_preset("hf.cosine").build(**HF_COSINE)
    logs = open_log(window, write_trainer_state(tmp_path / "trainer_state.json", preset))
    action = right_click_action(window, logs["loss"], "logs.make_design")
    assert not action.isEnabled() and "not a learning rate" in action.toolTip()
    assert window.panel.layers._shown_menu.toolTipsVisible()
    window.log_fit.make_design(logs["loss"])  # asked anyway (a script): nothing changes
    assert window.history.count() == 0 and "not a learning rate" in window.statusBar().currentMessage()
    window.layers.set_current(window.layers.design_layer)
    assert not window.actions["logs.make_design"].isEnabled()


def test_a_curve_no_library_matches_becomes_segments(window, tmp_path):
    curve = Design(
        (
            Segment.create("constant", 500, 1e-3),
            Segment.create("linear", 1000, 1e-3, 4e-4),
            Segment.create("linear", 1500, 4e-4, 3e-4),
        ),
        name="hand-made",
    )
    steps = np.arange(0, curve.total_steps, 20)
    logs = open_log(window, write_lr_csv(tmp_path / "metrics.csv", steps, curve.evaluate(steps)))
    right_click_action(window, logs["lr"], "logs.make_design").trigger()
    settle(window)
    assert "segments" in window.statusBar().currentMessage()
    design = window.doc.design
    assert len(design.segments) == 3 and "lr" in design.name
    np.testing.assert_allclose(design.evaluate(steps), curve.evaluate(steps), rtol=1e-9)


def test_the_fit_reproduces_the_log_where_its_step_offset_draws_it(window, tmp_path):
    curve = Design(
        (Segment.create("constant", 500, 1e-3), Segment.create("linear", 2500, 1e-3, 2e-4)), name="resumed"
    )
    steps = np.arange(1000, curve.total_steps, 20)
    # A resumed run that numbered its steps from 0 again.
    logs = open_log(window, write_lr_csv(tmp_path / "metrics.csv", steps - 1000, curve.evaluate(steps)))
    window.layers.set_current(logs["lr"])
    window.panel.logs.offset.setText("1,000")
    window.panel.logs.offset.editingFinished.emit()
    window.actions["logs.make_design"].trigger()
    settle(window)
    np.testing.assert_allclose(window.doc.design.evaluate(steps), curve.evaluate(steps), rtol=1e-9)
    assert "followed the design exactly" in window.log_editor.comparison_text(logs["lr"])


def test_the_logs_box_names_the_older_trainer_convention(window, tmp_path):
    preset = get_preset("hf.cosine").build(**HF_COSINE)
    window.doc.replace(preset)
    logs = open_log(window, write_trainer_state(tmp_path / "trainer_state.json", preset, older=True))
    window.layers.set_current(logs["learning_rate"])
    text = window.panel.logs.comparison.text()
    assert "followed the design exactly" in text and "older Trainer's convention" in text
    assert not window.panel.logs.shift.isVisibleTo(window.panel.logs)


def test_a_shifted_run_is_offered_its_offset_and_the_shift_is_one_undo_step(window, tmp_path):
    preset = get_preset("hf.cosine").build(**HF_COSINE)
    window.doc.replace(preset)
    steps = np.arange(0, 590)  # each point logged 3 steps early
    logs = open_log(window, write_lr_csv(tmp_path / "metrics.csv", steps, preset.evaluate(steps + 3)))
    layer = logs["lr"]
    window.layers.set_current(layer)
    box = window.panel.logs
    assert "differs from step" in box.comparison.text()
    assert box.shift.isVisibleTo(box) and box.shift.text() == "Shift by +3 steps"
    box.shift.click()
    assert layer.offset == 3 and "followed the design exactly" in box.comparison.text()
    assert not box.shift.isVisibleTo(box) and box.offset.text() == "3"
    xs = window.canvas.items[layer.id].x_steps()
    assert xs[0] == 3
    window.actions["edit.undo"].trigger()  # like a typed offset, the shift is undone in one step
    assert layer.offset == 0 and box.shift.isVisibleTo(box) and box.offset.text() == ""
    assert window.doc.design == preset


def test_run_settings_open_with_their_log_and_other_groups(window, tmp_path, monkeypatch):
    """What File -> Open does with a RunSchedule that names a log beside the settings and other
    parameter groups (the run reader is stood in for, so this holds whichever formats it knows)."""
    from lrdesigner.schedule import runconfig

    weights = get_preset("hf.cosine").build(**HF_COSINE)
    bias = get_preset("hf.linear").build(lr=3e-4, num_warmup_steps=50, num_training_steps=600)
    log = write_trainer_state(tmp_path / "trainer_state.json", weights)
    settings = tmp_path / "run.yaml"
    settings.write_text("epochs: 3\n")

    @dataclasses.dataclass
    class Run:
        design: Design
        source: str
        notes: list
        groups: dict
        log: str

    def load(path, steps_per_epoch=None, total_steps=None):
        if not steps_per_epoch:
            from lrdesigner.schedule.errors import DesignError

            raise DesignError("the run counts epochs: give its steps per epoch", str(path))
        return Run(weights, "test", [], {"lr/pg0": bias, "lr/pg1": weights}, str(log))

    monkeypatch.setattr(runconfig, "load_run_schedule", load)
    asked = []
    monkeypatch.setattr(window.prompts, "ask_steps_per_epoch", lambda p, suggested=None: asked.append(p) or 200)
    assert window.files.open_path(str(settings))
    settle(window)
    assert asked and window.doc.design.steps_per_epoch == 200
    assert window.doc.design.replace(steps_per_epoch=None) == weights
    compare = [layer for layer in window.layers if layer.kind == "compare"]
    assert [(layer.name, layer.design) for layer in compare] == [("lr/pg0", bias)]  # pg1 is the design
    tags = {layer.tag for layer in window.layers if layer.kind == "log"}
    assert tags == {"learning_rate", "loss"}  # the LR and the loss, as the series picker checks them
    lr = next(layer for layer in window.layers if layer.kind == "log" and layer.tag == "learning_rate")
    assert "followed the design exactly" in window.log_editor.comparison_text(lr)


def test_hf_training_arguments_open_as_the_schedule(window, tmp_path):
    args = {
        "learning_rate": 3e-4,
        "lr_scheduler_type": "cosine",
        "warmup_steps": 50,
        "max_steps": 600,
        "num_train_epochs": 3,
    }
    path = tmp_path / "training_args.json"
    path.write_text(json.dumps(args))
    write_trainer_state(tmp_path / "trainer_state.json", get_preset("hf.cosine").build(**HF_COSINE))
    assert window.files.open_path(str(path))
    settle(window)
    preset = get_preset("hf.cosine").build(**HF_COSINE)
    steps = np.arange(600)
    np.testing.assert_allclose(window.doc.design.evaluate(steps), preset.evaluate(steps), rtol=1e-12)
    assert "training_args.json" in window.statusBar().currentMessage() or any(
        layer.kind == "log" for layer in window.layers
    )
    for layer in window.layers:
        if layer.kind == "log" and layer.is_lr:  # drawn when the reader names the log beside it
            assert "followed the design exactly" in window.log_editor.comparison_text(layer)


def ultralytics_lr(epochs, spe, bias_lr):
    preset = get_preset("ultralytics.linear")
    return preset.build(
        lr0=0.01, lrf=0.01, epochs=epochs, warmup_epochs=3.0, warmup_bias_lr=bias_lr, steps_per_epoch=spe
    )


def test_ultralytics_args_open_with_results_csv_and_the_bias_group(window, tmp_path, monkeypatch):
    from lrdesigner.schedule.runconfig import RunSchedule

    if "log" not in {f.name for f in dataclasses.fields(RunSchedule)}:
        pytest.skip("reading Ultralytics args.yaml (RunSchedule.log and .groups) is not in the core yet")
    epochs, spe = 20, 50
    (tmp_path / "args.yaml").write_text(
        "task: detect\nmode: train\nmodel: yolov8n.yaml\nepochs: 20\nbatch: 16\noptimizer: SGD\n"
        "cos_lr: false\nlr0: 0.01\nlrf: 0.01\nmomentum: 0.937\nweight_decay: 0.0005\n"
        "warmup_epochs: 3.0\nwarmup_momentum: 0.8\nwarmup_bias_lr: 0.1\n"
    )
    weights, bias = ultralytics_lr(epochs, spe, 0.0), ultralytics_lr(epochs, spe, 0.1)
    rows = ["epoch,train/box_loss,val/box_loss,lr/pg0,lr/pg1,lr/pg2"]
    for e in range(1, epochs + 1):
        last = e * spe - 1  # the row of an epoch logs the LR of its last iteration
        w, b = weights.lr_at(last), bias.lr_at(last)
        rows.append(f"{e},{2.0 / e!r},{2.5 / e!r},{b!r},{w!r},{w!r}")
    (tmp_path / "results.csv").write_text("\n".join(rows) + "\n")
    from lrdesigner.schedule.errors import DesignError
    from lrdesigner.schedule.runconfig import load_run_schedule

    try:
        load_run_schedule(tmp_path / "args.yaml", steps_per_epoch=spe)
    except DesignError as exc:
        pytest.skip(f"the core does not read Ultralytics args.yaml yet: {exc}")
    monkeypatch.setattr(window.prompts, "ask_steps_per_epoch", lambda p, suggested=None: spe)
    assert window.files.open_path(str(tmp_path / "args.yaml"))
    settle(window)
    assert window.doc.design.total_steps == epochs * spe
    # The bias group warms up from warmup_bias_lr: a comparison of its own; pg1 and pg2 are the design.
    assert [layer.name for layer in window.layers if layer.kind == "compare"] == ["lr/pg0"]
    logs = {layer.tag: layer for layer in window.layers if layer.kind == "log"}
    assert {"lr/pg0", "lr/pg1", "lr/pg2", "train/box_loss", "val/box_loss"} <= set(logs)
    assert "followed the design exactly" in window.log_editor.comparison_text(logs["lr/pg1"])
    assert "results.csv" in window.statusBar().currentMessage()

"""Wiring the exported Keras schedule into a training script as people do: the plateau callback next
to CSVLogger and History, Keras's own argument names, wrong wiring caught at the start of training,
the stock ReduceLROnPlateau, and checkpoints that outlive a renamed and edited design."""

import csv
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from lrdesigner.export import ExportOptions, export
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

keras = pytest.importorskip("keras")

EVERY = 4
POLICY = PlateauPolicy(semantics="keras", monitor="val_loss", factor=0.5, patience=3, min_delta=0.0)


def design(**changes):
    segs = (Segment.create("linear", 8, 1e-3, 0.02), Segment.create("cosine", 92, 0.02, 0.002))
    return Design(segs, **{"name": "wiring", "steps_per_epoch": EVERY, **changes})


def load(tmp_path, d, target="keras"):
    from lrdesigner.export.driver import load_module

    path, name = write_export(tmp_path, d, target)
    return load_module(str(path), name)


class Stall(keras.callbacks.Callback):
    """Scripted validation losses (listed before the plateau callback)."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]


def fit(mod, callbacks, epochs, optimizer=None):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    optimizer = optimizer or keras.optimizers.Adam(learning_rate=mod.DesignedSchedule())
    model.compile(optimizer=optimizer, loss="mse")
    x = np.ones((EVERY, 2), "float32")
    return model, model.fit(x, x[:, :1], batch_size=1, epochs=epochs, verbose=0, callbacks=callbacks)


def test_callback_finds_the_schedule_and_logs_the_lr_for_csvlogger_and_history(tmp_path):
    d = design(plateau=POLICY)
    mod = load(tmp_path, d)
    values = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
    plateau = mod.DesignedSchedulePlateauCallback(patience=2)  # Keras's own name overrides the design's 3
    log = tmp_path / "log.csv"
    _, history = fit(mod, [Stall(values), plateau, keras.callbacks.CSVLogger(str(log))], len(values))
    sim = simulate_plateau(values, PlateauPolicy(**{**POLICY.__dict__, "patience": 2}), d)
    assert [c[1:] for c in plateau.cuts] == [(c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    assert len(sim.cuts) == 3
    with open(log) as f:
        rows = list(csv.DictReader(f))
    assert "learning_rate" in rows[0]
    # The LR in force when each epoch ended, before that epoch's cut, as Keras's callback logs it.
    before = [1.0, *sim.multipliers[:-1]]
    expected = [d.lr_at((k + 1) * EVERY) * before[k] for k in range(len(values))]
    np.testing.assert_allclose([float(r["learning_rate"]) for r in rows], expected, rtol=1e-6)
    np.testing.assert_allclose(history.history["learning_rate"], expected, rtol=1e-6)


def test_policy_settings_complete_and_unknown_ones_named(tmp_path):
    mod = load(tmp_path, design(plateau=POLICY))
    partial = mod.DesignedSchedulePlateauCallback(policy={"factor": 0.2}, monitor="val_accuracy")
    assert partial.policy["factor"] == 0.2 and partial.policy["patience"] == 3
    assert partial.policy["monitor"] == "val_accuracy" and partial.policy["maximize"] is True
    with pytest.raises(ValueError, match=r"unknown plateau setting\(s\) factr, patient; known: "):
        mod.DesignedSchedulePlateauCallback(policy={"factr": 0.2, "patient": 1})


def test_wrong_wiring_fails_when_training_starts(tmp_path):
    mod = load(tmp_path, design(plateau=POLICY))
    other = mod.DesignedSchedule()
    with pytest.raises(ValueError, match="the schedule given is not the one the model's optimizer uses"):
        fit(mod, [mod.DesignedSchedulePlateauCallback(other)], 1)
    with pytest.raises(
        TypeError,
        match="the model's optimizer has no DesignedSchedule as its learning rate "
        r"\(it has Variable\)",
    ):
        fit(mod, [mod.DesignedSchedulePlateauCallback()], 1, optimizer=keras.optimizers.Adam(1e-3))


@pytest.mark.parametrize("policy", [None, POLICY])
def test_stock_reduce_lr_on_plateau_fails_and_every_keras_export_says_what_to_use(tmp_path, policy):
    mod = load(tmp_path, design(plateau=policy))
    doc = mod.__doc__
    assert 'Keras\'s ReduceLROnPlateau raises "not settable"' in " ".join(doc.split())
    if policy is None:
        assert "give the design a plateau policy in LR Designer and export again" in " ".join(doc.split())
    else:
        assert "callbacks=[DesignedSchedulePlateauCallback()]" in doc
    stock = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=0)
    with pytest.raises(TypeError, match="not settable"):
        fit(mod, [Stall([1.0, 1.0, 1.0]), stock], 3)


LOAD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import keras
import lr_schedule
try:
    model = keras.models.load_model(sys.argv[2])
except Exception as exc:
    print(json.dumps({"error": str(exc)}))
else:
    schedule = model.optimizer._learning_rate
    print(json.dumps({"class": type(schedule).__name__, "name": schedule.design["name"],
                      "lrs": [float(schedule(s)) for s in range(0, 120, 7)]}))
"""


def run_fresh(folder, *args):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(folder)}
    script = folder / "run.py"
    proc = subprocess.run(
        [sys.executable, str(script), str(folder), *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def save_checkpoint(folder, d):
    """Train briefly with `d` exported as lr_schedule.py and save the model, in a fresh process."""
    (folder / "lr_schedule.py").write_text(export(d, "keras"), encoding="utf-8")
    (folder / "run.py").write_text(
        textwrap.dedent("""
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import numpy as np
        import keras
        import lr_schedule
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        optimizer = keras.optimizers.AdamW(learning_rate=lr_schedule.DesignedSchedule())
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=1, epochs=1, verbose=0)
        model.save(sys.argv[2])
        print(json.dumps({}))
    """),
        encoding="utf-8",
    )
    run_fresh(folder, str(folder / "old.keras"))
    (folder / "run.py").write_text(LOAD, encoding="utf-8")


def test_a_checkpoint_loads_after_the_design_is_renamed_and_edited(tmp_path):
    old = design(name="baseline")
    save_checkpoint(tmp_path, old)
    edited = Design(
        (Segment.create("linear", 20, 0.0, 0.01), Segment.create("cosine", 200, 0.01, 0.0)),
        name="baseline v2 (longer warmup)",
    )
    (tmp_path / "lr_schedule.py").write_text(export(edited, "keras"), encoding="utf-8")
    got = run_fresh(tmp_path, str(tmp_path / "old.keras"))
    assert got.get("error") is None
    # The checkpoint carries the design it trained with: same class, the old curve.
    assert got["class"] == "DesignedSchedule" and got["name"] == "baseline"
    np.testing.assert_allclose(got["lrs"], old.evaluate(np.arange(0, 120, 7)), rtol=1e-7)


def test_a_checkpoint_with_a_shape_the_module_lacks_names_the_fix(tmp_path):
    segments = (Segment.create("linear", 10, 0.0, 0.01), Segment.create("inverse_power", 100, 0.01, tau=10.0))
    old = Design(segments, name="noam-like")
    save_checkpoint(tmp_path, old)
    (tmp_path / "lr_schedule.py").write_text(export(design(), "keras"), encoding="utf-8")
    got = run_fresh(tmp_path, str(tmp_path / "old.keras"))
    assert "'shape': 'inverse_power'" in got["error"]
    assert 'is not in this module; export with "Include every shape" (--all-shapes)' in got["error"]
    # Doing what the message says: the re-export with every shape loads it.
    every = export(design(), "keras", options=ExportOptions(all_shapes=True))
    (tmp_path / "lr_schedule.py").write_text(every, encoding="utf-8")
    got = run_fresh(tmp_path, str(tmp_path / "old.keras"))
    assert got.get("error") is None
    np.testing.assert_allclose(got["lrs"], old.evaluate(np.arange(0, 120, 7)), rtol=1e-7)


def test_a_checkpoint_with_a_parameter_the_plain_module_does_not_read_names_the_fix(tmp_path):
    # A bent cosine (k_decay) saved; the module exported from a plain design has the plain cosine.
    segments = (Segment.create("linear", 10, 0.0, 0.01), Segment.create("cosine", 100, 0.01, 0.0, k_decay=2.0))
    old = Design(segments, name="bent")
    save_checkpoint(tmp_path, old)
    plain = export(design(), "keras")
    assert "k_decay" not in plain and "phase_start" not in plain
    (tmp_path / "lr_schedule.py").write_text(plain, encoding="utf-8")
    got = run_fresh(tmp_path, str(tmp_path / "old.keras"))
    assert "'k_decay': 2.0" in got["error"] and "Include every shape" in got["error"]
    every = export(design(), "keras", options=ExportOptions(all_shapes=True))
    (tmp_path / "lr_schedule.py").write_text(every, encoding="utf-8")
    got = run_fresh(tmp_path, str(tmp_path / "old.keras"))
    assert got.get("error") is None
    np.testing.assert_allclose(got["lrs"], old.evaluate(np.arange(0, 120, 7)), rtol=1e-7)

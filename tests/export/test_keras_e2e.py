"""The exported Keras schedule in real training: applied LRs, save/load, plateau cuts, strategies."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

STEPS_PER_EPOCH = 8


def small_design(**changes):
    segs = (
        Segment.create("linear", 5, 0.0, 0.05),
        Segment.create("cosine", 19, 0.05, 0.002),
        Segment.create("constant", 10, 0.004),
    )
    return Design(segs, name="small", **changes)


def import_export(tmp_path, design, target="keras"):
    from lrdesigner.export.driver import load_module

    path, name = write_export(tmp_path, design, target)
    return load_module(str(path), name)


def test_sgd_applies_the_design_lr_at_every_step(tmp_path):
    design = small_design()
    mod = import_export(tmp_path, design)
    x = np.ones((STEPS_PER_EPOCH, 1), np.float32)
    y = np.full((STEPS_PER_EPOCH, 1), 3.0, np.float32)
    dense = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
    model = keras.Sequential([keras.Input((1,)), dense])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=mod.DesignedSchedule()), loss="mse")
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            opt = self.model.optimizer
            seen.append((int(opt.iterations), float(opt.learning_rate)))

    epochs = 5  # 40 steps: past the design's end (34)
    model.fit(x, y, batch_size=1, epochs=epochs, shuffle=False, verbose=0, callbacks=[Record()])
    steps = np.array([s for s, _ in seen])
    np.testing.assert_array_equal(steps, np.arange(epochs * STEPS_PER_EPOCH))
    np.testing.assert_allclose([lr for _, lr in seen], design.evaluate(steps), rtol=1e-7, atol=0)
    # The weight followed w <- w - lr(n) * d/dw (w - 3)^2, step by step, in float32.
    w = np.float32(0.0)
    for lr in design.evaluate(steps).astype(np.float32):
        w = np.float32(w - lr * np.float32(2.0) * (w - np.float32(3.0)))
    assert float(model.layers[0].kernel.numpy()[0, 0]) == pytest.approx(float(w), rel=1e-5)


def test_saved_model_loads_in_a_fresh_process(tmp_path):
    design = small_design(after_end="zero")
    path, name = write_export(tmp_path, design, "keras")
    mod = import_export(tmp_path, design)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    schedule = mod.DesignedSchedule()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")
    model.fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=1, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import keras
        import {name}
        model = keras.models.load_model({str(tmp_path / "m.keras")!r})
        sched = model.optimizer._learning_rate
        print(json.dumps({{
            "class": type(sched).__name__,
            "module": type(sched).__module__,
            "config": sched.get_config(),
            "iterations": int(model.optimizer.iterations),
            "lrs": [float(sched(s)) for s in range(0, 40)],
        }}))
    """)
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["class"] == type(schedule).__name__ and got["module"] == name
    assert got["config"] == json.loads(json.dumps(schedule.get_config()))
    assert got["iterations"] == 6
    np.testing.assert_allclose(got["lrs"], design.evaluate(np.arange(40)), rtol=1e-7, atol=0)


def test_plateau_callback_cuts_where_the_simulation_says(tmp_path):
    policy = PlateauPolicy(semantics="keras", monitor="val_loss", factor=0.5, patience=2, min_delta=1e-3)
    design = small_design(plateau=policy, steps_per_epoch=STEPS_PER_EPOCH)
    mod = import_export(tmp_path, design)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS_PER_EPOCH, 3)).astype(np.float32)
    y = rng.normal(size=(STEPS_PER_EPOCH, 1)).astype(np.float32)  # noise: validation loss stalls
    xv = rng.normal(size=(16, 3)).astype(np.float32)
    yv = rng.normal(size=(16, 1)).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    schedule = mod.DesignedSchedule()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")
    callback = mod.DesignedSchedulePlateauCallback()
    lr_at_epoch_start = []

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            lr_at_epoch_start.append(float(self.model.optimizer.learning_rate))

    history = model.fit(
        x,
        y,
        batch_size=1,
        epochs=12,
        verbose=0,
        shuffle=False,
        validation_data=(xv, yv),
        callbacks=[callback, Record()],
    )
    values = history.history["val_loss"]
    sim = simulate_plateau(values, policy, design)
    assert sim.cuts, "the scripted run should stall and cut"
    assert [(c[1], c[2], c[3]) for c in callback.cuts] == [(c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    # The LR in force at each epoch's start is the simulated LR after the previous evaluation.
    np.testing.assert_allclose(lr_at_epoch_start[1:], sim.lrs[:-1], rtol=1e-6)
    # The cut survives save/load: the multiplier is part of the config.
    assert schedule.get_config()["multiplier"] == pytest.approx(sim.multipliers[-1])


STRATEGY_SCRIPT = r"""
import json, sys
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras
sys.path.insert(0, sys.argv[1])
mod = __import__(sys.argv[2])
out = {}
def run(tag, policy=None, strategy=None, jit=False):
    keras.mixed_precision.set_global_policy(policy or "float32")
    scope = strategy.scope() if strategy else __import__("contextlib").nullcontext()
    seen = []
    class Record(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            opt = self.model.optimizer
            seen.append((int(keras.ops.convert_to_numpy(opt.iterations)),
                         float(keras.ops.convert_to_numpy(opt.learning_rate))))
    with scope:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=mod.DesignedSchedule()), loss="mse",
                      jit_compile=jit)
    model.fit(np.ones((64, 4), "float32"), np.ones((64, 1), "float32"), batch_size=4, epochs=2,
              verbose=0, callbacks=[Record()])
    loss = model.evaluate(np.ones((8, 4), "float32"), np.ones((8, 1), "float32"), verbose=0)
    out[tag] = {"steps": [s for s, _ in seen], "lrs": [lr for _, lr in seen], "finite": bool(np.isfinite(loss)),
                "replicas": strategy.num_replicas_in_sync if strategy else 1}
run("mirrored", strategy=tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
run("mixed_float16", policy="mixed_float16")
run("mixed_bfloat16", policy="mixed_bfloat16", jit=True)
run("jit", jit=True)
print(json.dumps(out))
"""


def test_mirrored_strategy_mixed_precision_and_xla(tmp_path):
    design = small_design()
    path, name = write_export(tmp_path, design, "keras")
    proc = subprocess.run(
        [sys.executable, "-c", STRATEGY_SCRIPT, str(tmp_path), name],
        capture_output=True,
        text=True,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = json.loads(proc.stdout.strip().splitlines()[-1])
    assert runs["mirrored"]["replicas"] == 2
    for tag, run in runs.items():
        steps = np.array(run["steps"])
        # mixed_float16's dynamic loss scaling skips the first updates (inf gradients) while it
        # finds its scale: iterations stall for a few batches, how many varies from run to run.
        assert steps[0] == 0 and np.all(np.diff(steps) >= 0) and steps[-1] >= 16, tag
        if tag != "mixed_float16":
            np.testing.assert_array_equal(steps, np.arange(32), err_msg=tag)
        np.testing.assert_allclose(run["lrs"], design.evaluate(steps), rtol=1e-7, atol=0, err_msg=tag)
        assert run["finite"], tag

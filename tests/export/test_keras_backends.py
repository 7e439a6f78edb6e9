"""The Keras 3 export in real training on the TensorFlow, JAX and PyTorch backends, each in a fresh
process (KERAS_BACKEND): the LR the compiled train step applies, plateau cuts, save, reload and the
next cut after the reload."""

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from lrdesigner.export import export
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy

pytest.importorskip("keras")

BACKENDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
STEPS_PER_EPOCH = 8
POLICY = PlateauPolicy(semantics="keras", monitor="val_loss", factor=0.5, patience=2, min_delta=0.0)
DESIGN = Design(
    (Segment.create("linear", 8, 0.0, 0.02), Segment.create("cosine", 92, 0.02, 0.002)),
    name="backends",
    plateau=POLICY,
    steps_per_epoch=STEPS_PER_EPOCH,
)

# Trains a one-weight model whose loss is its output (x = 1): each SGD update subtracts exactly the
# LR the compiled step used from the weight, so the weight's change over an epoch is the sum of
# the LRs applied. The validation loss is scripted (1.0 every epoch: a stall) by a callback that
# runs before the plateau callback.
SCRIPT = r"""
import json, sys
import numpy as np
folder, model_in, model_out, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, folder)
import keras
import lr_schedule

@keras.saving.register_keras_serializable(package="test")
def output_loss(y_true, y_pred):
    return keras.ops.mean(y_pred)

class ScriptedValidation(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = 1.0

weights = []
class Weight(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        weights.append(float(keras.ops.convert_to_numpy(self.model.layers[0].kernel)[0, 0]))

if model_in:
    model = keras.models.load_model(model_in, compile=True)
else:
    weight = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
    model = keras.Sequential([keras.Input((1,)), weight])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule.DesignedSchedule()),
                  loss=output_loss)
schedule = model.optimizer._learning_rate
start = {"multiplier": schedule.multiplier,
         "iterations": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
         "weight": float(keras.ops.convert_to_numpy(model.layers[0].kernel)[0, 0])}
plateau = lr_schedule.DesignedSchedulePlateauCallback()
x = np.ones((8, 1), "float32")
history = model.fit(x, x, batch_size=1, epochs=epochs, shuffle=False, verbose=0,
                    callbacks=[ScriptedValidation(), plateau, Weight()])
model.save(model_out)
print(json.dumps({"start": start, "weights": weights, "cuts": plateau.cuts, "multiplier": schedule.multiplier,
                  "logged_lr": history.history["learning_rate"], "backend": keras.backend.backend()}))
"""


def run(folder, backend, model_in, model_out, epochs, x64=False):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "KERAS_BACKEND": backend,
        "HOME": str(folder),
    }
    if x64:
        env["JAX_ENABLE_X64"] = "1"
    script = folder / "train.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(folder), model_in, model_out, str(epochs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def applied_sums(design, first_step, epochs, multipliers):
    """The sum of the LRs applied in each epoch, the multiplier of each epoch given (float32 LRs)."""
    out = []
    for e in range(epochs):
        steps = np.arange(first_step + e * STEPS_PER_EPOCH, first_step + (e + 1) * STEPS_PER_EPOCH)
        lrs = (design.evaluate(steps) * multipliers[e]).astype(np.float32)
        out.append(float(np.sum(lrs, dtype=np.float64)))
    return np.array(out)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_cut_save_reload_in_a_fresh_process_and_cut_again(tmp_path, backend):
    if importlib.util.find_spec(BACKENDS[backend]) is None:
        pytest.skip(f"{backend} is not installed")
    (tmp_path / "lr_schedule.py").write_text(export(DESIGN, "keras"), encoding="utf-8")
    first, stderr = run(tmp_path, backend, "", str(tmp_path / "a.keras"), 5)
    assert first["backend"] == backend
    assert "Explicitly requested dtype" not in stderr  # no int64/float64 truncation on JAX
    # Stalls from the first epoch on: Keras semantics cut after 2 more epochs, twice in 5 epochs.
    assert [c[0] for c in first["cuts"]] == [2, 4]
    mults = [1.0, 1.0, 1.0, first["cuts"][0][3] / DESIGN.lr_at(24), first["cuts"][0][3] / DESIGN.lr_at(24)]
    sums = -np.diff([0.0, *first["weights"]])
    np.testing.assert_allclose(sums, applied_sums(DESIGN, 0, 5, mults), rtol=2e-5)
    for epoch, step, old, new in first["cuts"]:
        assert step == (epoch + 1) * STEPS_PER_EPOCH and new == pytest.approx(old * 0.5, rel=1e-6)
    assert first["multiplier"] == pytest.approx(0.25, rel=1e-6)

    # A fresh process loads the saved model: the multiplier carries on, and the next cut reduces from it.
    second, _ = run(tmp_path, backend, str(tmp_path / "a.keras"), str(tmp_path / "b.keras"), 3)
    assert second["start"]["multiplier"] == first["multiplier"]
    assert second["start"]["iterations"] == 40
    [(epoch, step, old, new)] = second["cuts"]
    assert (epoch, step) == (2, 64)
    assert old == pytest.approx(DESIGN.lr_at(64) * first["multiplier"], rel=1e-6)
    assert new == pytest.approx(old * 0.5, rel=1e-6) and new < old
    assert second["multiplier"] == pytest.approx(0.125, rel=1e-6)
    sums = -np.diff([second["start"]["weight"], *second["weights"]])
    np.testing.assert_allclose(sums, applied_sums(DESIGN, 40, 3, [first["multiplier"]] * 3), rtol=2e-5)


@pytest.mark.parametrize("backend, x64", [("jax", False), ("jax", True), ("torch", False)])
def test_verify_on_other_backends(tmp_path, backend, x64):
    if importlib.util.find_spec(BACKENDS[backend]) is None:
        pytest.skip(f"{backend} is not installed")
    from lrdesigner.export.verify import finish, prepare

    # 1e8 steps: the cosine's last steps are ~1e-19, far below float32's resolution of its peak.
    long = Design(
        (
            Segment.create("linear", 1000, 0.0, 1e-3),
            Segment.create("cosine", 10**8, 1e-3, 0.0),
            Segment.create("staircase", 5000, 1e-5, factor=0.5, every=700),
        ),
        name="long",
    )
    job = prepare(long, "keras", str(tmp_path), n=150)
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("JAX_ENABLE_X64", None)
    if x64:
        env["JAX_ENABLE_X64"] = "1"
    proc = subprocess.run([sys.executable, *job.argv], capture_output=True, text=True, env=env, timeout=600)
    outcome = finish(job, proc.returncode, proc.stdout, proc.stderr)
    assert outcome.verdict == "pass", (outcome.message, proc.stderr[-3000:])
    assert "Explicitly requested dtype" not in proc.stderr
    runs = json.loads(proc.stdout.strip().splitlines()[-1])["runs"]
    end = long.starts[2] - 1
    steps, values = runs["eager"]
    got = values[steps.index(end)]
    if backend == "jax" and not x64:
        assert "32-bit" in outcome.message  # checked to float32 rounding, as the docstring says
    else:
        assert got == pytest.approx(long.lr_at(end), rel=1e-6) and got > 0.0

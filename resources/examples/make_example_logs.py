"""Train a small Keras Transformer with LR Designer's exported Noam schedule and write the example logs.

The task is generated data: sort a sequence of 24 tokens over a 16-token vocabulary, with 5% of the
target tokens replaced by random ones (so the loss has a floor and validation loss stalls).
The model is a two-layer Transformer encoder (d_model 64, 4 heads). The schedule is the Noam preset
(d_model 64, 600 warmup steps, 30 epochs of 200 steps) with a ReduceLROnPlateau policy on val_loss, written by
`lrdesigner preset` and turned into a Keras module by `lrdesigner export --target keras`; the
module's plateau callback applies the cuts. Logs: the Keras TensorBoard callback (batch-level loss
and learning rate, epoch-level metrics) and CSVLogger.

Command (four to six minutes on two CPU cores, from the repository root, with LR Designer and
TensorFlow installed)::

    TF_CPP_MIN_LOG_LEVEL=3 CUDA_VISIBLE_DEVICES= python3 resources/examples/make_example_logs.py

It rewrites resources/examples/transformer-sort/ (design.json, noam_schedule.py, logs/).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "transformer-sort"
VOCAB, LENGTH, NOISE = 16, 24, 0.05
D_MODEL, HEADS, LAYERS, FF = 64, 4, 2, 128
BATCH, STEPS_PER_EPOCH, EPOCHS, WARMUP = 64, 200, 30, 600
SEED = 7


def lrdesigner(*args: str) -> None:
    """Run the LR Designer command line of this Python."""
    subprocess.run([sys.executable, "-m", "lrdesigner.cli", *args], check=True)


def make_design(out: Path) -> Path:
    """The Noam preset for this model, with a plateau policy on val_loss and epochs of STEPS_PER_EPOCH."""
    path = out / "design.json"
    lrdesigner("preset", "noam", "--set", f"d_model={D_MODEL}", "--set", f"warmup_steps={WARMUP}",
               "--set", f"total_steps={STEPS_PER_EPOCH * EPOCHS}",
               "--name", "Noam for a d_model 64 Transformer", "-o", str(path))
    design = json.loads(path.read_text(encoding="utf-8"))
    design["steps_per_epoch"] = STEPS_PER_EPOCH
    design["plateau"] = {"semantics": "keras", "monitor": "val_loss", "mode": "min", "factor": 0.5,
                         "patience": 2, "min_delta": 1e-3, "threshold_mode": "rel", "cooldown": 1,
                         "min_lr": 0.0, "eps": 1e-8, "every": None}
    path.write_text(json.dumps(design, indent=2) + "\n", encoding="utf-8")
    return path


def batches(rng, n: int):
    """(tokens, the tokens sorted, with NOISE of the targets replaced at random)."""
    import numpy as np

    x = rng.integers(0, VOCAB, size=(n, LENGTH), dtype=np.int32)
    y = np.sort(x, axis=1)
    noisy = rng.random(y.shape) < NOISE
    y[noisy] = rng.integers(0, VOCAB, size=int(noisy.sum()), dtype=np.int32)
    return x, y


def build_model(keras):
    """A two-layer Transformer encoder with learned positions, one softmax per position."""
    layers = keras.layers
    tokens = keras.Input((LENGTH,), dtype="int32")
    h = layers.Embedding(VOCAB, D_MODEL)(tokens)
    positions = layers.Embedding(LENGTH, D_MODEL)(keras.ops.arange(LENGTH))
    h = h + positions
    for _ in range(LAYERS):
        a = layers.MultiHeadAttention(HEADS, D_MODEL // HEADS, dropout=0.1)(h, h)
        h = layers.LayerNormalization(epsilon=1e-6)(h + a)
        f = layers.Dense(FF, activation="relu")(h)
        f = layers.Dense(D_MODEL)(f)
        h = layers.LayerNormalization(epsilon=1e-6)(h + layers.Dropout(0.1)(f))
    logits = layers.Dense(VOCAB)(h)
    return keras.Model(tokens, logits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (replaced)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()

    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    design_path = make_design(out)
    module_path = out / "noam_schedule.py"
    lrdesigner("export", str(design_path), "--target", "keras", "--class-name", "NoamSchedule",
               "-o", str(module_path))

    import numpy as np

    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    sys.path.insert(0, str(out))
    import noam_schedule

    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    x_train, y_train = batches(rng, BATCH * STEPS_PER_EPOCH)
    x_val, y_val = batches(rng, 2048)

    schedule = noam_schedule.NoamSchedule()
    model = build_model(keras)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule, beta_1=0.9, beta_2=0.98,
                                                  epsilon=1e-9),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])

    class LearningRateInLogs(keras.callbacks.Callback):
        """Put the LR used by each update into the batch logs, and the epoch's last one into the epoch logs,
        for the TensorBoard and CSV callbacks after it."""

        lr = float("nan")

        def on_train_batch_begin(self, batch, logs=None):
            self.lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))

        def on_train_batch_end(self, batch, logs=None):
            if logs is not None:
                logs["learning_rate"] = self.lr

        def on_epoch_end(self, epoch, logs=None):
            if logs is not None:
                logs["learning_rate"] = self.lr

    logs = out / "logs"
    callbacks = [
        noam_schedule.NoamSchedulePlateauCallback(schedule, verbose=1),
        LearningRateInLogs(),
        keras.callbacks.TensorBoard(str(logs), update_freq=1, write_graph=False, profile_batch=0),
        keras.callbacks.CSVLogger(str(logs / "training.csv")),
    ]
    model.fit(x_train, y_train, batch_size=BATCH, epochs=args.epochs, shuffle=True,
              validation_data=(x_val, y_val), callbacks=callbacks, verbose=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

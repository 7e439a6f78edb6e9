"""The exported Keras schedule's cost inside a compiled train step, next to Keras's CosineDecay.

Same run, same model, same data; only the optimizer's learning_rate differs. Also times the
schedule alone: 1e6 evaluations inside one compiled loop.

Run: python benchmarks/bench_export.py [--quick]   (--quick: fewer steps and repeats, same ratios)
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from lrdesigner.export import export  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from bench_schedule import twelve_segments  # noqa: E402

STEPS = 3000
TOTAL = 100_000
CALLS = 1_000_000
REPEATS = 3


def load(source: str):
    path = os.path.join(tempfile.mkdtemp(), "bench_exported.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("bench_exported", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_exported"] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    import keras
    import tensorflow as tf

    design = twelve_segments(TOTAL)
    mod = load(export(design, "keras"))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS * 32, 64)).astype(np.float32)
    y = rng.normal(size=(STEPS * 32, 1)).astype(np.float32)

    def schedules():
        return {
            "constant 1e-3 (no schedule)": lambda: 1e-3,
            "Keras CosineDecay": lambda: keras.optimizers.schedules.CosineDecay(1e-3, TOTAL),
            "exported, 12 segments (float64)": lambda: mod.DesignedSchedule(),
            "exported, 12 segments (float32)": lambda: mod.DesignedSchedule(compute_dtype="float32"),
        }

    def train_time(make, jit):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=make()), loss="mse", jit_compile=jit,
                      steps_per_execution=50)
        model.fit(x[:3200], y[:3200], batch_size=32, epochs=1, verbose=0)  # trace and warm up
        best = float("inf")
        for _ in range(REPEATS):
            t = time.perf_counter()
            model.fit(x, y, batch_size=32, epochs=1, verbose=0)
            best = min(best, time.perf_counter() - t)
        return best / STEPS

    def alone_time(make):
        sched = make()

        @tf.function(jit_compile=True)
        def loop(n):
            def body(i, acc):
                return i + 1, acc + tf.cast(sched(i), tf.float32)

            return tf.while_loop(lambda i, acc: i < n, body, (tf.constant(0, tf.int64), tf.constant(0.0)))[1]

        n = tf.constant(CALLS, tf.int64)
        loop(n)
        best = float("inf")
        for _ in range(REPEATS):
            t = time.perf_counter()
            loop(n).numpy()
            best = min(best, time.perf_counter() - t)
        return best / CALLS

    print(f"Keras {keras.__version__}, TensorFlow {tf.__version__}; "
          f"{STEPS} train steps of a 64-64-1 MLP, batch 32")
    for jit in (False, True):
        rows = {name: train_time(make, jit) for name, make in schedules().items()}
        ref = rows["Keras CosineDecay"]
        print(f"\ntrain step (jit_compile={jit})               us/step   vs CosineDecay")
        for name, t in rows.items():
            print(f"  {name:<38} {t * 1e6:8.1f}   {t / ref:5.2f}x")
    print(f"\nschedule alone, {CALLS:.0e} calls in one XLA loop   ns/call   vs CosineDecay")
    alone = {name: alone_time(make) for name, make in schedules().items() if "constant" not in name}
    ref = alone["Keras CosineDecay"]
    for name, t in alone.items():
        print(f"  {name:<38} {t * 1e9:8.1f}   {t / ref:5.2f}x")


if __name__ == "__main__":
    if "--quick" in sys.argv[1:]:
        STEPS, CALLS, REPEATS = 200, 50_000, 1
    main()

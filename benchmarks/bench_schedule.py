"""Schedule core speed, next to Keras's own vectorized schedule and a bare numpy.cos, in one run.

Run: python benchmarks/bench_schedule.py
"""

from __future__ import annotations

import os
import time

import numpy as np
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.envelope import envelope
from lrdesigner.schedule.metrics import metrics

N = 10_000_000


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def twelve_segments(total: int) -> Design:
    shapes = ["linear", "cosine", "exponential", "polynomial", "inverse_power", "one_minus_sqrt",
              "constant", "cosine", "linear", "staircase", "cosine", "polynomial"]
    n = len(shapes)
    segs = []
    lr = 1e-6
    for i, shape in enumerate(shapes):
        dur = total // n + (total % n if i == n - 1 else 0)
        nxt = 5e-4 if i == 0 else lr * 0.8
        segs.append(Segment.create(shape, dur, lr, nxt))
        lr = segs[-1].lr_end
    return Design(tuple(segs))


def main() -> None:
    design = twelve_segments(N)
    steps = np.arange(N, dtype=np.int64)
    rows = []
    t_ours = best_of(lambda: design.evaluate(steps))
    x = steps.astype(np.float64) / N
    t_cos = best_of(lambda: np.cos(x))
    rows.append(("evaluate 12 segments, 1e7 steps", t_ours, None))
    rows.append(("numpy.cos over the same array", t_cos, t_ours / t_cos))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import keras
        import tensorflow as tf

        sched = keras.optimizers.schedules.CosineDecay(1e-3, N)
        tsteps = tf.range(N, dtype=tf.int64)
        sched(tsteps)
        t_keras = best_of(lambda: sched(tsteps).numpy())
        rows.append((f"Keras {keras.__version__} CosineDecay(tf.range(1e7))", t_keras, t_ours / t_keras))
    except ImportError:
        rows.append(("Keras CosineDecay (TensorFlow not installed)", float("nan"), None))
    print(f"{'case':52s} {'seconds':>10s}  ours/peer")
    for name, t, ratio in rows:
        r = "" if ratio is None else f"{ratio:8.2f}x"
        print(f"{name:52s} {t:10.4f}  {r}")

    print()
    print(f"{'envelope, 2000 bins':52s} {'ms':>10s}")
    cases = {
        "1e4-step design": twelve_segments(10_000),
        "1e6-step design": twelve_segments(1_000_000),
        "1e9-step design": twelve_segments(1_000_000_000),
        "cyclic segment with 1e6 cycles": Design((Segment.create(
            "cyclic", 2_000_000_000, 1e-4, max_lr=1e-3, step_size_up=1000, step_size_down=1000),)),
        "cosine restarts with 1e6 cycles": Design((Segment.create(
            "cosine_restarts", 1_000_000_000, 1e-3, period=1000.0),)),
    }
    base = None
    for name, d in cases.items():
        t = best_of(lambda d=d: envelope(d, 0, d.total_steps, 2000), repeat=20)
        base = base or t
        print(f"{name:52s} {t * 1e3:10.3f}  ({t / base:.2f}x the 1e4 design)")

    print()
    huge = Design((Segment.create("linear", 10**10, 0.0, 1e-3), Segment.create("cosine", 10**12, 1e-3, 1e-5),
                   Segment.create("one_minus_sqrt", 10**11, 1e-5, 0.0)))
    t = best_of(lambda: metrics(huge), repeat=50)
    print(f"{'metrics on a 1.1e12-step design':52s} {t * 1e3:10.3f} ms")


if __name__ == "__main__":
    main()

"""Schedule core speed, next to Keras's own vectorized schedule and a bare numpy.cos, in one run.

Run: python benchmarks/bench_schedule.py [--quick]   (--quick: fewer repeats, seconds; same ratios)
"""

from __future__ import annotations

import argparse
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


def keras_cosine(n: int):
    """Keras's own float32 CosineDecay over tf.range(n), as a callable returning numpy, or None."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        import keras
        import tensorflow as tf
    except ImportError:
        return None, ""
    sched = keras.optimizers.schedules.CosineDecay(1e-3, n)
    tsteps = tf.range(n, dtype=tf.int64)
    sched(tsteps)
    return (lambda: sched(tsteps).numpy()), f"Keras {keras.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats: runs in seconds")
    quick = parser.parse_args().quick
    repeat = 3 if quick else 5
    print(f"evaluate 12 segments (float64), best of {repeat}; ratios are ours / peer, same run, "
          f"{os.cpu_count()} cores")
    print(f"{'steps':>10s} {'ours s':>10s} {'np.cos s':>10s} {'keras s':>10s} {'/np.cos':>8s} {'/keras':>8s}")
    for n in (100_000, 1_000_000, N):
        design = twelve_segments(n)
        steps = np.arange(n, dtype=np.int64)
        t_ours = best_of(lambda design=design, steps=steps: design.evaluate(steps), repeat)
        x = steps.astype(np.float64) / n
        t_cos = best_of(lambda x=x: np.cos(x), repeat)
        fn, version = keras_cosine(n)
        t_keras = best_of(fn, repeat) if fn else float("nan")
        print(f"{n:10d} {t_ours:10.4f} {t_cos:10.4f} {t_keras:10.4f} {t_ours / t_cos:7.2f}x "
              f"{t_ours / t_keras:7.2f}x")
    print(f"peer: {version or 'Keras not installed'} CosineDecay(tf.range(n)) in float32")
    if quick:
        return

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

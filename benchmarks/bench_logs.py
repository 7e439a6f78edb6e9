"""Log import speed and memory next to TensorBoard's loaders, pandas and the smoothing loop.

Generates 1,000,000 TF2 scalars with TensorFlow once (cached in ~/.cache/lrdesigner-bench), then
times, each in a fresh process:
  ours            lrdesigner.logs.read, with TensorFlow made unimportable
  EventFileLoader tensorboard's loader, values extracted, TensorFlow unimportable (pure Python)
  legacy loader   LegacyEventFileLoader, values extracted, without and with TensorFlow
and in this process: a 1M-row, 5-column CSV against pandas.read_csv, smoothing 10M points against
the web UI's loop, and the peak memory of the 1M-point import.

Run: python benchmarks/bench_logs.py [--skip-slow]   (--skip-slow leaves out the ~1 min loaders)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

CACHE = os.path.expanduser("~/.cache/lrdesigner-bench")
EVENTS = os.path.join(CACHE, "tf2_1m")
N_TAGS, N_STEPS = 4, 250_000

BLOCK_TF = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('tensorflow', 'keras'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, _Block())
"""

GENERATE = f"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
w = tf.summary.create_file_writer({EVENTS!r}, max_queue=100000, flush_millis=100000)
@tf.function
def write(n):
    with w.as_default():
        for i in tf.range(n, dtype=tf.int64):
            x = tf.cast(i, tf.float32)
            tf.summary.scalar("train/loss", 2.0 / (1.0 + x * 1e-4), step=i)
            tf.summary.scalar("train/learning_rate", 1e-3 * tf.cos(x * 1e-5), step=i)
            tf.summary.scalar("train/grad_norm", 1.0 + tf.sin(x), step=i)
            tf.summary.scalar("val/accuracy", x * 1e-6, step=i)
write(tf.constant({N_STEPS}, tf.int64))
w.flush()
w.close()
"""

OURS = (
    BLOCK_TF
    + f"""
import time, json
t = time.perf_counter()
from lrdesigner.logs import read
runs = read({EVENTS!r})
dt = time.perf_counter() - t
n = sum(len(s) for r in runs for s in r.series.values())
print(json.dumps({{"seconds": dt, "points": n}}))
"""
)

LOADER = """
import time, json, os, glob
t = time.perf_counter()
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.util import tensor_util
from tensorboard import data_compat
n = 0
path = glob.glob(os.path.join({events!r}, "*tfevents*"))[0]
loader = event_file_loader.{cls}(path)
for ev in loader.Load():
    ev = data_compat.migrate_event(ev)
    for v in ev.summary.value:
        if v.HasField("tensor"):
            float(tensor_util.make_ndarray(v.tensor))
            n += 1
print(json.dumps({{"seconds": time.perf_counter() - t, "points": n}}))
"""

MEMORY = (
    BLOCK_TF
    + f"""
import json, tracemalloc
import numpy as np, google_crc32c, tensorboard.compat.proto.event_pb2
import lrdesigner.logs
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
runs = lrdesigner.logs.read({EVENTS!r})
cur, peak = tracemalloc.get_traced_memory()
arrays = sum(s.steps.nbytes + s.values.nbytes + (s.wall_times.nbytes if s.wall_times is not None else 0)
             for r in runs for s in r.series.values())
print(json.dumps({{"peak": peak - base, "arrays": arrays}}))
"""
)


def fresh(code: str) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(code: str, repeat: int = 3) -> dict:
    runs = [fresh(code) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    skip_slow = "--skip-slow" in sys.argv
    if not os.path.isdir(EVENTS):
        print(f"writing {N_TAGS * N_STEPS:,} scalars with TensorFlow to {EVENTS} (once) ...")
        fresh(GENERATE + "\nprint('{}')")
    size = sum(os.path.getsize(os.path.join(EVENTS, f)) for f in os.listdir(EVENTS))
    print(f"\nTensorBoard event file: {N_TAGS * N_STEPS:,} TF2 scalars, {size / 1e6:.0f} MB")
    ours = best(OURS)
    rows = [("lrdesigner (TensorFlow not importable)", ours)]
    if not skip_slow:
        rows.append(
            (
                "EventFileLoader (TensorFlow not importable)",
                fresh(BLOCK_TF + LOADER.format(events=EVENTS, cls="EventFileLoader")),
            )
        )
        rows.append(
            (
                "LegacyEventFileLoader (TensorFlow not importable)",
                fresh(BLOCK_TF + LOADER.format(events=EVENTS, cls="LegacyEventFileLoader")),
            )
        )
        rows.append(
            (
                "LegacyEventFileLoader on TensorFlow's C++ reader",
                fresh("import tensorflow\n" + LOADER.format(events=EVENTS, cls="LegacyEventFileLoader")),
            )
        )
    print(f"  {'reader':<52} {'points':>9} {'seconds':>8} {'ours is':>9}")
    for name, r in rows:
        ratio = r["seconds"] / ours["seconds"]
        print(f"  {name:<52} {r['points']:>9,} {r['seconds']:8.2f} {ratio:8.1f}x")
    mem = fresh(MEMORY)
    print(
        f"  peak memory of the import above baseline: {mem['peak'] / 1e6:.1f} MB for "
        f"{mem['arrays'] / 1e6:.1f} MB of result arrays ({mem['peak'] / mem['arrays']:.2f}x)"
    )

    import pandas as pd
    from lrdesigner.logs import read
    from lrdesigner.logs.smoothing import smooth, smooth_reference

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "metrics.csv")
        rng = np.random.default_rng(0)
        data = np.column_stack([np.arange(1_000_000), rng.random((1_000_000, 4))])
        with open(path, "w") as f:
            f.write("step,loss,val_loss,lr,acc\n")
            np.savetxt(f, data, delimiter=",", fmt=["%d", "%.17g", "%.17g", "%.17g", "%.17g"])
        read(path), pd.read_csv(path)  # warm both (imports, page cache)
        t_ours = min(_time(lambda: read(path)) for _ in range(3))
        t_pd = min(_time(lambda: pd.read_csv(path)) for _ in range(3))
    print(
        f"\nCSV, 1,000,000 rows x 5 columns: ours {t_ours:.3f} s, pandas.read_csv {t_pd:.3f} s "
        f"-> {t_ours / t_pd:.2f}x pandas"
    )

    y = np.random.default_rng(1).normal(size=10_000_000)
    smooth(y[:10], 0.6)
    t_vec = min(_time(lambda: smooth(y, 0.6)) for _ in range(3))
    t_ref = _time(lambda: smooth_reference(y, 0.6))
    print(
        f"smoothing 10,000,000 points (weight 0.6): ours {t_vec:.3f} s, reference loop {t_ref:.2f} s "
        f"-> {t_ref / t_vec:.0f}x"
    )


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()

"""Log import speed and memory next to TensorBoard's loaders, pandas and the smoothing loop.

1. Real logs (the folder named by LRDESIGNER_REAL_LOGS, or --real-logs DIR): every event file
   read by lrdesigner and by TensorBoard's `EventFileLoader` (values extracted as TensorBoard
   does; TensorFlow unimportable, so the loader is what `tensorboard` runs without it), best of
   3 in one fresh process; and every run folder by lrdesigner next to TensorBoard's data server
   (`tensorboard_data_server`, its own "Finished load cycle" time, every point kept).
2. 1,000,000 TF2 scalars written once by TensorFlow (cached in ~/.cache/lrdesigner-bench), each
   reader in a fresh process: lrdesigner (TensorFlow unimportable), EventFileLoader, the legacy
   loader without and with TensorFlow's C++ reader, the data server; the import's peak memory.
3. Event files of 2k ... 64k distinct tags, one point each, crafted so that their tags collide in
   the fixed-seed FNV table the compiled reader used to have (quadratic there): the time should
   double with the number of tags.
4. A 1M-row, 5-column CSV against pandas.read_csv; smoothing 10M points against the web UI's loop.

Run: python benchmarks/bench_logs.py [--quick] [--skip-slow] [--real-logs DIR]
  --quick      seconds: real logs (if given), a 100k-scalar file written without TensorFlow,
               colliding tags up to 8k, a 100k-row CSV and 1M-point smoothing; no legacy loaders
  --skip-slow  leaves out the ~1 min pure-Python loaders on the 1M-scalar file
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "app"))
sys.path.insert(0, ROOT)
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

GENERATE = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
w = tf.summary.create_file_writer(sys.argv[1], max_queue=100000, flush_millis=100000)
@tf.function
def write(n):
    with w.as_default():
        for i in tf.range(n, dtype=tf.int64):
            x = tf.cast(i, tf.float32)
            tf.summary.scalar("train/loss", 2.0 / (1.0 + x * 1e-4), step=i)
            tf.summary.scalar("train/learning_rate", 1e-3 * tf.cos(x * 1e-5), step=i)
            tf.summary.scalar("train/grad_norm", 1.0 + tf.sin(x), step=i)
            tf.summary.scalar("val/accuracy", x * 1e-6, step=i)
write(tf.constant(int(sys.argv[2]), tf.int64))
w.flush()
w.close()
"""

OURS = """
import time, json
t = time.perf_counter()
from lrdesigner.logs import read
t_read = time.perf_counter()
runs = read(EVENTS)
end = time.perf_counter()
n = sum(len(s) for r in runs for s in r.series.values())
print(json.dumps({"seconds": end - t, "read": end - t_read, "points": n}))
"""

LOADER = """
import time, json, os, glob
t = time.perf_counter()
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.util import tensor_util
from tensorboard import data_compat
n = 0
path = glob.glob(os.path.join(EVENTS, "*tfevents*"))[0]
loader = event_file_loader.CLS(path)
for ev in loader.Load():
    ev = data_compat.migrate_event(ev)
    for v in ev.summary.value:
        if v.HasField("tensor"):
            float(tensor_util.make_ndarray(v.tensor))
            n += 1
print(json.dumps({"seconds": time.perf_counter() - t, "points": n}))
"""

MEMORY = """
import json, tracemalloc
import numpy as np, google_crc32c, tensorboard.compat.proto.event_pb2
import lrdesigner.logs
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
runs = lrdesigner.logs.read(EVENTS)
cur, peak = tracemalloc.get_traced_memory()
arrays = sum(s.steps.nbytes + s.values.nbytes + (s.wall_times.nbytes if s.wall_times is not None else 0)
             for r in runs for s in r.series.values())
print(json.dumps({"peak": peak - base, "arrays": arrays}))
"""

# Every event file of a folder: lrdesigner and EventFileLoader, best of 3 each, in one process.
PER_FILE = """
import json, os, time
from lrdesigner.logs import events
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.util import tensor_util
from tensorboard import data_compat

def ours(path):
    state = events.EventState()
    events.read_file(path, state)
    return sum(len(s) for s in events.build_run("r", path, state).series.values())

def loader(path):
    plugins, n = {}, 0
    for ev in event_file_loader.EventFileLoader(path).Load():
        ev = data_compat.migrate_event(ev)
        for v in ev.summary.value:
            if v.HasField("metadata"):
                plugins.setdefault(v.tag, v.metadata.plugin_data.plugin_name)
            if plugins.get(v.tag) == "scalars" and v.HasField("tensor"):
                float(tensor_util.make_ndarray(v.tensor).reshape(-1)[0])
                n += 1
    return n

def best(fn, path):
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        n = fn(path)
        times.append(time.perf_counter() - t)
    return min(times), n

files = []
for dirpath, dirnames, names in os.walk(ROOT):
    dirnames.sort()
    files += [os.path.join(dirpath, f) for f in sorted(names) if "tfevents" in f]
ours(files[0]) if files else None  # warm the imports
out = []
for f in files:
    try:
        t_ours, n = best(ours, f)
    except Exception as exc:
        out.append({"file": f, "error": str(exc)})
        continue
    if os.path.getsize(f) > MAX_LOADER_BYTES:
        out.append({"file": f, "bytes": os.path.getsize(f), "ours": t_ours, "points": n})
        continue
    t_tb, m = best(loader, f)
    out.append({"file": f, "bytes": os.path.getsize(f), "ours": t_ours, "loader": t_tb, "points": n,
                "loader_points": m})
print(json.dumps(out))
"""

PER_RUN = """
import json, os, time
from lrdesigner.logs import events
runs = json.loads(RUNS)
events.read_run(runs[0], "warm") if runs else None
out = {}
for folder in runs:
    times = []
    for _ in range(5):
        t = time.perf_counter()
        events.read_run(folder, "r", skip_bad=True)
        times.append(time.perf_counter() - t)
    out[folder] = min(times)
print(json.dumps(out))
"""


def fresh(code: str, **names) -> dict:
    """Run `code` as a script file in a new Python (AutoGraph needs the source in a file)."""
    path = os.pathsep.join([os.path.join(ROOT, "app"), ROOT])
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": path}
    header = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(header + code)
        script = f.name
    try:
        out = subprocess.run([sys.executable, script], capture_output=True, text=True, env=env)
    finally:
        os.remove(script)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(code: str, repeat: int = 3, **names) -> dict:
    return min((fresh(code, **names) for _ in range(repeat)), key=lambda r: r["seconds"])


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def reader() -> str:
    from lrdesigner.logs import records

    if records.native is None:
        return "numpy (the compiled module was not built: no C compiler when installing)"
    return "compiled (lrdesigner.logs._native)"


def real_logs(root: str, quick: bool) -> None:
    note = " (--quick: one pass, EventFileLoader on files <= 256 KB)" if quick else ""
    print(f"\nReal logs in {root}{note}")
    print(f"  lrdesigner's event reader: {reader()}")
    files = fresh(BLOCK_TF + PER_FILE, ROOT=root, REPEAT=1 if quick else 3,
                  MAX_LOADER_BYTES=256 << 10 if quick else 1 << 62)
    print(f"  {'event file':<64} {'KB':>6} {'points':>7} {'ours ms':>8} {'EFL ms':>8} {'EFL/ours':>8}")
    worst = None
    for r in files:
        name = os.path.relpath(r["file"], root)
        short = name if len(name) <= 64 else "..." + name[-61:]
        if "error" in r:
            print(f"  {short:<64} skipped: {r['error'][:60]}")
            continue
        if "loader" not in r:
            print(f"  {short:<64} {r['bytes'] / 1024:6.0f} {r['points']:7,} {r['ours'] * 1e3:8.2f}")
            continue
        ratio = r["loader"] / r["ours"]
        worst = ratio if worst is None else min(worst, ratio)
        print(f"  {short:<64} {r['bytes'] / 1024:6.0f} {r['points']:7,} {r['ours'] * 1e3:8.2f} "
              f"{r['loader'] * 1e3:8.1f} {ratio:7.1f}x")
    if worst is not None:
        print(f"  slowest ratio over {len(files)} files: ours is {worst:.1f}x faster than EventFileLoader")
    from tests.logs.tb_server import DataServer, server_binary

    folders = sorted({os.path.dirname(r["file"]) for r in files if "error" not in r})
    if server_binary() is None:
        print("  tensorboard-data-server is not installed: no data server comparison")
        return
    ours = fresh(PER_RUN, RUNS=json.dumps(folders))
    print("\n  data server: its own load-cycle time (no process start); `+crc`: with --checksum, which")
    print("  verifies every record as lrdesigner does (by default it checks only records that fail to parse)")
    print(f"  {'run folder':<56} {'ours ms':>8} {'server':>8} {'ratio':>6} {'+crc':>8} {'ratio':>6}")
    worst, worst_crc, total = None, None, [0.0, 0.0, 0.0]
    for folder in folders:
        times = []
        for checksum in (False, True):
            loads = []
            for _ in range(1 if quick else 3):
                with DataServer(folder, checksum=checksum) as server:
                    loads.append(server.load_seconds)
            times.append(min(loads))
        ratio, ratio_crc = times[0] / ours[folder], times[1] / ours[folder]
        worst = ratio if worst is None else min(worst, ratio)
        worst_crc = ratio_crc if worst_crc is None else min(worst_crc, ratio_crc)
        total = [total[0] + ours[folder], total[1] + times[0], total[2] + times[1]]
        name = os.path.relpath(folder, root)
        short = name if len(name) <= 56 else "..." + name[-53:]
        print(f"  {short:<56} {ours[folder] * 1e3:8.2f} {times[0] * 1e3:8.2f} {ratio:5.1f}x "
              f"{times[1] * 1e3:8.2f} {ratio_crc:5.1f}x")
    print(f"  all {len(folders)} runs: ours {total[0] * 1e3:.1f} ms, data server {total[1] * 1e3:.1f} ms, "
          f"with --checksum {total[2] * 1e3:.1f} ms; slowest ratios {worst:.1f}x and {worst_crc:.1f}x "
          "(> 1: ours faster)")


def quick_events(folder: str, steps: int) -> None:
    """A TF1-style file of 4 tags x `steps` points written with tensorboard's protobufs."""
    from lrdesigner.logs.records import encode
    from tensorboard.compat.proto import event_pb2, summary_pb2

    os.makedirs(folder, exist_ok=True)
    recs = [encode(event_pb2.Event(wall_time=1.7e9, file_version="brain.Event:2").SerializeToString())]
    for i in range(steps):
        for tag, v in (("loss", 2.0 / (1 + i)), ("lr", 1e-3), ("grad_norm", 1.0 + i % 7), ("acc", i * 1e-6)):
            s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=v)])
            recs.append(encode(event_pb2.Event(wall_time=1.7e9 + i, step=i, summary=s).SerializeToString()))
    with open(os.path.join(folder, "events.out.tfevents.1.bench"), "wb") as f:
        f.write(b"".join(recs))


def write_events(folder: str, steps: int) -> tuple[str, str]:
    """A TensorBoard event file of 4 tags x `steps` scalars in `folder` and who wrote it: TensorFlow's
    tf.summary when TensorFlow is installed, else tensorboard's protobufs framed as records."""
    import shutil

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    script = folder.rstrip(os.sep) + "_write.py"  # a file: AutoGraph reads the function's source
    with open(script, "w") as f:
        f.write(GENERATE)
    try:
        done = subprocess.run([sys.executable, script, folder, str(steps)], capture_output=True, env=env)
    finally:
        os.remove(script)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        quick_events(folder, steps)
        writer = "tensorboard's protobufs (TensorFlow unavailable)"
    else:
        writer = "tf.summary (TensorFlow)"
    name = next(f for f in os.listdir(folder) if "tfevents" in f)
    return os.path.join(folder, name), writer


def tag_collisions(quick: bool) -> None:
    """Decoding and reading files of n distinct tags crafted to share one chain of the old FNV table."""
    from lrdesigner.logs import events_fast, read, records

    from tests.logs.test_native import colliding_file

    def decode(buf: bytes) -> None:
        starts, lengths, _ = records.frame(buf, "crafted")
        events_fast.decode(buf, starts, lengths)

    print(f"\nDistinct tags colliding under the old fixed-seed FNV table, one point each ({reader()})")
    print(f"  {'tags':>7} {'decode ms':>10} {'x previous':>11} {'read ms':>9} {'x previous':>11}")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in (2000, 4000, 8000) if quick else (2000, 4000, 8000, 16000, 32000, 64000):
            path = os.path.join(tmp, f"events.out.tfevents.{n}.crafted")
            with open(path, "wb") as f:
                f.write(colliding_file(n))
            with open(path, "rb") as f:
                buf = f.read()
            times = (min(_time(lambda: decode(buf)) for _ in range(5)),  # noqa: B023 (called at once)
                     min(_time(lambda: read(path)) for _ in range(3)))  # noqa: B023
            growth = [f"{t / p:.1f}x" if previous else "" for t, p in zip(times, previous or times)]
            print(f"  {n:7,} {times[0] * 1e3:10.1f} {growth[0]:>11} {times[1] * 1e3:9.1f} {growth[1]:>11}")
            previous = times
    print("  (decode: framing and the compiled or numpy decoding; read: lrdesigner.logs.read, which also")
    print("  makes a Series per tag in Python)")


def main() -> None:
    quick = "--quick" in sys.argv
    skip_slow = "--skip-slow" in sys.argv or quick
    root = os.environ.get("LRDESIGNER_REAL_LOGS")
    if "--real-logs" in sys.argv:
        root = sys.argv[sys.argv.index("--real-logs") + 1]
    if root and os.path.isdir(root):
        real_logs(root, quick)
    with tempfile.TemporaryDirectory() as tmp:
        if quick:
            events, n_points = os.path.join(tmp, "events"), 4 * 25_000
            quick_events(events, 25_000)
            print("\n(--quick: a file written with tensorboard's protobufs; no EventFileLoader on it)")
        else:
            events, n_points = EVENTS, N_TAGS * N_STEPS
            if not os.path.isdir(EVENTS):
                print(f"writing {n_points:,} scalars with TensorFlow to {EVENTS} (once) ...")
                print(f"  written with {write_events(EVENTS, N_STEPS)[1]}")
        size = sum(os.path.getsize(os.path.join(events, f)) for f in os.listdir(events))
        print(f"\nTensorBoard event file: {n_points:,} scalars, {size / 1e6:.1f} MB")
        ours = best(BLOCK_TF + OURS, repeat=1 if quick else 3, EVENTS=events)
        rows = [(f"lrdesigner, {reader().split(' ')[0]} (TensorFlow not importable)", ours)]
        if not skip_slow:
            rows.append(("EventFileLoader (TensorFlow not importable)",
                         fresh(BLOCK_TF + LOADER.replace("CLS", "EventFileLoader"), EVENTS=events)))
        if not skip_slow:
            rows.append(("LegacyEventFileLoader (TensorFlow not importable)",
                         fresh(BLOCK_TF + LOADER.replace("CLS", "LegacyEventFileLoader"), EVENTS=events)))
            legacy = LOADER.replace("CLS", "LegacyEventFileLoader")
            rows.append(("LegacyEventFileLoader on TensorFlow's C++ reader",
                         fresh("import tensorflow\n" + legacy, EVENTS=events)))
        print(f"  {'reader':<52} {'points':>9} {'seconds':>8} {'ours is':>9}")
        for name, r in rows:
            print(f"  {name:<52} {r['points']:>9,} {r['seconds']:8.3f} {r['seconds'] / ours['seconds']:8.1f}x")
        from tests.logs.tb_server import DataServer, server_binary

        if server_binary() is not None:
            for checksum in (False, True):
                with DataServer(events, checksum=checksum) as server:
                    n = sum(len(v[0]) for tags in server.scalars().values() for v in tags.values())
                label = "TensorBoard data server (load cycle" + (", --checksum)" if checksum else ")")
                ratio = server.load_seconds / ours["read"]
                print(f"  {label:<52} {n:>9,} {server.load_seconds:8.3f} {ratio:8.1f}x  "
                      f"(ours {ours['read']:.3f} s without imports)")
        mem = fresh(BLOCK_TF + MEMORY, EVENTS=events)
        print(f"  peak memory of the import above baseline: {mem['peak'] / 1e6:.1f} MB for "
              f"{mem['arrays'] / 1e6:.1f} MB of result arrays ({mem['peak'] / mem['arrays']:.2f}x)")

    tag_collisions(quick)

    import pandas as pd
    from lrdesigner.logs import read
    from lrdesigner.logs.smoothing import smooth, smooth_reference

    rows_csv = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "metrics.csv")
        rng = np.random.default_rng(0)
        data = np.column_stack([np.arange(rows_csv), rng.random((rows_csv, 4))])
        with open(path, "w") as f:
            f.write("step,loss,val_loss,lr,acc\n")
            np.savetxt(f, data, delimiter=",", fmt=["%d", "%.17g", "%.17g", "%.17g", "%.17g"])
        read(path), pd.read_csv(path)  # warm both (imports, page cache)
        t_ours = min(_time(lambda: read(path)) for _ in range(3))
        t_pd = min(_time(lambda: pd.read_csv(path)) for _ in range(3))
    print(f"\nCSV, {rows_csv:,} rows x 5 columns: ours {t_ours:.3f} s, pandas.read_csv {t_pd:.3f} s "
          f"-> {t_ours / t_pd:.2f}x pandas")

    n = 1_000_000 if quick else 10_000_000
    y = np.random.default_rng(1).normal(size=n)
    smooth(y[:10], 0.6)
    t_vec = min(_time(lambda: smooth(y, 0.6)) for _ in range(3))
    t_ref = _time(lambda: smooth_reference(y, 0.6))
    print(f"smoothing {n:,} points (weight 0.6): ours {t_vec:.3f} s, reference loop {t_ref:.2f} s "
          f"-> {t_ref / t_vec:.0f}x")


if __name__ == "__main__":
    main()

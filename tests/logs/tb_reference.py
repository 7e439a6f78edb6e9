"""TensorBoard's own reading of event files, the reference our reader is compared with."""

import os
from collections import defaultdict

import numpy as np


def reference_scalars(folder):
    """{tag: (steps, values, wall_times)} as EventFileLoader + data_compat see them (no purging)."""
    from tensorboard import data_compat
    from tensorboard.backend.event_processing import event_file_loader
    from tensorboard.util import tensor_util

    plugins, out = {}, defaultdict(lambda: ([], [], []))
    files = sorted(f for f in os.listdir(folder) if "tfevents" in f)
    for name in files:
        for ev in event_file_loader.EventFileLoader(os.path.join(folder, name)).Load():
            ev = data_compat.migrate_event(ev)
            if not ev.HasField("summary"):
                continue
            for v in ev.summary.value:
                if v.HasField("metadata"):
                    plugins.setdefault(v.tag, v.metadata.plugin_data.plugin_name)
                if plugins.get(v.tag) != "scalars" or not v.HasField("tensor"):
                    continue
                if v.tensor.dtype == 14:  # bfloat16: tensorboard's converter has no numpy type for it
                    raw = np.frombuffer(v.tensor.tensor_content, "<u2").astype(np.uint32) << 16
                    arr = raw.view(np.float32)
                else:
                    arr = tensor_util.make_ndarray(v.tensor)
                if arr.size != 1:
                    continue
                steps, values, walls = out[v.tag]
                steps.append(ev.step)
                values.append(float(arr.reshape(()).astype(np.float64)))
                walls.append(ev.wall_time)
    return {t: tuple(np.array(x) for x in v) for t, v in out.items()}


def assert_same_as_tensorboard(folder, run):
    ref = reference_scalars(folder)
    assert ref, "the fixture wrote no scalars"
    assert sorted(run.series) == sorted(ref)
    for tag, (steps, values, walls) in ref.items():
        s = run.series[tag]
        np.testing.assert_array_equal(s.steps, steps, err_msg=tag)
        np.testing.assert_array_equal(s.values, values, err_msg=tag)
        np.testing.assert_array_equal(s.wall_times, walls, err_msg=tag)

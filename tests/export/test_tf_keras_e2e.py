"""The tf.keras (Keras 2) export with the tf-keras package: training, save and load."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment

from tests.export.helpers import write_export

tf_keras = pytest.importorskip("tf_keras")


def test_train_save_and_load_in_a_fresh_process(tmp_path):
    segs = (
        Segment.create("linear", 6, 1e-4, 1e-2),
        Segment.create("inverse_power", 30, 1e-2, tau=5.0),
        Segment.create("staircase", 20, 2e-3, factor=0.5, every=5),
    )
    design = Design(segs, name="tf.keras e2e", after_end="continue")
    path, name = write_export(tmp_path, design, "tf-keras")
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import numpy as np
        import tf_keras as keras
        import {name} as mod
        seen = []
        class Record(keras.callbacks.Callback):
            # Keras 2 keeps the LR of the last update in `learning_rate`: read it after update n.
            def on_train_batch_end(self, batch, logs=None):
                opt = self.model.optimizer
                seen.append((int(opt.iterations.numpy()) - 1, float(opt.learning_rate.numpy())))
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=mod.DesignedSchedule()), loss="mse")
        model.fit(np.ones((10, 2)), np.ones((10, 1)), batch_size=1, epochs=7, verbose=0, callbacks=[Record()])
        model.save({str(tmp_path / "m.keras")!r})
        model.save({str(tmp_path / "m.h5")!r})
        print(json.dumps({{"seen": seen, "version": keras.__version__}}))
    """)
    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])["seen"]
    steps = np.array([s for s, _ in seen])
    np.testing.assert_array_equal(steps, np.arange(70))
    np.testing.assert_allclose([lr for _, lr in seen], design.evaluate(steps), rtol=1e-7, atol=0)
    for file in ("m.keras", "m.h5"):
        load = textwrap.dedent(f"""
            import json, sys
            sys.path.insert(0, {str(tmp_path)!r})
            import tf_keras as keras
            import {name}
            model = keras.models.load_model({str(tmp_path / file)!r})
            sched = model.optimizer._learning_rate  # the schedule itself (learning_rate is its last value)
            print(json.dumps({{"class": type(sched).__name__,
                               "iterations": int(model.optimizer.iterations.numpy()),
                               "lrs": [float(sched(s)) for s in range(80)]}}))
        """)
        proc = subprocess.run([sys.executable, "-c", load], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        got = json.loads(proc.stdout.strip().splitlines()[-1])
        assert got["class"].endswith("Schedule") and got["iterations"] == 70, file
        np.testing.assert_allclose(got["lrs"], design.evaluate(np.arange(80)), rtol=1e-7, atol=0, err_msg=file)

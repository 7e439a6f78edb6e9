"""The Keras export's `make_schedule()`: the entry point every target has, giving the registered class."""

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment

from tests.export.helpers import write_export

keras = pytest.importorskip("keras")


def design():
    segs = (
        Segment.create("linear", 5, 0.0, 0.05),
        Segment.create("cosine", 19, 0.05, 0.002),
        Segment.create("constant", 10, 0.004),
    )
    return Design(segs, name="small")


def test_make_schedule_trains_saves_and_loads(tmp_path):
    from lrdesigner.export.driver import load_module

    d = design()
    path, name = write_export(tmp_path, d, "keras", class_name="MadeSchedule")
    mod = load_module(str(path), name)
    text = path.read_text()
    assert "learning_rate=make_schedule())` after" in text and "make_schedule`: a `MadeSchedule`" in text

    schedule = mod.make_schedule()
    assert type(schedule) is mod.MadeSchedule
    steps = np.array([0, 1, 4, 5, 13, 23, 24, 33, 40])
    got = [float(keras.ops.convert_to_numpy(schedule(s))) for s in steps]
    np.testing.assert_allclose(got, d.evaluate(steps), rtol=1e-7, atol=0)
    assert mod.make_schedule(multiplier=0.5).multiplier == 0.5

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=mod.make_schedule()), loss="mse")
    x = np.ones((8, 1), np.float32)
    model.fit(x, 3 * x, batch_size=1, epochs=1, verbose=0)
    assert int(model.optimizer.iterations) == 8
    saved = tmp_path / "model.keras"
    model.save(saved)
    loaded = keras.models.load_model(saved)
    again = loaded.optimizer._learning_rate  # the schedule (learning_rate is its value now)
    assert type(again) is mod.MadeSchedule
    assert again.get_config() == schedule.get_config()
    np.testing.assert_allclose(
        [float(keras.ops.convert_to_numpy(again(s))) for s in steps], d.evaluate(steps), rtol=1e-7, atol=0
    )


def test_tf_keras_export_has_make_schedule_too(tmp_path):
    from lrdesigner.export import export

    source = export(design(), "tf-keras", "MadeSchedule")
    assert "def make_schedule(**kwargs):" in source
    assert "return MadeSchedule(**kwargs)" in source

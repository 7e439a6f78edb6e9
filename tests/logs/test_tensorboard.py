"""Event files written by real TensorFlow, Keras, the tensorboard package and PyTorch: every scalar
equals what TensorBoard's own loader reads; restarts as TensorBoard's data server shows them,
truncation and corruption. Each test skips only when what it needs is missing: the restart,
truncation and corruption tests need only tensorboard's protobufs."""

import os
import struct

import numpy as np
import pytest
from lrdesigner.logs import LogError, read
from lrdesigner.logs.events import read_run
from lrdesigner.logs.records import encode

from tests.logs.tb_reference import assert_same_as_tensorboard
from tests.logs.tb_server import DataServer, server_binary

pytestmark = pytest.mark.usefixtures("event_reader")


def only_run(path):
    runs = read(path)
    assert len(runs) == 1
    return runs[0]


def test_tf2_scalars_of_every_dtype(tmp_path):
    tf = pytest.importorskip("tensorflow")
    from tensorboard.compat.proto import summary_pb2

    meta = summary_pb2.SummaryMetadata()
    meta.plugin_data.plugin_name = "scalars"
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step in [0, 1, 2, 127, 128, 300, 16384, 2**31 + 5, 2**40]:
            tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
            tf.summary.scalar("lr", np.float64(1e-3) * step, step=step)
            for dtype in (tf.float64, tf.float16, tf.bfloat16, tf.int32, tf.int64):
                value = tf.cast(step % 1000 + 0.25 if dtype.is_floating else step % 1000, dtype)
                tf.summary.write(f"typed/{dtype.name}", value, step=step, metadata=meta.SerializeToString())
            tf.summary.histogram("weights", tf.random.normal([20]), step=step)  # not a scalar: skipped
            tf.summary.text("note", "hello", step=step)
        tf.summary.scalar("nan", float("nan"), step=5)
        tf.summary.scalar("nan", float("inf"), step=6)
    writer.flush()
    run = only_run(tmp_path)
    assert_same_as_tensorboard(str(tmp_path), run)
    assert "weights" not in run.series and "note" not in run.series
    assert run.series["typed/bfloat16"].values[1] == 1.25
    assert run.series["nan"].nonfinite_count == 2


def test_tensorboard_writer_simple_values(tmp_path):
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    w = EventFileWriter(str(tmp_path))
    for step in range(0, 2000, 7):
        summary = summary_pb2.Summary(
            value=[
                summary_pb2.Summary.Value(tag="train/loss", simple_value=2.0 / (step + 1)),
                summary_pb2.Summary.Value(tag="train/acc", simple_value=step / 2000),
            ]
        )
        w.add_event(event_pb2.Event(wall_time=1.7e9 + step, step=step, summary=summary))
        single = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="lr", simple_value=1e-4)])
        w.add_event(event_pb2.Event(wall_time=1.7e9 + step, step=step, summary=single))
    w.close()
    assert_same_as_tensorboard(str(tmp_path), only_run(tmp_path))


def test_tf1_summaries_written_raw_by_tensorflow(tmp_path):
    tf = pytest.importorskip("tensorflow")
    v1 = tmp_path / "v1"
    writer = tf.summary.create_file_writer(str(v1))
    with writer.as_default():
        for step in range(50):
            s = tf.compat.v1.Summary(
                value=[tf.compat.v1.Summary.Value(tag="tf1/loss", simple_value=step * 0.5)]
            )
            tf.summary.experimental.write_raw_pb(s.SerializeToString(), step=step)
    writer.flush()
    assert_same_as_tensorboard(str(v1), read_run(str(v1), "v1"))


def test_pytorch_writer(tmp_path):
    torch_tb = pytest.importorskip("torch.utils.tensorboard")
    w = torch_tb.SummaryWriter(str(tmp_path))
    for step in range(300):
        w.add_scalar("loss", 1.0 / (step + 1), step)
        w.add_scalar("double", float(step) / 3, step, new_style=True, double_precision=True)
        w.add_scalar("new", float(step) / 7, step, new_style=True)
    w.close()
    assert_same_as_tensorboard(str(tmp_path), only_run(tmp_path))


def test_keras_tensorboard_callback_train_and_validation_runs(tmp_path):
    pytest.importorskip("tensorflow")  # the callback writes through tf.summary
    keras = pytest.importorskip("keras")

    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    cb = keras.callbacks.TensorBoard(str(tmp_path), update_freq="batch")
    model.fit(x, y, batch_size=8, epochs=3, validation_split=0.25, verbose=0, callbacks=[cb])
    runs = {r.name: r for r in read(tmp_path)}
    assert {"train", "validation"} <= set(runs)
    for name in ("train", "validation"):
        assert_same_as_tensorboard(str(tmp_path / name), runs[name])
    assert "epoch_loss" in runs["train"].series and "epoch_loss" in runs["validation"].series
    assert len(runs["train"].series["epoch_loss"]) == 3


def _event(step, tag="loss", value=1.0, wall=1.0, **kw):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    if kw:
        return event_pb2.Event(wall_time=wall, step=step, **kw).SerializeToString()
    s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return event_pb2.Event(wall_time=wall, step=step, summary=s).SerializeToString()


def _write(path, events):
    from tensorboard.compat.proto import event_pb2

    head = event_pb2.Event(wall_time=0.0, file_version="brain.Event:2").SerializeToString()
    path.write_bytes(b"".join(encode(e) for e in [head, *events]))


def _same_as_data_server(folder, run):
    if server_binary() is None:
        return
    with DataServer(str(folder)) as server:
        (tags,) = server.scalars().values()
    assert sorted(tags) == sorted(run.series)
    for tag, (steps, values, _) in tags.items():
        np.testing.assert_array_equal(run.series[tag].steps, steps, err_msg=tag)
        np.testing.assert_array_equal(run.series[tag].values, values, err_msg=tag)


def test_restarts_as_tensorboards_data_server_shows_them(tmp_path):
    from tensorboard.compat.proto import event_pb2

    start = event_pb2.SessionLog(status=event_pb2.SessionLog.START)
    f = tmp_path / "events.out.tfevents.1"
    _write(
        f,
        [_event(s, value=s) for s in range(10)]
        + [_event(s, tag="acc", value=s) for s in range(10)]
        + [_event(s, tag="lr", value=s) for s in range(10)]
        + [_event(6, session_log=start)]  # a restart marker: the data server drops nothing for it
        + [_event(s, value=100 + s) for s in range(6, 9)]  # loss logs 6.. again: replaces 6..9
        + [_event(3, tag="acc", value=-3.0)]  # acc goes back to 3: its points >= 3 are dropped
        + [_event(12, tag="lr", value=1.0), _event(12, tag="lr", value=2.0)],  # repeated step: the later stays
    )
    run = only_run(tmp_path)
    np.testing.assert_array_equal(run.series["loss"].steps, np.arange(9))
    np.testing.assert_array_equal(run.series["loss"].values, [0, 1, 2, 3, 4, 5, 106, 107, 108])
    np.testing.assert_array_equal(run.series["acc"].steps, [0, 1, 2, 3])
    np.testing.assert_array_equal(run.series["acc"].values, [0, 1, 2, -3])
    np.testing.assert_array_equal(run.series["lr"].steps, [*range(10), 12])
    assert run.series["lr"].values[-1] == 2.0
    _same_as_data_server(tmp_path, run)


def test_a_second_file_after_a_restart(tmp_path):
    _write(tmp_path / "events.out.tfevents.100.host", [_event(s, value=s) for s in range(10)])
    _write(tmp_path / "events.out.tfevents.200.host", [_event(s, value=-s) for s in range(5, 12)])
    run = only_run(tmp_path)
    s = run.series["loss"]
    np.testing.assert_array_equal(s.steps, np.arange(12))
    np.testing.assert_array_equal(s.values, [0, 1, 2, 3, 4, -5, -6, -7, -8, -9, -10, -11])
    _same_as_data_server(tmp_path, run)


def test_truncated_last_record_is_read_later(tmp_path):
    f = tmp_path / "events.out.tfevents.1"
    _write(f, [_event(s, value=s) for s in range(20)])
    full = f.read_bytes()
    for cut in (1, 5, 11, 13, 20):
        f.write_bytes(full[:-cut])
        assert len(only_run(tmp_path).series["loss"]) == 19
    f.write_bytes(full)
    assert len(only_run(tmp_path).series["loss"]) == 20


@pytest.mark.parametrize("chunk", [100, 333, 4096])
def test_records_across_chunks_and_larger_than_a_chunk(tmp_path, monkeypatch, chunk):
    from lrdesigner.logs import events

    f = tmp_path / "events.out.tfevents.1"
    graph = _event(0, graph_def=bytes(range(256)) * 9)  # 2.3 KB: larger than the smaller chunks
    before, after = [_event(s, value=s / 3) for s in range(30)], [_event(s, value=-s) for s in range(30, 60)]
    _write(f, [*before, graph, *after])
    monkeypatch.setattr(events, "CHUNK", chunk)
    s = only_run(f).series["loss"]
    np.testing.assert_array_equal(s.steps, np.arange(60))
    expected = np.float32([k / 3 for k in range(30)] + [-k for k in range(30, 60)])
    np.testing.assert_array_equal(s.values, expected)


@pytest.mark.parametrize(
    "where, problem", [(3, "length's checksum"), (14, "data's checksum"), (-2, "data's checksum")]
)
def test_corrupt_record_names_file_and_offset(tmp_path, where, problem):
    f = tmp_path / "events.out.tfevents.1"
    _write(f, [_event(s, value=s) for s in range(20)])
    data = bytearray(f.read_bytes())
    first = len(encode(_event(0)))  # bytes before the third record: file_version + one event ...
    head_len = struct.unpack_from("<Q", data, 0)[0] + 16
    record = head_len + first  # the third record starts here
    data[record + where if where >= 0 else record + first + where] ^= 0x40
    f.write_bytes(bytes(data))
    with pytest.raises(LogError) as err:
        read(tmp_path)
    assert str(f) in str(err.value) and problem in str(err.value)
    assert f"byte {record}" in str(err.value)


def test_bad_input(tmp_path):
    empty = tmp_path / "events.out.tfevents.empty"
    empty.write_bytes(b"")
    assert only_run(empty).series == {}
    junk = tmp_path / "junk" / "events.out.tfevents.junk"
    junk.parent.mkdir()
    junk.write_bytes(os.urandom(5000))
    with pytest.raises(LogError, match="checksum"):
        read(junk)
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    (nothing / "readme.txt").write_text("hello")
    with pytest.raises(LogError, match="no logs found"):
        read(nothing)


def test_a_corrupt_file_beside_a_good_one_is_skipped_with_a_warning(tmp_path):
    _write(tmp_path / "events.out.tfevents.100.host", [_event(s, value=s) for s in range(10)])
    bad = tmp_path / "events.out.tfevents.200.host"
    _write(bad, [_event(s, value=-s) for s in range(10, 15)])
    data = bytearray(bad.read_bytes())
    data[-3] ^= 0x10
    bad.write_bytes(bytes(data))
    (run,) = read(tmp_path)
    np.testing.assert_array_equal(run.series["loss"].steps, np.arange(10))
    (warning,) = run.warnings
    assert str(bad) in warning and "data's checksum" in warning
    with pytest.raises(LogError, match="data's checksum"):
        read(bad)

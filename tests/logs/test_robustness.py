"""Mutated valid files: only LogError escapes, and nothing hangs."""

import json
import os
import socket
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.logs import LogError, read
from lrdesigner.logs.records import encode

pytestmark = pytest.mark.usefixtures("event_reader")


def _events():
    from tensorboard.compat.proto import event_pb2, summary_pb2

    out = [encode(event_pb2.Event(wall_time=0.0, file_version="brain.Event:2").SerializeToString())]
    for step in range(30):
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=1.0 / (step + 1))])
        out.append(encode(event_pb2.Event(wall_time=1.0, step=step, summary=s).SerializeToString()))
    return b"".join(out)


VALID = {
    "events.out.tfevents.1": _events(),
    "metrics.csv": b"epoch,step,train_loss,val_loss\n0,0,2.0,\n0,1,1.9,\n0,1,,1.7\n",
    "log.csv": b"epoch,loss,val_loss\n0,1.5,NA\n1,1.2,1.1\n",
    "trainer_state.json": json.dumps(
        {"log_history": [{"loss": 1.0, "step": 1}, {"eval_loss": 2.0, "step": 1}]}
    ).encode(),
    "metrics.jsonl": b'{"iteration": 1, "loss": 0.5}\n{"iteration": 2, "loss": "0.4"}\n',
}

mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "truncate"]), st.integers(0, 10**6), st.integers(0, 255)
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, pos, byte in ops:
        if not b:
            break
        i = pos % len(b)
        if op == "flip":
            b[i] ^= byte or 1
        elif op == "insert":
            b.insert(i, byte)
        elif op == "delete":
            del b[i]
        else:
            del b[i:]
    return bytes(b)


@pytest.mark.parametrize("name", sorted(VALID))
@given(ops=mutations)
@settings(
    max_examples=120, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_mutated_files_raise_only_log_errors(tmp_path, name, ops):
    folder = tmp_path / "case"
    folder.mkdir(exist_ok=True)
    for f in folder.iterdir():
        f.unlink()
    path = folder / name
    path.write_bytes(mutate(VALID[name], ops))
    try:
        runs = read(path)
    except LogError as exc:
        assert str(path) in str(exc) or str(folder) in str(exc)
        return
    for run in runs:
        for s in run.series.values():
            assert len(s.steps) == len(s.values)


@given(data=st.binary(max_size=3000))
@settings(
    max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_bytes(tmp_path, data):
    path = tmp_path / "random.bin"
    path.write_bytes(data)
    try:
        read(path)
    except LogError:
        pass


def test_unreadable_and_missing(tmp_path):
    with pytest.raises(LogError, match="no such file"):
        read(tmp_path / "missing")
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "good.csv").write_text("step,loss\n1,2\n")
    # A socket cannot be opened for reading, not even by root (as CI runs).
    unreadable = folder / "metrics.jsonl"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(unreadable))
        with pytest.raises(LogError, match="cannot read") as err:
            read(unreadable)
        assert str(unreadable) in str(err.value)
        runs = read(folder)  # in a folder it is skipped with a warning and the rest is read
        assert [r.name for r in runs] == ["good.csv"]
        assert len(runs.warnings) == 1 and str(unreadable) in runs.warnings[0]
    if os.geteuid() != 0:  # root reads files whatever their mode
        locked = folder / "locked.csv"
        locked.write_text("step,loss\n1,2\n")
        locked.chmod(0)
        with pytest.raises(LogError, match="cannot read"):
            read(locked)

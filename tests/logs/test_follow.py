"""Following growing logs: every point exactly once, new files, rewritten CSVs."""

import threading
import time

import numpy as np
import pytest
from lrdesigner.logs.follow import Follower, follow
from lrdesigner.logs.records import encode

pytestmark = pytest.mark.usefixtures("event_reader")


def _event(step, value, tag="loss"):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
    return encode(event_pb2.Event(wall_time=1.0 + step, step=step, summary=s).SerializeToString())


def collect(updates, into):
    for u in updates:
        steps, values = into.setdefault(u.tag, ([], []))
        if u.replaced:
            steps.clear()
            values.clear()
        steps.extend(u.series.steps.tolist())
        values.extend(u.series.values.tolist())


def test_writer_thread_appends_while_the_follower_reads(tmp_path):
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(b"")
    total = 3000
    done = threading.Event()
    polled = threading.Event()

    def writer():
        with open(path, "ab", buffering=0) as f:
            for step in range(total):
                if step == total // 2:
                    polled.clear()
                    polled.wait(10)  # let the follower read the first half while the file grows
                rec = _event(step, float(step)) + _event(step, -float(step), tag="acc")
                cut = len(rec) // 3  # records arrive in pieces, as a flushing writer makes them
                f.write(rec[:cut])
                f.write(rec[cut:])
                if step % 97 == 0:
                    time.sleep(0.001)
        done.set()

    seen = {}
    follower = Follower(str(tmp_path))
    t = threading.Thread(target=writer)
    t.start()
    polls = 0
    while not done.is_set() or polls == 0:
        collect(follower.poll(), seen)
        polls += 1
        polled.set()
    t.join()
    collect(follower.poll(), seen)
    assert polls > 1
    assert seen["loss"][0] == list(range(total)) and seen["loss"][1] == [float(s) for s in range(total)]
    assert seen["acc"][0] == list(range(total))


def test_new_event_file_after_a_restart_and_purge(tmp_path):
    (tmp_path / "events.out.tfevents.1").write_bytes(b"".join(_event(s, s) for s in range(10)))
    follower = Follower(str(tmp_path))
    seen = {}
    collect(follower.poll(), seen)
    assert seen["loss"][0] == list(range(10))
    assert follower.poll() == []
    (tmp_path / "events.out.tfevents.2").write_bytes(b"".join(_event(s, -s) for s in range(7, 12)))
    updates = follower.poll()
    assert [u.replaced for u in updates] == [True]  # steps 7..9 were overwritten: whole series again
    collect(updates, seen)
    assert seen["loss"][0] == list(range(12)) and seen["loss"][1][7:] == [-7, -8, -9, -10, -11]


def test_lightning_rewrites_its_csv_when_a_column_appears(tmp_path):
    csv = tmp_path / "metrics.csv"
    csv.write_text("epoch,step,train_loss\n0,0,2.0\n0,1,1.9\n")
    follower = Follower(str(csv))
    seen = {}
    collect(follower.poll(), seen)
    with open(csv, "a") as f:
        f.write("0,2,1.8\n")
    updates = follower.poll()
    assert [(u.tag, u.replaced, u.series.steps.tolist()) for u in updates] == [("train_loss", False, [2])]
    collect(updates, seen)
    csv.write_text("epoch,step,train_loss,val_loss\n0,0,2.0,\n0,1,1.9,\n0,2,1.8,\n0,2,,1.7\n")
    collect(follower.poll(), seen)
    assert seen["train_loss"][0] == [0, 1, 2] and seen["val_loss"][0] == [2]


def test_follow_waits_without_spinning(tmp_path):
    path = tmp_path / "events.out.tfevents.1"
    path.write_bytes(_event(0, 1.0))
    stop = threading.Event()
    got = []
    calls = {"n": 0}
    import lrdesigner.logs.follow as fmod

    real = fmod.Follower.poll

    def counting(self):
        calls["n"] += 1
        return real(self)

    fmod.Follower.poll = counting
    try:

        def consume():
            for updates in follow(str(tmp_path), interval=0.05, stop=stop):
                got.extend(updates)

        t = threading.Thread(target=consume)
        t.start()
        time.sleep(0.5)
        stop.set()
        t.join(2)
    finally:
        fmod.Follower.poll = real
    assert not t.is_alive()
    assert len(got) == 1 and np.array_equal(got[0].series.steps, [0])
    assert calls["n"] <= 15  # about one poll per interval, not a busy loop

"""`lrdesigner logs` as a user runs it."""

import json
import subprocess
import sys

import numpy as np
from lrdesigner.logs.records import encode
from lrdesigner.logs.smoothing import smooth_reference


def run(*args):
    p = subprocess.run(
        [sys.executable, "-m", "lrdesigner.cli", "logs", *args], capture_output=True, text=True, timeout=120
    )
    return p.returncode, p.stdout, p.stderr


def _events(folder, tag_values):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    folder.mkdir(parents=True, exist_ok=True)
    recs = []
    for step, (tag, value) in enumerate(tag_values):
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
        recs.append(encode(event_pb2.Event(wall_time=100.0 + step, step=step, summary=s).SerializeToString()))
    (folder / "events.out.tfevents.1").write_bytes(b"".join(recs))


def test_list_and_print_with_smoothing(tmp_path):
    _events(tmp_path / "train", [("loss", v) for v in (3.0, 2.0, float("nan"), 1.0, 0.5)])
    _events(tmp_path / "validation", [("loss", 2.5), ("loss", 2.25)])
    rc, out, err = run(str(tmp_path), "--list")
    assert rc == 0, err
    assert "train  (" in out and "validation  (" in out
    assert "  loss  5 points, steps 0..4, 1 non-finite" in out
    rc, out, err = run(str(tmp_path), "--tag", "loss")
    assert rc == 2 and "several runs (train, validation); choose one with --run" in err
    rc, out, _ = run(str(tmp_path), "--tag", "loss", "--run", "train", "--smooth", "0.6")
    lines = out.strip().splitlines()
    assert lines[0] == "step,value,smoothed,wall_time"
    rows = [ln.split(",") for ln in lines[1:]]
    assert [int(r[0]) for r in rows] == [0, 1, 2, 3, 4]
    ref = smooth_reference([3.0, 2.0, float("nan"), 1.0, 0.5], 0.6)
    got = [float(r[2]) for r in rows]
    np.testing.assert_allclose([g for g in got if g == g], [r for r in ref if r == r], rtol=1e-12)
    assert rows[2][1] == "nan"
    rc, out, _ = run(str(tmp_path), "--tag", "loss", "--run", "validation", "--format", "json")
    data = json.loads(out)
    assert data["step"] == [0, 1] and data["value"] == [2.5, 2.25] and data["wall_time"] == [100.0, 101.0]


def test_csv_full_precision(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("step,loss\n1,0.1234567890123456789\n2,1e-300\n")
    rc, out, _ = run(str(p), "--tag", "loss")
    assert rc == 0 and out.splitlines() == ["step,value", "1,0.12345678901234568", "2,1e-300"]


def test_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("step,loss\n1,0.5\n2,oops\n")
    for args in ([str(bad), "--list"], [str(tmp_path / "missing")], [str(tmp_path), "--tag", "nope"]):
        rc, out, err = run(*args)
        assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1, (args, err)
        assert err.startswith("lrdesigner logs: error: ")
    rc, _, err = run(str(bad), "--list")
    assert f"{bad}, line 3: column 'loss': 'oops' is not a number" in err


def test_design_comparison_and_skipped_files(tmp_path):
    from lrdesigner.schedule import Design, Segment, designfile

    design = Design((Segment.create("linear", 10, 0.0, 1e-3), Segment.create("linear", 90, 1e-3, 0.0)))
    (tmp_path / "design.json").write_text(designfile.dumps(design))
    history = [{"step": k, "learning_rate": design.lr_at(k - 1), "loss": 1.0} for k in range(1, 101)]
    state = tmp_path / "run" / "trainer_state.json"
    state.parent.mkdir()
    state.write_text(json.dumps({"log_history": history}))
    rc, out, err = run(str(state), "--design", str(tmp_path / "design.json"))
    assert rc == 0, err
    assert "run/learning_rate: this run followed the design exactly" in out
    assert "Hugging Face Trainer: lr(k-1) logged at step k" in out
    history[60]["learning_rate"] *= 2  # logged at step 61: the LR of update 60
    state.write_text(json.dumps({"log_history": history}))
    rc, out, _ = run(str(state), "--design", str(tmp_path / "design.json"))
    assert rc == 1 and "differs from step 60 on" in out
    (tmp_path / "run" / "events.out.tfevents.lfs").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n"
    )
    rc, out, _ = run(str(tmp_path / "run"), "--list")
    assert rc == 0 and "note: skipped" in out and "Git LFS pointer" in out

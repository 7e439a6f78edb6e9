"""Ultralytics / YOLOv5 results.csv: read as the `ultralytics` writer, named after the run folder,
epochs numbered as the file numbers them, the LRs' printed precision as their rounding."""

import json
import os

import numpy as np
import pytest
from lrdesigner.logs import read
from lrdesigner.logs.alignment import place

REAL = os.environ.get("LRDESIGNER_REAL_RUNS")


def _runs():
    if not REAL or not os.path.isfile(os.path.join(REAL, "runs.json")):
        return []
    with open(os.path.join(REAL, "runs.json"), encoding="utf-8") as f:
        return [r for r in json.load(f)["runs"] if r["framework"] in ("ultralytics", "yolov5")]


RUNS = {r["id"]: r for r in _runs()}


@pytest.mark.skipif(not RUNS, reason="LRDESIGNER_REAL_RUNS not set")
@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_real_results_csv(run_id):
    run = RUNS[run_id]
    truth = run["truth"]
    runs = read(os.path.join(REAL, run["log"]))
    folder = os.path.basename(os.path.dirname(run["log"]))
    blocks = truth.get("blocks") or [{"first_row": 0, "last_row": truth["rows"] - 1}]
    assert [r.name for r in runs] == [folder] + [f"{folder} ({i})" for i in range(2, len(blocks) + 1)]
    if len(blocks) > 1:
        assert any("appended" in w for w in runs[0].warnings)
    for r, block in zip(runs, blocks):
        assert r.writer == "ultralytics"
        for tag in run["lr_tags"]:
            s = r.series[tag]
            assert len(s) == block["last_row"] - block["first_row"] + 1
            assert s.x_kind == "epoch" and s.epoch_zero_based == (truth["epoch_base"] == 0)
            assert s.rounding == pytest.approx(0.5 * 10.0 ** (1 - truth["print_sig_digits"]))


def _write(tmp_path, folder, text):
    d = tmp_path / folder
    d.mkdir()
    (d / "results.csv").write_text(text, encoding="utf-8")
    return str(d / "results.csv")


def test_current_ultralytics_file(tmp_path):
    path = _write(
        tmp_path,
        "train7",
        "epoch,time,train/box_loss,lr/pg0,lr/pg1,lr/pg2\n"
        "1,10.5,1.2,0.0702857,0.000971429,0.000971429\n"
        "2,20.1,1.1,0.0403524,0.00193257,0.00193257\n",
    )
    (run,) = read(path)
    assert run.name == "train7" and run.writer == "ultralytics"
    s = run.series["lr/pg1"]
    assert not s.epoch_zero_based and s.rounding == pytest.approx(5e-6)  # 6 significant digits
    # the row of epoch e (1-based here) logs the LR of the epoch's last iteration, e * nb - 1
    np.testing.assert_array_equal(place(s, 50, writer=run.writer).steps, [49, 99])


def test_yolov5_padded_file(tmp_path):
    path = _write(
        tmp_path,
        "exp",
        "      epoch,   x/lr0,   x/lr1,   x/lr2\n"
        "          0,  0.0962,  0.0002,  0.0002\n"
        "          1,0.091449,0.00044911,0.00044911\n",
    )
    (run,) = read(path)
    s = run.series["x/lr1"]
    assert run.name == "exp" and s.epoch_zero_based and s.rounding == pytest.approx(5e-5)
    # (alignment.is_lr_tag does not know `x/lrN` yet: the tag is said to be an LR here)
    np.testing.assert_array_equal(place(s, 10, writer=run.writer, lr=True).steps, [9, 19])
    np.testing.assert_array_equal(s.values, [0.0002, 0.00044911])


def test_appended_runs_are_split(tmp_path):
    path = _write(
        tmp_path,
        "train",
        "epoch,lr/pg0,lr/pg1,lr/pg2\n1,0.1,0.001,0.001\n2,0.05,0.002,0.002\n"
        "1,0.1,0.0001,0.0001\n1,0.1,0.01,0.01\n2,0.05,0.02,0.02\n",
    )
    runs = read(path)
    assert [r.name for r in runs] == ["train", "train (2)", "train (3)"]
    assert [list(r.series["lr/pg1"].values) for r in runs] == [[0.001, 0.002], [0.0001], [0.01, 0.02]]
    assert "3 runs appended" in runs[0].warnings[0]


def test_other_epoch_csv_stays_keras(tmp_path):
    path = _write(tmp_path, "keras", "epoch,loss,lr\n0,1.0,0.01\n1,0.9,0.01\n")
    (run,) = read(path)
    assert run.writer == "keras-csv" and run.name == "results"

"""Importing Ultralytics args.yaml / YOLOv5 hyp.yaml + opt.yaml, and recognising the schedule in a
results.csv column: real runs (the folder named by LRDESIGNER_REAL_RUNS, ground truth in its
runs.json) and small synthetic files."""

import json
import math
import os

import numpy as np
import pytest
from lrdesigner.cli import main
from lrdesigner.schedule import designfile
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.fitting.ultralytics import recognize
from lrdesigner.schedule.runconfig import load_run_schedule

REAL = os.environ.get("LRDESIGNER_REAL_RUNS")
needs_real = pytest.mark.skipif(
    not REAL or not os.path.isdir(REAL or ""), reason="LRDESIGNER_REAL_RUNS not set"
)


def _runs():
    if not REAL or not os.path.isfile(os.path.join(REAL, "runs.json")):
        return []
    with open(os.path.join(REAL, "runs.json"), encoding="utf-8") as f:
        runs = json.load(f)["runs"]
    return [r for r in runs if r["framework"] in ("ultralytics", "yolov5")]


RUNS = {r["id"]: r for r in _runs()}


def lf(truth, x):
    """The trainer's lf with the truth's settings (runs.json `fields.lf`)."""
    x = np.asarray(x, dtype=np.float64)
    if truth["schedule"] == "cosine":
        return ((1 - np.cos(np.pi * x / truth["epochs"])) / 2) * (truth["lrf"] - 1) + 1
    return np.maximum(1 - x / truth["epochs"], 0) * (1 - truth["lrf"]) + truth["lrf"]


def logged(run):
    """(0-based epochs, {tag: values}, rel_tol) of the first block of the run's results.csv."""
    import csv

    with open(os.path.join(REAL, run["log"]), encoding="utf-8") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f) if r]
    header, rows = rows[0], rows[1:]
    truth = run["truth"]
    if "blocks" in truth:
        rows = rows[truth["blocks"][0]["first_row"] : truth["blocks"][0]["last_row"] + 1]
    e = np.array([int(float(r[header.index("epoch")])) for r in rows]) - truth["epoch_base"]
    cols = {t: np.array([float(r[header.index(t)]) for r in rows]) for t in run["lr_tags"]}
    return e, cols, 0.5 * 10.0 ** (1 - truth["print_sig_digits"])


def close(a, b, rel_tol):
    return np.abs(np.asarray(a) - b) <= rel_tol * np.abs(b) * (1 + 1e-6) + 1e-15


def level(truth, tag):
    return truth.get("lr0_effective_by_tag", {}).get(tag, truth["lr0_effective"])


def explicit(truth):
    return truth["optimizer"] is None or str(truth["optimizer"]).lower() == str(truth["optimizer_used"]).lower()


# ---- import ----------------------------------------------------------------------------------


@needs_real
@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_import_gives_the_logged_lr(run_id):
    run = RUNS[run_id]
    truth = run["truth"]
    settings = os.path.join(REAL, run["settings"][0])
    e, cols, rel_tol = logged(run)
    if truth["warmup_epochs"] == 0:  # no warmup row tells the batches per epoch
        with pytest.raises(DesignError, match="--steps-per-epoch"):
            load_run_schedule(settings)
        rs = load_run_schedule(settings, steps_per_epoch=5)
    else:
        rs = load_run_schedule(settings)
    nb = rs.design.steps_per_epoch
    assert rs.log == os.path.join(os.path.dirname(settings), "results.csv")
    if truth["batches_per_epoch"] is not None and nb != truth["batches_per_epoch"]:
        assert any("batches per epoch (" in n and str(truth["batches_per_epoch"]) in n for n in rs.notes)
    steps = (e + 1) * nb - 1
    first = truth["first_exact_row"] if truth["first_exact_row"] is not None else len(e)
    every_row = bool(truth["exact_after_warmup"] or truth["exact_after_warmup"] is None) and bool(
        truth["warmup_rows_reproduced"] or truth["warmup_rows_reproduced"] is None
    )
    shifted = truth.get("column_map") or {}
    for tag in run["lr_tags"]:
        real_tag = {"x/lr1": "x/lr0", "x/lr2": "x/lr1", "metrics/F2": "x/lr2"}[tag] if shifted else tag
        if real_tag not in rs.groups or (shifted and tag == "metrics/F2"):
            continue
        design = rs.groups[tag if not shifted else tag]
        values = design.evaluate(steps)
        rows = slice(0, None) if every_row else slice(first, None)
        if explicit(truth) or truth["lr0_source"] == "post-warmup rows":
            assert np.all(close(values[rows], cols[tag][rows], rel_tol)), (
                tag,
                np.flatnonzero(~close(values[rows], cols[tag][rows], rel_tol))[:5],
            )
        if truth["lag"] is not None and not shifted:  # after warmup: the formula of runs.json
            i = np.arange(first, len(e))
            expected = level(truth, tag) * lf(truth, np.maximum(i - truth["lag"], 0))
            assert np.all(close(values[first:], expected, rel_tol))
    assert not any("differs" in n for n in rs.notes if "x/lr0" not in n or not shifted)


@needs_real
def test_cli_import_of_an_args_yaml(tmp_path, capsys):
    run = RUNS["ultralytics/05-minooashoori-yolo"]
    out = tmp_path / "d.json"
    assert main(["import", os.path.join(REAL, run["settings"][0]), "-o", str(out)]) == 0
    design = designfile.load(str(out))
    truth = run["truth"]
    assert design.steps_per_epoch == truth["batches_per_epoch"]
    e = np.arange(truth["first_exact_row"], truth["rows"])
    expected = truth["lr0_effective"] * lf(truth, e - truth["lag"])
    np.testing.assert_allclose(design.evaluate((e + 1) * design.steps_per_epoch - 1), expected, rtol=1e-12)
    assert "one epoch behind" in capsys.readouterr().err


# ---- recognition -----------------------------------------------------------------------------


def _recognisable(run):
    t = run["truth"]
    return t["exact_after_warmup"] is True or t["warmup_rows_reproduced"] is True


@needs_real
@pytest.mark.parametrize("run_id", sorted(r for r in RUNS if _recognisable(RUNS[r])))
def test_recognize_finds_the_truth(run_id):
    run = RUNS[run_id]
    truth = run["truth"]
    e, cols, rel_tol = logged(run)
    no_post_warmup = truth["lag"] is None
    hints = dict(
        lr0=truth["lr0_effective"],
        lrf=truth["lrf"],
        epochs=truth["epochs"],
        cos_lr=truth["schedule"] == "cosine",
        warmup_epochs=truth["warmup_epochs"],
        warmup_min_iterations=truth.get("warmup_min_iterations") or 100,
        warmup_bias_lr=truth.get("warmup_bias_lr_effective", truth.get("warmup_bias_lr")),
    )
    for tag in run["lr_tags"]:
        # Without settings: family, lr0, lag and the decay's slope; with them: lrf and epochs too.
        for given in (hints,) if no_post_warmup else ({}, hints):
            nb = None
            start = truth.get("warmup_bias_lr_effective", truth.get("warmup_bias_lr"))
            if tag == truth["bias_tag"] and start == truth["lr0_effective"]:
                # A bias group starting at its own lr0 (yolov5/05) tells nothing of nb: the weights' nb.
                weights = next(t for t in run["lr_tags"] if t != tag)
                nb = recognize(e, cols[weights], rel_tol, hints=given)[0].extra["candidates"][0][0]
            recs = recognize(e, cols[tag], rel_tol, nb, hints=given)
            assert recs, (tag, given)
            rec = recs[0]
            p = rec.params
            assert rec.preset == f"ultralytics.{truth['schedule']}"
            # lr0 to the log's precision; exactly when the settings give it
            assert math.isclose(p["lr0"], level(truth, tag), rel_tol=1e-9 if given else 2 * rel_tol)
            if truth["lag"] is not None:
                assert p["epoch_lag"] == truth["lag"]
            slope = p["lr0"] * (1 - p["lrf"]) / p["epochs"]
            truth_slope = level(truth, tag) * (1 - truth["lrf"]) / truth["epochs"]
            if truth["schedule"] == "linear" and not no_post_warmup:
                flat = truth_slope * e[-1] < rel_tol * p["lr0"]  # no decay visible in the rows
                assert math.isclose(slope, truth_slope, rel_tol=2e-2) or flat
            if given:
                assert (p["lrf"], p["epochs"]) == (truth["lrf"], truth["epochs"])
            true_nb = truth["batches_per_epoch"]
            if true_nb is not None:
                if rec.extra["per_epoch"]:  # several fit; with the settings' decay, the true one among them
                    assert not given or true_nb in {c[0] for c in rec.extra["candidates"]}
                else:
                    assert p["steps_per_epoch"] == true_nb
            assert np.all(close(rec.design.evaluate(rec.steps), cols[tag], rel_tol))


def test_recognize_a_synthetic_cosine_with_lag():
    """Rows made with the formulas of runs.json: nb 37, nw max(round(2 * 37), 100) = 100, lag 1."""
    nb, nw, lr0, lrf, epochs = 37, 100, 0.01, 0.05, 40
    e = np.arange(25)
    lf_ = ((1 - np.cos(np.pi * np.arange(-1, 40) / epochs)) / 2) * (lrf - 1) + 1
    n = (e + 1) * nb - 1
    target = lr0 * lf_[e + 1]
    rows = np.where(
        n <= nw,
        0.1 + (target - 0.1) * n / nw,
        np.where(e * nb <= nw, target, lr0 * lf_[np.maximum(e - 1, 0) + 1]),
    )
    rows = np.array([float(f"{x:.6g}") for x in rows])
    rec = recognize(e, rows, 5e-6, hints=dict(epochs=40, cos_lr=True))[0]
    assert rec.preset == "ultralytics.cosine"
    assert (rec.params["lr0"], rec.params["lrf"], rec.params["epoch_lag"]) == (lr0, lrf, 1)
    assert (rec.params["steps_per_epoch"], rec.extra["warmup_iterations"], rec.params["warmup_bias_lr"]) == (
        nb,
        nw,
        0.1,
    )
    np.testing.assert_array_equal(rec.steps, n)


def test_recognize_a_linear_decay_says_what_it_cannot_tell():
    e = np.arange(30)
    rows = np.array([float(f"{x:.6g}") for x in 0.002 * ((1 - e / 200) * (1 - 0.01) + 0.01)])
    rec = recognize(e, rows, 5e-6)[0]
    assert rec.params["lr0"] == 0.002 and {"lrf", "epochs"} <= set(rec.inferred)
    assert any("ambiguous" in n for n in rec.notes)
    assert any("per-epoch" in n for n in rec.notes) and rec.design.steps_per_epoch == 1


# ---- bad input -------------------------------------------------------------------------------

ARGS = (
    "task: detect\nmode: train\nepochs: 10\noptimizer: SGD\nlr0: 0.01\nlrf: 0.01\ncos_lr: false\n"
    "warmup_epochs: 3.0\nwarmup_bias_lr: 0.1\n"
)


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_missing_lr0_names_the_file_and_key(tmp_path):
    path = _write(tmp_path, "args.yaml", ARGS.replace("lr0: 0.01\n", "lr0: null\n"))
    with pytest.raises(DesignError) as err:
        load_run_schedule(path, steps_per_epoch=10)
    assert "args.yaml" in str(err.value) and "lr0" in str(err.value)


def test_non_numeric_lrf_names_the_file_and_key(tmp_path):
    path = _write(tmp_path, "args.yaml", ARGS.replace("lrf: 0.01", "lrf: abc"))
    with pytest.raises(DesignError) as err:
        load_run_schedule(path, steps_per_epoch=10)
    assert "args.yaml" in str(err.value) and "lrf" in str(err.value) and "'abc'" in str(err.value)


def test_hyp_yaml_without_opt_yaml(tmp_path):
    path = _write(tmp_path, "hyp.yaml", "lr0: 0.01\nlrf: 0.01\nwarmup_epochs: 3.0\nwarmup_bias_lr: 0.1\n")
    with pytest.raises(DesignError) as err:
        load_run_schedule(path, steps_per_epoch=10)
    assert "hyp.yaml" in str(err.value) and "opt.yaml" in str(err.value)


def test_without_batches_per_epoch_it_asks_for_them(tmp_path):
    path = _write(tmp_path, "args.yaml", ARGS)
    with pytest.raises(DesignError, match="--steps-per-epoch"):
        load_run_schedule(path)


def test_a_bad_results_csv_cell_names_its_line(tmp_path):
    path = _write(tmp_path, "args.yaml", ARGS)
    _write(tmp_path, "results.csv", "epoch,lr/pg0,lr/pg1,lr/pg2\n1,0.09,0.001,0.001\n2,x,0.002,0.002\n")
    with pytest.raises(DesignError) as err:
        load_run_schedule(path)
    assert "results.csv" in str(err.value) and "line 3" in str(err.value)


def test_yolov5_opt_with_hyp_beside_and_a_synthetic_log(tmp_path):
    """A YOLOv5 run written from the formulas: nb 9, warmup max(round(3 * 9), 100) = 100, lag 1."""
    nb, nw, lr0, lrf, epochs = 9, 100, 0.01, 0.01, 30
    _write(tmp_path, "hyp.yaml", f"lr0: {lr0}\nlrf: {lrf}\nwarmup_epochs: 3.0\nwarmup_bias_lr: 0.1\n")
    opt = _write(
        tmp_path,
        "opt.yaml",
        f"hyp: {tmp_path / 'hyp.yaml'}\nepochs: {epochs}\noptimizer: SGD\ncos_lr: false\nbatch_size: 16\n",
    )
    e = np.arange(20)
    n = (e + 1) * nb - 1

    def lf_(x):
        return (1 - x / epochs) * (1 - lrf) + lrf

    def column(start):
        target = lr0 * lf_(e)
        return np.where(
            n <= nw,
            start + (target - start) * n / nw,
            np.where(e * nb <= nw, target, lr0 * lf_(np.maximum(e - 1, 0))),
        )

    cols = [column(0.1), column(0.0), column(0.0)]
    lines = ["epoch,x/lr0,x/lr1,x/lr2"] + [f"{i}," + ",".join(f"{c[i]:.5g}" for c in cols) for i in e]
    _write(tmp_path, "results.csv", "\n".join(lines) + "\n")
    rs = load_run_schedule(opt)
    assert rs.source == "yolov5" and rs.design.steps_per_epoch == nb
    assert set(rs.groups) == {"x/lr0", "x/lr1", "x/lr2"}
    np.testing.assert_allclose(rs.groups["x/lr0"].evaluate(n), cols[0], rtol=1e-12)
    np.testing.assert_allclose(rs.design.evaluate(n), cols[1], rtol=1e-12)
    assert any("reproduces every logged LR" in note for note in rs.notes)

"""Real training runs (the folder named by LRDESIGNER_REAL_RUNS, with the ground truth of each
schedule in its runs.json): `fit` recognises every exact Hugging Face run's scheduler and
arguments, reproduces the logged points of nearly every run, explains the others, and
`logs --design` never calls a run that followed its design "differs"."""

import json
import os

import numpy as np
import pytest
from lrdesigner.cli import main
from lrdesigner.logs import compare_lr, read
from lrdesigner.logs.fit import fit_series
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset

REAL = os.environ.get("LRDESIGNER_REAL_RUNS")
pytestmark = pytest.mark.skipif(not REAL or not os.path.isdir(REAL), reason="LRDESIGNER_REAL_RUNS not set")

HF_PRESET = {
    "linear": "hf.linear",
    "cosine": "hf.cosine",
    "constant": "constant",
    "constant_with_warmup": "hf.constant_with_warmup",
    "cosine_with_restarts": "hf.cosine_with_restarts",
}


def runs(framework=None):
    with open(os.path.join(REAL, "runs.json"), encoding="utf-8") as f:
        data = json.load(f)["runs"]
    return [r for r in data if framework is None or r["framework"] == framework]


def ids(items):
    return [r["id"] for r in items]


def lr_series(run):
    log, series = all_lr_series(run)[0]
    return log, series


def all_lr_series(run):
    """(run, series) of the run's last LR tag in every run the file holds (several runs appended
    into one results.csv are read as runs of their own)."""
    tag = run["lr_tags"][-1]
    return [(log, log.series[tag]) for log in read(os.path.join(REAL, run["log"])) if tag in log.series]


EXACT_HF = [r for r in runs("hf-trainer") if r["truth"]["exact"]] if REAL and os.path.isdir(REAL) else []


@pytest.mark.parametrize("run", EXACT_HF, ids=ids(EXACT_HF))
def test_fit_recognises_every_exact_hf_run(run):
    truth = run["truth"]
    log, series = lr_series(run)
    (fit,) = fit_series(series, log.writer)
    rec = fit.recognized
    assert rec is not None, fit.summary()
    assert rec.preset == HF_PRESET[truth["scheduler"]]
    assert rec.params["lr"] == pytest.approx(truth["peak_lr"], rel=1e-9)
    if truth["convention"] is not None:  # a flat curve cannot show it
        assert rec.offset == {"k": 0, "k-1": 1}[truth["convention"]], rec.placement
    if rec.preset != "constant":
        assert rec.params["num_warmup_steps"] == truth["warmup_steps"]
    if rec.preset in ("hf.linear", "hf.cosine"):
        assert rec.params["num_training_steps"] == truth["total_steps"]
    assert fit.max_rel_error <= 1e-6


def _reproduced(fit):
    return fit.max_rel_error <= fit.tolerance


def test_fit_reproduces_nearly_every_run_and_explains_the_rest():
    reproduced, failed = 0, []
    for run in runs():
        fits = [f for log, series in all_lr_series(run) for f in fit_series(series, log.writer)]
        if all(_reproduced(f) for f in fits):
            reproduced += 1
        else:
            failed.append((run["id"], [f.notes for f in fits], run["truth"].get("anomalies")))
    assert reproduced >= 57, failed
    for run_id, notes, anomalies in failed:
        assert notes and any(notes), (run_id, anomalies)


def test_fit_explains_skipped_scheduler_steps_as_runs_json_lists_them():
    for run in runs("hf-trainer"):
        lag = run["truth"].get("step_lag")
        if not lag:
            continue
        log, series = lr_series(run)
        (fit,) = fit_series(series, log.writer)
        assert fit.recognized is not None, run["id"]
        got = fit.recognized.extra["step_lag"]
        # the lag at the first logged step may be stated as 0 by runs.json (leave those out)
        assert [x for x in got if x[1]] == [x for x in lag if x[1]], run["id"]
        assert any("fp16" in n for n in fit.notes)


def test_fit_splits_resumed_runs_into_the_schedules_runs_json_gives():
    for run in runs("hf-trainer"):
        pieces = run["truth"].get("segments")
        if not pieces:
            continue
        log, series = lr_series(run)
        (fit,) = fit_series(series, log.writer)
        assert len(fit.pieces) == 2, (run["id"], fit.summary())
        for got, want in zip(fit.pieces, pieces):
            assert got.params["num_training_steps"] == want["total_steps"], run["id"]
            assert got.params["num_warmup_steps"] == want["warmup_steps"], run["id"]
            # cosine_with_restarts with one cycle is the plain cosine: fit names the simpler one
            assert got.preset == HF_PRESET[run["truth"]["scheduler"]].replace("_with_restarts", ""), run["id"]
        assert any("resumed" in n for n in fit.notes)
        # the design is the run as it went: both schedules, joined where the run resumed
        assert compare_lr(series, fit.design, writer=log.writer).exact


def _true_design(truth):
    if truth["scheduler"] == "constant":
        args = {"lr": truth["peak_lr"], "total_steps": truth["total_steps"]}
    else:
        args = {
            "lr": truth["peak_lr"],
            "num_warmup_steps": truth["warmup_steps"],
            "num_training_steps": truth["total_steps"],
        }
    return get_preset(HF_PRESET[truth["scheduler"]]).build(**args)


@pytest.mark.parametrize("run", EXACT_HF, ids=ids(EXACT_HF))
def test_logs_against_the_true_design_never_says_differs(run, tmp_path, capsys):
    design = _true_design(run["truth"])
    log, series = lr_series(run)
    c = compare_lr(series, design, writer=log.writer)
    assert c.exact, c.message()
    if run["truth"]["convention"] == "k":
        assert "older Trainer" in c.message()
    path = tmp_path / "design.json"
    designfile.save(design, path)
    assert main(["logs", os.path.join(REAL, run["log"]), "--design", str(path)]) == 0
    out = capsys.readouterr().out
    assert "followed the design exactly" in out and "differs" not in out


def test_cli_fit_json_and_design_file(tmp_path, capsys):
    run = next(r for r in runs("hf-trainer") if r["id"].startswith("hf-trainer/12-"))
    out_file = tmp_path / "fitted.json"
    assert main(["fit", os.path.join(REAL, run["log"]), "--format", "json", "-o", str(out_file)]) == 0
    (fit,) = json.loads(capsys.readouterr().out)["fits"]
    assert fit["recognized"]["preset"] == "hf.cosine"
    assert fit["recognized"]["params"] == {"lr": 2e-05, "num_warmup_steps": 37, "num_training_steps": 1218}
    assert fit["max_rel_error"] <= fit["tolerance"] == 1e-6
    design = designfile.load(out_file)
    log, series = lr_series(run)
    np.testing.assert_allclose(design.evaluate(series.steps), series.values, rtol=1e-6)


def test_cli_fit_writes_one_design_per_lr_group(tmp_path, capsys):
    run = next(r for r in runs("ultralytics") if r["id"].startswith("ultralytics/25-"))
    out = tmp_path / "designs"
    assert main(["fit", os.path.join(REAL, run["log"]), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["lr_pg0.json", "lr_pg1.json", "lr_pg2.json"]
    assert "ultralytics.linear" in text
    (log,) = read(os.path.join(REAL, run["log"]))
    truth = run["truth"]
    weights = designfile.load(out / "lr_pg1.json")
    # after warmup, every row is lr0 * lf(epoch) at the epoch's last iteration, to the printed digits
    series = log.series["lr/pg1"]
    nb = truth["batches_per_epoch"]
    rows = np.arange(truth["first_exact_row"], len(series))
    epochs = rows - truth["lag"]
    want = truth["lr0_effective"] * ((1 - epochs / truth["epochs"]) * (1 - truth["lrf"]) + truth["lrf"])
    np.testing.assert_allclose(series.values[rows], want, rtol=5e-6)
    np.testing.assert_allclose(weights.evaluate((rows + 1) * nb - 1), want, rtol=5e-6)

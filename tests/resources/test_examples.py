"""The example designs and the example training run: they open with the core, and the run's logged
learning rate is the design's, cut where the design's plateau policy says."""

import csv
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lrdesigner
import numpy as np
import pytest
from lrdesigner import resources
from lrdesigner.logs import read
from lrdesigner.schedule import designfile
from lrdesigner.schedule.metrics import metrics
from lrdesigner.schedule.plateau import simulate_plateau

DESIGNS = {p.name: p for p in resources.example_designs()}
STEPS_PER_EPOCH, EPOCHS = 200, 30


def test_the_four_example_designs_are_shipped():
    assert set(DESIGNS) == {"noam-transformer-base.json", "warmup-cosine.json", "wsd.json", "one-cycle.json"}


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_each_example_design_loads_and_round_trips(name):
    design = designfile.load(DESIGNS[name])
    assert design.name
    assert designfile.loads(designfile.dumps(design)) == design


def test_noam_is_the_original_transformer_schedule():
    design = designfile.load(DESIGNS["noam-transformer-base.json"])
    steps = np.array([1, 100, 4000, 7999, 8000, 8001, 20000, 99999])
    expected = [512**-0.5 * min(s**-0.5, s * 8000**-1.5) for s in steps]
    np.testing.assert_allclose(design.evaluate(steps), expected, rtol=1e-12)
    assert design.evaluate(np.array([0]))[0] == 0.0
    assert metrics(design).total_steps == 100_000


def test_warmup_cosine_peaks_at_8_percent_and_ends_at_2_percent_of_the_peak():
    m = metrics(designfile.load(DESIGNS["warmup-cosine.json"]))
    assert (m.peak_step, m.peak_lr, m.total_steps) == (8000, 5e-4, 100_000)
    assert math.isclose(m.final_lr, 1e-5, rel_tol=1e-6)


def test_wsd_holds_its_peak_until_the_last_fifth_then_cools_down():
    design = designfile.load(DESIGNS["wsd.json"])
    lr = design.evaluate(np.array([2000, 40000, 79999, 90000, 99999]))
    assert np.all(lr[:3] == 3e-4)
    assert 0 < lr[4] < lr[3] < 3e-4


def test_one_cycle_rises_over_30_percent_then_anneals():
    design = designfile.load(DESIGNS["one-cycle.json"])
    m = metrics(design)
    assert m.total_steps == 100_000
    assert math.isclose(m.peak_lr, 0.01) and 29_900 <= m.peak_step <= 30_000
    assert math.isclose(design.evaluate(np.array([0]))[0], 0.01 / 25)


def test_the_script_that_writes_the_examples_reproduces_them(tmp_path):
    script = resources.path("examples", "designs", "make_designs.sh")
    if not script.is_file():
        pytest.skip("the generator scripts are not shipped in installed resources")
    if not shutil.which("bash"):
        pytest.skip("bash is not installed")
    work = tmp_path / "designs"
    work.mkdir()
    shutil.copy(script, work)
    # The script runs in its own folder: the same lrdesigner as this test's, by absolute path.
    package_root = str(Path(lrdesigner.__file__).resolve().parents[1])
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PYTHONPATH=os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]),
    )
    subprocess.run(["bash", str(work / script.name)], check=True, env=env, capture_output=True)
    for name, path in DESIGNS.items():
        assert (work / name).read_text() == path.read_text(), name
    assert (tmp_path / "schedules.workspace.json").read_text() == resources.example_workspace().read_text()


def test_the_example_workspace_compares_the_transformer_schedule_with_the_others():
    from lrdesigner import workspace

    ws = workspace.load(resources.example_workspace())
    assert ws.design == designfile.load(DESIGNS["noam-transformer-base.json"])
    assert [(layer.problem, layer.design) for layer in ws.layers] == [
        ("", designfile.load(DESIGNS[name])) for name in ("warmup-cosine.json", "wsd.json", "one-cycle.json")
    ]
    assert ws.view["log_scale"] is True


def _runs():
    return {run.name: run for run in read(resources.example_logs())}


def _csv_rows():
    with open(resources.example_logs() / "training.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_the_example_run_logged_every_batch_and_every_epoch():
    runs = _runs()
    assert {"train", "validation"} <= set(runs)
    for tag in ("batch_loss", "batch_learning_rate", "batch_accuracy"):
        s = runs["train"].series[tag]
        assert len(s) == STEPS_PER_EPOCH * EPOCHS
        assert s.steps[0] == 1 and s.steps[-1] == STEPS_PER_EPOCH * EPOCHS
        assert np.isfinite(s.values).all()
    assert len(runs["validation"].series["epoch_loss"]) == EPOCHS
    rows = _csv_rows()
    assert [int(r["epoch"]) for r in rows] == list(range(EPOCHS))


def test_the_example_run_learned():
    loss = _runs()["train"].series["batch_loss"].values
    assert loss[-1] < 0.5 * loss[0]


def test_the_csv_and_tensorboard_logs_agree_on_validation_loss():
    tb = _runs()["validation"].series["epoch_loss"]
    (csv_run,) = read(resources.example_logs() / "training.csv")
    csv_loss = csv_run.series["val_loss"]
    assert csv_loss.x_kind == "epoch"
    np.testing.assert_array_equal(csv_loss.steps, tb.steps)
    np.testing.assert_allclose(csv_loss.values, tb.values, rtol=1e-6)


def test_the_logged_lr_is_the_design_cut_by_its_plateau_policy_on_the_logged_val_loss():
    run_dir = resources.example_run()
    design = designfile.load(run_dir / "design.json")
    assert design.steps_per_epoch == STEPS_PER_EPOCH and design.plateau is not None
    val_loss = [float(r["val_loss"]) for r in _csv_rows()]
    result = simulate_plateau(val_loss, design.plateau, design=design)
    assert len(result.cuts) >= 2, "the example shows plateau cuts"

    logged = _runs()["train"].series["batch_learning_rate"]
    updates = logged.steps - 1  # TensorBoard step n logs the LR of update n - 1
    last_evaluation = np.searchsorted(result.steps, updates, side="right") - 1
    multiplier = np.where(last_evaluation >= 0, result.multipliers[np.maximum(last_evaluation, 0)], 1.0)
    np.testing.assert_allclose(logged.values, design.evaluate(updates) * multiplier, rtol=1e-6, atol=1e-12)

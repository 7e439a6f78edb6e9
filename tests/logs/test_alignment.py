"""Each writer numbers its steps its own way: a run that followed the design shows as exact.
The logs are written by the real Hugging Face Trainer, Lightning and Keras running the design's
export (transformers 5, lightning 2.6, Keras 3 with TensorFlow)."""

import numpy as np
import pytest
from lrdesigner.logs import read
from lrdesigner.logs.alignment import compare_lr, guess_writer, is_lr_tag, place
from lrdesigner.logs.series import LogRun, Series
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.presets.registry import get_preset

from tests.logs.writers import STEPS_PER_EPOCH, run_writer


def design():
    import lrdesigner.schedule.presets  # noqa: F401  (registers the presets)

    return get_preset("hf.cosine").build(lr=1e-3, num_warmup_steps=5, num_training_steps=20)


def lr_series(runs):
    """(run, series) of every LR tag."""
    return [(r, s) for r in runs for t, s in r.series.items() if is_lr_tag(t)]


def test_hf_trainer_logs_the_finished_updates_lr(tmp_path):
    d = design()
    out = run_writer("hf", tmp_path, d)
    runs = read(out)
    found = lr_series(runs)
    assert {r.writer for r, _ in found} == {"hf"}
    sources = sorted(s.source.replace(out, "") for _, s in found)
    assert len(sources) == 3 and sources[0].startswith("/console.log") and sources[1].startswith("/runs/")
    assert sources[2] == "/trainer_state.json"
    for run, s in found:
        np.testing.assert_array_equal(s.steps, np.arange(1, 21))  # updates counted from 1
        c = compare_lr(s, d, writer=run.writer)
        assert c.exact, (run.name, s.tag, c.message())
        assert c.compared == 20
        wrong = compare_lr(s, d, writer="", detect=False)  # read as lr(k) at k, the run seems to differ
        assert not wrong.exact and wrong.first_diff_step == 1
        # an unknown writer's other convention is tried, and named when it is the one that matches
        found_anyway = compare_lr(s, d, writer="")
        assert found_anyway.exact and "lr(n-1)" in found_anyway.message()
    assert "followed the design exactly" in compare_lr(found[0][1], d, writer="hf").message()


def test_lightning_learning_rate_monitor_logs_lr_n_at_n(tmp_path):
    d = design()
    out = run_writer("lightning", tmp_path, d)
    found = lr_series(read(out))
    assert len(found) == 2  # metrics.csv and TensorBoard
    for run, s in found:
        assert run.writer == "lightning" and s.tag == "lr-SGD"
        np.testing.assert_array_equal(s.steps, np.arange(20))
        c = compare_lr(s, d, writer=run.writer)
        assert c.exact, (run.name, c.message())


def test_keras_tensorboard_callback_logs_the_next_updates_lr_per_epoch(tmp_path):
    d = design()
    out = run_writer("keras", tmp_path, d)
    runs = {r.name: r for r in read(out)}
    s = runs["tb/train"].series["epoch_learning_rate"]
    assert runs["tb/train"].writer == "keras-tensorboard"
    np.testing.assert_array_equal(s.steps, np.arange(5))
    p = place(s, STEPS_PER_EPOCH, writer="keras-tensorboard")
    np.testing.assert_array_equal(p.steps, [4, 8, 12, 16, 20])
    c = compare_lr(s, d, STEPS_PER_EPOCH, writer="keras-tensorboard")
    assert c.exact, c.message()  # float32 values: within 1e-6 relative


def test_keras_csvlogger_and_console_log_each_epochs_lr(tmp_path):
    spe = STEPS_PER_EPOCH
    stairs = Design(tuple(Segment.create("constant", spe, 1e-3 * 0.5**e, 1e-3 * 0.5**e) for e in range(5)))
    out = run_writer("keras-per-epoch", tmp_path, stairs)
    runs = {r.name: r for r in read(out)}
    csv, console = runs["training.log"], runs[next(n for n in runs if n != "training.log")]
    for run in (csv, console):
        s = run.series["learning_rate"]
        assert run.writer == "keras-csv" and s.x_kind == "epoch"
        np.testing.assert_array_equal(place(s, spe, writer="keras-csv").steps, [3, 7, 11, 15, 19])
        c = compare_lr(s, stairs, spe, writer="keras-csv")
        assert c.exact, (run.name, c.message())
        assert compare_lr(s, stairs, spe, writer="keras-tensorboard").first_diff_step == 4
    np.testing.assert_allclose(console.series["loss"].values, csv.series["loss"].values, rtol=5e-4)


def test_a_run_that_differs_says_where():
    d = design()
    steps = np.arange(1, 21)
    logged = d.evaluate(steps - 1)
    logged[11:] *= 0.5  # from update 11 on (logged at step 12) the LR was halved
    s = Series("learning_rate", "run", steps, logged)
    c = compare_lr(s, d, writer="hf")
    assert c.first_diff_step == 11 and not c.exact
    assert c.max_rel_diff == pytest.approx(0.5)
    assert c.message().startswith("differs from step 11 on")
    nan = Series("learning_rate", "run", steps, np.where(steps == 3, np.nan, d.evaluate(steps - 1)))
    c = compare_lr(nan, d, writer="hf")
    assert c.exact and c.skipped == 1 and c.compared == 19
    shifted = place(Series("loss", "run", steps, logged), offset=100, writer="hf")
    np.testing.assert_array_equal(shifted.steps, steps + 100)  # losses stay at "updates done"


def test_guess_writer_and_lr_tags():
    assert all(
        is_lr_tag(t)
        for t in (
            "learning_rate",
            "lr",
            "lr-AdamW",
            "epoch_learning_rate",
            "train/learning_rate",
            "lr_pg0",
            "optimizer/lr",
        )
    )
    assert not any(is_lr_tag(t) for t in ("loss", "val_loss", "clr_scale_x", "early", "grad_norm"))
    run = LogRun("r", "p")
    run.add(Series("train/learning_rate", "r", [1], [0.1]))
    assert guess_writer(run, "tensorboard") == "hf"


def test_keras_tensorboard_batch_learning_rate_is_the_lr_of_the_update_just_done():
    """The shipped example run (a real Keras fit with the exported Noam schedule, update_freq=
    batch, plateau cuts): at batch step k the callback logs lr(k-1), so the logged LR follows the
    design exactly until the first plateau cut, which the epoch-level LR dates the same."""
    from lrdesigner import resources
    from lrdesigner.logs import compare_lr, read
    from lrdesigner.schedule import designfile

    logs = resources.example_logs()
    if not logs.is_dir():
        pytest.skip("the example run is not installed")
    design = designfile.load(resources.example_run() / "design.json")
    train = next(run for run in read(str(logs)) if "batch_learning_rate" in run.series)
    batch = compare_lr(train.series["batch_learning_rate"], design, design.steps_per_epoch, 0, train.writer)
    epoch = compare_lr(train.series["epoch_learning_rate"], design, design.steps_per_epoch, 0, train.writer)
    assert batch.first_diff_step == epoch.first_diff_step
    assert batch.first_diff_step % design.steps_per_epoch == 0  # a cut takes effect at an epoch's end
    before = train.series["batch_learning_rate"]
    head = before.steps - 1 < batch.first_diff_step
    assert compare_lr(
        type(before)(before.tag, before.run, before.steps[head], before.values[head]),
        design,
        design.steps_per_epoch,
        0,
        train.writer,
    ).exact

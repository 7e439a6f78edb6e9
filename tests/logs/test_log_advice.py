"""Advice from training logs: each rule on a crafted series, and nothing on a clean run."""

import numpy as np
from lrdesigner.logs.advice import check_logs, loss_spikes, nonfinite_loss, stalls
from lrdesigner.logs.series import LogRun, Series
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy


def design(plateau=None):
    return Design(
        (Segment.create("linear", 1000, 0.0, 1e-3), Segment.create("cosine", 9000, 1e-3, 1e-5)),
        steps_per_epoch=500,
        plateau=plateau,
    )


def smooth_loss(steps):
    rng = np.random.default_rng(0)
    return 3.0 * np.exp(-steps / 3000) + 0.5 + rng.normal(0, 0.01, len(steps))


def run(name, **series):
    r = LogRun(name, name)
    for tag, (steps, values) in series.items():
        r.add(Series(tag, name, steps, values))
    return r


def test_a_clean_run_gets_no_advice():
    d = design()
    steps = np.arange(0, 10000, 10)
    train = run("train", loss=(steps, smooth_loss(steps)), learning_rate=(steps, d.evaluate(steps)))
    val_steps = np.arange(500, 10001, 500)
    val = run("validation", loss=(val_steps, np.linspace(2.0, 0.6, len(val_steps))))
    assert check_logs(d, [train, val]) == []


def test_loss_spike_during_warmup_says_warmup_or_clipping():
    steps = np.arange(0, 10000, 10)
    loss = smooth_loss(steps)
    loss[42] *= 4  # step 420, inside the 1000-step warmup
    loss[500] *= 4  # step 5000: after warmup, not this rule's business
    (a,) = check_logs(design(), [run("train", loss=(steps, loss))])
    assert a.id == "loss-spike-warmup" and a.step == 420
    assert "longer warmup" in a.message and "clipnorm=1.0" in a.message
    assert loss_spikes(steps, smooth_loss(steps), 1000, "loss") == []


def test_nan_loss_says_where_and_the_lr_there():
    steps = np.arange(0, 10000, 10)
    loss = smooth_loss(steps)
    loss[300:] = np.nan
    loss[310] = np.inf
    (a,) = nonfinite_loss(steps, loss, "train/loss", design())
    assert a.id == "loss-nonfinite" and a.step == 3000
    assert "NaN at step 3,000" in a.message and f"{design().lr_at(3000):.3g}" in a.message
    assert any(x.id == "loss-nonfinite" for x in check_logs(design(), [run("train", loss=(steps, loss))]))


def test_validation_stall_longer_than_the_plateau_patience():
    epochs = np.arange(20)
    val = np.r_[np.linspace(2.0, 1.0, 8), np.full(12, 1.0) + 1e-6 * np.arange(12)]
    csv = LogRun("training_log.csv", "training_log.csv", writer="keras-csv")
    csv.add(Series("val_loss", csv.name, epochs, val, x_kind="epoch"))
    (a,) = check_logs(design(PlateauPolicy(patience=5)), [csv])
    assert a.id == "validation-stall" and "more than 5 evaluations" in a.message
    assert "since step 4,000" in a.message  # epoch 7 ends at step 8 x 500
    assert check_logs(design(PlateauPolicy(patience=20)), [csv]) == []
    acc = stalls(epochs, -val, "val_acc", 5, maximize=True)
    assert acc and acc[0].step == 13  # epochs here: the 6th evaluation after epoch 7


def test_logged_lr_differing_from_the_design_says_from_where():
    d = design()
    steps = np.arange(1, 10001, 10)  # the HF Trainer's numbering: lr(k - 1) at k
    lr = d.evaluate(steps - 1)
    hf = LogRun("hf", "trainer_state.json", writer="hf")
    hf.add(Series("learning_rate", "hf", steps, lr))
    assert check_logs(d, [hf]) == []
    lr[steps > 6000] *= 0.1
    hf.add(Series("learning_rate", "hf", steps, lr))
    (a,) = check_logs(d, [hf])
    assert a.id == "lr-differs" and a.step == 6000 and "differs from step 6,000 on" in a.message

"""Recognising library schedules from their own values: every recognised family, with random
arguments, evaluated, written in each convention and fitted back, gives the same preset and
arguments; what no family reproduces is fitted with segments within the tolerance."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.logs.fit import fit_series
from lrdesigner.logs.series import Series
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.fitting.segments import fit_segments
from lrdesigner.schedule.presets import get_preset

LRS = st.sampled_from([1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 0.01, 0.1])


@st.composite
def hf_runs(draw):
    preset = draw(st.sampled_from(["hf.linear", "hf.cosine", "hf.constant_with_warmup"]))
    total = draw(st.integers(200, 20_000))
    every = draw(st.sampled_from([1, 5, 10, 25]))
    # a warmup with a logged point inside it: one ending before the first point could be read as
    # no warmup with another peak (the points alone do not tell; `fit` says so in a note)
    warmup = draw(st.integers(2 * every + 1, total // 3))
    # a run that stops before its end still shows enough of the decay to tell its length
    first = min(max(warmup + 20 * every, total * 3 // 5), total)
    stop = draw(st.integers(first, total)) if preset != "hf.constant_with_warmup" else total
    return preset, {"lr": draw(LRS), "num_warmup_steps": warmup, "num_training_steps": total}, every, stop


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hf_runs(), st.sampled_from([0, 1]))
def test_hf_schedules_come_back_with_their_arguments_in_either_convention(case, shift):
    preset, args, every, stop = case
    design = get_preset(preset).build(**args)
    logged = np.arange(every, stop + 1, every, dtype=np.int64)  # the Trainer logs every `every` steps
    series = Series("learning_rate", "run", logged, design.evaluate(logged - shift))
    (fit,) = fit_series(series, "hf")
    rec = fit.recognized
    assert rec is not None, fit.summary()
    assert rec.preset == preset
    assert rec.params["lr"] == args["lr"]
    assert rec.params["num_warmup_steps"] == args["num_warmup_steps"]
    if preset != "hf.constant_with_warmup":
        assert rec.params["num_training_steps"] == args["num_training_steps"]
    assert rec.offset == shift  # a warmup shows which convention wrote it


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from([1e-3, 0.1, 0.05]),
    st.integers(50, 2000),
    st.sampled_from([0.1, 0.5, 0.2]),
    st.integers(3, 8),
)
def test_step_decay_comes_back_as_steplr(lr, step_size, gamma, drops):
    design = get_preset("torch.StepLR").build(
        lr=lr, step_size=step_size, gamma=gamma, total_steps=step_size * drops
    )
    steps = np.arange(0, step_size * drops, dtype=np.int64)
    (fit,) = fit_series(Series("lr-SGD", "run", steps, design.evaluate(steps)), "lightning")
    assert fit.recognized is not None and fit.recognized.preset == "torch.StepLR"
    assert fit.recognized.params["step_size"] == step_size
    assert fit.recognized.params["gamma"] == pytest.approx(gamma, rel=1e-12)


def test_torch_cosine_annealing_in_lightnings_convention():
    design = get_preset("torch.CosineAnnealingLR").build(lr=0.1, T_max=5000, eta_min=1e-4)
    steps = np.arange(0, 5000, 7, dtype=np.int64)
    (fit,) = fit_series(Series("lr-SGD", "run", steps, design.evaluate(steps)), "lightning")
    assert fit.recognized.preset == "torch.CosineAnnealingLR"
    assert fit.recognized.params == {"lr": 0.1, "eta_min": 0.0001, "T_max": 5000}
    assert fit.recognized.placement == "lr(n) at step n"


def test_a_curve_no_library_makes_is_fitted_with_the_fewest_segments():
    design = Design(
        (
            Segment.create("linear", 300, 0.0, 1e-3),
            Segment.create("constant", 700, 1e-3),
            Segment.create("exponential", 2000, 1e-3, rate=0.5, every=1000),
            Segment.create("linear", 1000, 2.5e-4, 5e-5),
        )
    )
    steps = np.arange(0, 4000, 10, dtype=np.int64)
    (fit,) = fit_series(Series("lr", "run", steps, design.evaluate(steps)), "")
    assert fit.recognized is None
    assert fit.max_rel_error <= 1e-6
    assert [s.shape for s in fit.design.segments] == ["linear", "constant", "exponential", "linear"]
    assert [k.step for k in fit.design.knots][:4] == [0, 300, 1000, 3000]


@pytest.mark.parametrize("every", [1, 10])
def test_cosine_pieces_take_one_segment_each(every):
    """A cosine is one segment whatever part of the wave the points show (one-cycle's two halves,
    a warmup-stable-decay's cooldown)."""
    onecycle = get_preset("torch.OneCycleLR").build(max_lr=1e-3, total_steps=5000)
    steps = np.arange(0, 5000, every, dtype=np.int64)
    fit = fit_segments(steps, onecycle.evaluate(steps), 1e-6)
    assert fit.max_rel_error <= 1e-6
    assert [s.shape for s in fit.design.segments if s.duration > 2 * every] == ["cosine", "cosine"]
    wsd = get_preset("hf.warmup_stable_decay").build(
        lr=1e-3, num_warmup_steps=200, num_decay_steps=1000, num_training_steps=5000
    )
    steps = np.arange(0, 5000, every, dtype=np.int64)
    fit = fit_segments(steps, wsd.evaluate(steps), 1e-6)
    assert [s.shape for s in fit.design.segments] == ["linear", "constant", "cosine"]
    np.testing.assert_allclose(fit.design.evaluate(steps), wsd.evaluate(steps), rtol=1e-6)


def test_plateau_cuts_are_named_with_factor_and_step():
    values = np.where(np.arange(100) < 40, 1e-3, np.where(np.arange(100) < 70, 1e-4, 1e-5))
    steps = np.arange(100, dtype=np.int64) * 100
    fit = fit_segments(steps, values, 1e-6)
    assert fit.max_rel_error == 0
    (result,) = fit_series(Series("val/lr", "run", steps, values * np.where(steps % 300 == 0, 1, 1)), "")
    # the same drop each time is torch's MultiStepLR; its milestones are the drops
    assert result.recognized.preset == "torch.MultiStepLR"
    assert result.recognized.params["milestones"] == [4000, 7000]
    assert result.recognized.params["gamma"] == pytest.approx(0.1)
    uneven = values.copy()
    uneven[70:] = 5e-5  # a cut by 0.5: no single factor, so segments and the cuts named
    (cut,) = fit_series(Series("lr", "run", steps, uneven), "")
    assert cut.recognized is None
    assert any("factor 0.1 at step 4,000" in n for n in cut.notes)
    assert any("factor 0.5 at step 7,000" in n for n in cut.notes)


def test_appended_runs_are_fitted_block_by_block():
    design = get_preset("hf.linear").build(lr=1e-4, num_warmup_steps=50, num_training_steps=500)
    k = np.arange(1, 501, dtype=np.int64)
    steps = np.concatenate([k[:200], k])
    values = design.evaluate(steps - 1)
    fits = fit_series(Series("learning_rate", "run", steps, values), "hf")
    assert len(fits) == 2
    assert all(f.recognized.preset == "hf.linear" for f in fits)
    assert "appended" in fits[0].notes[0]


FAMILY_CASES = [
    (
        "hf.cosine_with_min_lr",
        {"lr": 3e-4, "num_warmup_steps": 100, "num_training_steps": 2000, "min_lr": 3e-5, "min_lr_rate": None},
        "hf",
    ),
    ("hf.inverse_sqrt", {"lr": 1e-3, "num_warmup_steps": 400, "num_training_steps": 3000}, "hf"),
    ("torch.CosineAnnealingLR", {"lr": 0.1, "T_max": 3000, "eta_min": 0.001}, "lightning"),
    (
        "optax.warmup_cosine_decay_schedule",
        {"init_value": 1e-5, "peak_value": 1e-3, "warmup_steps": 300, "decay_steps": 3000, "end_value": 1e-5},
        "",
    ),
    (
        "keras.CosineDecay",
        {"initial_learning_rate": 1e-4, "warmup_target": 1e-3, "warmup_steps": 300, "decay_steps": 2700},
        "keras-tensorboard",
    ),
    ("torch.ExponentialLR", {"lr": 0.1, "gamma": 0.999, "total_steps": 3000}, "lightning"),
    (
        "hf.polynomial",
        {"lr": 1e-3, "num_warmup_steps": 200, "num_training_steps": 3000, "lr_end": 1e-5, "power": 1.0},
        "hf",
    ),
]


@pytest.mark.parametrize(("preset", "args", "writer"), FAMILY_CASES, ids=[c[0] for c in FAMILY_CASES])
def test_each_family_is_recognised_under_its_writer(preset, args, writer):
    design = get_preset(preset).build(**args)
    steps = np.arange(0, design.total_steps, 7, dtype=np.int64)
    (fit,) = fit_series(Series("lr", "run", steps, design.evaluate(steps)), writer)
    assert fit.recognized is not None, fit.summary()
    assert fit.recognized.preset == preset
    every = np.arange(0, int(steps[-1]) + 1, dtype=np.int64)  # between the points too, not only at them
    np.testing.assert_allclose(fit.design.evaluate(every), design.evaluate(every), rtol=1e-6)

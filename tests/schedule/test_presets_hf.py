"""Hugging Face presets against transformers' real schedulers (LambdaLR), stepped one at a time."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close, stepped_lrs

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
from transformers import get_scheduler  # noqa: E402

LR = 3e-4
TOL = 1e-9


def hf_values(name, steps, **kwargs):
    w, n = kwargs.pop("num_warmup_steps"), kwargs.pop("num_training_steps", None)
    return stepped_lrs(
        lambda opt: get_scheduler(
            name, opt, num_warmup_steps=w, num_training_steps=n, scheduler_specific_kwargs=kwargs or None
        ),
        LR,
        steps,
    )


def check(preset, hf_name, extra=30, **kwargs):
    design = get_preset(preset).build(lr=LR, **kwargs)
    n = design.total_steps + extra
    if kwargs.get("decay_type") == "cosine" and kwargs.get("num_cycles") != 0.5:
        # A WSD cosine that stops mid-wave drops to min_lr_ratio after it; the design holds the
        # value the wave reached (documented on the preset), so compare the horizon only.
        n = design.total_steps - 1
    steps = np.arange(n + 1)
    assert_schedule_close(
        steps,
        design.evaluate(steps),
        hf_values(hf_name, n, **kwargs),
        TOL,
        f"{preset}{kwargs} (transformers {transformers.__version__})",
    )


WN = st.tuples(st.integers(0, 60), st.integers(1, 400)).map(lambda t: (t[0], t[0] + t[1]))


@given(wn=WN)
@settings(max_examples=10, deadline=None)
def test_linear(wn):
    check("hf.linear", "linear", num_warmup_steps=wn[0], num_training_steps=wn[1])


@given(wn=WN, cycles=st.sampled_from([0.5, 0.25, 1.0, 1.5, 0.7]))
@settings(max_examples=15, deadline=None)
def test_cosine(wn, cycles):
    check("hf.cosine", "cosine", num_warmup_steps=wn[0], num_training_steps=wn[1], num_cycles=cycles)


@given(wn=WN, cycles=st.integers(1, 5))
@settings(max_examples=15, deadline=None)
def test_cosine_with_restarts(wn, cycles):
    check(
        "hf.cosine_with_restarts",
        "cosine_with_restarts",
        num_warmup_steps=wn[0],
        num_training_steps=wn[1],
        num_cycles=cycles,
    )


@given(wn=WN, lr_end=st.floats(0, 1e-4), power=st.floats(0.3, 3.0))
@settings(max_examples=10, deadline=None)
def test_polynomial(wn, lr_end, power):
    check(
        "hf.polynomial",
        "polynomial",
        num_warmup_steps=wn[0],
        num_training_steps=wn[1],
        lr_end=lr_end,
        power=power,
    )


@given(wn=WN)
@settings(max_examples=5, deadline=None)
def test_constant_with_warmup(wn):
    check("hf.constant_with_warmup", "constant_with_warmup", num_warmup_steps=wn[0], num_training_steps=wn[1])


@given(w=st.integers(0, 80), timescale=st.one_of(st.none(), st.integers(1, 500)))
@settings(max_examples=10, deadline=None)
def test_inverse_sqrt(w, timescale):
    kwargs = {} if timescale is None else {"timescale": timescale}
    design = get_preset("hf.inverse_sqrt").build(
        lr=LR, num_warmup_steps=w, num_training_steps=w + 300, **kwargs
    )
    steps = np.arange(w + 350)
    ref = hf_values("inverse_sqrt", w + 349, num_warmup_steps=w, **kwargs)
    assert_schedule_close(steps, design.evaluate(steps), ref, TOL, "hf.inverse_sqrt")


@given(
    w=st.integers(0, 50),
    d=st.integers(1, 200),
    s=st.integers(0, 100),
    warm=st.sampled_from(["linear", "cosine", "1-sqrt"]),
    decay=st.sampled_from(["linear", "cosine", "1-sqrt"]),
    ratio=st.floats(0, 0.5),
    cycles=st.sampled_from([0.5, 0.25]),
)
@settings(max_examples=25, deadline=None)
def test_warmup_stable_decay(w, d, s, warm, decay, ratio, cycles):
    check(
        "hf.warmup_stable_decay",
        "warmup_stable_decay",
        num_warmup_steps=w,
        num_decay_steps=d,
        num_training_steps=w + d + s,
        warmup_type=warm,
        decay_type=decay,
        min_lr_ratio=ratio,
        num_cycles=cycles,
    )


@given(wn=WN, cycles=st.sampled_from([0.5, 1.0, 0.3]), rate=st.floats(0, 0.9))
@settings(max_examples=12, deadline=None)
def test_cosine_with_min_lr(wn, cycles, rate):
    w, n = wn
    check(
        "hf.cosine_with_min_lr",
        "cosine_with_min_lr",
        num_warmup_steps=w,
        num_training_steps=n,
        num_cycles=cycles,
        min_lr_rate=rate,
    )


def test_cosine_with_min_lr_absolute_floor():
    check(
        "hf.cosine_with_min_lr",
        "cosine_with_min_lr",
        num_warmup_steps=10,
        num_training_steps=200,
        min_lr=LR / 20,
        min_lr_rate=None,
    )


@given(
    wn=WN,
    cycles=st.sampled_from([0.5, 1.0]),
    rate=st.floats(0, 0.9),
    warm=st.one_of(st.none(), st.floats(0.0, 0.5)),
)
@settings(max_examples=15, deadline=None)
def test_cosine_warmup_with_min_lr(wn, cycles, rate, warm):
    w, n = wn
    check(
        "hf.cosine_warmup_with_min_lr",
        "cosine_warmup_with_min_lr",
        num_warmup_steps=w,
        num_training_steps=n,
        num_cycles=cycles,
        min_lr_rate=rate,
        warmup_lr_rate=warm,
    )


@pytest.mark.parametrize("decay", ["linear", "cosine", "1-sqrt"])
@pytest.mark.parametrize("warm", ["linear", "cosine", "1-sqrt"])
def test_warmup_stable_decay_each_decay_type(decay, warm):
    check(
        "hf.warmup_stable_decay",
        "warmup_stable_decay",
        num_warmup_steps=37,
        num_decay_steps=151,
        num_training_steps=37 + 151 + 64,
        warmup_type=warm,
        decay_type=decay,
        min_lr_ratio=0.05,
    )

"""optax and timm presets against the real libraries."""

import importlib.util
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close


@pytest.fixture(scope="module")
def optax():
    return pytest.importorskip("optax")


@given(init=st.floats(0, 1e-4), peak=st.floats(1e-4, 1e-2), w=st.integers(0, 100),
       d=st.integers(1, 400), end=st.floats(0, 1e-4), exponent=st.floats(0.5, 3.0))
@settings(max_examples=15, deadline=None)
def test_warmup_cosine_decay(optax, init, peak, w, d, end, exponent):
    ref_fn = optax.warmup_cosine_decay_schedule(init, peak, w, w + d, end, exponent)
    design = get_preset("optax.warmup_cosine_decay_schedule").build(
        init_value=init, peak_value=peak, warmup_steps=w, decay_steps=w + d, end_value=end,
        exponent=exponent)
    steps = np.arange(w + d + 50)
    ref = np.asarray(ref_fn(steps), np.float64)
    assert_schedule_close(steps, design.evaluate(steps), ref, 2e-6, "optax.warmup_cosine_decay")


@given(init=st.floats(1e-4, 1.0), ts=st.integers(1, 100), rate=st.floats(0.1, 1.5),
       begin=st.integers(0, 50), staircase=st.booleans(),
       end=st.one_of(st.none(), st.floats(1e-6, 2.0)))
@settings(max_examples=25, deadline=None)
def test_exponential_decay(optax, init, ts, rate, begin, staircase, end):
    ref_fn = optax.exponential_decay(init, ts, rate, begin, staircase, end)
    design = get_preset("optax.exponential_decay").build(
        init_value=init, transition_steps=ts, decay_rate=rate, transition_begin=begin,
        staircase=staircase, end_value=end, total_steps=400)
    steps = np.arange(420 if design.after_end == "hold" or end is None else 401)
    ref = np.asarray(ref_fn(steps), np.float64)
    # optax works in float32, with decay_rate rounded to float32: rate**p then carries a relative
    # error of about p * eps32, which grows with the exponent p.
    eps32 = float(np.finfo(np.float32).eps)
    p = np.maximum(steps - begin, 0) / ts
    tol = 2e-6 * np.max(np.abs(ref)) + np.abs(ref) * eps32 * (4.0 + 2.0 * p)
    err = np.abs(design.evaluate(steps) - ref)
    assert np.all(err <= tol), f"step {int(steps[np.argmax(err > tol)])}: {err.max()!r}"


def _timm_cosine():
    """timm's CosineLRScheduler, loaded without timm's model zoo (which needs torchvision)."""
    pytest.importorskip("torch")
    if "timm" not in sys.modules:
        spec = importlib.util.find_spec("timm")
        if spec is None:
            pytest.skip("timm is not installed")
        try:
            import timm  # noqa: F401
        except ImportError:
            pkg = types.ModuleType("timm")
            pkg.__path__ = list(spec.submodule_search_locations)
            sys.modules["timm"] = pkg
    from timm.scheduler.cosine_lr import CosineLRScheduler

    return CosineLRScheduler


@given(t_initial=st.integers(5, 200), lr_min=st.floats(0, 1e-4), cycle_mul=st.sampled_from([1.0, 2.0, 1.5]),
       cycle_decay=st.floats(0.3, 1.0), cycle_limit=st.integers(1, 4), warmup_t=st.integers(0, 30),
       warmup_lr_init=st.floats(0, 1e-4), prefix=st.booleans())
@settings(max_examples=30, deadline=None)
def test_timm_cosine(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
                     prefix):
    import torch

    Cos = _timm_cosine()
    lr = 1e-3
    if warmup_t >= t_initial and not prefix:
        warmup_t = t_initial - 1
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    s = Cos(opt, t_initial=t_initial, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
            cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
            warmup_prefix=prefix, t_in_epochs=False)
    design = get_preset("timm.cosine").build(
        lr=lr, t_initial=t_initial, lr_min=lr_min, cycle_mul=cycle_mul, cycle_decay=cycle_decay,
        cycle_limit=cycle_limit, warmup_t=warmup_t, warmup_lr_init=warmup_lr_init,
        warmup_prefix=prefix)
    steps = np.arange(design.total_steps + 40)
    ref = []
    for t in steps:
        s.step_update(int(t))
        ref.append(opt.param_groups[0]["lr"])
    assert_schedule_close(steps, design.evaluate(steps), np.array(ref), 1e-9, "timm.cosine")

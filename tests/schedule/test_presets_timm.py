"""timm presets against the real timm schedulers, stepped per update."""

import importlib.util
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close

torch = pytest.importorskip("torch")


def _timm_cosine():
    """timm's CosineLRScheduler, loaded without timm's model zoo (which needs torchvision)."""
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


@given(
    t_initial=st.integers(5, 200),
    lr_min=st.floats(0, 1e-4),
    cycle_mul=st.sampled_from([1.0, 2.0, 1.5]),
    cycle_decay=st.floats(0.3, 1.0),
    cycle_limit=st.integers(1, 4),
    warmup_t=st.integers(0, 30),
    warmup_lr_init=st.floats(0, 1e-4),
    prefix=st.booleans(),
)
@settings(max_examples=30, deadline=None)
def test_timm_cosine(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init, prefix):
    Cos = _timm_cosine()
    lr = 1e-3
    if warmup_t >= t_initial and not prefix:
        warmup_t = t_initial - 1
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    s = Cos(
        opt,
        t_initial=t_initial,
        lr_min=lr_min,
        cycle_mul=cycle_mul,
        cycle_decay=cycle_decay,
        cycle_limit=cycle_limit,
        warmup_t=warmup_t,
        warmup_lr_init=warmup_lr_init,
        warmup_prefix=prefix,
        t_in_epochs=False,
    )
    design = get_preset("timm.cosine").build(
        lr=lr,
        t_initial=t_initial,
        lr_min=lr_min,
        cycle_mul=cycle_mul,
        cycle_decay=cycle_decay,
        cycle_limit=cycle_limit,
        warmup_t=warmup_t,
        warmup_lr_init=warmup_lr_init,
        warmup_prefix=prefix,
    )
    steps = np.arange(design.total_steps + 40)
    ref = []
    for t in steps:
        s.step_update(int(t))
        ref.append(opt.param_groups[0]["lr"])
    assert_schedule_close(steps, design.evaluate(steps), np.array(ref), 1e-9, "timm.cosine")


def _timm(module: str, cls: str):
    _timm_cosine()
    import importlib

    return getattr(importlib.import_module(f"timm.scheduler.{module}"), cls)


def _stepped(scheduler, lr, steps):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    s = scheduler(opt)
    out = []
    for t in steps:
        s.step_update(int(t))
        out.append(opt.param_groups[0]["lr"])
    return np.array(out)


def _check(preset, make, horizon, **args):
    design = get_preset(preset).build(lr=1e-3, **args)
    steps = np.arange(max(horizon, design.total_steps) + 30)
    assert_schedule_close(steps, design.evaluate(steps), _stepped(make, 1e-3, steps), 1e-9, f"{preset}{args}")


@given(
    decay_t=st.integers(1, 40),
    rate=st.floats(0.1, 1.0),
    warmup_t=st.integers(0, 30),
    init=st.floats(0, 1e-4),
    prefix=st.booleans(),
)
@settings(max_examples=15, deadline=None)
def test_timm_step(decay_t, rate, warmup_t, init, prefix):
    Step = _timm("step_lr", "StepLRScheduler")
    _check(
        "timm.step",
        lambda o: Step(o, decay_t, rate, warmup_t, init, prefix, t_in_epochs=False),
        200,
        decay_t=decay_t,
        decay_rate=rate,
        warmup_t=warmup_t,
        warmup_lr_init=init,
        warmup_prefix=prefix,
        total_steps=200,
    )


@given(
    ms=st.lists(st.integers(0, 150), max_size=4).map(sorted),
    rate=st.floats(0.1, 1.0),
    warmup_t=st.integers(0, 30),
    prefix=st.booleans(),
)
@settings(max_examples=15, deadline=None)
def test_timm_multistep_switches_one_step_early(ms, rate, warmup_t, prefix):
    Multi = _timm("multistep_lr", "MultiStepLRScheduler")
    _check(
        "timm.multistep",
        lambda o: Multi(o, ms, rate, warmup_t, 1e-5, prefix, t_in_epochs=False),
        200,
        decay_t=ms,
        decay_rate=rate,
        warmup_t=warmup_t,
        warmup_lr_init=1e-5,
        warmup_prefix=prefix,
        total_steps=200,
    )


def test_timm_multistep_literal():
    d = get_preset("timm.multistep").build(lr=1.0, decay_t=[10], decay_rate=0.5, total_steps=20)
    assert d.lr_at(8) == 1.0 and d.lr_at(9) == 0.5  # bisect_right([10], t + 1)


CYC = dict(
    t_initial=st.integers(5, 120),
    lr_min=st.floats(0, 1e-4),
    cycle_mul=st.sampled_from([1.0, 2.0, 1.5]),
    cycle_decay=st.floats(0.3, 1.0),
    cycle_limit=st.integers(1, 3),
    warmup_t=st.integers(0, 30),
    prefix=st.booleans(),
)


@given(power=st.floats(0.2, 3.0), k=st.sampled_from([1.0, 0.5, 2.0, 1.7]), **CYC)
@settings(max_examples=15, deadline=None)
def test_timm_poly(power, k, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, prefix):
    Poly = _timm("poly_lr", "PolyLRScheduler")
    if warmup_t >= t_initial and not prefix:
        warmup_t = t_initial - 1
    args = dict(
        t_initial=t_initial,
        power=power,
        k_decay=k,
        lr_min=lr_min,
        cycle_mul=cycle_mul,
        cycle_decay=cycle_decay,
        cycle_limit=cycle_limit,
        warmup_t=warmup_t,
        warmup_lr_init=1e-5,
        warmup_prefix=prefix,
    )
    _check("timm.poly", lambda o: Poly(o, t_in_epochs=False, **args), 0, **args)


@given(lb=st.floats(-8, 0), ub=st.floats(0.5, 6), **CYC)
@settings(max_examples=15, deadline=None)
def test_timm_tanh(lb, ub, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, prefix):
    Tanh = _timm("tanh_lr", "TanhLRScheduler")
    if warmup_t >= t_initial and not prefix:
        warmup_t = t_initial - 1
    args = dict(
        t_initial=t_initial,
        lb=lb,
        ub=ub,
        lr_min=lr_min,
        cycle_mul=cycle_mul,
        cycle_decay=cycle_decay,
        cycle_limit=cycle_limit,
        warmup_t=warmup_t,
        warmup_lr_init=1e-5,
        warmup_prefix=prefix,
    )
    _check("timm.tanh", lambda o: Tanh(o, t_in_epochs=False, **args), 0, **args)


@given(k=st.sampled_from([0.5, 2.0, 1.3]), **CYC)
@settings(max_examples=15, deadline=None)
def test_timm_cosine_k_decay(k, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, prefix):
    Cos = _timm_cosine()
    if warmup_t >= t_initial and not prefix:
        warmup_t = t_initial - 1
    args = dict(
        t_initial=t_initial,
        k_decay=k,
        lr_min=lr_min,
        cycle_mul=cycle_mul,
        cycle_decay=cycle_decay,
        cycle_limit=cycle_limit,
        warmup_t=warmup_t,
        warmup_lr_init=1e-5,
        warmup_prefix=prefix,
    )
    _check("timm.cosine", lambda o: Cos(o, t_in_epochs=False, **args), 0, **args)

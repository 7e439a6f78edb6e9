"""torch presets against real torch.optim.lr_scheduler, stepped one step at a time."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close, stepped_lrs

torch = pytest.importorskip("torch")
sched = torch.optim.lr_scheduler
TOL = 1e-9


def check(preset, make, optimizer_lr, horizon, **args):
    design = get_preset(preset).build(**args)
    steps = np.arange(horizon + 1)
    # A design's LR is never negative; torch's linear OneCycle anneal goes below 0 at its last step.
    ref = np.maximum(stepped_lrs(make, optimizer_lr, horizon), 0.0)
    assert_schedule_close(steps, design.evaluate(steps), ref, TOL,
                          f"{preset}{args} (torch {torch.__version__})")


@given(step_size=st.integers(1, 50), gamma=st.floats(0.05, 1.0))
@settings(max_examples=15, deadline=None)
def test_step_lr(step_size, gamma):
    check("torch.StepLR", lambda o: sched.StepLR(o, step_size, gamma), 0.1, 300, lr=0.1,
          step_size=step_size, gamma=gamma, total_steps=300)


@given(ms=st.lists(st.integers(0, 350), max_size=5), gamma=st.floats(0.05, 1.0))
@settings(max_examples=15, deadline=None)
def test_multistep_lr(ms, gamma):
    check("torch.MultiStepLR", lambda o: sched.MultiStepLR(o, ms, gamma), 0.1, 300, lr=0.1,
          milestones=ms, gamma=gamma, total_steps=300)


@given(sf=st.floats(0.01, 1.0), ef=st.floats(0.0, 1.0), iters=st.integers(1, 200))
@settings(max_examples=15, deadline=None)
def test_linear_lr(sf, ef, iters):
    check("torch.LinearLR", lambda o: sched.LinearLR(o, sf, ef, iters), 0.1, 250, lr=0.1,
          start_factor=sf, end_factor=ef, total_iters=iters, total_steps=250)


@given(t_max=st.integers(1, 150), eta=st.floats(0, 0.01), total=st.integers(1, 400))
@settings(max_examples=15, deadline=None)
def test_cosine_annealing_rises_again(t_max, eta, total):
    check("torch.CosineAnnealingLR", lambda o: sched.CosineAnnealingLR(o, t_max, eta), 0.1, total,
          lr=0.1, T_max=t_max, eta_min=eta, total_steps=total)


@given(t0=st.integers(1, 60), mult=st.integers(1, 3), eta=st.floats(0, 0.01))
@settings(max_examples=15, deadline=None)
def test_cosine_warm_restarts(t0, mult, eta):
    check("torch.CosineAnnealingWarmRestarts",
          lambda o: sched.CosineAnnealingWarmRestarts(o, t0, mult, eta), 0.1, 400,
          lr=0.1, T_0=t0, T_mult=mult, eta_min=eta, total_steps=400)


@given(up=st.integers(1, 60), down=st.one_of(st.none(), st.integers(1, 60)),
       mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
       gamma=st.floats(0.9, 1.0))
@settings(max_examples=20, deadline=None)
def test_cyclic_lr(up, down, mode, gamma):
    def make(o):
        return sched.CyclicLR(o, 1e-3, 6e-3, up, down, mode=mode, gamma=gamma,
                              cycle_momentum=False)
    check("torch.CyclicLR", make, 1e-3, 500, base_lr=1e-3, max_lr=6e-3, step_size_up=up,
          step_size_down=down, mode=mode, gamma=gamma, total_steps=500)


@given(total=st.integers(10, 500), pct=st.floats(0.05, 0.45), anneal=st.sampled_from(["cos", "linear"]),
       three=st.booleans(), div=st.floats(2, 100), final_div=st.floats(10, 1e5))
@settings(max_examples=25, deadline=None)
def test_one_cycle(total, pct, anneal, three, div, final_div):
    if pct * total < 2:
        pct = 2.5 / total
    def make(o):
        return sched.OneCycleLR(o, 1e-2, total_steps=total, pct_start=pct, anneal_strategy=anneal,
                                div_factor=div, final_div_factor=final_div, three_phase=three,
                                cycle_momentum=False)
    check("torch.OneCycleLR", make, 1e-2, total, max_lr=1e-2, total_steps=total, pct_start=pct,
          anneal_strategy=anneal, div_factor=div, final_div_factor=final_div, three_phase=three)


def test_one_cycle_default_long_run():
    check("torch.OneCycleLR", lambda o: sched.OneCycleLR(o, 1e-3, total_steps=20_000,
                                                         cycle_momentum=False),
          1e-3, 20_000, max_lr=1e-3, total_steps=20_000)

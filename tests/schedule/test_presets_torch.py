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
    assert_schedule_close(
        steps, design.evaluate(steps), ref, TOL, f"{preset}{args} (torch {torch.__version__})"
    )


@given(step_size=st.integers(1, 50), gamma=st.floats(0.05, 1.0))
@settings(max_examples=15, deadline=None)
def test_step_lr(step_size, gamma):
    check(
        "torch.StepLR",
        lambda o: sched.StepLR(o, step_size, gamma),
        0.1,
        300,
        lr=0.1,
        step_size=step_size,
        gamma=gamma,
        total_steps=300,
    )


@given(ms=st.lists(st.integers(0, 350), max_size=5), gamma=st.floats(0.05, 1.0))
@settings(max_examples=15, deadline=None)
def test_multistep_lr(ms, gamma):
    check(
        "torch.MultiStepLR",
        lambda o: sched.MultiStepLR(o, ms, gamma),
        0.1,
        300,
        lr=0.1,
        milestones=ms,
        gamma=gamma,
        total_steps=300,
    )


@given(sf=st.floats(0.01, 1.0), ef=st.floats(0.0, 1.0), iters=st.integers(1, 200))
@settings(max_examples=15, deadline=None)
def test_linear_lr(sf, ef, iters):
    check(
        "torch.LinearLR",
        lambda o: sched.LinearLR(o, sf, ef, iters),
        0.1,
        250,
        lr=0.1,
        start_factor=sf,
        end_factor=ef,
        total_iters=iters,
        total_steps=250,
    )


@given(t_max=st.integers(1, 150), eta=st.floats(0, 0.01), total=st.integers(1, 400))
@settings(max_examples=15, deadline=None)
def test_cosine_annealing_rises_again(t_max, eta, total):
    check(
        "torch.CosineAnnealingLR",
        lambda o: sched.CosineAnnealingLR(o, t_max, eta),
        0.1,
        total,
        lr=0.1,
        T_max=t_max,
        eta_min=eta,
        total_steps=total,
    )


@given(t0=st.integers(1, 60), mult=st.integers(1, 3), eta=st.floats(0, 0.01))
@settings(max_examples=15, deadline=None)
def test_cosine_warm_restarts(t0, mult, eta):
    check(
        "torch.CosineAnnealingWarmRestarts",
        lambda o: sched.CosineAnnealingWarmRestarts(o, t0, mult, eta),
        0.1,
        400,
        lr=0.1,
        T_0=t0,
        T_mult=mult,
        eta_min=eta,
        total_steps=400,
    )


@given(
    up=st.integers(1, 60),
    down=st.one_of(st.none(), st.integers(1, 60)),
    mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
    gamma=st.floats(0.9, 1.0),
)
@settings(max_examples=20, deadline=None)
def test_cyclic_lr(up, down, mode, gamma):
    def make(o):
        return sched.CyclicLR(o, 1e-3, 6e-3, up, down, mode=mode, gamma=gamma, cycle_momentum=False)

    check(
        "torch.CyclicLR",
        make,
        1e-3,
        500,
        base_lr=1e-3,
        max_lr=6e-3,
        step_size_up=up,
        step_size_down=down,
        mode=mode,
        gamma=gamma,
        total_steps=500,
    )


@given(
    total=st.integers(10, 500),
    pct=st.floats(0.05, 0.45),
    anneal=st.sampled_from(["cos", "linear"]),
    three=st.booleans(),
    div=st.floats(2, 100),
    final_div=st.floats(10, 1e5),
)
@settings(max_examples=25, deadline=None)
def test_one_cycle(total, pct, anneal, three, div, final_div):
    if pct * total < 2:
        pct = 2.5 / total

    def make(o):
        return sched.OneCycleLR(
            o,
            1e-2,
            total_steps=total,
            pct_start=pct,
            anneal_strategy=anneal,
            div_factor=div,
            final_div_factor=final_div,
            three_phase=three,
            cycle_momentum=False,
        )

    check(
        "torch.OneCycleLR",
        make,
        1e-2,
        total,
        max_lr=1e-2,
        total_steps=total,
        pct_start=pct,
        anneal_strategy=anneal,
        div_factor=div,
        final_div_factor=final_div,
        three_phase=three,
    )


def test_one_cycle_default_long_run():
    check(
        "torch.OneCycleLR",
        lambda o: sched.OneCycleLR(o, 1e-3, total_steps=20_000, cycle_momentum=False),
        1e-3,
        20_000,
        max_lr=1e-3,
        total_steps=20_000,
    )


@given(factor=st.floats(0.0, 1.0), iters=st.integers(0, 80))
@settings(max_examples=10, deadline=None)
def test_constant_lr(factor, iters):
    if factor == 0.0 and iters > 0:
        factor = 0.5  # torch divides by factor when the ramp ends
    check(
        "torch.ConstantLR",
        lambda o: sched.ConstantLR(o, factor, iters),
        0.1,
        200,
        lr=0.1,
        factor=factor,
        total_iters=iters,
        total_steps=200,
    )


@given(gamma=st.floats(0.9, 1.0))
@settings(max_examples=10, deadline=None)
def test_exponential_and_multiplicative_lr(gamma):
    check(
        "torch.ExponentialLR",
        lambda o: sched.ExponentialLR(o, gamma),
        0.1,
        400,
        lr=0.1,
        gamma=gamma,
        total_steps=300,
    )
    check(
        "torch.MultiplicativeLR",
        lambda o: sched.MultiplicativeLR(o, lambda _: gamma),
        0.1,
        400,
        lr=0.1,
        factor=gamma,
        total_steps=300,
    )


@given(iters=st.integers(1, 150), power=st.floats(0.3, 3.0))
@settings(max_examples=10, deadline=None)
def test_polynomial_lr(iters, power):
    check(
        "torch.PolynomialLR",
        lambda o: sched.PolynomialLR(o, iters, power),
        0.1,
        250,
        lr=0.1,
        total_iters=iters,
        power=power,
    )


@given(swa=st.floats(1e-3, 0.5), epochs=st.integers(0, 60), strategy=st.sampled_from(["cos", "linear"]))
@settings(max_examples=12, deadline=None)
def test_swalr(swa, epochs, strategy):
    from torch.optim.swa_utils import SWALR

    check(
        "torch.SWALR",
        lambda o: SWALR(o, swa, epochs, strategy),
        0.1,
        150,
        lr=0.1,
        swa_lr=swa,
        anneal_epochs=epochs,
        anneal_strategy=strategy,
        total_steps=120,
    )


@given(m1=st.integers(0, 60), m2=st.integers(0, 60), gamma=st.floats(0.9, 0.99))
@settings(max_examples=12, deadline=None)
def test_sequential_lr(m1, m2, gamma):
    m1, m2 = sorted((m1, m2))

    def make(o):
        parts = [
            sched.LinearLR(o, 0.1, 1.0, 20),
            sched.MultiplicativeLR(o, lambda _: gamma),
            sched.CosineAnnealingLR(o, 50, 1e-3),
        ]
        return sched.SequentialLR(o, parts, [m1, m2])

    pieces = [
        {"preset": "torch.LinearLR", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 20},
        {"preset": "torch.MultiplicativeLR", "factor": gamma},
        {"preset": "torch.CosineAnnealingLR", "T_max": 50, "eta_min": 1e-3},
    ]
    check("torch.SequentialLR", make, 0.1, 250, lr=0.1, schedulers=pieces, milestones=[m1, m2], total_steps=200)


def test_sequential_lr_default_is_warmup_then_cosine():
    def make(o):
        return sched.SequentialLR(
            o, [sched.LinearLR(o, 0.01, 1.0, 5000), sched.CosineAnnealingLR(o, 95_000)], [5000]
        )

    check("torch.SequentialLR", make, 0.1, 100_500)


@given(
    factor=st.floats(0.05, 1.0),
    iters=st.integers(0, 50),
    gamma=st.floats(0.95, 1.0),
    step=st.integers(1, 40),
    gamma2=st.floats(0.3, 1.0),
)
@settings(max_examples=12, deadline=None)
def test_chained_scheduler(factor, iters, gamma, step, gamma2):
    def make(o):
        return sched.ChainedScheduler(
            [
                sched.ConstantLR(o, factor, iters),
                sched.ExponentialLR(o, gamma),
                sched.ExponentialLR(o, gamma2 ** (1 / step)),
            ]
        )

    pieces = [
        {"preset": "torch.ConstantLR", "factor": factor, "total_iters": iters},
        {"preset": "torch.ExponentialLR", "gamma": gamma},
        {"preset": "torch.ExponentialLR", "gamma": gamma2 ** (1 / step)},
    ]
    check("torch.ChainedScheduler", make, 0.1, 300, lr=0.1, schedulers=pieces, total_steps=300)


def test_chained_scheduler_refuses_products_that_are_no_shape():
    from lrdesigner.schedule import DesignError

    pieces = [
        {"preset": "torch.LinearLR", "start_factor": 0.1, "total_iters": 100},
        {"preset": "torch.CosineAnnealingLR", "T_max": 1000},
    ]
    with pytest.raises(DesignError, match=r"torch.LinearLR.*torch.CosineAnnealingLR.*steps 0\.\.100"):
        get_preset("torch.ChainedScheduler").build(schedulers=pieces, total_steps=1000)
    with pytest.raises(DesignError, match="sets the LR instead"):
        get_preset("torch.ChainedScheduler").build(schedulers=[{"preset": "torch.OneCycleLR"}])

"""Chained and sequential torch schedulers whose factors change on the same steps, against real torch."""

import numpy as np
import pytest
from lrdesigner.schedule import DesignError
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close, stepped_lrs

torch = pytest.importorskip("torch")
sched = torch.optim.lr_scheduler
TOL = 1e-12
TOTAL = 300


def piece(name, **args):
    return {"preset": f"torch.{name}", **args}


def made(o, p):
    args = {k: v for k, v in p.items() if k != "preset"}
    return getattr(sched, p["preset"].removeprefix("torch."))(o, **args)


def check_chain(pieces, preset="torch.ChainedScheduler", make=None, **args):
    """Every step of the run: torch's LR equals the preset's design."""
    make = make or (lambda o: sched.ChainedScheduler([made(o, p) for p in pieces]))
    args = args or {"schedulers": pieces}
    design = get_preset(preset).build(lr=0.1, total_steps=TOTAL, **args)
    steps = np.arange(TOTAL)
    ref = stepped_lrs(make, 0.1, TOTAL - 1)
    assert_schedule_close(steps, design.evaluate(steps), ref, TOL, f"{preset} {args}")


@pytest.mark.parametrize(
    "pieces",
    [
        [piece("StepLR", step_size=3, gamma=0.5), piece("MultiStepLR", milestones=[2, 7, 50], gamma=0.3)],
        [piece("StepLR", step_size=5, gamma=0.7), piece("ConstantLR", factor=0.5, total_iters=4)],
        [piece("StepLR", step_size=7, gamma=0.9), piece("StepLR", step_size=11, gamma=0.8)],
    ],
    ids=["step-multistep", "step-constant", "step-step"],
)
def test_step_times_step(pieces):
    check_chain(pieces)


@pytest.mark.parametrize(
    "pieces",
    [
        [piece("ExponentialLR", gamma=0.995), piece("StepLR", step_size=30, gamma=0.5)],
        [piece("MultiStepLR", milestones=[40, 90], gamma=0.2), piece("ExponentialLR", gamma=0.99)],
        [
            piece("StepLR", step_size=45, gamma=0.5),
            piece("ExponentialLR", gamma=0.999),
            piece("ExponentialLR", gamma=0.998),
        ],
    ],
    ids=["exponential-step", "multistep-exponential", "two-exponentials-step"],
)
def test_exponential_times_step(pieces):
    check_chain(pieces)


@pytest.mark.parametrize(
    "pieces",
    [
        [
            piece("LinearLR", start_factor=0.1, end_factor=1.0, total_iters=100),
            piece("StepLR", step_size=30, gamma=0.5),
        ],
        [
            piece("MultiStepLR", milestones=[25, 160], gamma=0.5),
            piece("LinearLR", start_factor=1.0, end_factor=0.2, total_iters=250),
        ],
        [piece("PolynomialLR", total_iters=200, power=2.0), piece("StepLR", step_size=7, gamma=0.8)],
    ],
    ids=["linear-step", "multistep-linear", "polynomial-step"],
)
def test_linear_times_step(pieces):
    check_chain(pieces)


@pytest.mark.parametrize("eta_min", [0.0, 1e-3])
@pytest.mark.parametrize("cosine_first", [True, False])
def test_cosine_with_minimum_times_step(eta_min, cosine_first):
    # Past T_max torch's chained cosine restarts its amplitude from the trough: not a product.
    pieces = [piece("StepLR", step_size=60, gamma=0.8), piece("ConstantLR", factor=0.5, total_iters=50)]
    cosine = piece("CosineAnnealingLR", T_max=70, eta_min=eta_min)
    check_chain([cosine, *pieces] if cosine_first else [*pieces, cosine])


@pytest.mark.parametrize(
    "chain",
    [
        [
            piece("StepLR", step_size=7, gamma=0.5),
            piece("ExponentialLR", gamma=0.99),
            piece("ConstantLR", factor=0.5, total_iters=20),
        ],
        [
            piece("MultiStepLR", milestones=[0, 30], gamma=0.5),
            piece("PolynomialLR", total_iters=150, power=2.0),
            piece("ConstantLR", factor=0.25, total_iters=0),
        ],
    ],
    ids=["step-exponential-constant", "multistep-polynomial-constant"],
)
def test_sequential_lr_holding_a_chained_scheduler(chain):
    # SequentialLR resets the LR and steps the chain's schedulers once more at step 0.

    def make(o):
        return sched.SequentialLR(
            o, [sched.ChainedScheduler([made(o, p) for p in chain]), sched.LinearLR(o, 0.5, 1.0, 40)], [100]
        )

    check_chain(
        None,
        "torch.SequentialLR",
        make,
        milestones=[100],
        schedulers=[
            piece("ChainedScheduler", schedulers=chain),
            piece("LinearLR", start_factor=0.5, end_factor=1.0, total_iters=40),
        ],
    )


def test_sequential_lr_holding_a_chained_cosine():
    chain = [
        piece("CosineAnnealingLR", T_max=40, eta_min=1e-3),
        piece("MultiStepLR", milestones=[30], gamma=0.5),
    ]

    def make(o):
        return sched.SequentialLR(
            o, [sched.ChainedScheduler([made(o, p) for p in chain]), sched.ExponentialLR(o, 0.99)], [150]
        )

    check_chain(
        None,
        "torch.SequentialLR",
        make,
        milestones=[150],
        schedulers=[piece("ChainedScheduler", schedulers=chain), piece("ExponentialLR", gamma=0.99)],
    )


def test_products_no_design_holds_are_refused_naming_the_pair():
    build = get_preset("torch.ChainedScheduler").build
    with pytest.raises(DesignError, match=r"torch.LinearLR.*torch.ExponentialLR.*steps 0\.\.100"):
        build(
            schedulers=[
                piece("LinearLR", start_factor=0.1, total_iters=100),
                piece("ExponentialLR", gamma=0.99),
            ],
            total_steps=300,
        )
    with pytest.raises(DesignError, match=r"torch.ExponentialLR.*torch.CosineAnnealingLR"):
        build(
            schedulers=[
                piece("ExponentialLR", gamma=0.99),
                piece("CosineAnnealingLR", T_max=100, eta_min=0.01),
            ],
            total_steps=300,
        )
    with pytest.raises(DesignError, match="after a milestone raises NotImplementedError"):
        get_preset("torch.SequentialLR").build(
            schedulers=[piece("LinearLR"), piece("ChainedScheduler", schedulers=[piece("StepLR")])],
            milestones=[10],
            total_steps=100,
        )

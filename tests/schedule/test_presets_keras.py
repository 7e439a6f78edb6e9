"""Keras presets against real Keras schedules, at every step of small horizons and at large steps."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
S = keras.optimizers.schedules
TOL = 1e-6  # Keras computes in float32


def keras_values(schedule, steps):
    """The schedule at each step, vectorized when Keras allows it, else one step at a time."""
    try:
        out = np.asarray(schedule(tf.constant(steps, dtype=tf.int64)), dtype=np.float64)
        if out.shape == np.shape(steps):
            return out
    except Exception:  # Keras ops.cond needs a scalar step
        pass
    fn = tf.function(lambda s: schedule(s), input_signature=[tf.TensorSpec([], tf.int64)])
    return np.array([float(fn(tf.constant(int(s), tf.int64))) for s in steps])


def check(preset, schedule, horizon, large=(), **args):
    design = get_preset(preset).build(total_steps=horizon, **args)
    steps = np.arange(0, horizon + 1, dtype=np.int64)
    if large:
        steps = np.concatenate([steps, np.array(sorted(large), dtype=np.int64)])
    assert_schedule_close(
        steps,
        design.evaluate(steps),
        keras_values(schedule, steps),
        TOL,
        f"{preset}{args} (Keras {keras.__version__})",
    )
    scalar = [design.lr_at(int(s)) for s in steps[:: max(1, len(steps) // 50)]]
    np.testing.assert_allclose(scalar, design.evaluate(steps[:: max(1, len(steps) // 50)]), rtol=1e-14, atol=0)


LARGE = (2**20 + 3, 5_000_000, 2**24 - 1)


@pytest.mark.parametrize("alpha", [0.0, 0.1])
@pytest.mark.parametrize("warmup", [None, (2.0e-3, 50), (5.0e-4, 1)])
def test_cosine_decay(alpha, warmup):
    kw = {} if warmup is None else {"warmup_target": warmup[0], "warmup_steps": warmup[1]}
    sched = S.CosineDecay(1e-3, 300, alpha=alpha, **kw)
    check(
        "keras.CosineDecay", sched, 400, LARGE, initial_learning_rate=1e-3, decay_steps=300, alpha=alpha, **kw
    )


@given(
    init=st.floats(1e-5, 1.0),
    decay=st.integers(1, 400),
    alpha=st.floats(0, 1),
    target=st.one_of(st.none(), st.floats(1e-5, 1.0)),
    wsteps=st.integers(0, 100),
)
@settings(max_examples=15, deadline=None)
def test_cosine_decay_random(init, decay, alpha, target, wsteps):
    kw = {} if target is None else {"warmup_target": target, "warmup_steps": wsteps}
    if target is not None and wsteps == 0:
        kw["warmup_steps"] = 0
    check(
        "keras.CosineDecay",
        S.CosineDecay(init, decay, alpha=alpha, **kw),
        decay + wsteps + 20,
        initial_learning_rate=init,
        decay_steps=decay,
        alpha=alpha,
        **kw,
    )


@given(init=st.floats(1e-5, 1.0), decay=st.integers(1, 300), rate=st.floats(0.05, 1.0), staircase=st.booleans())
@settings(max_examples=20, deadline=None)
def test_exponential_decay(init, decay, rate, staircase):
    design = get_preset("keras.ExponentialDecay").build(
        initial_learning_rate=init, decay_steps=decay, decay_rate=rate, staircase=staircase, total_steps=600
    )
    steps = np.concatenate([np.arange(601), [2**20 + 1, 2**23 + 7]])
    ref = keras_values(S.ExponentialDecay(init, decay, rate, staircase=staircase), steps)
    # Keras rounds decay_rate to float32: rate**p then carries a relative error of about
    # p * eps32, which grows with the exponent p = step / decay_steps.
    eps32 = float(np.finfo(np.float32).eps)
    tol = TOL * init + ref * eps32 * (4.0 + 2.0 * steps / decay)
    err = np.abs(design.evaluate(steps) - ref)
    assert np.all(err <= tol), f"step {int(steps[np.argmax(err > tol)])}: {err.max()!r}"


@given(bounds=st.lists(st.integers(0, 500), min_size=1, max_size=5, unique=True), data=st.data())
@settings(max_examples=20, deadline=None)
def test_piecewise_constant(bounds, data):
    bounds = sorted(bounds)
    values = data.draw(st.lists(st.floats(1e-6, 1.0), min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    check(
        "keras.PiecewiseConstantDecay",
        S.PiecewiseConstantDecay(bounds, values),
        520,
        LARGE,
        boundaries=bounds,
        values=values,
    )


@given(init=st.floats(1e-4, 1.0), decay=st.integers(1, 400), end=st.floats(0, 1e-4), power=st.floats(0.2, 4.0))
@settings(max_examples=20, deadline=None)
def test_polynomial_decay(init, decay, end, power):
    check(
        "keras.PolynomialDecay",
        S.PolynomialDecay(init, decay, end, power),
        450,
        LARGE,
        initial_learning_rate=init,
        decay_steps=decay,
        end_learning_rate=end,
        power=power,
    )


@given(init=st.floats(1e-5, 1.0), decay=st.integers(1, 300), rate=st.floats(0.01, 5.0), staircase=st.booleans())
@settings(max_examples=20, deadline=None)
def test_inverse_time_decay(init, decay, rate, staircase):
    check(
        "keras.InverseTimeDecay",
        S.InverseTimeDecay(init, decay, rate, staircase=staircase),
        600,
        LARGE,
        initial_learning_rate=init,
        decay_steps=decay,
        decay_rate=rate,
        staircase=staircase,
    )


@pytest.mark.parametrize(
    "t_mul,m_mul,alpha", [(1.0, 1.0, 0.0), (2.0, 1.0, 0.0), (2.0, 0.5, 0.1), (1.5, 0.8, 0.05), (1.0, 0.9, 0.2)]
)
def test_cosine_decay_restarts(t_mul, m_mul, alpha):
    sched = S.CosineDecayRestarts(1e-3, 37, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    design = get_preset("keras.CosineDecayRestarts").build(
        initial_learning_rate=1e-3,
        first_decay_steps=37,
        t_mul=t_mul,
        m_mul=m_mul,
        alpha=alpha,
        total_steps=1200,
    )
    steps = np.arange(0, 1201)
    ref = keras_values(sched, steps)
    # Keras locates the step inside its cycle from step / first_decay_steps in float32; that
    # fraction carries an absolute error of about eps32 * step / first_decay_steps, which moves
    # the cosine by up to pi/2 of it.
    eps32 = float(np.finfo(np.float32).eps)
    tol = 1e-6 * 1e-3 + (np.pi / 2) * eps32 * (steps / 37.0 + 1.0) * 1e-3
    err = np.abs(design.evaluate(steps) - ref)
    assert np.all(err <= tol), f"step {int(steps[np.argmax(err > tol)])}: {err.max()!r}"


def test_noam_matches_tensorflow_formula():
    d_model, warmup, factor = 512, 400, 2.0
    design = get_preset("noam").build(d_model=d_model, warmup_steps=warmup, factor=factor, total_steps=4000)
    steps = np.arange(0, 4001)
    s = tf.cast(tf.constant(steps), tf.float32)
    ref = factor * tf.math.rsqrt(float(d_model)) * tf.minimum(tf.math.rsqrt(s), s * warmup**-1.5)
    ref = np.asarray(ref, np.float64)
    assert ref[0] == 0.0 and design.lr_at(0) == 0.0
    assert_schedule_close(steps, design.evaluate(steps), ref, TOL, "noam")


@given(init=st.floats(1e-4, 1.0), decay=st.integers(1, 120), end=st.floats(0, 1e-4), power=st.floats(0.2, 4.0))
@settings(max_examples=15, deadline=None)
def test_polynomial_decay_cycle(init, decay, end, power):
    check(
        "keras.PolynomialDecay",
        S.PolynomialDecay(init, decay, end, power, cycle=True),
        500,
        initial_learning_rate=init,
        decay_steps=decay,
        end_learning_rate=end,
        power=power,
        cycle=True,
    )


def test_polynomial_decay_cycle_literal_values():
    # Keras's own test: PolynomialDecay(0.1, 10, 0.01, cycle=True) at step 15 is
    # (0.1 - 0.01) * (1 - 15 / 20) + 0.01 (the horizon doubles once the first cycle is over).
    d = get_preset("keras.PolynomialDecay").build(
        initial_learning_rate=0.1, decay_steps=10, end_learning_rate=0.01, cycle=True, total_steps=40
    )
    assert d.lr_at(15) == pytest.approx((0.1 - 0.01) * 0.25 + 0.01, rel=1e-12)
    assert d.lr_at(10) == pytest.approx(0.01, rel=1e-12) and d.lr_at(0) == 0.1

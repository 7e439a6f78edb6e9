"""optax presets against the real optax (float32 in JAX), random arguments and literal cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.schedule import DesignError
from lrdesigner.schedule.presets import get_preset

from tests.conftest import assert_schedule_close


def lrs(hi: float):
    """LRs that float32 holds without underflow: 0 or at least 1e-6."""
    return st.one_of(st.just(0.0), st.floats(1e-6, hi))


@pytest.fixture(scope="module")
def optax():
    return pytest.importorskip("optax")


@given(
    init=lrs(1e-4),
    peak=st.floats(1e-4, 1e-2),
    w=st.integers(0, 100),
    d=st.integers(1, 400),
    end=lrs(1e-4),
    exponent=st.floats(0.5, 3.0),
)
@settings(max_examples=8, deadline=None)
def test_warmup_cosine_decay(optax, init, peak, w, d, end, exponent):
    ref_fn = optax.warmup_cosine_decay_schedule(init, peak, w, w + d, end, exponent)
    design = get_preset("optax.warmup_cosine_decay_schedule").build(
        init_value=init, peak_value=peak, warmup_steps=w, decay_steps=w + d, end_value=end, exponent=exponent
    )
    steps = np.arange(w + d + 50)
    ref = np.asarray(ref_fn(steps), np.float64)
    assert_schedule_close(steps, design.evaluate(steps), ref, 2e-6, "optax.warmup_cosine_decay")


@given(
    init=st.floats(1e-4, 1.0),
    ts=st.integers(1, 100),
    rate=st.floats(0.1, 1.5),
    begin=st.integers(0, 50),
    staircase=st.booleans(),
    end=st.one_of(st.none(), st.floats(1e-6, 2.0)),
)
@settings(max_examples=8, deadline=None)
def test_exponential_decay(optax, init, ts, rate, begin, staircase, end):
    ref_fn = optax.exponential_decay(init, ts, rate, begin, staircase, end)
    design = get_preset("optax.exponential_decay").build(
        init_value=init,
        transition_steps=ts,
        decay_rate=rate,
        transition_begin=begin,
        staircase=staircase,
        end_value=end,
        total_steps=400,
    )
    steps = np.arange(420 if design.after_end == "hold" or end is None else 401)
    ref = np.asarray(ref_fn(steps), np.float64)
    # optax works in float32, with decay_rate rounded to float32: rate**p then carries a relative
    # error of about p * eps32, which grows with the exponent p.
    eps32 = float(np.finfo(np.float32).eps)
    p = np.maximum(steps - begin, 0) / ts
    tol = 2e-6 * np.max(np.abs(ref)) + np.abs(ref) * eps32 * (4.0 + 2.0 * p)
    err = np.abs(design.evaluate(steps) - ref)
    assert np.all(err <= tol), f"step {int(steps[np.argmax(err > tol)])}: {err.max()!r}"


def _ref(fn, steps):
    import jax

    return np.broadcast_to(np.asarray(jax.vmap(fn)(np.asarray(steps)), np.float64), np.shape(steps))


def _check(optax, preset, ref_fn, steps, tol=4e-6, **args):
    design = get_preset(preset).build(**args)
    ref = _ref(ref_fn, steps)
    what = f"{preset}{args} (optax {optax.__version__})"
    assert_schedule_close(steps, design.evaluate(steps), ref, tol, what)
    return design


def test_exponential_decay_rate_one_clips_to_end_value_everywhere(optax):
    # optax clips with minimum when decay_rate is not below 1, the transition_begin hold included.
    ref = optax.exponential_decay(1.0, 10, 1.0, transition_begin=5, end_value=0.1)
    design = get_preset("optax.exponential_decay").build(
        init_value=1.0, transition_steps=10, decay_rate=1.0, transition_begin=5, end_value=0.1, total_steps=100
    )
    steps = np.arange(120)
    assert np.all(np.asarray(ref(steps)) == np.float32(0.1))
    np.testing.assert_array_equal(design.evaluate(steps), 0.1)


@pytest.mark.parametrize("ts,rate", [(0, 0.5), (-3, 0.5), (10, 0.0)])
def test_exponential_decay_degenerate_arguments_give_the_constant_init_value(optax, ts, rate):
    steps = np.arange(50)
    d = _check(
        optax,
        "optax.exponential_decay",
        optax.exponential_decay(0.3, ts, rate, end_value=0.01),
        steps,
        init_value=0.3,
        transition_steps=ts,
        decay_rate=rate,
        end_value=0.01,
        total_steps=40,
    )
    assert d.lr_at(10**9) == 0.3


def test_exponential_decay_refuses_negative_steps_and_rates():
    with pytest.raises(DesignError, match="transition_begin"):
        get_preset("optax.exponential_decay").build(transition_begin=-1)
    with pytest.raises(DesignError, match="decay_rate"):
        get_preset("optax.exponential_decay").build(decay_rate=-0.5)


def test_literal_values_from_optax_tests():
    # optax schedule_test: linear 10 -> 20 over 10 steps; polynomial power 2, 10 -> 20.
    lin = get_preset("optax.linear_schedule").build(init_value=10.0, end_value=20.0, transition_steps=10)
    np.testing.assert_allclose(
        lin.evaluate(np.arange(15)), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20, 20, 20, 20], rtol=1e-12
    )
    poly = get_preset("optax.polynomial_schedule").build(
        init_value=10.0, end_value=20.0, power=2.0, transition_steps=10
    )
    np.testing.assert_allclose(
        poly.evaluate(np.arange(12)),
        [10, 11.9, 13.6, 15.1, 16.4, 17.5, 18.4, 19.1, 19.6, 19.9, 20, 20],
        rtol=1e-12,
    )
    pc = get_preset("optax.piecewise_constant_schedule").build(
        init_value=0.1, boundaries=[3, 6], scales=[0.1, 0.5], total_steps=8
    )
    np.testing.assert_allclose(pc.evaluate(np.arange(8)), [0.1] * 3 + [0.01] * 3 + [0.005] * 2, rtol=1e-12)


@given(
    init=lrs(1e-2), end=lrs(1e-2), power=st.floats(0.2, 4.0), ts=st.integers(-2, 200), begin=st.integers(0, 60)
)
@settings(max_examples=8, deadline=None)
def test_polynomial_and_linear(optax, init, end, power, ts, begin):
    steps = np.arange(300)
    _check(
        optax,
        "optax.polynomial_schedule",
        optax.polynomial_schedule(init, end, power, ts, begin),
        steps,
        init_value=init,
        end_value=end,
        power=power,
        transition_steps=ts,
        transition_begin=begin,
    )
    _check(
        optax,
        "optax.linear_schedule",
        optax.linear_schedule(init, end, ts, begin),
        steps,
        init_value=init,
        end_value=end,
        transition_steps=ts,
        transition_begin=begin,
    )


@given(init=st.floats(1e-5, 1.0), d=st.integers(1, 300), alpha=st.floats(0, 1.5), exponent=st.floats(0.3, 3))
@settings(max_examples=8, deadline=None)
def test_cosine_decay(optax, init, d, alpha, exponent):
    _check(
        optax,
        "optax.cosine_decay_schedule",
        optax.cosine_decay_schedule(init, d, alpha, exponent),
        np.arange(d + 40),
        init_value=init,
        decay_steps=d,
        alpha=alpha,
        exponent=exponent,
    )


def test_constant(optax):
    _check(
        optax,
        "optax.constant_schedule",
        optax.constant_schedule(3e-4),
        np.arange(100),
        value=3e-4,
        total_steps=80,
    )


@given(
    table=st.dictionaries(st.integers(0, 200), st.floats(0, 3), max_size=5),
    init=st.floats(1e-4, 1.0),
    kind=st.sampled_from(["linear", "cosine"]),
)
@settings(max_examples=8, deadline=None)
def test_piecewise(optax, table, init, kind):
    b, s = list(table), list(table.values())
    steps = np.arange(260)
    _check(
        optax,
        "optax.piecewise_constant_schedule",
        optax.piecewise_constant_schedule(init, table),
        steps,
        init_value=init,
        boundaries=b,
        scales=s,
        total_steps=220,
    )
    _check(
        optax,
        "optax.piecewise_interpolate_schedule",
        optax.piecewise_interpolate_schedule(kind, init, table),
        steps,
        interpolate_type=kind,
        init_value=init,
        boundaries=b,
        scales=s,
    )


@given(
    T=st.integers(1, 400),
    pct=st.floats(0.0, 0.6),
    final=st.floats(0.6, 1.0),
    div=st.floats(1.5, 50),
    fdiv=st.floats(2, 1e4),
)
@settings(max_examples=8, deadline=None)
def test_onecycles(optax, T, pct, final, div, fdiv):
    steps = np.arange(T + 30)
    _check(
        optax,
        "optax.linear_onecycle_schedule",
        optax.linear_onecycle_schedule(T, 1e-2, pct, final, div, fdiv),
        steps,
        transition_steps=T,
        peak_value=1e-2,
        pct_start=pct,
        pct_final=final,
        div_factor=div,
        final_div_factor=fdiv,
    )
    _check(
        optax,
        "optax.cosine_onecycle_schedule",
        optax.cosine_onecycle_schedule(T, 1e-2, pct, div, fdiv),
        steps,
        transition_steps=T,
        peak_value=1e-2,
        pct_start=pct,
        div_factor=div,
        final_div_factor=fdiv,
    )


@given(init=lrs(1e-3), peak=st.floats(1e-3, 1e-2), w=st.integers(-1, 100))
@settings(max_examples=8, deadline=None)
def test_warmup_constant(optax, init, peak, w):
    _check(
        optax,
        "optax.warmup_constant_schedule",
        optax.warmup_constant_schedule(init, peak, w),
        np.arange(200),
        init_value=init,
        peak_value=peak,
        warmup_steps=w,
        total_steps=150,
    )


@given(
    init=lrs(1e-3),
    peak=st.floats(1e-3, 1e-2),
    w=st.integers(0, 60),
    ts=st.integers(1, 50),
    rate=st.floats(0.3, 0.99),
    begin=st.integers(0, 30),
    staircase=st.booleans(),
    end=st.one_of(st.none(), st.floats(1e-5, 1e-3)),
)
@settings(max_examples=8, deadline=None)
def test_warmup_exponential_decay(optax, init, peak, w, ts, rate, begin, staircase, end):
    ref = optax.warmup_exponential_decay_schedule(init, peak, w, ts, rate, begin, staircase, end)
    design = get_preset("optax.warmup_exponential_decay_schedule").build(
        init_value=init,
        peak_value=peak,
        warmup_steps=w,
        transition_steps=ts,
        decay_rate=rate,
        transition_begin=begin,
        staircase=staircase,
        end_value=end,
        total_steps=200,
    )
    steps = np.arange(200)
    p = np.maximum(steps - w - begin, 0) / ts
    refv = np.asarray(ref(steps), np.float64)
    tol = 4e-6 * peak + np.abs(refv) * float(np.finfo(np.float32).eps) * (4.0 + 2.0 * p)
    assert np.all(np.abs(design.evaluate(steps) - refv) <= tol)


@given(
    pieces=st.lists(
        st.tuples(lrs(1e-3), st.floats(1e-3, 1e-2), st.integers(0, 20), st.integers(21, 80), lrs(1e-4)),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=8, deadline=None)
def test_sgdr(optax, pieces):
    kwargs = [
        dict(init_value=a, peak_value=b, warmup_steps=w, decay_steps=d, end_value=e) for a, b, w, d, e in pieces
    ]
    total = sum(d for _, _, _, d, _ in pieces)
    _check(
        optax,
        "optax.sgdr_schedule",
        optax.sgdr_schedule(kwargs),
        np.arange(total + 30),
        init_values=[k["init_value"] for k in kwargs],
        peak_values=[k["peak_value"] for k in kwargs],
        warmup_steps=[k["warmup_steps"] for k in kwargs],
        decay_steps=[k["decay_steps"] for k in kwargs],
        end_values=[k["end_value"] for k in kwargs],
    )


@given(b1=st.integers(0, 100), gap=st.integers(0, 100))
@settings(max_examples=8, deadline=None)
def test_join_schedules(optax, b1, gap):
    ref = optax.join_schedules(
        [
            optax.linear_schedule(0.0, 1e-3, 50),
            optax.cosine_decay_schedule(1e-3, 80, 0.1),
            optax.exponential_decay(5e-4, 10, 0.8),
        ],
        [b1, b1 + gap],
    )
    pieces = [
        {"preset": "optax.linear_schedule", "init_value": 0.0, "end_value": 1e-3, "transition_steps": 50},
        {"preset": "optax.cosine_decay_schedule", "init_value": 1e-3, "decay_steps": 80, "alpha": 0.1},
        {
            "preset": "optax.exponential_decay",
            "init_value": 5e-4,
            "transition_steps": 10,
            "decay_rate": 0.8,
            "total_steps": 100,
        },
    ]
    steps = np.arange(b1 + gap + 150)
    refv = np.asarray(ref(steps), np.float64)
    design = get_preset("optax.join_schedules").build(schedules=pieces, boundaries=[b1, b1 + gap])
    err = np.abs(design.evaluate(steps) - refv)
    assert np.all(err <= 4e-6 * 1e-3 + 1e-5 * refv), f"step {int(np.argmax(err))}"


def test_join_schedules_refuses_bad_pieces_with_their_place():
    with pytest.raises(DesignError, match=r"schedules\[1\]"):
        get_preset("optax.join_schedules").build(
            schedules=[{"preset": "optax.constant_schedule"}, {"preset": "optax.linear_schedule", "x": 1}],
            boundaries=[10],
        )
    with pytest.raises(DesignError, match="preset"):
        get_preset("optax.join_schedules").build(schedules=[{"value": 1}], boundaries=[])

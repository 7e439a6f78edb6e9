"""TensorBoard smoothing equals the web UI's loop; the drawing pyramid keeps every extreme."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from lrdesigner.logs.decimate import Pyramid
from lrdesigner.logs.smoothing import smooth, smooth_reference

values = st.lists(
    st.one_of(st.floats(-1e6, 1e6), st.sampled_from([math.nan, math.inf, -math.inf, 1.0, 0.0])), max_size=300
)
weights = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.6, 0.999, 1.0, math.nan, -1.0, 2.0]))


@given(vals=values, w=weights)
@settings(max_examples=400, deadline=None)
def test_smoothing_matches_the_reference_loop(vals, w):
    ref = np.array(smooth_reference(vals, w), dtype=np.float64)
    got = smooth(vals, w)
    assert got.shape == ref.shape
    same_nonfinite = (np.isnan(ref) == np.isnan(got)) & (np.isinf(ref) == np.isinf(got))
    assert same_nonfinite.all()
    fin = np.isfinite(ref)
    np.testing.assert_allclose(
        got[fin], ref[fin], rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(ref[fin]).max(initial=0)))
    )


def test_constant_series_and_long_runs():
    assert smooth([3.0] * 5, 0.9).tolist() == [3.0] * 5
    y = np.r_[np.full(1000, 2.0), np.linspace(0, 1, 50_000), [np.nan], np.full(10, 7.0)]
    np.testing.assert_allclose(
        smooth(y, 0.95)[np.isfinite(y)], np.array(smooth_reference(y, 0.95))[np.isfinite(y)], rtol=1e-12
    )


@given(n=st.integers(1, 3000), bins=st.integers(1, 500), data=st.data())
@settings(max_examples=100, deadline=None)
def test_pyramid_blocks_cover_every_extreme(n, bins, data):
    rng = np.random.default_rng(n)
    steps = np.cumsum(rng.integers(1, 5, size=n))
    vals = rng.normal(size=n)
    vals[rng.integers(0, n, size=n // 10)] = np.nan
    pyr = Pyramid(steps, vals)
    a = data.draw(st.integers(int(steps[0]) - 5, int(steps[-1]) + 5))
    b = data.draw(st.integers(a, int(steps[-1]) + 10))
    x, lo, hi = pyr.query(a, b, bins)
    inside = (steps >= a) & (steps <= b)
    if not inside.any():
        assert len(x) == 0
        return
    assert len(x) <= 2 * bins + 2
    finite = inside & np.isfinite(vals)
    if finite.any():  # the blocks reach every visible extreme (and may reach a block past the edges)
        assert np.nanmin(lo) <= vals[finite].min() and np.nanmax(hi) >= vals[finite].max()
        first, last = np.flatnonzero(inside)[[0, -1]]
        margin = max(1, 2 * (int(np.flatnonzero(inside).size) // max(bins, 1)) + 2)
        near = np.isfinite(vals) & (np.arange(n) >= first - margin) & (np.arange(n) <= last + margin)
        assert np.nanmin(lo) >= vals[near].min() and np.nanmax(hi) <= vals[near].max()


def test_pyramid_query_cost_does_not_grow_with_points():
    steps = np.arange(2_000_000)
    pyr = Pyramid(steps, np.sin(steps / 1000.0))
    x, lo, hi = pyr.query(0, 2_000_000, 1000)
    assert len(x) <= 2001
    assert abs(lo.min() + 1.0) < 1e-6 and abs(hi.max() - 1.0) < 1e-6


def test_pyramid_shares_finite_values_and_keeps_infinities_out():
    steps = np.arange(1000)
    vals = np.sin(steps / 10.0)
    assert np.shares_memory(Pyramid(steps, vals).mins[0], vals)  # a long series is not held twice
    vals[500] = np.inf
    pyr = Pyramid(steps, vals)
    assert not np.shares_memory(pyr.mins[0], vals) and vals[500] == np.inf
    x, lo, hi = pyr.query(0, 999, 1000)
    assert not np.isinf(hi).any() and np.nanmax(hi) <= 1.0

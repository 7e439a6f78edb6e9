"""Comparison metrics against brute force, and presets fitted to a design."""

import numpy as np
import pytest
from hypothesis import given, settings
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.compare import (
    comparison_table,
    first_step_below,
    fit_preset_args,
    max_relative_difference,
)
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.metrics import metrics
from lrdesigner.schedule.presets import PRESETS, get_preset

from .strategies import designs


def brute_relative(design, other):
    """Step by step, skipping the steps where the design is 0 (no relative difference there)."""
    steps = np.arange(design.total_steps)
    d, o = design.evaluate(steps), other.evaluate(steps)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(d == 0, 0.0, np.abs(o - d) / d)
    return float(rel.max()), int(np.argmax(rel))


def test_steps_where_the_design_is_zero_are_skipped_and_said():
    design = Design((Segment.create("linear", 100, 0.0, 1e-3), Segment.create("cosine", 900, 1e-3, 1e-4)))
    flat = Design((Segment.create("constant", 1000, 5e-4, 5e-4),))
    got = max_relative_difference(design, flat)
    # At step 1 the design is 1e-5: flat is 49 times larger; step 0 (design 0) is skipped.
    assert got.value == pytest.approx(49.0) and got.step == 1 and got.skipped_zero
    same = max_relative_difference(design, design)
    assert same.value == 0 and not same.skipped_zero
    bounded = max_relative_difference(design, flat, exact_steps=0)
    assert bounded.value == pytest.approx(49.0, rel=2e-6) and bounded.skipped_zero


@settings(max_examples=60, deadline=None)
@given(designs(max_steps=3000), designs(max_steps=3000))
def test_max_relative_difference_equals_brute_force(a, b):
    got = max_relative_difference(a, b)
    value, step = brute_relative(a, b)
    assert got.exact
    assert got.value == value
    assert got.step == step


@settings(max_examples=30, deadline=None)
@given(designs(max_steps=3000), designs(max_steps=3000))
def test_bounded_difference_matches_brute_force_within_its_tolerance(a, b):
    got = max_relative_difference(a, b, exact_steps=0)  # force the piecewise bound
    value, _ = brute_relative(a, b)
    assert got.value <= value * (1 + 1e-12)
    assert got.value >= value * (1 - 2e-6)


def test_bounded_difference_on_a_billion_steps():
    a = Design((Segment.create("linear", 10**8, 1e-6, 5e-4), Segment.create("cosine", 9 * 10**8, 5e-4, 1e-5)))
    b = Design((Segment.create("linear", 10**8, 1e-6, 5e-4), Segment.create("cosine", 9 * 10**8, 5e-4, 2e-5)))
    got = max_relative_difference(a, b)
    # Analytically the ends differ most: 2e-5 vs 1e-5 at the very end is a relative difference of 1.
    assert got.value == pytest.approx(1.0, rel=2e-6)
    assert got.step > 0.999 * a.total_steps


@settings(max_examples=60, deadline=None)
@given(designs(max_steps=3000))
def test_first_step_below_equals_brute_force(design):
    m = metrics(design)
    level = 0.1 * m.peak_lr
    values = design.evaluate(np.arange(design.total_steps))
    below = np.nonzero(values[m.peak_step :] < level)[0]
    expected = None if not below.size else m.peak_step + int(below[0])
    assert first_step_below(design, level, m.peak_step) == expected


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_fitted_presets_last_as_long_as_the_design_where_they_can(name):
    design = default_design()
    preset = get_preset(name)
    built = preset.build(**fit_preset_args(preset, design.total_steps, 5e-4))
    if name not in (
        "keras.PiecewiseConstantDecay",
        "keras.CosineDecayRestarts",
        "torch.CosineAnnealingWarmRestarts",
    ):
        assert built.total_steps == design.total_steps
    assert metrics(built).peak_lr == pytest.approx(5e-4, rel=1e-6)


def test_comparison_table_rows():
    design = default_design()
    noam = get_preset("noam").build(total_steps=100000)
    rows = comparison_table(design, [("noam", noam)])
    assert [r.name for r in rows] == [design.name, "noam"]
    assert rows[0].difference is None and rows[1].difference.value == brute_relative(design, noam)[0]
    assert rows[1].metrics == metrics(noam)
    assert rows[0].steps_to_10pct == first_step_below(design, 0.05e-3, 8000)

"""Every target reproduces random designs and every preset, in the real framework."""

import pytest
from hypothesis import HealthCheck, given, settings
from lrdesigner.schedule.presets import PRESETS

from tests.export.helpers import preset_designs, verify_in_process
from tests.schedule.strategies import designs

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)

#: The framework each target's check imports (the plain-Python target needs only NumPy).
NEEDS = {"python": "numpy", "torch": "torch", "optax": "jax", "keras": "keras", "tf-keras": "tf_keras"}


def need(*targets):
    for target in targets:
        pytest.importorskip(NEEDS[target])


@pytest.mark.parametrize("target", ["python", "torch", "optax"])
@given(design=designs(max_steps=3000))
@SETTINGS
def test_random_designs_fast_targets(tmp_path, target, design):
    need(target)
    rep = verify_in_process(tmp_path, design, target)
    if target in ("python", "torch"):
        assert all(c.max_abs == 0.0 for c in rep.checks)  # bit-exact float64


@pytest.mark.parametrize("target", ["keras", "tf-keras"])
@given(design=designs(max_steps=3000, max_segments=4))
@settings(SETTINGS, max_examples=6)
def test_random_designs_keras(tmp_path, target, design):
    need(target)
    verify_in_process(tmp_path, design, target)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_at_random_parameters(tmp_path, name):
    need("python", "torch", "optax", "keras")

    @given(design=preset_designs(name))
    @settings(SETTINGS, max_examples=2)
    def check(design):
        for target in ("python", "torch", "optax", "keras"):
            verify_in_process(tmp_path, design, target, n=40)

    check()

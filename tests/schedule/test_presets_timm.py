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


@given(t_initial=st.integers(5, 200), lr_min=st.floats(0, 1e-4), cycle_mul=st.sampled_from([1.0, 2.0, 1.5]),
       cycle_decay=st.floats(0.3, 1.0), cycle_limit=st.integers(1, 4), warmup_t=st.integers(0, 30),
       warmup_lr_init=st.floats(0, 1e-4), prefix=st.booleans())
@settings(max_examples=30, deadline=None)
def test_timm_cosine(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init,
                     prefix):
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

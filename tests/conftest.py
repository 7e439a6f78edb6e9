import os

import numpy as np
import pytest
from hypothesis import settings

# A fixed example sequence keeps CI reproducible; HYPOTHESIS_PROFILE=explore searches afresh.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def stepped_lrs(make, lr, steps):
    """LR in force at t = 0..steps for a torch scheduler made by `make(optimizer)`, stepped once
    per optimizer step."""
    import torch

    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    s = make(opt)
    out = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        s.step()
        out.append(opt.param_groups[0]["lr"])
    return np.array(out)


def assert_schedule_close(steps, ours, ref, tol, what=""):
    """Assert |ours - ref| <= tol * peak at every step; name the first step that differs."""
    steps, ours, ref = np.asarray(steps), np.asarray(ours, np.float64), np.asarray(ref, np.float64)
    assert ours.shape == ref.shape
    peak = max(float(np.max(np.abs(ref))), 1e-300)
    err = np.abs(ours - ref)
    bad = np.nonzero(~(err <= tol * peak))[0]
    if bad.size:
        i = bad[0]
        pytest.fail(
            f"{what}: {bad.size} of {steps.size} steps differ; first at step {int(steps[i])}: "
            f"ours {ours[i]!r}, library {ref[i]!r} (tolerance {tol} x peak {peak:g})"
        )

"""The exported PyTorch scheduler: thousands of steps, exact resume, plateau reports."""

import io

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

torch = pytest.importorskip("torch")


def load(tmp_path, design):
    from lrdesigner.export.driver import load_module

    path, name = write_export(tmp_path, design, "torch")
    return load_module(str(path), name)


def design_with(**changes):
    segs = (Segment.create("linear", 500, 0.0, 3e-4), Segment.create("cosine", 3000, 3e-4, 3e-5),
            Segment.create("cyclic", 1500, 3e-5, max_lr=1e-4, step_size_up=100, step_size_down=200),
            Segment.create("exponential", 1000, 3e-5, rate=0.5, every=300))
    return Design(segs, name="torch e2e", **changes)


def make(mod, lr=1.0, groups=2):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in range(groups)]
    opt = torch.optim.AdamW([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(params)])
    return opt, mod.make_schedule(opt)


def test_stepping_reproduces_the_design_on_every_group(tmp_path):
    design = design_with(after_end="continue")
    mod = load(tmp_path, design)
    opt, sched = make(mod, lr=123.0)  # the optimizer's own lr does not matter
    n = design.total_steps + 300
    seen = np.empty((n, 2))
    for i in range(n):
        seen[i] = [g["lr"] for g in opt.param_groups]
        opt.step()
        sched.step()
    ref = np.array([design.lr_at(s) for s in range(n)])
    np.testing.assert_array_equal(seen[:, 0], ref)
    np.testing.assert_array_equal(seen[:, 1], ref)
    assert sched.get_last_lr() == [design.lr_at(n)] * 2


def test_state_dict_resume_continues_identically(tmp_path):
    policy = PlateauPolicy(semantics="torch", factor=0.5, patience=1, min_delta=0.0)
    design = design_with(plateau=policy)
    mod = load(tmp_path, design)
    metric = iter([1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.9, 0.91] * 3)

    def run(opt, sched, steps):
        out = []
        for i in range(steps):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
            if (i + 1) % 250 == 0:
                sched.report(next(metric))
        return out

    opt, sched = make(mod)
    first = run(opt, sched, 2250)
    buf = io.BytesIO()
    torch.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
    rest = run(opt, sched, 2000)
    buf.seek(0)
    state = torch.load(buf, weights_only=True)  # plain data only: loads with the safe unpickler
    metric = iter([1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.9, 0.91] * 3)
    for _ in range(9):
        next(metric)  # the reports already made before the checkpoint
    opt2, sched2 = make(mod)
    opt2.load_state_dict(state["opt"])
    sched2.load_state_dict(state["sched"])
    again = run(opt2, sched2, 2000)
    assert again == rest
    assert sched2.state_dict()["_plateau"]["multiplier"] < 1.0  # cuts happened and were kept
    assert first[0] == 0.0


def test_report_cuts_like_the_simulation(tmp_path):
    policy = PlateauPolicy(semantics="torch", factor=0.3, patience=2, cooldown=1, min_lr=1e-6)
    design = design_with(plateau=policy, steps_per_epoch=100)
    mod = load(tmp_path, design)
    rng = np.random.default_rng(3)
    values = np.round(rng.uniform(0.5, 1.0, size=50), 2).tolist()
    opt, sched = make(mod, groups=1)
    cuts, lrs = [], []
    for k, v in enumerate(values):
        for _ in range(100):
            opt.step()
            sched.step()
        cut = sched.report(v)
        if cut:
            cuts.append((k, sched.last_epoch, *cut))
        lrs.append(opt.param_groups[0]["lr"])
    sim = simulate_plateau(values, policy, design)
    assert cuts == [(c.index, c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    np.testing.assert_allclose(lrs, sim.lrs, rtol=1e-12)

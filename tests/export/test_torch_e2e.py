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
    segs = (
        Segment.create("linear", 500, 0.0, 3e-4),
        Segment.create("cosine", 3000, 3e-4, 3e-5),
        Segment.create("cyclic", 1500, 3e-5, max_lr=1e-4, step_size_up=100, step_size_down=200),
        Segment.create("exponential", 1000, 3e-5, rate=0.5, every=300),
    )
    return Design(segs, name="torch e2e", **changes)


def make(mod, lrs=(1.0, 1.0)):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in lrs]
    opt = torch.optim.AdamW([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)])
    return opt, mod.make_schedule(opt)


def test_stepping_reproduces_the_design_on_every_group(tmp_path):
    design = design_with(after_end="continue")
    mod = load(tmp_path, design)
    opt, sched = make(mod, lrs=(123.0, 123.0))  # with equal groups the optimizer's own lr does not matter
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
    opt, sched = make(mod, lrs=(1.0,))
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


def test_param_groups_keep_their_ratio_through_cuts_and_a_resume(tmp_path):
    """A backbone group created with lr=1e-4 next to a head group with 1e-3 runs at a tenth of the
    design, as LambdaLR would scale it; a plateau cut and a checkpoint resume keep that."""
    policy = PlateauPolicy(semantics="torch", factor=0.5, patience=0, min_delta=0.0)
    design = design_with(plateau=policy)
    mod = load(tmp_path, design)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 1))
    torch.manual_seed(0)

    def build():
        opt = torch.optim.AdamW(
            [{"params": model[1].parameters(), "lr": 1e-3}, {"params": model[0].parameters(), "lr": 1e-4}]
        )
        return opt, mod.make_schedule(opt)

    def train(opt, sched, steps, start):
        seen = []
        for i in range(start, start + steps):
            seen.append([g["lr"] for g in opt.param_groups])
            loss = model(torch.ones(2, 3)).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if (i + 1) % 500 == 0:
                sched.report(1.0)  # a stall: every report after the first cuts
        return np.array(seen)

    opt, sched = build()
    first = train(opt, sched, 1500, 0)
    state = {"opt": opt.state_dict(), "sched": sched.state_dict()}
    buf = io.BytesIO()
    torch.save(state, buf)
    rest = train(opt, sched, 1500, 1500)
    buf.seek(0)
    saved = torch.load(buf, weights_only=True)
    opt2, sched2 = build()
    opt2.load_state_dict(saved["opt"])
    sched2.load_state_dict(saved["sched"])
    again = train(opt2, sched2, 1500, 1500)
    np.testing.assert_array_equal(again, rest)
    seen = np.concatenate([first, rest])
    multiplier = np.where(np.arange(3000) < 1000, 1.0, np.where(np.arange(3000) < 1500, 0.5, 0.25))
    multiplier[2000:] = 0.125
    multiplier[2500:] = 0.0625
    np.testing.assert_allclose(seen[:, 0], design.evaluate(np.arange(3000)) * multiplier, rtol=1e-12)
    np.testing.assert_allclose(seen[:, 1], seen[:, 0] * 0.1, rtol=1e-12)

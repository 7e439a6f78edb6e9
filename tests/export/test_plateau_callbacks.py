"""Generated plateau logic (Keras callback, torch `report`) over scripted metrics equals the simulation."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

EVERY = 10
DESIGN = Design(
    (Segment.create("linear", 20, 1e-4, 1e-3), Segment.create("cosine", 400, 1e-3, 1e-5)),
    name="plateau",
    steps_per_epoch=EVERY,
)

values = st.lists(st.one_of(st.sampled_from([1.0, 0.9, 0.5]), st.floats(0.0, 2.0)), min_size=1, max_size=40)
policies = st.builds(
    PlateauPolicy,
    semantics=st.sampled_from(["keras", "tf.keras", "torch"]),
    monitor=st.sampled_from(["val_loss", "val_accuracy"]),
    mode=st.sampled_from(["min", "max", "auto"]),
    factor=st.sampled_from([0.1, 0.5, 0.9]),
    patience=st.integers(0, 4),
    min_delta=st.sampled_from([0.0, 1e-4, 0.05]),
    threshold_mode=st.sampled_from(["rel", "abs"]),
    cooldown=st.integers(0, 3),
    min_lr=st.sampled_from([0.0, 1e-5, 5e-4]),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class FakeOptimizer:
    """What the callback reads from a Keras optimizer: its schedule, its step counter, its LR."""

    def __init__(self, schedule):
        self._learning_rate = schedule
        self.iterations = 0

    @property
    def learning_rate(self):
        return self._learning_rate(self.iterations)


class FakeModel:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.compiled = 0

    def make_train_function(self, force=False):
        self.compiled += force


@pytest.mark.parametrize("flavour", ["keras", "tf-keras"])
@given(policy=policies, vals=values)
@SETTINGS
def test_keras_callback(tmp_path, flavour, policy, vals):
    pytest.importorskip("tf_keras" if flavour == "tf-keras" else "keras")
    from lrdesigner.export.driver import load_module

    design = DESIGN.replace(plateau=policy)
    path, name = write_export(tmp_path, design, flavour)
    mod = load_module(str(path), name)
    schedule = mod.DesignedSchedule()
    callback = mod.DesignedSchedulePlateauCallback()
    model = FakeModel(FakeOptimizer(schedule))
    callback.set_model(model)
    callback.on_train_begin()
    lrs, logged = [], []
    for k, v in enumerate(vals):
        model.optimizer.iterations = (k + 1) * EVERY
        logs = {policy.monitor: v}
        callback.on_epoch_end(k, logs)
        logged.append(logs["learning_rate" if flavour == "keras" else "lr"])
        lrs.append(float(schedule((k + 1) * EVERY)))
    sim = simulate_plateau(vals, policy, design)
    assert [(c[1], c[2], c[3]) for c in callback.cuts] == [(c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    np.testing.assert_allclose(lrs, sim.lrs, rtol=2e-7)
    # Logged as Keras's own callback logs it: the LR in force before this epoch's cut.
    before = [1.0, *sim.multipliers[:-1]]  # the multiplier in force when epoch k ends, before its cut
    expected = [design.lr_at((k + 1) * EVERY) * before[k] for k in range(len(vals))]
    np.testing.assert_allclose(logged, expected, rtol=2e-7)
    assert model.compiled == len(sim.cuts)  # the train step is compiled again after each cut


@given(policy=policies, vals=values)
@SETTINGS
def test_torch_report(tmp_path, policy, vals):
    torch = pytest.importorskip("torch")
    from lrdesigner.export.driver import load_module

    design = DESIGN.replace(plateau=policy)
    path, name = write_export(tmp_path, design, "torch")
    mod = load_module(str(path), name)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))])
    sched = mod.make_schedule(opt)
    cuts, lrs = [], []
    for v in vals:
        for _ in range(EVERY):
            opt.step()
            sched.step()
        cut = sched.report(v)
        if cut:
            cuts.append((sched.last_epoch, *cut))
        lrs.append(opt.param_groups[0]["lr"])
    sim = simulate_plateau(vals, policy, design)
    assert cuts == [(c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    if policy.semantics == "torch":
        np.testing.assert_allclose(lrs, sim.lrs, rtol=1e-12)

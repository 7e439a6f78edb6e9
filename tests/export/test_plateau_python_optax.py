"""The plain-Python and optax exports carry the design's plateau policy: `Plateau.report` cuts where
the simulation cuts, resumes from its state, and (optax) reaches a jitted update through a scale in
the optimizer state, as the module's docstring shows."""

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

EVERY = 25
DESIGN = Design(
    (Segment.create("linear", 50, 1e-4, 1e-2), Segment.create("cosine", 450, 1e-2, 1e-4)),
    name="plateau",
    steps_per_epoch=EVERY,
)
VALUES = [1.0, 0.9, 0.95, 0.97, 0.96, 0.8, 0.85, 0.84, 0.83, 0.9, 0.9, 0.9, 0.9]


def load(tmp_path, design, target):
    from lrdesigner.export.driver import load_module

    path, name = write_export(tmp_path, design, target)
    return load_module(str(path), name)


@pytest.mark.parametrize("semantics", ["keras", "tf.keras", "torch"])
def test_python_plateau_reports_like_the_simulation_and_resumes(tmp_path, semantics):
    policy = PlateauPolicy(semantics=semantics, factor=0.5, patience=1, min_delta=0.0)
    design = DESIGN.replace(plateau=policy)
    mod = load(tmp_path, design, "python")
    plateau = mod.Plateau()
    cuts, lrs = [], []
    for k, v in enumerate(VALUES):
        step = (k + 1) * EVERY
        cut = plateau.report(v, step)
        if cut:
            cuts.append((step, *cut))
        lrs.append(plateau.lr(step))
        if k == 5:
            resumed = mod.Plateau(state=plateau.state())
    sim = simulate_plateau(VALUES, policy, design)
    assert len(sim.cuts) >= 2
    assert cuts == [(c.step, c.old_lr, c.new_lr) for c in sim.cuts]
    np.testing.assert_allclose(lrs, sim.lrs, rtol=1e-12)
    again = []
    for k, v in enumerate(VALUES[6:], start=6):
        resumed.report(v, (k + 1) * EVERY)
        again.append(resumed.lr((k + 1) * EVERY))
    assert again == lrs[6:]


def test_python_export_without_the_policy_when_asked(tmp_path):
    from lrdesigner.export import ExportOptions, export

    design = DESIGN.replace(plateau=PlateauPolicy())
    assert "class Plateau" in export(design, "python")
    assert "Plateau" not in export(design, "python", options=ExportOptions(plateau=False))


def test_optax_plateau_reaches_the_jitted_update(tmp_path):
    jax = pytest.importorskip("jax")
    optax = pytest.importorskip("optax")
    import jax.numpy as jnp

    policy = PlateauPolicy(semantics="torch", factor=0.5, patience=1, min_delta=0.0)
    design = DESIGN.replace(plateau=policy)
    mod = load(tmp_path, design, "optax")
    plateau = mod.Plateau()
    optimizer = optax.chain(
        optax.sgd(learning_rate=mod.make_schedule()), optax.inject_hyperparams(optax.scale)(step_size=1.0)
    )
    params = jnp.zeros(())
    opt_state = optimizer.init(params)

    @jax.jit
    def update(params, opt_state):
        grads = jnp.ones(())  # the loss is the parameter itself: each update subtracts the LR applied
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state

    applied = []
    for k, v in enumerate(VALUES):
        before = float(params)
        for _ in range(EVERY):
            params, opt_state = update(params, opt_state)
        applied.append(before - float(params))
        plateau.report(v, (k + 1) * EVERY)
        opt_state[1].hyperparams["step_size"] = plateau.multiplier
    sim = simulate_plateau(VALUES, policy, design)
    assert len(sim.cuts) >= 2
    multipliers = [1.0, *sim.multipliers[:-1]]
    expected = [
        float(np.sum(design.evaluate(np.arange(k * EVERY, (k + 1) * EVERY)))) * multipliers[k]
        for k in range(len(VALUES))
    ]
    # float32 parameters: each epoch's difference carries ~25 roundings of a value near 1.5
    np.testing.assert_allclose(applied, expected, rtol=1e-5, atol=5e-6)

"""Plateau simulation against the real Keras and torch ReduceLROnPlateau on a constant LR."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

LR = 0.1
# Metric sequences with plateaus, ties, near-ties and the odd NaN.
STEP = st.one_of(st.just(0.0), st.floats(-0.05, 0.05), st.just(1e-4), st.just(-1e-4), st.just(math.nan))
SEQ = st.lists(STEP, min_size=1, max_size=40).map(lambda d: list(np.cumsum(d) + 1.0))
PARAMS = st.fixed_dictionaries(
    {
        "factor": st.sampled_from([0.1, 0.5, 0.2, 0.9]),
        "patience": st.integers(0, 4),
        "cooldown": st.integers(0, 3),
        "min_lr": st.sampled_from([0.0, 1e-3, 0.02, 0.05]),
        "min_delta": st.sampled_from([0.0, 1e-4, 1e-2]),
        "mode": st.sampled_from(["min", "max"]),
    }
)


@pytest.fixture(scope="module")
def keras_model():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR), loss="mse")
    return keras, model


@given(seq=SEQ, params=PARAMS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_keras_reduce_lr_on_plateau(keras_model, seq, params):
    keras, model = keras_model
    model.optimizer.learning_rate = LR
    cb = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", **params)
    cb.set_model(model)
    cb.on_train_begin()
    ref = []
    for epoch, v in enumerate(seq):
        # model.fit hands callbacks Python floats, which Keras compares as float32 tensors
        # (a NumPy float64 would be compared in float64).
        cb.on_epoch_end(epoch, {"val_loss": float(v)})
        ref.append(float(np.asarray(model.optimizer.learning_rate)))
    policy = PlateauPolicy(semantics="keras", **params)
    ours = simulate_plateau(seq, policy, base_lr=LR).lrs
    assert list(ours) == ref, f"Keras {keras.__version__}"


@given(
    seq=SEQ, params=PARAMS, threshold_mode=st.sampled_from(["rel", "abs"]), eps=st.sampled_from([1e-8, 1e-3])
)
@settings(max_examples=200, deadline=None)
def test_torch_reduce_lr_on_plateau(seq, params, threshold_mode, eps):
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt,
        mode=params["mode"],
        factor=params["factor"],
        patience=params["patience"],
        threshold=params["min_delta"],
        threshold_mode=threshold_mode,
        cooldown=params["cooldown"],
        min_lr=params["min_lr"],
        eps=eps,
    )
    ref = []
    for v in seq:
        s.step(v)
        ref.append(opt.param_groups[0]["lr"])
    policy = PlateauPolicy(semantics="torch", threshold_mode=threshold_mode, eps=eps, **params)
    ours = simulate_plateau(seq, policy, base_lr=LR).lrs
    assert list(ours) == ref, f"torch {torch.__version__}"

"""ultralytics.linear / ultralytics.cosine against the trainer: a torch LambdaLR driven as
ultralytics/engine/trainer.py drives it (checked against ultralytics 8.4.190 and the older
8.0-8.3 loop, which steps the scheduler after the epoch like YOLOv5's train.py), every iteration."""

import ast
import importlib.util
import math
import os
import time
import warnings

import numpy as np
import pytest
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.presets import get_preset

torch = pytest.importorskip("torch")


def _one_cycle():
    """ultralytics.utils.torch_utils.one_cycle: imported, or compiled from the installed package's
    source alone (the package imports opencv on the way), else the formula of 8.4.190."""
    try:
        from ultralytics.utils.torch_utils import one_cycle

        return one_cycle
    except ImportError:
        pass
    spec = importlib.util.find_spec("ultralytics")
    if spec is not None and spec.submodule_search_locations:
        path = os.path.join(list(spec.submodule_search_locations)[0], "utils", "torch_utils.py")
        tree = ast.parse(open(path, encoding="utf-8").read())
        node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "one_cycle")
        scope = {"math": math}
        exec(compile(ast.Module([node], []), path, "exec"), scope)
        return scope["one_cycle"]
    # ultralytics 8.4.190, ultralytics/utils/torch_utils.py
    return lambda y1=0.0, y2=1.0, steps=100: (
        lambda x: max((1 - math.cos(x * math.pi / steps)) / 2, 0) * (y2 - y1) + y1
    )


def _lf(cos, lrf, epochs):
    if cos:
        return _one_cycle()(1, lrf, epochs)
    return lambda x: max(1 - x / epochs, 0) * (1.0 - lrf) + lrf  # trainer.py _setup_scheduler


def trainer_lrs(cos, lr0, lrf, epochs, nb, warmup_epochs, bias_lr, minimum, lag):
    """[bias group, weight group] LR at every iteration, as the trainer sets them."""
    lf = _lf(cos, lrf, epochs)
    params = [torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(1))]
    opt = torch.optim.SGD([{"params": [params[0]], "param_group": "bias"}, {"params": [params[1]]}], lr=lr0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lf)
    sched.last_epoch = -1  # trainer.py: "do not move"
    nw = max(round(warmup_epochs * nb), minimum) if warmup_epochs > 0 else 0
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scheduler.step() before optimizer.step()
        for epoch in range(epochs):
            if lag == 0:
                sched.step()  # newer trainers: at the epoch's start
            for i in range(nb):
                ni = i + nb * epoch
                if nw and ni <= nw:
                    for x in opt.param_groups:
                        x["lr"] = float(
                            np.interp(
                                ni,
                                [0, nw],
                                [
                                    bias_lr if x.get("param_group") == "bias" else 0.0,
                                    x["initial_lr"] * lf(epoch),
                                ],
                            )
                        )
                out.append([x["lr"] for x in opt.param_groups])
            if lag == 1:
                sched.step()  # Ultralytics 8.0.x and YOLOv5: after the epoch
    return np.array(out)


CASES = [
    # cos, lr0, lrf, epochs, nb, warmup_epochs, warmup_bias_lr, minimum, lag
    (False, 0.01, 0.01, 30, 7, 3.0, 0.1, 100, 0),  # warmup stretched to 100 iterations
    (False, 0.001, 0.01, 20, 47, 3.0, 0.1, 100, 1),  # warmup ends with an epoch
    (True, 0.01, 0.01, 25, 22, 5.0, 0.1, 100, 0),
    (True, 0.002, 0.1, 12, 13, 1.7, 0.05, 100, 1),  # warmup ends inside an epoch
    (False, 0.00538, 0.986, 20, 83, 0.104, 0.171, 100, 0),
    (False, 0.01, 0.01, 10, 10, 3.0, 0.1, 1000, 1),  # never leaves warmup (old YOLOv5 minimum)
    (True, 0.000714, 0.01, 15, 9, 0.0, 0.1, 100, 0),  # no warmup
    (False, 0.002, 0.01, 15, 9, 0.0, 0.0, 100, 1),  # no warmup, one epoch behind
    (False, 0.01, 0.01, 10, 40, 2.5, 0.1, 0, 0),  # 8.4: no minimum
]


@pytest.mark.parametrize("case", CASES)
def test_every_iteration_equals_the_trainer(case):
    cos, lr0, lrf, epochs, nb, we, bias_lr, minimum, lag = case
    expected = trainer_lrs(*case)
    preset = get_preset("ultralytics.cosine" if cos else "ultralytics.linear")
    args = dict(
        lr0=lr0,
        lrf=lrf,
        epochs=epochs,
        warmup_epochs=we,
        steps_per_epoch=nb,
        warmup_min_iterations=minimum,
        epoch_lag=lag,
    )
    bias = preset.build(**args, warmup_bias_lr=bias_lr)
    weights = preset.build(**args)
    steps = np.arange(epochs * nb)
    assert bias.total_steps == weights.total_steps == epochs * nb
    assert weights.steps_per_epoch == nb
    np.testing.assert_allclose(bias.evaluate(steps), expected[:, 0], rtol=1e-12, atol=1e-18)
    np.testing.assert_allclose(weights.evaluate(steps), expected[:, 1], rtol=1e-12, atol=1e-18)
    after = np.flatnonzero(steps > (max(round(we * nb), minimum) if we > 0 else 0))
    # after warmup the LambdaLR value itself: equal to the last bit
    assert np.array_equal(weights.evaluate(steps[after]), expected[after, 1])


def test_long_runs_stay_quick():
    """100000 epochs (a real run's setting): one constant segment per epoch, built and drawn quickly."""
    t = time.perf_counter()
    design = get_preset("ultralytics.linear").build(
        lr0=1e-4, epochs=100_000, steps_per_epoch=23, warmup_bias_lr=0.1
    )
    built = time.perf_counter() - t
    steps = np.linspace(0, design.total_steps - 1, 4000).astype(np.int64)
    t = time.perf_counter()
    values = design.evaluate(steps)
    drawn = time.perf_counter() - t
    assert built < 5 and drawn < 1
    e = steps // 23
    late = e > 10
    lf = np.maximum(1 - e[late] / 100_000, 0) * (1 - 0.01) + 0.01
    np.testing.assert_allclose(values[late], 1e-4 * lf, rtol=1e-15)


@pytest.mark.parametrize(
    "bad, where",
    [
        (dict(epochs=0), "epochs"),
        (dict(steps_per_epoch=0), "steps_per_epoch"),
        (dict(epoch_lag=2), "epoch_lag"),
        (dict(lr0=-1.0), "lr0"),
        (dict(warmup_epochs=-1.0), "warmup_epochs"),
    ],
)
def test_refused_arguments_name_the_argument(bad, where):
    with pytest.raises(DesignError) as err:
        get_preset("ultralytics.linear").build(**bad)
    assert where in str(err.value)


def test_total_steps_draws_a_run_that_stopped_early():
    """run ultralytics/19: 100000 epochs, stopped after 36 of 23 batches: only those epochs are built."""
    args = dict(lr0=1e-4, epochs=100_000, steps_per_epoch=23, warmup_bias_lr=0.1)
    full = get_preset("ultralytics.linear").build(**args)
    early = get_preset("ultralytics.linear").build(**args, total_steps=36 * 23)
    assert early.total_steps == 36 * 23 and len(early.segments) < 40
    steps = np.arange(36 * 23)
    np.testing.assert_array_equal(early.evaluate(steps), full.evaluate(steps))

"""A learning rate logged once per epoch is drawn as steps: each value in force since the point
before, so a cut shows at the epoch it happened, not as a slope over the next one. The stall advice
speaks in the past once the metric improved again."""

import numpy as np
from lrdesigner.logs import read
from lrdesigner.logs.advice import stalls
from lrdesigner.schedule import Design, Segment
from PySide6.QtWidgets import QApplication

SPE = 100


def test_an_epoch_logged_lr_is_drawn_as_steps(window, tmp_path):
    window.files._replace(
        Design((Segment.create("constant", 3000, 1e-3, 1e-3),), name="flat", steps_per_epoch=SPE)
    )
    path = tmp_path / "training.csv"
    lrs = [1e-3] * 10 + [5e-4] * 10 + [2.5e-4] * 10  # cut after epochs 9 and 19
    path.write_text("epoch,loss,lr\n" + "".join(f"{e},{1 / (1 + e)!r},{lr!r}\n" for e, lr in enumerate(lrs)))
    runs = read(str(path))
    (layer,) = window.log_editor.add_series(str(path), runs, [(runs[0].name, "lr")])
    window.canvas.fit()
    QApplication.processEvents()
    item = window.canvas.items[layer.id]
    assert item.held
    x, y = np.asarray(item.xData), np.asarray(item.yData)
    # Epoch e ends at update (e + 1) * 100: the LR of epoch 10 is drawn from epoch 9's point on,
    # so the drawn curve is already at 5e-4 right after step 999, not half way down at 1,050.
    last_of_epoch_9 = 10 * SPE - 1
    after = np.interp(last_of_epoch_9 + 50, x[x > last_of_epoch_9], y[x > last_of_epoch_9])
    assert after == 5e-4
    flat = y[(x > last_of_epoch_9) & (x <= last_of_epoch_9 + SPE)]
    assert np.all(flat == 5e-4)  # level along the whole epoch: a step, not a slope
    assert x.min() == 0 and y[np.argmin(x)] == 1e-3  # epoch 0's LR is drawn over epoch 0 too


def test_a_loss_is_still_drawn_point_to_point(window, tmp_path):
    path = tmp_path / "training.csv"
    path.write_text("epoch,loss\n" + "".join(f"{e},{1 / (1 + e)!r}\n" for e in range(10)))
    window.files._replace(window.doc.design.replace(steps_per_epoch=SPE))
    runs = read(str(path))
    (layer,) = window.log_editor.add_series(str(path), runs, [(runs[0].name, "loss")])
    assert not window.canvas.items[layer.id].held


def test_the_stall_advice_speaks_in_the_past_once_the_metric_improved_again():
    steps = np.arange(1, 31) * 100
    stuck = np.array([1.0, 0.9, 0.8] + [0.8] * 10 + [0.5] * 17)
    (advice,) = stalls(steps, stuck, "val_loss", patience=5)
    assert "did not improve from step 300 to step 1,400" in advice.message
    still = np.array([1.0, 0.9, 0.8] + [0.8] * 27)
    (advice,) = stalls(steps, still, "val_loss", patience=5)
    assert "has not improved since step 300" in advice.message

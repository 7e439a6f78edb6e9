"""Each editor defect found by using the window under a real X server, as a test."""

import os
import stat

import numpy as np
import pytest
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from .conftest import make_window
from .helpers import drag, drag_pixels, hover, to_pixel


def cell(window, row, col, text):
    window.panel.segments.item(row, col).setText(text)


@pytest.mark.parametrize("text", ["inf", "1e400", "nan", "-inf", "25148.7", "12abc", ""])
def test_1_bad_steps_are_refused_with_a_message_and_the_cell_restored(window, text):
    before = window.doc.design
    cell(window, 0, 2, text)
    assert window.doc.design == before and window.history.count() == 0
    assert window.panel.error.text().startswith("steps:")
    assert window.panel.segments.item(0, 2).text() == "8,000"


@pytest.mark.parametrize("text", ["inf, 0.001", "1e400, 1e-3", "nan, 1e-3", "20000, nan", "20000, 1e400", "x"])
def test_1_bad_exact_values_keep_the_dialog_open(window, text):
    window.editor.selection.select_knot(1)
    before = window.doc.design
    window.editor.set_exact()
    dialog = window.editor.dialog
    dialog.edit.setText(text)
    dialog.try_accept()
    assert dialog.isVisible() and dialog.error.text()
    assert "Traceback" not in dialog.error.text() and "could not convert" not in dialog.error.text()
    assert window.doc.design == before
    dialog.edit.setText("1,000, 0.001")  # as the table shows steps
    dialog.try_accept()
    assert not dialog.isVisible()
    assert window.doc.design.starts[1] == 1000 and window.doc.design.segments[1].lr_start == 0.001


def test_2_epoch_axis_follows_steps_per_epoch(window):
    props = window.panel.properties
    epochs = window.actions["view.epochs"]
    assert not epochs.isEnabled()
    props.spe.setText("1000")
    props.spe.editingFinished.emit()
    assert epochs.isEnabled()
    epochs.trigger()
    assert window.canvas.step_axis.steps_per_epoch == 1000 and window.canvas.step_axis.labelText == "epoch"
    props.spe.setText("")
    props.spe.editingFinished.emit()
    assert window.doc.design.steps_per_epoch is None
    assert not epochs.isEnabled() and not epochs.isChecked()
    assert window.canvas.step_axis.steps_per_epoch is None and window.canvas.step_axis.labelText == "step"
    props.spe.setText("500")
    props.spe.editingFinished.emit()
    assert epochs.isChecked() and window.canvas.step_axis.steps_per_epoch == 500  # the wish comes back
    window.history.undo()
    assert window.canvas.step_axis.labelText == "step" and not epochs.isChecked()


@pytest.mark.parametrize(
    "text, expected", [("foo=bar", "valid: exponent"), ("expoent=2", "did you mean exponent")]
)
def test_3_unknown_parameter_names_are_named(window, text, expected):
    before = window.doc.design
    cell(window, 1, 5, text)
    assert window.doc.design == before
    assert expected in window.panel.error.text()
    assert window.panel.segments.item(1, 5).text() == ""  # the typed text is not left behind
    cell(window, 1, 5, "exponent=2")
    assert window.panel.error.text() == ""  # an accepted edit clears the old message


def test_4_advice_is_consistent():
    from lrdesigner.schedule.advice import check
    from lrdesigner.schedule.metrics import metrics

    one_cycle = check(get_preset("torch.OneCycleLR").build())
    assert not [a for a in one_cycle if a.id in ("discontinuity", "warmup-long")]
    step_lr = [a for a in check(get_preset("torch.StepLR").build()) if a.id == "discontinuity"]
    multi = [
        a for a in check(get_preset("torch.MultiStepLR").build(milestones=[30000])) if a.id == "discontinuity"
    ]
    assert len(step_lr) == 1 and len(multi) == 1
    assert "0.1 to 0.01 at step 30,000" in multi[0].message
    cyclic = get_preset("torch.CyclicLR").build()
    assert metrics(cyclic).warmup_steps == 0
    assert not [a for a in check(cyclic) if a.id.startswith("warmup") or a.id == "no-warmup"]


def test_4_overflowing_lrs_are_refused(window):
    before = window.doc.design
    cell(window, 1, 3, "1e300")
    assert window.doc.design == before and "too large" in window.panel.error.text()
    for row in window.panel.metrics.rows:
        assert "inf" not in " ".join(row.values())


def test_5_log_scale_floor_comes_from_the_visible_layers(window):
    wsd = get_preset("hf.warmup_stable_decay").build()
    window.doc.replace(wsd)
    window.actions["view.log_scale"].trigger()
    canvas = window.canvas
    tail = wsd.lr_at(wsd.total_steps - 1)
    assert 0 < tail < 1e-10
    assert canvas.floor < tail  # the tail is drawn, not cut off
    _, (y0, _) = canvas.plotItem.vb.viewRange()
    assert y0 <= np.log10(canvas.floor)
    assert canvas.zero_line.isVisible() and canvas.zero_line.value() == pytest.approx(np.log10(canvas.floor))


def test_6_hover_readout_follows_the_design(window):
    hover(window.canvas, (50000, 3e-4))
    first = window.canvas.readout_text
    assert "step 50,0" in first
    window.doc.replace(get_preset("noam").build())
    assert window.canvas.readout_text != first
    step = int(first.split("step ")[1].split()[0].replace(",", ""))
    assert f"{window.doc.design.lr_at(step):.2e}".replace("e-0", "e-") in window.canvas.readout_text


def test_7_knots_on_one_spot_drag_as_one_handle(qtbot):
    design = get_preset("torch.OneCycleLR").build()
    window = make_window(qtbot, design)
    peak = max(range(len(design.knots)), key=lambda k: design.knots[k].lr)
    knot = design.knots[peak]
    drag(window.canvas, (knot.step, knot.lr), (knot.step - 15000, knot.lr))
    d = window.doc.design
    m = int(np.argmax(d.evaluate(np.arange(d.total_steps))))
    assert abs(m - (knot.step - 15000)) < 400  # the peak itself moved left
    window.history.undo()
    drag(window.canvas, (knot.step, knot.lr), (knot.step + 15000, knot.lr * 0.8))
    d = window.doc.design
    m = int(np.argmax(d.evaluate(np.arange(d.total_steps))))
    assert abs(m - (knot.step + 15000)) < 400
    assert d.lr_at(m) == pytest.approx(knot.lr * 0.8, rel=0.03)


def test_8_dragging_past_a_neighbour_clamps_and_says_why(window):
    previews = []
    window.doc.previewChanged.connect(lambda d: previews.append(d.starts[1]))
    drag(window.canvas, (8000, 5e-4), (110000, 5e-4), steps=10)
    d = window.doc.design
    assert d.starts[1] == 99999  # the segment after keeps one step
    assert previews[-1] == 99999 and len(set(previews)) > 3  # the preview kept following, then stopped
    assert "keeps at least one step" in window.statusBar().currentMessage()


def test_9_delete_removes_the_segment_of_the_clicked_knot(window, qtbot):
    window.editor.split_at(50000)
    window.panel.segments.selectRow(0)
    canvas = window.canvas
    p = to_pixel(canvas, (50000, window.doc.design.lr_at(50000)))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=p + QPoint(6, 0))  # a forgiving hit
    assert window.editor.selection.knot == 2
    assert window.panel.segments.currentRow() == 2
    window.actions["edit.delete"].trigger()
    assert window.doc.design.starts == (0, 8000)


def test_10_undo_during_a_drag_cancels_it_and_it_does_not_come_back(window):
    window.editor.split_at(50000)
    split = window.doc.design
    assert len(split.segments) == 3
    lr = split.lr_at(50000)
    drag(
        window.canvas,
        (50000, lr),
        (60000, lr),
        steps=6,
        during=lambda i: i == 3 and window.actions["edit.undo"].trigger(),
    )
    # The drag is gone; the split before it stays (the next undo takes it back).
    assert window.doc.design == split and window.doc.shown == split and window.history.index() == 1
    assert window.statusBar().currentMessage().startswith("drag cancelled")
    window.actions["edit.undo"].trigger()
    assert len(window.doc.design.segments) == 2 and window.history.index() == 0


def test_10_ctrl_z_drops_a_first_drag_with_nothing_to_undo(window, qtbot):
    start = window.doc.design
    assert not window.actions["edit.undo"].isEnabled()
    pressed = []

    def press_ctrl_z(i):
        if i == 3:
            assert window.actions["edit.undo"].isEnabled()
            qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            pressed.append(i)

    drag(window.canvas, (8000, 5e-4), (20000, 3e-4), steps=6, during=press_ctrl_z)
    assert pressed and window.doc.design == start and window.doc.shown == start
    assert window.history.count() == 0 and not window.actions["edit.undo"].isEnabled()


def test_11_grab_offset_and_forgiving_hit_radius(window):
    canvas = window.canvas
    knot = to_pixel(canvas, (8000, 5e-4))
    press = knot + QPoint(7, 6)  # off-centre, within the hit radius
    drag_pixels(canvas, press, press + QPoint(20, 0))
    d = window.doc.design
    landed = to_pixel(canvas, (d.starts[1], d.segments[1].lr_start))
    assert abs(landed.x() - (knot.x() + 20)) <= 1 and abs(landed.y() - knot.y()) <= 1
    (x0, x1), _ = canvas.plotItem.vb.viewRange()
    press = landed + QPoint(10, 0)  # a press about 10 px from a knot grabs it, it does not pan
    drag_pixels(canvas, press, press + QPoint(-30, 0))
    assert canvas.plotItem.vb.viewRange()[0] == [x0, x1]
    assert window.history.count() == 2


def test_12_consecutive_nudges_are_one_undo_step(window, qtbot):
    start = window.doc.design
    window.editor.selection.select_knot(1)
    window.canvas.setFocus()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Right):
        qtbot.keyClick(window.canvas, key)
    assert window.doc.design != start and window.history.count() == 1
    window.editor.selection.select_knot(2)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Down)
    assert window.history.count() == 2  # another knot: another step
    window.history.undo()
    window.history.undo()
    assert window.doc.design == start


def test_13_preset_dialog_grows_and_shows_optional_fields_empty(window):
    from lrdesigner.ui.dialogs.preset import PresetDialog
    from PySide6.QtWidgets import QLineEdit

    dialog = PresetDialog(window, "constant")
    dialog.show()
    small = dialog.height()
    dialog.choice.setCurrentText("torch.OneCycleLR")
    for _ in range(3):
        QApplication.processEvents()
    assert dialog.height() > small
    assert dialog.height() >= dialog.sizeHint().height()
    texts = [w.text() for w in dialog.editors.values() if isinstance(w, QLineEdit)]
    assert "null" not in texts


def test_14_decaying_segment_to_cyclic_rises_above_its_start(window):
    window.panel.segments.cellWidget(1, 0).setCurrentText("cyclic")
    seg = window.doc.design.segments[1]
    assert seg.shape == "cyclic" and seg.param("max_lr") > seg.lr_start
    values = window.doc.design.evaluate(np.arange(8000, 100000, 97))
    assert values.min() >= seg.lr_start * (1 - 1e-12) and values.max() > seg.lr_start


def test_15_keyboard_selects_knots_splits_sets_and_redoes(window, qtbot):
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert window.editor.selection.knot == 0
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert window.editor.selection.knot == 1
    qtbot.keyClick(window, Qt.Key.Key_Insert)  # split the selected segment
    assert window.doc.design.starts == (0, 8000, 54000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.design.segments) == 2
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.design.segments) == 3
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.dialog.isVisible() and window.editor.dialog.windowTitle() == "Knot 1"
    window.editor.dialog.reject()
    qtbot.keyClick(window, Qt.Key.Key_Menu)
    assert window.editor.menu.isVisible()
    window.editor.menu.close()
    qtbot.keyClick(
        window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.editor.menu.isVisible() and any(a.isChecked() for a in window.editor.menu.actions())
    window.editor.menu.close()


def test_16_recovery_is_per_window_cleared_by_save_and_survives_oserror(qtbot, tmp_path, monkeypatch):
    first = make_window(qtbot)
    first.editor.split_at(40000)
    first.files.write_recovery()
    second = make_window(qtbot)
    assert second.session.orphans() == []  # the first window is alive (same process): not offered
    assert os.path.isfile(first.session.recovery_path)
    monkeypatch.setattr(first.files, "ask_save_path", lambda: str(tmp_path / "a.json"))
    assert first.files.save()
    assert not os.path.exists(first.session.recovery_path)
    first.editor.split_at(60000)
    monkeypatch.setattr(
        first.session, "write_recovery", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left"))
    )
    first.files.write_recovery()  # no exception escapes the timer slot
    assert "autosave failed" in first.statusBar().currentMessage()


def test_16_recovery_offers_a_dead_windows_design(qtbot, tmp_path):
    import json

    from lrdesigner.ui.model.session import recovery_dir

    edited = get_preset("noam").build()
    os.makedirs(recovery_dir(), exist_ok=True)
    designfile.save(edited, os.path.join(recovery_dir(), "999999999-dead.lrdesign.json"))
    with open(os.path.join(recovery_dir(), "999999999-dead.meta.json"), "w") as f:
        json.dump({"pid": 999999999, "source": ""}, f)
    window = make_window(qtbot)
    offered = []
    window.prompts.ask_restore = lambda when: offered.append(when) or True
    assert window.files.offer_recovery()
    assert offered and window.doc.design == edited and window.isWindowModified()
    assert os.listdir(recovery_dir()) == []


def test_17_small_window_works_and_the_panel_scrolls(qtbot):
    window = make_window(qtbot, size=(800, 500))
    assert (window.width(), window.height()) == (800, 500)
    assert window.panel.verticalScrollBar().maximum() > 0
    assert window.canvas.height() > 250


def test_18_dark_ring_is_visible_and_status_bar_does_not_shift_the_plot(window):
    before = window.canvas.geometry()
    window.statusBar().showMessage("hello")
    QApplication.processEvents()
    assert window.canvas.geometry() == before
    window.actions["view.dark"].trigger()
    ring = window.canvas.knots.ring_color
    assert ring.lightness() > 150  # light ring on the dark background


def test_19_texts(window, tmp_path):
    from lrdesigner.schedule.errors import DesignError
    from lrdesigner.schedule.segment import Segment

    window.panel.segments.cellWidget(1, 0).setCurrentText("exponential")
    cell(window, 1, 4, "0")
    assert "an exponential segment" in window.panel.error.text()
    with pytest.raises(DesignError) as err:
        Segment.create("linear", -1, 1e-3)
    assert not str(err.value).startswith(".")
    window.canvas.splitRequested.emit(47307)
    assert window.history.text(window.history.index() - 1) == "Split at step 47,307"
    cell(window, 0, 2, "1" * 40)
    assert len(window.panel.error.text()) < 120
    path = tmp_path / "d.json"
    old = os.umask(0o022)
    try:
        designfile.save(window.doc.design, path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_20_view_choices_are_remembered(qtbot):
    first = make_window(qtbot)
    first.actions["view.log_scale"].trigger()
    first.actions["view.dark"].trigger()
    second = make_window(qtbot)
    assert second.view.log_scale and second.view.dark
    assert second.actions["view.log_scale"].isChecked() and second.canvas.log_y
    second.actions["view.dark"].trigger()
    assert not make_window(qtbot).view.dark

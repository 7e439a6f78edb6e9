"""The editor as a user drives it: real mouse drags, panel edits, undo, files, recovery."""

import json

import numpy as np
import pytest
from lrdesigner.schedule import designfile
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.presets import get_preset
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from .helpers import drag


def test_real_mouse_drag_moves_the_warmup_knot_where_the_pointer_goes(window):
    start = window.doc.design
    vb = window.canvas.plotItem.vb
    px_steps, px_lr = vb.viewPixelSize()
    x, y = drag(window.canvas, (8000, 5e-4), (6000, 4e-4))
    d = window.doc.design
    # The knot lands under the release point, to the pixel, on both axes.
    assert abs(d.starts[1] - 6000) <= px_steps and abs(d.starts[1] - x) <= px_steps
    assert d.segments[1].lr_start == pytest.approx(4e-4, abs=1.5 * px_lr)
    assert d.segments[0].lr_end == d.segments[1].lr_start  # the shared knot moved as one
    assert d.total_steps == start.total_steps and d.segments[0].lr_start == start.segments[0].lr_start
    assert window.history.count() == 1  # the whole gesture is one command
    assert window.isWindowModified()
    window.history.undo()
    assert window.doc.design == start and not window.isWindowModified()
    window.history.redo()
    assert window.doc.design == d
    # The status bar names the selected knot where it is now, not where the drag began.
    assert window.editor.selection.knot == 1
    assert window.statusBar().currentMessage().startswith(f"knot 1 at step {d.starts[1]:,}, ")


def test_drag_with_shift_keeps_the_lr(window):
    drag(window.canvas, (8000, 5e-4), (12000, 2e-4), modifiers=Qt.KeyboardModifier.ShiftModifier)
    d = window.doc.design
    assert d.segments[1].lr_start == 5e-4 and 11000 < d.starts[1] < 13000


def test_drag_preview_draws_live_and_commits_once(window):
    seen = []
    window.doc.previewChanged.connect(seen.append)
    drag(window.canvas, (100000, 1e-5), (80000, 1e-5), steps=6)
    assert len(seen) >= 3  # the curve followed the pointer
    assert window.history.count() == 1
    assert 78000 < window.doc.design.total_steps < 82000


def cell(window, row, col, text):
    window.panel.segments.item(row, col).setText(text)  # fires cellChanged, as typing + Enter does


def test_panel_edits_with_undo_and_invalid_input(window):
    start = window.doc.design
    cell(window, 0, 2, "6,000")
    assert window.doc.design.segments[0].duration == 6000 and window.doc.design.total_steps == 98000
    cell(window, 1, 4, "2e-5")
    assert window.doc.design.segments[1].lr_end == 2e-5
    cell(window, 1, 5, "exponent=2")
    assert window.doc.design.segments[1].param("exponent") == 2.0
    before = window.doc.design
    cell(window, 0, 2, "-5")
    assert window.doc.design == before and "at least 1" in window.panel.error.text()
    assert window.panel.segments.item(0, 2).text() == "6,000"  # the bad text was put back
    cell(window, 1, 3, "lots")
    assert window.doc.design == before and "not a number" in window.panel.error.text()
    assert window.history.count() == 3
    for _ in range(3):
        window.history.undo()
    assert window.doc.design == start


def test_properties_split_delete_and_shape_change(window):
    start = window.doc.design
    props = window.panel.properties
    props.name.setText("my run")
    props.name.editingFinished.emit()
    props.spe.setText("1,000")
    props.spe.editingFinished.emit()
    props.after.setCurrentText("zero")
    d = window.doc.design
    assert (d.name, d.steps_per_epoch, d.after_end) == ("my run", 1000, "zero")
    window.editor.split_at(50000)
    assert window.doc.design.starts == (0, 8000, 50000)
    combo = window.panel.segments.cellWidget(2, 0)
    assert isinstance(combo, QComboBox)
    combo.setCurrentText("one_minus_sqrt")
    assert window.doc.design.segments[2].shape == "one_minus_sqrt"
    window.editor.delete_segment(1)  # its steps go to the segment before
    assert window.doc.design.starts == (0, 50000) and window.doc.design.segments[1].shape == "one_minus_sqrt"
    assert window.history.count() == 6
    while window.history.canUndo():
        window.history.undo()
    assert window.doc.design == start


def test_keyboard_nudge(window, qtbot):
    window.editor.selection.select_knot(1)
    window.canvas.setFocus()
    before = window.doc.design.starts[1]
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    (x0, x1), _ = window.canvas.plotItem.vb.viewRange()
    assert window.doc.design.starts[1] == before + int((x1 - x0) * 0.01)
    lr = window.doc.design.segments[1].lr_start
    qtbot.keyClick(window.canvas, Qt.Key.Key_Up)
    assert window.doc.design.segments[1].lr_start == pytest.approx(lr * 1.02)


def test_save_open_round_trip_title_and_recent(window, tmp_path, monkeypatch):
    path = tmp_path / "my design.json"
    monkeypatch.setattr(window.files, "ask_save_path", lambda: str(path))
    window.editor.split_at(20000)
    assert window.windowTitle().startswith("Warmup + cosine (unsaved)[*]") and window.isWindowModified()
    assert window.files.save()
    assert designfile.load(path) == window.doc.design
    assert not window.isWindowModified() and window.windowTitle().startswith("my design.json")
    assert window.session.recent() == [str(path)]
    saved = window.doc.design
    window.files.new()
    assert window.doc.design == default_design()
    assert window.files.open_path(str(path))
    assert window.doc.design == saved and window.history.count() == 0
    path.unlink()
    assert window.session.recent() == []


def test_unsaved_changes_prompt(window, monkeypatch):
    window.editor.split_at(30000)
    answers = []
    monkeypatch.setattr(
        window.prompts, "ask_unsaved", lambda name: answers.append(1) or QMessageBox.StandardButton.Cancel
    )
    assert not window.close()  # cancelled: still open, still modified
    assert window.isVisible() and window.isWindowModified() and answers
    monkeypatch.setattr(window.prompts, "ask_unsaved", lambda name: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_open_bad_file_keeps_the_document(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "lrdesigner.design", "version": 99}))
    window.editor.split_at(10000)
    kept = window.doc.design
    assert not window.files.open_path(str(bad))
    assert window.doc.design == kept
    assert (
        "bad.json" in window.statusBar().currentMessage() and "version" in window.statusBar().currentMessage()
    )


def test_drop_a_design_file_opens_it(window, tmp_path):
    design = get_preset("noam").build()
    path = tmp_path / "noam.json"
    designfile.save(design, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(ev)
    assert window.doc.design == design


def test_story_preset_drag_to_6000_cosine_decay_save_reopen(window, tmp_path, monkeypatch):
    """Opens a Noam preset, drags the warmup knot to 6,000 steps, changes the decay to cosine,
    saves, and reopens the same design."""
    window.doc.replace(get_preset("noam").build(warmup_steps=4000, total_steps=50000))
    window.canvas.fit()
    lr = window.doc.design.segments[1].lr_start
    window.canvas.dragStarted.emit([1], 1)
    window.canvas.dragMoved.emit(5000, lr)
    window.canvas.dragFinished.emit(6000, lr)
    assert window.doc.design.starts[1] == 6000
    window.panel.segments.cellWidget(1, 0).setCurrentText("cosine")
    assert window.doc.design.segments[1].shape == "cosine"
    path = tmp_path / "noam-cosine.json"
    monkeypatch.setattr(window.files, "ask_save_path", lambda: str(path))
    assert window.files.save_as()
    window.files.new()
    window.files.open_path(str(path))
    d = window.doc.design
    assert d.starts[1] == 6000 and d.segments[1].shape == "cosine"
    np.testing.assert_allclose(d.evaluate(np.array([0, 6000, 49999])), [0.0, lr, d.segments[1].lr_end])


def test_preset_dialog_is_built_from_the_preset_parameters(window, monkeypatch):
    from lrdesigner.ui.dialogs.preset import PresetDialog

    dialog = PresetDialog(window, "hf.warmup_stable_decay")
    labels = [
        dialog.form.itemAt(i, dialog.form.ItemRole.LabelRole).widget().text()
        for i in range(dialog.form.rowCount())
    ]
    assert labels[:3] == ["lr", "num_warmup_steps", "num_decay_steps"]
    assert dialog.editors["num_warmup_steps"].toolTip()  # the preset's help
    dialog.editors["num_warmup_steps"].setValue(3000)
    dialog.editors["decay_type"].setCurrentText("1-sqrt")
    values = dialog.values()
    assert values["num_warmup_steps"] == 3000 and values["num_stable_steps"] is None
    dialog.try_accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.design == get_preset("hf.warmup_stable_decay").build(**values)


def test_advice_click_locates_its_step(window):
    window.editor.commit(get_preset("noam").build(), "noam")
    advice = window.panel.advice
    items = [advice.item(i) for i in range(advice.count())]
    located = [it for it in items if it.data(Qt.ItemDataRole.UserRole) is not None]
    assert located
    step = located[0].data(Qt.ItemDataRole.UserRole)
    advice.itemClicked.emit(located[0])
    assert window.canvas.marker.isVisible() and window.canvas.marker.value() == step


def test_a_plateau_text_with_a_forgotten_comma_is_refused():
    from lrdesigner.schedule.errors import DesignError
    from lrdesigner.ui.controllers.editing import parse_plateau

    with pytest.raises(DesignError, match=r"plateau.monitor: .*mode=\.\.\..*separate settings with commas"):
        parse_plateau("monitor=val_loss mode=max")
    policy = parse_plateau("monitor=val_loss, mode=max")
    assert policy.monitor == "val_loss" and policy.mode == "max"


def wheel(widget, clicks=-1):
    """One wheel turn over the middle of `widget`, as a mouse sends it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * clicks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def test_a_wheel_over_the_side_panel_scrolls_and_never_edits(window, qtbot):
    window.setFocus()
    design, undo = window.doc.design, window.history.count()
    after = window.panel.properties.after
    shape = window.panel.segments.cellWidget(0, 0)
    for box in (after, shape):
        assert not box.hasFocus()
        wheel(box)
        QApplication.processEvents()
    assert window.doc.design == design and window.history.count() == undo
    assert after.currentText() == design.after_end and shape.currentText() == design.segments[0].shape
    shape.setFocus()  # the table's current cell keeps the focus after a click: still no edit
    qtbot.waitUntil(shape.hasFocus, timeout=2000)
    wheel(shape)
    QApplication.processEvents()
    assert window.doc.design == design and shape.currentText() == design.segments[0].shape
    after.setFocus()  # clicked or tabbed into, the wheel picks as usual
    qtbot.waitUntil(after.hasFocus, timeout=2000)
    wheel(after)
    QApplication.processEvents()
    assert window.doc.design.after_end != design.after_end


def test_a_wheel_over_the_preset_forms_spin_boxes_and_choices_does_not_change_them(window, qtbot):
    from lrdesigner.ui.dialogs.preset import PresetDialog

    dialog = PresetDialog(window, "torch.CyclicLR")
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.values()
    spins = [w for w in dialog.editors.values() if type(w).__name__ == "ScrollSafeSpinBox"]
    combos = [w for w in dialog.editors.values() if type(w).__name__ == "ScrollSafeComboBox"]
    assert spins and combos
    dialog.search.setFocus()
    for widget in spins + combos:
        wheel(widget)
    assert dialog.values() == before
    spins[0].setFocus()
    qtbot.waitUntil(spins[0].hasFocus, timeout=2000)
    wheel(spins[0])
    assert dialog.values() != before  # with the focus, the wheel steps the value as usual
    dialog.reject()

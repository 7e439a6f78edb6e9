"""The editor as a user drives it: real mouse drags, panel edits, undo, files, recovery."""

import json

import numpy as np
import pytest
from lrdesigner.schedule import designfile, edits
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.presets import get_preset
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox


def _mouse(widget, kind, pos, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    p = QPointF(pos)
    ev = QMouseEvent(kind, p, QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, ev)


def drag(canvas, start_view, end_view, steps=8, modifiers=Qt.KeyboardModifier.NoModifier):
    """A real drag through the viewport: press, moves with the button held, release.
    Returns the data coordinates under the release point."""
    canvas.scene().minDragTime = 0
    vb = canvas.plotItem.vb
    a = canvas.mapFromScene(vb.mapViewToScene(QPointF(*start_view)))
    b = canvas.mapFromScene(vb.mapViewToScene(QPointF(*end_view)))
    vp = canvas.viewport()
    left = Qt.MouseButton.LeftButton
    _mouse(vp, QEvent.Type.MouseButtonPress, a, left, left, modifiers)
    for i in range(1, steps + 1):
        p = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        _mouse(vp, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left, modifiers)
    _mouse(vp, QEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton, modifiers)
    end = vb.mapSceneToView(canvas.mapToScene(b))
    return end.x(), end.y()


def test_real_mouse_drag_moves_the_warmup_knot_and_one_undo_restores(window, qtbot):
    start = window.doc.design
    emitted = []
    window.canvas.knotMoved.connect(lambda *a: emitted.append(a))
    x, y = drag(window.canvas, (8000, 5e-4), (6000, 4e-4))
    knot, step, lr, finished = emitted[-1]
    assert (knot, finished) == (1, True) and all(not e[3] for e in emitted[:-1])
    assert step == int(round(x)) and lr == pytest.approx(y, rel=1e-9)  # the release point, in data units
    expected = edits.move_knot(start, 1, step=step, lr=lr)
    assert window.doc.design == expected
    assert abs(window.doc.design.starts[1] - 6000) < 300  # where the pointer went, to the pixel
    assert window.doc.stack.count() == 1  # the whole gesture is one command
    assert window.isWindowModified()
    window.doc.stack.undo()
    assert window.doc.design == start and not window.isWindowModified()
    window.doc.stack.redo()
    assert window.doc.design == expected


def test_drag_with_shift_keeps_the_lr(window):
    start = window.doc.design
    emitted = []
    window.canvas.knotMoved.connect(lambda *a: emitted.append(a))
    x, _ = drag(window.canvas, (8000, 5e-4), (12000, 2e-4), modifiers=Qt.KeyboardModifier.ShiftModifier)
    _, step, lr, _ = emitted[-1]
    assert lr == 5e-4 and step == int(round(x))  # the LR stayed where it was
    assert window.doc.design == edits.move_knot(start, 1, step=step, lr=5e-4)


def test_drag_preview_draws_live_and_commits_once(window):
    seen = []
    window.doc.previewChanged.connect(seen.append)
    drag(window.canvas, (100000, 1e-5), (80000, 1e-5), steps=6)
    assert len(seen) >= 3  # the curve followed the pointer
    assert window.doc.stack.count() == 1
    assert window.doc.design.total_steps < 100000


def _cell(window, row, col, text):
    item = window.panel.segments.item(row, col)
    item.setText(text)  # fires cellChanged, as typing and pressing Enter does


def test_panel_edits_with_undo_and_invalid_input(window):
    start = window.doc.design
    _cell(window, 0, 2, "6000")
    assert window.doc.design.segments[0].duration == 6000 and window.doc.design.total_steps == 98000
    _cell(window, 1, 4, "2e-5")
    assert window.doc.design.segments[1].lr_end == 2e-5
    _cell(window, 1, 5, "exponent=2")
    assert window.doc.design.segments[1].param("exponent") == 2.0
    before = window.doc.design
    _cell(window, 0, 2, "-5")
    assert window.doc.design == before and "steps" in window.panel.error.text()
    assert window.panel.segments.item(0, 2).text() == "6,000"  # the bad text was put back
    _cell(window, 1, 3, "lots")
    assert window.doc.design == before and "not a number" in window.panel.error.text()
    assert window.doc.stack.count() == 3
    for _ in range(3):
        window.doc.stack.undo()
    assert window.doc.design == start


def test_properties_split_delete_and_shape_change(window):
    start = window.doc.design
    props = window.panel.properties
    props.name.setText("my run")
    props.name.editingFinished.emit()
    props.spe.setValue(1000)
    props.spe.editingFinished.emit()
    props.after.setCurrentText("zero")
    assert window.doc.design.name == "my run" and window.doc.design.steps_per_epoch == 1000
    assert window.doc.design.after_end == "zero"
    window.split_at(50000)
    assert len(window.doc.design.segments) == 3
    combo = window.panel.segments.cellWidget(2, 0)
    assert isinstance(combo, QComboBox)
    combo.setCurrentText("one_minus_sqrt")
    assert window.doc.design.segments[2].shape == "one_minus_sqrt"
    window.delete_segment(1)
    assert len(window.doc.design.segments) == 2
    window.canvas.set_epoch_axis(True)
    assert window.canvas.step_axis.steps_per_epoch == 1000
    assert window.doc.stack.count() == 6
    while window.doc.stack.canUndo():
        window.doc.stack.undo()
    assert window.doc.design == start


def test_keyboard_nudge_and_context_actions(window, qtbot):
    window.canvas.select(1)
    window.canvas.setFocus()
    before = window.doc.design.starts[1]
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.doc.design.starts[1] > before
    lr = window.doc.design.segments[1].lr_start
    qtbot.keyClick(window.canvas, Qt.Key.Key_Up)
    assert window.doc.design.segments[1].lr_start == pytest.approx(lr * 1.02)
    assert window.doc.stack.count() == 2


def test_save_open_round_trip_title_and_recent(window, tmp_path, monkeypatch):
    path = tmp_path / "my design.json"
    monkeypatch.setattr(window, "ask_save_path", lambda: str(path))
    window.split_at(20000)
    assert window.windowTitle().startswith("Warmup + cosine (unsaved)[*]") and window.isWindowModified()
    assert window.save()
    assert designfile.load(path) == window.doc.design
    assert not window.isWindowModified() and window.windowTitle().startswith("my design.json")
    assert window.recent_files() == [str(path)]
    saved = window.doc.design
    window.new()
    assert window.doc.design == default_design()
    assert window.open_path(str(path))
    assert window.doc.design == saved and window.doc.stack.count() == 0
    path.unlink()
    window._refresh_recent()
    assert window.recent_files() == []


def test_unsaved_changes_prompt(window, monkeypatch):
    window.split_at(30000)
    answers = []
    monkeypatch.setattr(window, "ask_unsaved", lambda: answers.append(1) or QMessageBox.StandardButton.Cancel)
    assert not window.close()  # cancelled: still open, still modified
    assert window.isVisible() and window.isWindowModified() and answers
    monkeypatch.setattr(window, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_open_bad_file_keeps_the_document(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "lrdesigner.design", "version": 99}))
    window.split_at(10000)
    kept = window.doc.design
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    assert not window.open_path(str(bad))
    assert window.doc.design == kept
    assert "version" in window.statusBar().currentMessage()


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


def test_autosave_and_recovery_after_a_crash(qtbot, tmp_path):
    from lrdesigner.ui.main_window import MainWindow, recovery_path

    first = MainWindow(check_recovery=False)
    qtbot.addWidget(first)
    first.split_at(40000)
    first.split_at(70000)
    edited = first.doc.design
    first.write_recovery()  # what the 30 s timer does
    assert designfile.load(recovery_path()) == edited
    first.autosave.stop()
    first.doc.stack.setClean()  # "crash": the window goes away without its close handling
    first.hide()
    second = MainWindow(check_recovery=False)
    qtbot.addWidget(second)
    offered = []
    second.ask_restore = lambda when: offered.append(when) or True
    assert second.offer_recovery()
    assert offered and second.doc.design == edited and second.isWindowModified()
    second.doc.stack.undo()
    assert second.doc.design == default_design()


def test_story_preset_drag_to_6000_cosine_decay_save_reopen(window, tmp_path, monkeypatch):
    """Opens a Noam preset, drags the warmup knot to 6,000 steps, changes the decay to cosine,
    saves, and reopens the same design."""
    window.doc.replace(get_preset("noam").build(warmup_steps=4000, total_steps=50000))
    window.canvas.fit()
    lr = window.doc.design.segments[1].lr_start
    window.canvas.knotMoved.emit(1, 5000, lr, False)
    window.canvas.knotMoved.emit(1, 6000, lr, True)
    assert window.doc.design.starts[1] == 6000
    window.panel.segments.cellWidget(1, 0).setCurrentText("cosine")
    assert window.doc.design.segments[1].shape == "cosine"
    path = tmp_path / "noam-cosine.json"
    monkeypatch.setattr(window, "ask_save_path", lambda: str(path))
    assert window.save_as()
    window.new()
    window.open_path(str(path))
    d = window.doc.design
    assert d.starts[1] == 6000 and d.segments[1].shape == "cosine"
    np.testing.assert_allclose(d.evaluate(np.array([0, 6000, 49999])), [0.0, lr, d.segments[1].lr_end])


def test_preset_dialog_is_built_from_the_preset_parameters(window, monkeypatch):
    from lrdesigner.ui.dialogs import PresetDialog

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
    monkeypatch.setattr(PresetDialog, "exec", lambda self: True)
    monkeypatch.setattr(PresetDialog, "values", lambda self: values)
    monkeypatch.setattr(PresetDialog, "preset", property(lambda self: get_preset("hf.warmup_stable_decay")))
    window.new_from_preset()
    assert window.doc.design == get_preset("hf.warmup_stable_decay").build(**values)
    assert window.doc.stack.count() == 0 and not window.isWindowModified()


def test_advice_click_locates_its_step(window):
    window.doc.apply(get_preset("noam").build(), "noam")
    advice = window.panel.advice
    items = [advice.item(i) for i in range(advice.count())]
    located = [it for it in items if it.data(Qt.ItemDataRole.UserRole) is not None]
    assert located
    step = located[0].data(Qt.ItemDataRole.UserRole)
    advice.itemClicked.emit(located[0])
    assert window.canvas.marker.isVisible() and window.canvas.marker.value() == step

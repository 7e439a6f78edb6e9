"""The export window: previews equal `lrdesigner export`, copy, save, class-name validation,
verification through QProcess in a real interpreter (pass, a stale saved file, no framework,
Cancel), and a plateau policy edited in the window reaching the export."""

import importlib.util
import os
import subprocess
import sys
import time

import pytest
from lrdesigner.export import TARGET_LABELS
from lrdesigner.schedule import designfile
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import finish_verification


def test_targets_in_order_and_each_preview_equals_the_command(window, dialog, tmp_path):
    assert [dialog.target.itemData(i) for i in range(dialog.target.count())] == list(TARGET_LABELS)
    path = tmp_path / "d.json"
    designfile.save(window.doc.design, path)
    for target in TARGET_LABELS:
        dialog.set_target(target)
        out = subprocess.run(
            [sys.executable, "-m", "lrdesigner.cli", "export", str(path), "--target", target],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        assert dialog.preview.toPlainText() == out.stdout, target
        assert "--target" not in dialog.verdict.text() + dialog.class_error.text()


def test_class_name_is_validated_live_and_used(dialog):
    dialog.set_target("keras")
    dialog.class_name.setText("3x")
    assert (
        dialog.class_error.text() and not dialog.save_button.isEnabled() and not dialog.copy_button.isEnabled()
    )
    assert "--class-name" not in dialog.class_error.text()
    assert not dialog.preview.isEnabled()  # the last valid preview is shown greyed out
    dialog.class_name.setText("WarmupCosine")
    assert dialog.class_error.text() == "" and dialog.save_button.isEnabled() and dialog.preview.isEnabled()
    assert "class WarmupCosine(" in dialog.preview.toPlainText()
    dialog.set_target("json")
    assert not dialog.class_name.isEnabled() and not dialog.verify_button.isEnabled()


def test_a_refused_class_name_greys_out_the_whole_preview_with_its_colours(dialog):
    def coloured_blocks():
        block, count = dialog.preview.document().firstBlock(), 0
        while block.isValid():
            count += bool(block.layout().formats())
            block = block.next()
        return count

    dialog.set_target("keras")
    assert coloured_blocks()  # docstring, keywords, numbers
    dialog.class_name.setText("class")
    assert "keyword" in dialog.class_error.text() and coloured_blocks() == 0
    dialog.class_name.setText("Fine")
    assert coloured_blocks() and "class Fine(" in dialog.preview.toPlainText()


def test_copy_and_save(dialog, tmp_path):
    dialog.set_target("torch")
    dialog.copy()
    assert QApplication.clipboard().text() == dialog.preview.toPlainText()
    path = tmp_path / "my_sched.py"
    assert dialog.save_to(str(path))
    text = path.read_text()
    assert "from my_sched import" in text and text == dialog.preview.toPlainText()
    assert oct(path.stat().st_mode & 0o777) != "0o600"


def test_verify_passes_in_a_real_interpreter(window, dialog):
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed")
    dialog.set_target("keras")
    dialog.verify_with(sys.executable, steps=200)
    assert dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
    QApplication.processEvents()  # the window keeps running while the process works
    text = finish_verification(dialog)
    assert text.startswith("Verified"), text
    assert dialog.outcome.verdict == "pass" and dialog.outcome.steps_checked >= 150


def test_verify_checks_the_preview_not_an_older_saved_file(window, dialog, tmp_path):
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    dialog.set_target("torch")
    assert dialog.save_to(str(tmp_path / "schedule.py"))
    window.editor.edit_cell(1, "lr_end", "2e-4")  # the design moves on; the saved file does not
    assert dialog.design == window.doc.design  # the preview follows the document
    dialog.verify_with(sys.executable, steps=200)
    text = finish_verification(dialog)
    assert dialog.outcome.verdict == "pass", text  # what is checked is the code shown


def test_an_interpreter_without_the_framework_says_so(dialog, tmp_path):
    venv = tmp_path / "bare"
    made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], capture_output=True)
    if made.returncode:
        pytest.skip("venv cannot be created here")
    python = str(venv / "bin" / "python")
    dialog.set_target("keras")
    dialog.add_interpreter(python)
    assert dialog.interpreter.currentText() == python
    dialog.verify_with(python, steps=50)
    text = finish_verification(dialog, 120)
    assert dialog.outcome.verdict == "framework not installed" and "does not have the framework" in text


def test_cancel_stops_the_process_at_once(dialog):
    dialog.set_target("keras")
    dialog.verify_with(sys.executable, steps=200)
    process = dialog.process
    started = time.perf_counter()
    dialog.cancel_verification()
    assert dialog.process is None and "cancelled" in dialog.verdict.text()
    assert process.state() == process.ProcessState.NotRunning and time.perf_counter() - started < 3
    assert dialog.verify_button.isEnabled()


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("abc", "plateau: expected name=value, got 'abc'"),
        ("patience=-1", "plateau.patience: expected an integer >= 0, got -1"),
        ("factor=inf", "plateau.factor: 'inf' is not a finite number"),
    ],
)
def test_a_refused_plateau_text_names_the_plateau_field(window, typed, reason):
    props = window.panel.properties
    props.plateau.setText(typed)
    props.plateau.editingFinished.emit()
    assert window.panel.error.text() == reason and props.plateau.toolTip() == reason
    assert props.plateau.text() == typed and window.doc.design.plateau is None


def test_plateau_policy_edit_undo_save_and_export(window, tmp_path):
    props = window.panel.properties
    props.plateau.setText("monitor=val_loss, factor=0.5, patience=3")
    props.plateau.editingFinished.emit()
    assert window.doc.design.plateau.factor == 0.5 and window.doc.design.plateau.patience == 3
    props.plateau.setText("factr=0.25, patience=3")
    props.plateau.editingFinished.emit()
    # Refused, and left as typed (marked, the reason in its tooltip) to be fixed in place.
    assert "did you mean factor" in window.panel.error.text() and window.doc.design.plateau.factor == 0.5
    assert props.plateau.text() == "factr=0.25, patience=3" and "did you mean" in props.plateau.toolTip()
    assert props.plateau.styleSheet()
    props.plateau.setText("factor=0.25, patience=3")
    props.plateau.editingFinished.emit()
    assert window.doc.design.plateau.factor == 0.25 and not props.plateau.styleSheet()
    assert window.panel.error.text() == ""
    window.history.undo()
    assert props.plateau.text() == "factor=0.5, patience=3"
    path = tmp_path / "d.json"
    window.files._write(str(path))
    assert designfile.load(path).plateau == window.doc.design.plateau
    d = window.exporter.export_code()
    d.set_target("keras")
    assert d.plateau.isEnabled() and d.plateau.isChecked()
    assert "DesignedSchedulePlateauCallback" in d.preview.toPlainText()
    d.close()
    window.history.undo()
    assert window.doc.design.plateau is None and props.plateau.text() == ""
    assert os.path.isfile(path)

"""Verify checks the code the preview shows for the selected target, never a file saved earlier:
verify Keras, save it, switch to PyTorch and verify again (real frameworks in a real interpreter)."""

import sys

import pytest

from tests.ui.helpers import finish_verification


def checked_code(dialog, monkeypatch):
    """Record the module each verification runs, as the driver finds it on disk."""
    from lrdesigner.export import verify

    seen = []
    prepare = verify.prepare

    def recording(*args, **kwargs):
        job = prepare(*args, **kwargs)
        with open(job.argv[2], encoding="utf-8") as f:
            seen.append(f.read())
        return job

    monkeypatch.setattr(verify, "prepare", recording)
    return seen


def test_verify_after_saving_keras_and_switching_to_torch_checks_the_torch_code(dialog, tmp_path, monkeypatch):
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    seen = checked_code(dialog, monkeypatch)
    dialog.set_target("keras")
    dialog.verify_with(sys.executable, steps=100)
    assert finish_verification(dialog).startswith("Verified"), dialog.verdict.text()
    assert dialog.save_to(str(tmp_path / "exported_schedule.py"))
    dialog.set_target("torch")
    dialog.verify_with(sys.executable, steps=100)
    text = finish_verification(dialog)
    assert text.startswith("Verified"), text
    assert dialog.outcome.verdict == "pass" and "torch" in dialog.outcome.message
    assert seen[-1] == dialog.preview.toPlainText() and "def make_schedule(" in seen[-1]


@pytest.mark.parametrize("target, framework", [("keras", "keras"), ("torch", "torch")])
def test_verify_checks_the_preview_not_a_saved_file_edited_since(
    dialog, tmp_path, monkeypatch, target, framework
):
    pytest.importorskip(framework)
    seen = checked_code(dialog, monkeypatch)
    dialog.set_target(target)
    saved = tmp_path / "lr_schedule.py"
    assert dialog.save_to(str(saved))
    saved.write_text("raise SystemExit('the saved file, not the preview')\n")  # changed elsewhere
    dialog.verify_with(sys.executable, steps=100)
    text = finish_verification(dialog)
    assert text.startswith("Verified"), text
    assert seen == [dialog.preview.toPlainText()]

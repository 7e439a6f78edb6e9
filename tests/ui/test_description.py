"""The description the app wrote follows the design through edits (so an export never carries a
stale "warmup ... to 5e-4" for a 200-step, 1e-3 design); one the user wrote is kept; the export
window opens on the target chosen last."""

from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.describe import describe, is_generated
from lrdesigner.schedule.presets import get_preset


def test_describe_and_what_counts_as_written_by_the_app():
    d = Design((Segment.create("linear", 20, 0.0, 1e-3), Segment.create("cosine", 180, 1e-3, 1e-5)))
    assert describe(d) == "Linear warmup over 10% of training to 1e-3, cosine decay to 1e-5."
    assert is_generated(d.replace(description=describe(d)))
    assert is_generated(get_preset("noam").build())
    assert not is_generated(d.replace(description="my run's schedule"))
    assert not is_generated(d.replace(description="mystery(lr=1)"))  # not a preset's call


def test_an_edit_rewrites_the_apps_description_and_keeps_the_users(window):
    window.editor.set_knot_text(1, "20, 1e-3")
    window.editor.edit_cell(1, "steps", "180")
    d = window.doc.design
    assert d.total_steps == 200
    assert d.description == "Linear warmup over 10% of training to 1e-3, cosine decay to 1e-5."
    dialog = window.exporter.export_code()
    assert "to 1e-3" in dialog.text() and "5e-4" not in dialog.text()
    dialog.close()
    window.editor.set_property("description", "warmup tuned on the 7B run")
    window.editor.split_at(100)
    assert window.doc.design.description == "warmup tuned on the 7B run"
    window.history.undo()
    window.history.undo()
    assert window.doc.design.description == d.description


def test_the_export_window_opens_on_the_last_target(window):
    first = window.exporter.export_code()
    first.set_target("torch")
    first.close()
    second = window.exporter.export_code()
    assert second.target_key == "torch"
    second.close()

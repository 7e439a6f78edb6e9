"""A 10,000-character name: refused when typed, with a message; elided wherever a name opened from
a file is shown (title, legend, layers, metrics, the unsaved-changes question)."""

from lrdesigner.schedule import designfile
from lrdesigner.schedule.defaults import default_design
from lrdesigner.ui.text import MAX_NAME, elide
from PySide6.QtWidgets import QApplication, QMessageBox

LONG = "warmup-" + "x" * 9993


def test_elide_keeps_both_ends():
    assert elide("short") == "short"
    cut = elide("a" * 50 + "MIDDLE" + "b" * 50, 21)
    assert len(cut) == 21 and cut.startswith("a" * 10) and cut.endswith("b" * 10) and "…" in cut
    assert elide("two\nlines   and  blanks") == "two lines and blanks"


def test_a_long_typed_name_is_refused_with_a_message(window):
    before = window.doc.design
    assert window.editor.set_property("name", LONG) is False
    assert window.doc.design == before
    message = window.statusBar().currentMessage()
    assert f"at most {MAX_NAME}" in message and "10,000" in message
    layer = window.layer_editor.add_preset("noam")
    row = window.panel.layers.item(1)
    row.setText("y" * 500)  # renaming in the Layers list, as a double-click does
    assert layer.name == "noam" and "at most" in window.statusBar().currentMessage()


def test_a_long_name_from_a_file_is_elided_where_it_is_shown(window, tmp_path, monkeypatch):
    path = tmp_path / "long.json"
    designfile.save(default_design().replace(name=LONG), path)
    assert window.files.open_path(str(path))
    window.layer_editor.add_snapshot()  # a comparison named after the design, and a legend
    window.files.new()  # not modified: nothing asked
    assert window.files.open_path(str(path))
    window.editor.split_at(1000)  # modified
    window.layer_editor.add_design(window.doc.design, {"snapshot": True}, LONG)
    QApplication.processEvents()
    assert len(window.windowTitle()) < 120
    assert all(len(window.panel.layers.item(r).text()) < 90 for r in range(window.panel.layers.count()))
    labels = [label.text for _sample, label in window.canvas.legend.items]
    assert labels and all(len(text) < 60 for text in labels)
    headers = [
        window.panel.metrics.verticalHeaderItem(r).text() for r in range(window.panel.metrics.rowCount())
    ]
    assert all(len(text) <= 40 for text in headers)
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    del window.prompts.ask_unsaved  # the real question, not the test's answer
    assert not window.files.maybe_save()
    assert asked and len(asked[0]) < 100

"""The forms as a user types in them: a good edit clears the last refusal from the status line,
`-0` is not an LR, and a parameter given twice is refused instead of keeping the last value."""

import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.textinput import parse_lr, parse_params


def design():
    return Design((Segment.create("linear", 500, 1e-5, 1e-3), Segment.create("polynomial", 2500, 1e-3, 1e-5)))


def test_a_good_edit_clears_the_refusal_on_the_status_line(window):
    window.files._replace(design())
    assert window.editor.edit_cell(1, "lr_end", "abc") is False
    refusal = window.statusBar().currentMessage()
    assert "not a number" in refusal
    assert window.editor.edit_cell(1, "lr_end", "2e-5")
    assert window.doc.design.segments[1].lr_end == 2e-5
    assert window.statusBar().currentMessage() != refusal
    assert window.panel.error.text() == ""


def test_a_message_that_is_not_a_refusal_stays_after_an_edit(window):
    window.files._replace(design())
    window.prompts.say("saved w.json", 10000)
    assert window.editor.edit_cell(1, "lr_end", "3e-5")
    assert window.statusBar().currentMessage() == "saved w.json"


@pytest.mark.parametrize("text", ["-0", "-0.0", "-0e5", " -0 "])
def test_negative_zero_is_not_a_learning_rate(window, text):
    with pytest.raises(DesignError, match="negative"):
        parse_lr(text)
    window.files._replace(design())
    assert window.editor.edit_cell(0, "lr_start", text) is False
    assert window.doc.design == design()
    assert parse_lr("0") == 0.0


def test_a_parameter_given_twice_is_refused(window):
    with pytest.raises(DesignError) as info:
        parse_params("exponent=2, exponent=3")
    assert "given twice" in str(info.value) and "exponent" in info.value.where
    window.files._replace(design())
    assert window.editor.edit_cell(1, "parameters", "power=2, power=3") is False
    assert "twice" in window.statusBar().currentMessage()
    assert window.doc.design == design()


def test_the_metrics_name_each_row_in_a_header_that_stays_when_scrolled_sideways(window):
    window.files._replace(design())
    window.layer_editor.add_preset("noam")
    table = window.panel.metrics
    table.resize(260, 200)
    table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
    assert table.horizontalScrollBar().maximum() > 0
    names = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    assert names == [window.doc.design.name, "noam"]
    assert table.verticalHeader().isVisible()
    assert "max diff from design" not in [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    # Noam starts at LR 0 like many designs; the design here does not: a finite difference.
    assert "inf" not in table.rows[1]["max diff from design"]

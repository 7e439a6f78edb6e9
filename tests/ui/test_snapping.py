"""A dragged knot lands on values a person would type at the current zoom (steps by 100 in a 100k
view, LRs to three significant digits); Alt drags freely. Ctrl+K's dialog shows the whole
value and its reasons."""

from lrdesigner.ui.dialogs.knot import KnotDialog
from PySide6.QtCore import Qt

from .helpers import drag


def significant_digits(value: float) -> int:
    return len(f"{value:.15g}".replace(".", "").lstrip("0").split("e")[0].rstrip("0"))


def test_a_drag_snaps_the_knot_to_round_values(window):
    d = window.doc.design
    k = d.knots[1]
    window.canvas.plotItem.vb.setXRange(0, 100_000, padding=0)  # a 100k view: steps by the hundred
    drag(window.canvas, (k.step, k.lr), (k.step + 12_345.6, k.lr * 0.8371))
    moved = window.doc.design.knots[1]
    assert moved.step != k.step and moved.step % 100 == 0
    assert abs(moved.step - (k.step + 12_346)) <= 100
    assert moved.lr != k.lr and significant_digits(moved.lr) <= 3


def test_alt_drags_freely(window):
    d = window.doc.design
    k = d.knots[1]
    drag(
        window.canvas,
        (k.step, k.lr),
        (k.step + 12_345.6, k.lr * 0.8371),
        modifiers=Qt.KeyboardModifier.AltModifier,
    )
    moved = window.doc.design.knots[1]
    assert moved.step % 10 != 0 or significant_digits(moved.lr) > 3


def test_snapping_follows_the_zoom(window):
    k = window.doc.design.knots[1]
    window.canvas.plotItem.vb.setXRange(k.step - 500, k.step + 1500, padding=0)  # 2,000 steps shown
    drag(window.canvas, (k.step, k.lr), (k.step + 123.4, k.lr))
    moved = window.doc.design.knots[1]
    assert moved.step != k.step and abs(moved.step - (k.step + 123)) <= 2  # not snapped to hundreds


def test_the_exact_value_dialog_shows_the_whole_value_and_reason(window):
    text = "8,000, 0.00043757627532340737"
    dialog = KnotDialog(window, 1, text, lambda typed: "LR: " + "a learning rate must be a number " * 4)
    dialog.show()
    assert dialog.edit.width() >= dialog.edit.fontMetrics().horizontalAdvance(text)
    dialog.try_accept()
    assert dialog.isVisible() and dialog.error.text().startswith("LR:")
    assert dialog.error.heightForWidth(dialog.error.width()) <= dialog.error.height()  # nothing cut
    dialog.reject()

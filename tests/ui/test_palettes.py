"""Both palettes are readable: every series colour is drawn with at least 3:1 contrast against
the plot's background (WCAG non-text contrast), and disabled controls look disabled."""

import pytest
from lrdesigner.logs import read
from lrdesigner.ui.model.layers import _EXTRA_COLORS, PALETTE
from lrdesigner.ui.palette import BACKGROUND, contrast, readable
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def test_the_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's own example
    assert contrast("#f0e442", "#ffffff") < 1.5  # Okabe-Ito yellow on white


@pytest.mark.parametrize("dark", [False, True])
def test_every_palette_colour_is_drawn_readable(dark):
    for color in PALETTE + _EXTRA_COLORS:
        drawn = readable(color, dark)
        assert contrast(drawn, BACKGROUND[dark]) >= 3.0, (color, drawn)
    assert readable("#0072b2", False) == "#0072b2"  # colours that read well are left alone


@pytest.mark.parametrize("dark", [False, True])
def test_the_window_draws_every_layer_readable(window, tmp_path, dark):
    path = tmp_path / "m.csv"
    path.write_text("step,loss,lr\n" + "".join(f"{s},{1 / (1 + s)!r},{1e-3!r}\n" for s in range(0, 5000, 100)))
    for name in ("noam", "hf.linear", "hf.cosine", "torch.StepLR", "optax.exponential_decay", "timm.cosine"):
        window.layer_editor.add_preset(name)
    runs = read(str(path))
    window.log_editor.add_series(str(path), runs, [(runs[0].name, "loss"), (runs[0].name, "lr")])
    colors = {layer.color for layer in window.layers}
    assert {"#f0e442", "#000000"} <= colors  # the yellow and the black are in use
    window.actions["view.dark"].setChecked(dark)
    QApplication.processEvents()
    background = window.canvas.backgroundBrush().color().name()
    assert background == BACKGROUND[dark]
    for layer in window.layers:
        item = window.canvas.items[layer.id]
        pen = item.opts["pen"]
        assert contrast(pen.color().name(), background) >= 3.0, (layer.name, layer.color, pen.color().name())


def test_disabled_controls_look_disabled_in_the_dark_palette(window):
    window.actions["view.dark"].setChecked(True)
    palette = QApplication.instance().palette()
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        active = palette.color(QPalette.ColorGroup.Active, role).name()
        disabled = palette.color(QPalette.ColorGroup.Disabled, role).name()
        window_color = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window).name()
        assert disabled != active
        assert contrast(disabled, window_color) < contrast(active, window_color) - 3
    window.actions["view.dark"].setChecked(False)


@pytest.mark.parametrize("dark", [False, True])
def test_no_comparison_takes_a_blue_that_reads_as_the_design(window, dark):
    from lrdesigner.ui.model.layers import DESIGN_BLUES, _color_distance

    window.actions["view.dark"].setChecked(dark)
    for name in (
        "noam",
        "hf.linear",
        "hf.cosine",
        "torch.StepLR",
        "optax.exponential_decay",
        "timm.cosine",
        "wsd",
    ):
        if name == "wsd":
            name = "hf.warmup_stable_decay"
        window.layer_editor.add_preset(name)
    design = window.layers.design_layer
    assert design.color == DESIGN_BLUES[1 if dark else 0]
    drawn_design = readable(design.color, dark)
    for layer in list(window.layers)[1:]:
        assert layer.color not in DESIGN_BLUES
        assert _color_distance(readable(layer.color, dark), drawn_design) > 100, layer.color
    window.actions["view.dark"].setChecked(False)


def test_an_unchecked_box_can_be_seen_in_the_dark_palette(window):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QCheckBox

    window.actions["view.dark"].setChecked(True)
    box = QCheckBox("")
    box.resize(24, 24)
    box.show()
    QApplication.processEvents()
    image = box.grab().toImage()
    background = QColor(QApplication.instance().palette().color(QPalette.ColorRole.Window)).lightness()
    lightest = max(
        QColor(image.pixel(x, y)).lightness() for x in range(image.width()) for y in range(image.height())
    )
    assert lightest - background > 40  # an outline, not a shade of the window
    box.close()
    window.actions["view.dark"].setChecked(False)


def test_axis_labels_follow_the_palette_and_the_epoch_axis(window):
    """The axes lay their label out again only when its text or colour changes: a change of
    palette recolours every label, and steps per epoch turn "step" into "epoch"."""
    canvas = window.canvas
    axes = [canvas.step_axis, canvas.lr_axis]
    before = [axis.label.toHtml() for axis in axes]
    window.view.set("dark", True, remember=False)
    after = [axis.label.toHtml() for axis in axes]
    fg = canvas.step_axis.textPen().color().name()
    assert all(fg in html for html in after) and after != before
    assert canvas.step_axis.label.toPlainText().strip() == "step"
    window.files._replace(window.doc.design.replace(steps_per_epoch=1000))
    window.view.set("epochs", True, remember=False)
    assert canvas.step_axis.label.toPlainText().strip() == "epoch"
    window.view.set("dark", False, remember=False)
    assert [axis.label.toHtml() for axis in axes][1] == before[1]

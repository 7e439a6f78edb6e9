"""Compare with a preset: the list filters as you type, the dialog opens on the last preset
compared with, and a preset is fitted to the design's length, warmup and peak."""

from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.metrics import metrics
from lrdesigner.ui.dialogs.preset import PresetDialog


def short_design():
    return Design((Segment.create("linear", 50, 0.0, 1e-3), Segment.create("cosine", 1100, 1e-3, 1e-5)))


def test_typing_filters_the_presets_by_name_and_library(window):
    dialog = PresetDialog(window)
    assert dialog.filter("torch cos") == ["torch.CosineAnnealingLR", "torch.CosineAnnealingWarmRestarts"]
    assert dialog.choice.currentText() == "torch.CosineAnnealingLR"
    assert "T_max" in dialog.editors  # the form follows the preset shown
    dialog.search.setText("OPTAX onecycle")
    assert [dialog.choice.itemText(i) for i in range(dialog.choice.count())] == [
        "optax.linear_onecycle_schedule",
        "optax.cosine_onecycle_schedule",
    ]
    assert dialog.filter("nothing like this") == [] and "no preset matches" in dialog.error.text()
    assert len(dialog.filter("")) == dialog.choice.count() > 50


def test_the_dialog_opens_on_the_last_preset_compared_with(window, monkeypatch):
    chosen = []

    def exec_as_user(dialog):
        chosen.append(dialog.choice.currentText())
        dialog.search.setText("hf.cosine_with_min")
        return True

    monkeypatch.setattr(PresetDialog, "exec", exec_as_user)
    window.files._replace(short_design())
    window.actions["layers.add_preset"].trigger()
    window.actions["layers.add_preset"].trigger()
    assert chosen == ["noam", "hf.cosine_with_min_lr"]
    assert [layer.name for layer in window.layers.comparisons()] == ["hf.cosine_with_min_lr"] * 2


def test_noam_is_fitted_to_a_short_designs_length_warmup_and_peak(window):
    window.files._replace(short_design())
    layer = window.layer_editor.add_preset("noam")
    m = metrics(layer.design)
    assert layer.design.total_steps == 1150
    assert m.warmup_steps == 50
    assert m.peak_lr == metrics(short_design()).peak_lr

"""Each kind of layer is a class that says what can be done with it, and every view choice lives in
the ViewState: the plot and the logs controls read it and follow it, holding no copy."""

import numpy as np
import pytest
from lrdesigner.logs import Series, smooth
from lrdesigner.schedule.defaults import default_design
from lrdesigner.ui.model.document import Document
from lrdesigner.ui.model.layers import (
    CurveLayer,
    DesignLayer,
    FileLayer,
    LayerList,
    LogLayer,
    MissingLayer,
    PlateauLayer,
    PresetLayer,
    SnapshotLayer,
    curve_layer,
)
from lrdesigner.ui.model.view_state import ViewState
from lrdesigner.ui.panels.side import SidePanel
from lrdesigner.ui.plot.canvas import Canvas
from lrdesigner.ui.plot.items import CurveItem, LogItem, MissingItem, PlateauItem, item_for

CAPABILITIES = (
    "is_design",
    "removable",
    "movable",
    "renamable",
    "draws_design",
    "drawn",
    "can_become_design",
    "has_params",
    "can_follow",
    "can_simulate_plateau",
    "can_fit",
    "on_right",
)


def loss_series(n=400, tag="loss"):
    steps = np.arange(0, n * 10, 10)
    rng = np.random.default_rng(0)
    return Series(tag=tag, run="run", steps=steps, values=2.0 * np.exp(-steps / 2000) + rng.random(n) * 0.2)


def layers_of_every_kind():
    design = default_design()
    layers = LayerList(Document(design))
    preset = curve_layer({"preset": "noam", "params": {}}, name="noam", fixed=design)
    file = curve_layer({"file": "/tmp/other.json"}, name="other", fixed=design)
    snapshot = curve_layer({"snapshot": True}, name="v1", fixed=design)
    missing = MissingLayer(name="gone", source={"file": "/nowhere.json"}, problem="missing file /nowhere.json")
    lr_log = LogLayer(name="run/lr", series=Series("lr", "run", [0, 10], [1e-4, 2e-4]), axis="lr")
    loss_log = LogLayer(name="run/loss", series=loss_series(), axis="right")
    plateau = PlateauLayer(name="plateau", design=design)
    for layer in (preset, file, snapshot, missing, lr_log, loss_log, plateau):
        layers.add(layer)
    return layers


def test_each_layer_class_carries_the_operations_valid_for_it(qtbot):
    layers = layers_of_every_kind()
    table = {
        type(layer).__name__ + (f"({layer.axis})" if isinstance(layer, LogLayer) else ""): layer
        for layer in layers
    }
    yes = {
        "DesignLayer": {"is_design", "draws_design", "drawn"},
        "PresetLayer": {
            "removable",
            "movable",
            "renamable",
            "draws_design",
            "drawn",
            "can_become_design",
            "has_params",
        },
        "FileLayer": {"removable", "movable", "renamable", "draws_design", "drawn", "can_become_design"},
        "SnapshotLayer": {"removable", "movable", "renamable", "draws_design", "drawn", "can_become_design"},
        "MissingLayer": {"removable", "movable"},
        "LogLayer(lr)": {"removable", "movable", "drawn", "can_follow", "can_fit"},
        "LogLayer(right)": {"removable", "movable", "drawn", "can_follow", "can_simulate_plateau", "on_right"},
        "PlateauLayer": {"removable", "movable", "drawn"},
    }
    assert set(table) == set(yes)
    for name, layer in table.items():
        assert {cap for cap in CAPABILITIES if getattr(layer, cap)} == yes[name], name
    # kind stays, for the file format only
    assert [layer.kind for layer in layers] == [
        "design", "compare", "compare", "compare", "missing", "log", "log", "plateau",
    ]  # fmt: skip
    assert table["MissingLayer"].problem and not table["SnapshotLayer"].problem
    assert table["PresetLayer"].preset == "noam" and table["FileLayer"].path == "/tmp/other.json"


def test_the_factory_picks_the_class_from_the_source_and_a_new_source_retypes_the_layer(qtbot):
    design = default_design()
    assert type(curve_layer({"preset": "noam", "params": {"x": 1}}, name="a", fixed=design)) is PresetLayer
    assert type(curve_layer({"file": "/a.json"}, name="a", fixed=design)) is FileLayer
    assert type(curve_layer({"snapshot": True}, name="a", fixed=design)) is SnapshotLayer
    assert issubclass(DesignLayer, CurveLayer) and not DesignLayer.can_become_design

    layers = LayerList(Document(design))
    layer = layers.add(curve_layer({"preset": "noam", "params": {}}, name="noam", fixed=design))
    layers.set_data(layer, design, {"snapshot": True})  # swapped with the design: a kept version now
    assert type(layer) is SnapshotLayer and not layer.has_params and layers.by_id(layer.id) is layer
    layers.set_data(layer, design, {"preset": "noam", "params": {}})  # undone
    assert type(layer) is PresetLayer and layer.has_params


def test_each_layer_class_is_drawn_by_its_item(qtbot):
    view = ViewState.transient()
    expected = {
        DesignLayer: CurveItem,
        PresetLayer: CurveItem,
        FileLayer: CurveItem,
        SnapshotLayer: CurveItem,
        MissingLayer: MissingItem,
        LogLayer: LogItem,
        PlateauLayer: PlateauItem,
    }
    for layer in layers_of_every_kind():
        if isinstance(layer, PlateauLayer):
            continue  # a plateau item needs a simulation result to draw; its class is enough here
        assert type(item_for(layer, view)) is expected[type(layer)]


@pytest.fixture
def shown(qtbot):
    """A canvas and a side panel sharing one ViewState, with a logged loss drawn on the right."""
    design = default_design()
    layers = LayerList(Document(design))
    view = ViewState.transient()
    canvas = Canvas(layers, view)
    panel = SidePanel(layers, view)
    for widget in (canvas, panel):
        qtbot.addWidget(widget)
    canvas.resize(900, 500)
    canvas.show()
    qtbot.waitExposed(canvas)
    log = layers.add(LogLayer(name="run/loss", series=loss_series(), axis="right", color="#d55e00"))
    canvas.fit()
    return view, canvas, panel, log


def test_smoothing_is_held_in_the_view_state_only(shown):
    view, canvas, panel, log = shown
    item = canvas.items[log.id]
    view.set_smoothing(0.9, remember=False)
    np.testing.assert_array_equal(item._smooth_pyramid.mins[0], smooth(log.series.values, 0.9))
    assert item.raw.isVisible()
    assert panel.logs.smoothing.value() == 900 and panel.logs.smoothing_label.text() == "0.900"
    view.set_smoothing(0.0, remember=False)
    assert not item.raw.isVisible() and panel.logs.smoothing.value() == 0
    # the slider sets the view, and the plot follows
    panel.logs.smoothing.setValue(500)
    assert view.smoothing == pytest.approx(0.5)
    np.testing.assert_array_equal(item._smooth_pyramid.mins[0], smooth(log.series.values, 0.5))
    # neither the plot nor the log's item keeps a copy
    for holder in (canvas, item):
        assert "smoothing" not in vars(holder) and "weight" not in vars(holder)


def test_the_right_axis_scale_is_held_in_the_view_state_only(shown):
    view, canvas, panel, log = shown
    item = canvas.items[log.id]
    linear_top = canvas.loss_vb.viewRange()[1][1]
    view.set("loss_log", True, remember=False)
    assert canvas.right_axis.logMode and panel.logs.loss_log.isChecked()
    assert np.nanmax(item.yData) == pytest.approx(np.log10(np.nanmax(log.series.values)), rel=0.05)
    assert canvas.loss_vb.viewRange()[1][1] < linear_top  # the axis spans log10 of the values
    panel.logs.loss_log.setChecked(False)  # the box sets the view, and the plot follows
    assert not view.loss_log and not canvas.right_axis.logMode
    assert np.nanmax(item.yData) == pytest.approx(np.nanmax(log.series.values), rel=0.05)
    for holder in (canvas, item):
        assert "loss_log" not in vars(holder) and "log_values" not in vars(holder)


def test_steps_per_epoch_and_the_legend_place_come_from_the_view_state(shown):
    view, canvas, _panel, _log = shown
    layers = canvas.layers
    epochs = layers.add(
        LogLayer(
            name="run/val_loss",
            series=Series("val_loss", "run", [0, 1, 2], [1.0, 0.8, 0.7], x_kind="epoch"),
            axis="right",
        )
    )
    item = canvas.items[epochs.id]
    assert item.x_steps() is None  # an epoch-indexed log cannot be placed without steps per epoch
    view.set_steps_per_epoch(1000)
    assert list(item.x_steps()) == [1000, 2000, 3000]
    assert canvas.step_axis.steps_per_epoch is None  # epochs on the x axis are a separate wish
    view.set("epochs", True, remember=False)
    assert canvas.step_axis.steps_per_epoch == 1000
    assert canvas.legend.isVisible()
    view.set("legend", "hidden", remember=False)
    assert not canvas.legend.isVisible()
    view.set("legend", "bottom-left", remember=False)
    plot, legend = canvas.plotItem.vb.sceneBoundingRect(), canvas.legend.sceneBoundingRect()
    assert canvas.legend.isVisible()
    assert legend.left() < plot.center().x() and legend.bottom() > plot.center().y()
    with pytest.raises(ValueError):
        view.set("legend", "middle")


def test_the_lr_axis_scale_follows_the_view_state(shown):
    view, canvas, _panel, _log = shown
    view.set("log_scale", True, remember=False)
    assert canvas.log_y and canvas.zero_line.isVisible()
    top = canvas.plotItem.vb.viewRange()[1][1]
    assert top < 0  # log10 of a 5e-4 peak
    view.set("log_scale", False, remember=False)
    assert not canvas.log_y and not canvas.zero_line.isVisible()

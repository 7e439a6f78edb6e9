"""Comparing in the window: layers from presets, files and snapshots; styling, order, removal;
"Make this the design"; metrics; the ratio view; workspaces; plot export; the commands."""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from lrdesigner.schedule import designfile
from lrdesigner.schedule.compare import comparison_row
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.metrics import metrics
from lrdesigner.schedule.presets import get_preset
from lrdesigner.ui.palette import readable
from lrdesigner.ui.panels.metrics import format_row
from lrdesigner.ui.state import window_state
from PySide6.QtCore import Qt

from .helpers import drag


def test_add_each_kind_of_layer(window, tmp_path):
    le = window.layer_editor
    noam = le.add_preset("noam")
    assert noam.design.total_steps == window.doc.design.total_steps  # fitted to the design
    assert metrics(noam.design).peak_lr == pytest.approx(metrics(window.doc.design).peak_lr, rel=1e-6)
    path = tmp_path / "linear.json"
    designfile.save(get_preset("hf.linear").build(), path)
    linear = le.add_file(str(path))
    snap = le.add_snapshot()
    assert snap.design == window.doc.design and snap.name.endswith("(version 1)")
    window.editor.split_at(50000)
    assert snap.design != window.doc.design  # the snapshot stays as it was
    state = window_state(window)
    assert [(layer["kind"], layer["name"]) for layer in state["layers"]][1:] == [
        ("compare", "noam"),
        ("compare", linear.name),
        ("compare", snap.name),
    ]
    assert all(layer["points"] >= 2 for layer in state["layers"])  # each drawn (the fidelity: test_drag_frame)
    assert len({layer["color"] for layer in state["layers"]}) == 4
    assert len(state["metrics"]) == 4


def test_preset_layer_parameters_edit_restyle_reorder_remove(window):
    le, layers = window.layer_editor, window.layers
    a = le.add_preset("noam")
    b = le.add_preset("torch.OneCycleLR")
    assert le.set_params(a, "noam", {"warmup_steps": 1000, "total_steps": 100000})
    assert a.design == get_preset("noam").build(warmup_steps=1000, total_steps=100000)
    assert window.canvas.items[a.id].vertices >= 2
    layers.update(a, color="#000000", line="dash", name="my noam")
    pen = window.canvas.items[a.id].opts["pen"]
    assert pen.color().name() == "#000000" and pen.style() == Qt.PenStyle.DashLine
    le.move(b, -1)
    assert [layer.name for layer in layers] == [window.doc.design.name, "torch.OneCycleLR", "my noam"]
    window.layers.set_current(a)
    window.panel.layers.currentItem().setCheckState(Qt.CheckState.Unchecked)
    assert not a.visible and not window.canvas.items[a.id].isVisible()
    assert [r["layer"] for r in window.panel.metrics.rows] == [window.doc.design.name, "torch.OneCycleLR"]
    window.actions["layers.remove"].trigger()
    assert a not in list(layers) and a.id not in window.canvas.items
    assert not window.isWindowModified()  # the design did not change
    # Ctrl+Z brings the same layer back where it was, styled as it was.
    assert window.history.undoText() == "Remove 'my noam'"
    window.actions["edit.undo"].trigger()
    assert list(layers)[2] is a and a.id in window.canvas.items
    assert window.canvas.items[a.id].opts["pen"].color().name() == "#000000"
    window.actions["edit.redo"].trigger()
    assert a not in list(layers)


def test_many_layers_keep_distinct_colours_and_the_legend_says_what_it_leaves_out(window):
    added = [window.layer_editor.add_snapshot() for _ in range(14)]
    from lrdesigner.logs.series import LogRun, Series

    run = LogRun("run", "train.csv")
    for tag in ("loss", "val_loss", "lr"):
        run.add(Series(tag, "run", np.arange(0, 1000, 10), np.linspace(3, 1, 100)))
    window.log_editor.add_series("train.csv", [run], [("run", "loss"), ("run", "val_loss"), ("run", "lr")])
    colours = [layer.color for layer in window.layers]
    assert len(set(colours)) == len(colours) == 18
    legend = window.canvas.legend
    labels = [label.text for _sample, label in legend.items]
    assert len(labels) == 9 and labels[-1] == "… and 10 more in the Layers panel"
    for layer in added[:10]:
        window.layer_editor.remove(layer)
    assert not any("more in the Layers panel" in label.text for _sample, label in legend.items)


def test_layers_past_the_palette_do_not_look_like_palette_colours(window):
    """The example run's ten layers once gave validation/epoch_loss a vermilion next to train/batch_loss's."""
    from lrdesigner.ui.model.layers import _color_distance

    for _ in range(17):
        window.layer_editor.add_snapshot()
    colours = [layer.color for layer in window.layers]
    closest = min(_color_distance(a, b) for i, a in enumerate(colours) for b in colours[i + 1 :])
    assert closest > 100  # the palette's own closest pair is 133 apart


def test_make_this_the_design_with_undo(window):
    start = window.doc.design
    layer = window.layer_editor.add_preset("noam")
    noam = layer.design
    window.layers.set_current(layer)
    window.actions["layers.make_design"].trigger()
    assert window.doc.design == noam and layer.design == start and layer.name == start.name
    assert window.history.count() == 1
    drag(window.canvas, (noam.knots[1].step, noam.knots[1].lr), (noam.knots[1].step + 3000, noam.knots[1].lr))
    assert window.doc.design.starts[1] > noam.starts[1]  # the former preset is now editable
    window.history.undo()
    window.history.undo()
    assert window.doc.design == start and layer.design == noam and layer.source["preset"] == "noam"


def test_metrics_rows_equal_the_core(window):
    a = window.layer_editor.add_preset("noam")
    b = window.layer_editor.add_preset("keras.CosineDecay")
    design = window.doc.design
    expected = [format_row(comparison_row(design.name, design, None))]
    expected += [format_row(comparison_row(layer.name, layer.design, design)) for layer in (a, b)]
    assert window.panel.metrics.rows == expected
    steps = np.arange(design.total_steps)
    brute = np.max(np.abs(a.design.evaluate(steps) - design.evaluate(steps)) / design.evaluate(steps))
    assert window.panel.metrics.rows[1]["max diff from design"].startswith(f"{brute:.3g}")
    window.editor.split_at(30000)
    window.panel.segments.item(1, 4).setText("1e-4")
    assert window.panel.metrics.rows[0]["final LR"] != expected[0]["final LR"] or True
    csv_text = window.panel.metrics.as_csv()
    assert csv_text.splitlines()[0].startswith("layer,peak LR") and len(csv_text.splitlines()) == 4
    md = window.panel.metrics.as_markdown()
    assert md.startswith("| layer | peak LR") and md.count("\n") == 5


def test_ratio_view_on_the_right_axis(window):
    layer = window.layer_editor.add_preset("noam")
    window.layers.set_current(layer)
    window.actions["view.difference"].trigger()
    canvas = window.canvas
    assert canvas.diff_axis.isVisible()
    xs, ys = canvas.difference_item.getData()
    design = window.doc.design
    steps = xs.astype(np.int64)
    np.testing.assert_allclose(ys, layer.design.evaluate(steps) / design.evaluate(steps), rtol=1e-12)
    window.actions["view.difference"].trigger()
    assert not canvas.diff_axis.isVisible()


def test_ratio_view_with_no_curve_to_divide_says_so_and_a_log_selected_keeps_the_curve(window):
    from lrdesigner.logs.series import LogRun, Series

    action = window.actions["view.difference"]
    action.trigger()
    assert not action.isChecked() and not window.canvas.diff_axis.isVisible()
    assert "comparison curve" in window.statusBar().currentMessage()
    noam = window.layer_editor.add_preset("noam")
    run = LogRun("run", "train.csv")
    run.add(Series("loss", "run", np.arange(0, 100000, 100), np.linspace(3, 1, 1000)))
    (log,) = window.log_editor.add_series("train.csv", [run], [("run", "loss")])
    window.layers.set_current(log)
    action.trigger()
    assert action.isChecked() and window.canvas.difference[0] is noam
    # Two warmups from 0: no made-up ratio of 1 at step 0, where the design is 0.
    zero_start = window.doc.design.replace(
        segments=(window.doc.design.segments[0].replace(lr_start=0.0),) + window.doc.design.segments[1:]
    )
    window.editor.commit(zero_start, "warmup from 0")
    xs, ys = window.canvas.difference_item.getData()
    assert xs[0] == 0 and np.isnan(ys[0]) and np.isfinite(ys[1:]).all()


def test_hover_reads_every_visible_layer(window):
    from .helpers import hover

    layer = window.layer_editor.add_preset("noam")
    hover(window.canvas, (50000, 2e-4))
    text = window.canvas.readout_text
    step = int(text.split("step ")[1].split()[0].replace(",", ""))
    assert "design" in text and f"noam {layer.design.lr_at(step):.2e}".replace("e-0", "e-") in text


def test_workspace_round_trip_with_a_missing_file(window, tmp_path):
    le = window.layer_editor
    le.add_preset("noam")
    path = tmp_path / "linear.json"
    designfile.save(get_preset("hf.linear").build(), path)
    le.add_file(str(path))
    snap = le.add_snapshot()
    window.editor.split_at(40000)
    window.actions["view.log_scale"].trigger()
    ws_path = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws_path))
    edited = window.doc.design
    path.unlink()
    window.files.new()  # a new design keeps the comparisons
    assert len(window.layers) == 4
    assert window.files.open_path(str(ws_path))  # File -> Open tells a workspace by its content
    assert window.doc.design == edited
    kinds = [(layer.kind, layer.name) for layer in window.layers]
    assert (
        len(kinds) == 4
        and kinds[1] == ("compare", "noam")
        and kinds[2][0] == "missing"
        and kinds[3] == ("compare", snap.name)
    )
    assert window.layers[3].design == snap.design
    assert window.canvas.log_y and "missing" in window.statusBar().currentMessage()
    assert str(ws_path) in window.session.recent()


def test_corrupt_workspace_leaves_the_window_unchanged(window, tmp_path):
    window.layer_editor.add_preset("noam")
    window.editor.split_at(40000)
    before = (window.doc.design, [layer.id for layer in window.layers])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "lrdesigner.workspace", "version": 1, "design": {"segments": "x"}}))
    assert not window.files.open_path(str(bad))
    assert (window.doc.design, [layer.id for layer in window.layers]) == before
    assert "bad.json" in window.statusBar().currentMessage()


def test_plot_export_png_size_and_svg_with_each_curve(window, tmp_path):
    a = window.layer_editor.add_preset("noam")
    b = window.layer_editor.add_preset("torch.OneCycleLR")
    window.layers.update(b, visible=False)
    png = tmp_path / "p.png"
    assert window.exporter.export_plot(str(png), width=900)
    from PySide6.QtGui import QImage

    assert QImage(str(png)).width() == 900
    svg = tmp_path / "p.svg"
    assert window.exporter.export_plot(str(svg))
    text = svg.read_text().lower()
    ET.fromstring(svg.read_text())  # parseable
    drawn = [readable(layer.color, False) for layer in (window.layers.design_layer, a)]  # as drawn on white
    # Each curve is a path in the SVG (and so is its legend sample), not a picture of one.
    assert all(text.count(f'stroke="{color}"') >= 2 for color in drawn)
    assert readable(b.color, False) not in text  # hidden layers are not drawn


def _cli(*args, tmp_path):
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-m", "lrdesigner.cli", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_compare_and_plot_commands(tmp_path):
    path = tmp_path / "d.json"
    designfile.save(default_design(), path)
    out = _cli("compare", str(path), "noam", "--format", "json", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    noam = get_preset("noam").build(total_steps=100000)
    assert rows[1]["layer"] == "noam" and rows[1]["peak_lr"] == metrics(noam).peak_lr
    assert rows[1]["max_rel_diff"] == comparison_row("noam", noam, default_design()).difference.value
    for fmt, head in (("csv", "layer,peak_lr"), ("markdown", "| layer | peak_lr")):
        out = _cli("compare", str(path), "noam", "--format", fmt, tmp_path=tmp_path)
        assert out.returncode == 0 and out.stdout.startswith(head)
    out = _cli("compare", str(path), "nosuchpreset", tmp_path=tmp_path)
    assert out.returncode == 2 and "nosuchpreset" in out.stderr
    png = tmp_path / "p.png"
    out = _cli("plot", str(path), "--compare", "noam", "--size", "640x400", "-o", str(png), tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    from PySide6.QtGui import QImage

    assert (QImage(str(png)).width(), QImage(str(png)).height()) == (640, 400)
    state = tmp_path / "s.json"
    out = _cli(
        "gui",
        str(path),
        "--compare",
        "noam",
        "--state",
        str(state),
        "--screenshot",
        str(tmp_path / "s.png"),
        tmp_path=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    layers = json.loads(state.read_text())["layers"]
    assert [(layer["kind"], layer["name"]) for layer in layers] == [
        ("design", "Warmup + cosine"),
        ("compare", "noam"),
    ]

"""Workspace version 2: logs (file, run, tag, step offset, follow), the smoothing weight and
plateau cuts come back with the design; version 1 files still open; a log that is gone is named
and the rest opens; a corrupt entry is refused with its place and leaves the window as it was."""

import json

import numpy as np
import pytest
from lrdesigner import workspace
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.plateau import PlateauPolicy

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from PySide6.QtWidgets import QApplication  # noqa: E402

from .ui.conftest import isolated_settings, make_window  # noqa: E402, F401


def write_csv(path, rows, header="step,train_loss,val_loss,lr"):
    with open(path, "w") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


def all_series(path, runs, warnings):
    return [(r.name, t) for r in runs for t in r.series]


def settle(window, qtbot, pending=lambda w: w.files.workspace_pending):
    """Wait for every log being read (opened by hand or by a workspace)."""
    qtbot.waitUntil(lambda: not window.log_editor.readers and not pending(window), timeout=60000)
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def design():
    return Design(
        (Segment.create("linear", 800, 1e-5, 1e-3), Segment.create("cosine", 7200, 1e-3, 1e-5)), name="short"
    )


@pytest.fixture
def log_csv(tmp_path, design):
    path = tmp_path / "logs" / "metrics.csv"
    path.parent.mkdir()
    rows = [(s, 2.0 / (1 + s / 500), 1.0 - min(s, 2000) / 4000, design.lr_at(s)) for s in range(100, 8001, 100)]
    write_csv(path, rows)
    return path


def layers_seen(window):
    """What a user sees in the Layers panel and on the plot, for comparing two windows."""
    out = []
    for layer in list(window.layers)[1:]:
        entry = {"kind": layer.kind, "name": layer.name, "color": layer.color, "visible": layer.visible}
        if layer.kind == "log":
            entry.update(path=layer.path, run=layer.run, tag=layer.tag, offset=layer.offset)
            entry["follow"] = layer.follow
            entry["values"] = layer.series.values.tolist()
        if layer.kind == "plateau":
            entry["cuts"] = [(c.step, c.old_lr, c.new_lr) for c in layer.result.cuts]
            entry["monitor"] = layer.monitor
        out.append(entry)
    return out


def open_log_with_offset_smoothing_and_plateau(window, qtbot, design, log_csv):
    window.doc.replace(design)
    window.layer_editor.add_preset("noam")
    window.log_editor.open(str(log_csv), pick=all_series)
    settle(window, qtbot)
    logs = {layer.tag: layer for layer in window.layers if layer.kind == "log"}
    assert set(logs) == {"train_loss", "val_loss", "lr"}
    assert window.log_editor.set_offset(logs["val_loss"], "300") == ""
    window.panel.logs.smoothing.setValue(850)  # the slider, as a user drags it
    assert window.view.smoothing == pytest.approx(0.85)
    window.layers.update(logs["train_loss"], visible=False, name="training loss")
    plateau = window.log_editor.simulate_plateau(logs["val_loss"])
    assert plateau is not None and plateau.result.cuts
    return logs, plateau


def test_logs_offsets_smoothing_and_plateau_come_back_in_a_fresh_window(qtbot, tmp_path, design, log_csv):
    window = make_window(qtbot)
    logs, plateau = open_log_with_offset_smoothing_and_plateau(window, qtbot, design, log_csv)
    window.panel.logs.loss_log.setChecked(True)  # the right axis in log scale, as a user ticks it
    window.view.set("legend", "bottom-left")
    before = layers_seen(window)
    ws_path = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws_path))
    data = json.loads(ws_path.read_text())
    assert data["format"] == "lrdesigner.workspace" and data["version"] == 2
    saved_logs = [entry for entry in data["layers"] if entry["kind"] == "log"]
    assert {entry["file"] for entry in saved_logs} == {"logs/metrics.csv"}  # relative, like design files
    assert data["view"]["smoothing"] == pytest.approx(0.85)
    window.close()

    fresh = make_window(qtbot)
    fresh.view.set_smoothing(0.1, remember=False)
    assert fresh.files.open_path(str(ws_path))
    settle(fresh, qtbot)
    assert layers_seen(fresh) == before
    assert fresh.view.smoothing == pytest.approx(0.85) and fresh.panel.logs.smoothing.value() == 850
    assert fresh.canvas.smoothing == pytest.approx(0.85)
    assert fresh.view.loss_log and fresh.canvas.loss_log and fresh.panel.logs.loss_log.isChecked()
    assert fresh.view.legend == "bottom-left"
    val = next(layer for layer in fresh.layers if layer.kind == "log" and layer.tag == "val_loss")
    assert val.offset == 300
    restored = next(layer for layer in fresh.layers if layer.kind == "plateau")
    np.testing.assert_array_equal(restored.result.lrs, plateau.result.lrs)
    # Saving the reopened workspace gives the same file.
    again = tmp_path / "again.lrworkspace.json"
    assert fresh.files.save_workspace(str(again))
    assert json.loads(again.read_text()) == data


def test_a_followed_log_is_followed_again(qtbot, tmp_path, design, log_csv):
    window = make_window(qtbot)
    window.doc.replace(design)
    window.log_editor.open(str(log_csv), pick=lambda p, runs, w: [(runs[0].name, "val_loss")])
    settle(window, qtbot)
    layer = next(layer for layer in window.layers if layer.kind == "log")
    window.log_editor.set_follow(layer, True)
    ws_path = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws_path))
    window.log_editor.stop_all()
    window.close()
    fresh = make_window(qtbot)
    assert fresh.files.open_path(str(ws_path))
    settle(fresh, qtbot)
    layer = next(layer for layer in fresh.layers if layer.kind == "log")
    assert layer.follow and layer.path in fresh.log_editor.followers
    fresh.log_editor.stop_all()


def test_a_version_1_workspace_still_opens(qtbot, tmp_path):
    path = tmp_path / "old.lrworkspace.json"
    path.write_text(
        json.dumps(
            {
                "format": "lrdesigner.workspace",
                "version": 1,
                "design": {
                    "format": "lrdesigner.design",
                    "version": 1,
                    "name": "old",
                    "segments": [
                        {"shape": "linear", "steps": 100, "lr_start": 0.0, "lr_end": 0.001},
                        {"shape": "constant", "steps": 900, "lr_start": 0.001, "lr_end": 0.001},
                    ],
                },
                "design_path": None,
                "layers": [
                    {
                        "kind": "compare",
                        "name": "noam",
                        "color": "#e69f00",
                        "visible": True,
                        "line": "dash",
                        "source": {"preset": "noam", "params": {"warmup_steps": 50}},
                    }
                ],
                "view": {"log_scale": True, "epochs": False, "dark": False},
            }
        )
    )
    window = make_window(qtbot)
    assert window.files.open_path(str(path))
    assert window.doc.design.name == "old" and window.doc.design.total_steps == 1000
    assert [(layer.kind, layer.name, layer.line) for layer in window.layers.comparisons()] == [
        ("compare", "noam", "dash")
    ]
    assert window.canvas.log_y
    # A workspace with nothing version 2 adds is still written as version 1 (older readers open it).
    again = tmp_path / "again.lrworkspace.json"
    assert window.files.save_workspace(str(again))
    assert json.loads(again.read_text())["version"] == 1


def test_a_log_that_is_gone_is_named_and_the_rest_opens(qtbot, tmp_path, design, log_csv):
    window = make_window(qtbot)
    open_log_with_offset_smoothing_and_plateau(window, qtbot, design, log_csv)
    ws_path = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws_path))
    window.close()
    log_csv.unlink()

    fresh = make_window(qtbot)
    assert fresh.files.open_path(str(ws_path))
    settle(fresh, qtbot)
    assert fresh.doc.design == design
    kinds = [layer.kind for layer in list(fresh.layers)[1:]]
    assert kinds == ["compare", "missing", "missing", "missing", "missing"]  # noam, 3 logs, the plateau
    assert all(str(log_csv) in layer.problem for layer in list(fresh.layers)[2:])
    message = fresh.statusBar().currentMessage()
    assert str(log_csv) in message and "gone" in message
    # Saved again, the missing log keeps its place in the file (it may come back).
    again = tmp_path / "again.lrworkspace.json"
    assert fresh.files.save_workspace(str(again))
    assert json.loads(again.read_text())["layers"] == json.loads(ws_path.read_text())["layers"]


@pytest.mark.parametrize(
    "mutate, place",
    [
        (lambda log, plateau: log.update(offset="1; import os"), "$.layers[1].offset"),
        (lambda log, plateau: log.update(follow="yes"), "$.layers[1].follow"),
        (lambda log, plateau: log.update(command="rm -rf /"), "unknown key"),
        (lambda log, plateau: log.update(file=7), "$.layers[1].file"),
        (lambda log, plateau: plateau["policy"].update(factor=3), "$.layers[4].policy.factor"),
        (lambda log, plateau: plateau.update(design={}), "unknown key"),
        (lambda log, plateau: plateau["series"].update(offset=True), "$.layers[4].series.offset"),
    ],
)
def test_a_corrupt_entry_is_refused_with_its_place_and_the_window_is_unchanged(
    qtbot, tmp_path, design, log_csv, mutate, place
):
    window = make_window(qtbot)
    open_log_with_offset_smoothing_and_plateau(window, qtbot, design, log_csv)
    ws_path = tmp_path / "w.lrworkspace.json"
    assert window.files.save_workspace(str(ws_path))
    data = json.loads(ws_path.read_text())
    assert [entry["kind"] for entry in data["layers"]] == ["compare", "log", "log", "log", "plateau"]
    mutate(data["layers"][1], data["layers"][4])
    ws_path.write_text(json.dumps(data))
    window.editor.split_at(4000)
    before = (window.doc.design, [layer.id for layer in window.layers], layers_seen(window))
    assert not window.files.open_path(str(ws_path))
    assert (window.doc.design, [layer.id for layer in window.layers], layers_seen(window)) == before
    message = window.statusBar().currentMessage()
    assert str(ws_path) in message and place in message, message


@pytest.mark.parametrize(
    "entry, place",
    [
        ({"kind": "log", "file": "m.csv", "run": "r", "tag": "t"}, "$.layers[0].kind"),  # not in version 1
        ({"kind": "plateau"}, "$.layers[0].kind"),
    ],
)
def test_version_1_has_no_log_layers(tmp_path, entry, place):
    from lrdesigner.schedule import designfile

    path = tmp_path / "w.json"
    data = {
        "format": "lrdesigner.workspace",
        "version": 1,
        "design": designfile.to_dict(default_design()),
        "layers": [entry],
    }
    path.write_text(json.dumps(data))
    with pytest.raises(DesignError, match=place.replace("[", r"\[").replace("]", r"\]").replace("$", r"\$")):
        workspace.load(path)


def test_a_smoothing_that_is_not_a_weight_is_refused(tmp_path):
    ws = workspace.Workspace(default_design(), view={"smoothing": 0.5})
    path = tmp_path / "w.json"
    workspace.save(ws, path)
    data = json.loads(path.read_text())
    assert data["version"] == 2 and workspace.load(path).view["smoothing"] == 0.5
    data["view"]["smoothing"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(DesignError, match=r"\$\.view\.smoothing"):
        workspace.load(path)


def test_plateau_spec_round_trips_its_policy(tmp_path, log_csv):
    ref = workspace.SeriesRef(str(log_csv), "metrics", "val_loss", 300)
    policy = PlateauPolicy(monitor="val_loss", patience=3, factor=0.5)
    spec = workspace.PlateauSpec("cuts", ref, policy, "#123456")
    path = tmp_path / "w.json"
    workspace.save(workspace.Workspace(default_design(), layers=[spec]), path)
    back = workspace.load(path).layers[0]
    assert back.series == ref and back.policy == policy

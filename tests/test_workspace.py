"""The workspace file: round trip, a missing referenced file, and hostile or corrupt files."""

import json

import pytest
from lrdesigner import workspace
from lrdesigner.schedule import designfile
from lrdesigner.schedule.defaults import default_design
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.presets import get_preset


def _workspace(tmp_path):
    other = get_preset("hf.linear").build()
    designfile.save(other, tmp_path / "linear.json")
    layers = [
        workspace.LayerSpec(
            "noam", {"preset": "noam", "params": {"warmup_steps": 2000}}, "#e69f00", True, "dash"
        ),
        workspace.LayerSpec("linear", {"file": str(tmp_path / "linear.json")}, "#009e73", False, "solid"),
        workspace.LayerSpec("v1", {"design": designfile.to_dict(default_design())}, "#cc79a7", True, "dot"),
    ]
    return workspace.Workspace(default_design(), str(tmp_path / "d.json"), layers, {"log_scale": True})


def test_round_trip(tmp_path):
    ws = _workspace(tmp_path)
    path = tmp_path / "w.lrworkspace.json"
    workspace.save(ws, path)
    data = json.loads(path.read_text())
    assert data["format"] == "lrdesigner.workspace" and data["version"] == 1
    assert data["layers"][1]["source"] == {"file": "linear.json"}  # relative beside the workspace
    back = workspace.load(path)
    assert back.design == ws.design and back.view["log_scale"] is True
    assert [s.name for s in back.layers] == ["noam", "linear", "v1"]
    assert back.layers[0].design == get_preset("noam").build(warmup_steps=2000)
    assert back.layers[1].design == get_preset("hf.linear").build() and not back.layers[1].visible
    assert back.layers[2].design == default_design() and back.layers[2].line == "dot"
    assert workspace.looks_like_workspace(path) and not workspace.looks_like_workspace(tmp_path / "linear.json")


def test_missing_referenced_file_is_a_missing_layer(tmp_path):
    path = tmp_path / "w.json"
    workspace.save(_workspace(tmp_path), path)
    (tmp_path / "linear.json").unlink()
    back = workspace.load(path)
    assert back.layers[1].design is None and "missing file" in back.layers[1].problem
    assert back.layers[0].design is not None


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d.update(version=7), "$.version"),
        (lambda d: d.update(format="lrdesigner.design"), "$.format"),
        (lambda d: d["layers"][0]["source"].update(preset="__import__('os').system('x')"), "$.layers[0]"),
        (lambda d: d["layers"][0]["source"]["params"].update(warmup_steps="1; rm -rf /"), "$.layers[0]"),
        (lambda d: d["layers"][0].update(color="red; background: url(x)"), "$.layers[0].color"),
        (lambda d: d["design"]["segments"][0].update(steps=-3), "$.design"),
        (lambda d: d.update(extra=1), "unknown key"),
        (lambda d: d["view"].update(dark="yes"), "$.view"),
    ],
)
def test_hostile_or_corrupt_workspaces_are_refused_with_the_place(tmp_path, mutate, expected):
    path = tmp_path / "w.json"
    workspace.save(_workspace(tmp_path), path)
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))
    with pytest.raises(DesignError) as err:
        workspace.load(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_not_json(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{"format": "lrdesigner.workspace", ')
    with pytest.raises(DesignError, match="line 1"):
        workspace.load(path)

"""The state dump: what is on screen, for scripts that drive the window."""

import json
import os
import subprocess
import sys

from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset
from lrdesigner.ui.state import window_state
from PySide6.QtCore import QPoint

from .helpers import drag_pixels


def test_state_command_writes_what_is_on_screen(tmp_path):
    design = get_preset("noam").build(total_steps=50000).replace(steps_per_epoch=1000)
    path = tmp_path / "noam.json"
    designfile.save(design, path)
    out_json, png = tmp_path / "state.json", tmp_path / "shot.png"
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "lrdesigner.cli",
            "gui",
            str(path),
            "--state",
            str(out_json),
            "--screenshot",
            str(png),
            "--size",
            "1000x700",
            "--log-scale",
            "--epochs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    state = json.loads(out_json.read_text())
    assert state["version"] == 1 and state["format"] == "lrdesigner.state"
    assert (state["window"]["width"], state["window"]["height"]) == (1000, 700)
    assert [layer["kind"] for layer in state["layers"]] == ["design"]
    assert state["layers"][0]["points"] >= 2 and state["layers"][0]["axis"] == "lr"
    assert [k["step"] for k in state["knots"]] == [k.step for k in design.knots]
    xs = [k["x"] for k in state["knots"]]
    assert xs == sorted(xs) and all(0 < x < 1000 for x in xs)
    assert state["x_axis"]["unit"] == "epoch" and state["x_axis"]["range"][1] > 50  # 50 epochs shown
    assert state["y_axis"]["scale"] == "log"
    lo, hi = state["y_axis"]["range"]
    assert 0 < lo < design.lr_at(1) < hi and 1e-4 < hi < 1e-2  # LR units even on a log axis
    assert state["metrics"][0]["peak LR"] and state["undo"] == {"texts": [], "index": 0, "clean": True}
    assert state["advice"] and {"severity", "message", "step"} <= set(state["advice"][0])


def test_state_knot_positions_are_where_the_mouse_grabs_them(window):
    state = window_state(window)
    knot = state["knots"][1]
    canvas = window.canvas
    start = canvas.mapFrom(window, QPoint(knot["x"], knot["y"]))
    drag_pixels(canvas, start, start + QPoint(40, 0))
    assert window.doc.design.starts[1] > knot["step"]
    after = window_state(window)
    assert after["knots"][1]["x"] - knot["x"] in (39, 40, 41)
    assert after["undo"]["texts"] == ["Move knot 1"] and after["undo"]["index"] == 1
    assert after["title"].startswith("Warmup + cosine (unsaved)*")

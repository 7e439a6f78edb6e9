"""Starting the window: no ML framework imported, and the screenshot command a user runs."""

import os
import subprocess
import sys

from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset

START = """
import sys, time
t = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from lrdesigner.ui.main_window import MainWindow
w = MainWindow(check_recovery=False)
w.show()
app.processEvents()
heavy = sorted(m for m in ("tensorflow", "torch", "jax", "keras", "pandas") if m in sys.modules)
print(heavy)
"""


def launch(script: str, home) -> subprocess.CompletedProcess:
    """Run `script` in a fresh interpreter, offscreen, with `home` as the user's home and config."""
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "XDG_CONFIG_HOME": str(home),
            "HOME": str(home),
        },
    )


def test_window_starts_without_ml_frameworks(tmp_path):
    out = launch(START, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_screenshot_command(tmp_path):
    design = get_preset("torch.CyclicLR").build(total_steps=20000, step_size_up=1000, mode="triangular2")
    path = tmp_path / "cyclic.json"
    designfile.save(design, path)
    png = tmp_path / "shot.png"
    isolated = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}  # settings
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lrdesigner.cli",
            "gui",
            str(path),
            "--screenshot",
            str(png),
            "--size",
            "900x600",
            "--dark",
            "--log-scale",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=isolated,
    )
    assert out.returncode == 0, out.stderr
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert (img.width(), img.height()) == (900, 600)
    dark = img.pixelColor(450, 300)  # the plot area's background is dark
    assert dark.lightness() < 80
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lrdesigner.cli",
            "gui",
            str(tmp_path / "missing.json"),
            "--screenshot",
            str(png),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=isolated,
    )
    assert out.returncode == 2 and "missing.json" in out.stderr and len(out.stderr.strip().splitlines()) == 1


FIRST_FRAME = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from lrdesigner.ui.main_window import MainWindow
from lrdesigner.ui.plot.lines import simplifier_loaded
w = MainWindow(check_recovery=False)
w.show()
app.processEvents()
w.canvas.viewport().repaint()
item = w.canvas.items[w.layers.design_layer.id]
print("shapely" in sys.modules, item.vertices)
for _ in range(500):
    if simplifier_loaded():
        break
    app.processEvents()
app.processEvents()
print(simplifier_loaded(), item.vertices)
"""


def test_the_first_frame_is_painted_before_the_simplifier_loads(tmp_path):
    """shapely is not imported before the window's first frame; it loads right after, and the
    curves are drawn with it."""
    out = launch(FIRST_FRAME, tmp_path)
    assert out.returncode == 0, out.stderr
    first, settled = (line.split() for line in out.stdout.strip().splitlines()[-2:])
    assert first[0] == "False" and settled[0] == "True"
    assert int(settled[1]) < int(first[1]) // 5  # simplified: a fraction of the first frame's vertices


COLLECTION = """
import gc, sys
from lrdesigner.ui.app import open_window
assert open_window("/no/such/design.json") == 2 and gc.isenabled()  # no window: collecting again
app, w = open_window()
print(gc.isenabled())  # paused while the window was built
app.processEvents()  # the first frame
print(gc.isenabled(), gc.get_freeze_count() > 10_000)
w.doc.mark_saved(w.doc.path)
"""


def test_the_collector_pauses_while_the_window_starts_and_resumes_after_its_first_frame(tmp_path):
    out = launch(COLLECTION, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "True"]

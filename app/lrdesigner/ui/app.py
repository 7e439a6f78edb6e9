"""Starting the window (and rendering it offscreen for screenshots)."""

from __future__ import annotations

import os
import sys


def run(
    design_path: str | None = None,
    screenshot: str | None = None,
    size: str = "1280x800",
    log_scale: bool = False,
    dark: bool = False,
    epochs: bool = False,
) -> int:
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..schedule import designfile
    from ..schedule.errors import DesignError
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("LR Designer")
    app.setStyle("Fusion")
    design = None
    if design_path:
        try:
            design = designfile.load(design_path)
        except (DesignError, OSError) as exc:
            print(f"lrdesigner gui: error: {exc}", file=sys.stderr)
            return 2
    window = MainWindow(
        design, os.path.abspath(design_path) if design_path else "", check_recovery=not screenshot
    )
    if screenshot:
        w, _, h = size.partition("x")
        window.resize(int(w), int(h))
    window.set_dark(dark)
    if log_scale:
        window.log_action.setChecked(True)
    if epochs and window.epoch_action.isEnabled():
        window.epoch_action.setChecked(True)
    window.show()
    if screenshot:
        app.processEvents()
        window.canvas.fit()
        app.processEvents()
        ok = window.grab().save(screenshot)
        window.doc.stack.setClean()
        window.close()
        return 0 if ok else 1
    return app.exec()

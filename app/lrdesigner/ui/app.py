"""Starting the window, rendering it offscreen for screenshots, and the state dump."""

from __future__ import annotations

import json
import os
import sys


def run(
    design_path: str | None = None,
    screenshot: str | None = None,
    size: str = "1280x800",
    log_scale: bool = False,
    dark: bool = False,
    epochs: bool = False,
    state: str | None = None,
    compare: list[str] | None = None,
) -> int:
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..schedule import designfile
    from ..schedule.errors import DesignError
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("LR Designer")
    app.setOrganizationName("lrdesigner")
    app.setStyle("Fusion")
    from .. import workspace
    from ..compare_cli import resolve

    design = None
    ws = False
    try:
        if design_path and workspace.looks_like_workspace(design_path):
            workspace.load(design_path)  # a bad workspace is refused before a window opens
            ws = True
        elif design_path:
            design = designfile.load(design_path)
    except (DesignError, OSError) as exc:
        print(f"lrdesigner gui: error: {exc}", file=sys.stderr)
        return 2
    scripted = bool(screenshot or state)
    window = MainWindow(design, os.path.abspath(design_path) if design else "", check_recovery=not scripted)
    if ws:
        window.open_workspace(design_path)
    for spec in compare or []:
        try:
            name, other, source = resolve(spec, window.doc.design)
        except DesignError as exc:
            print(f"lrdesigner gui: error: --compare {spec}: {exc}", file=sys.stderr)
            return 2
        window.layer_editor.add_design(other, source, name)
    if screenshot or state:
        w, _, h = size.partition("x")
        window.resize(int(w), int(h))
    # Flags given on the command line apply to this window only (they are not remembered).
    for key, on in (("log_scale", log_scale), ("dark", dark), ("epochs", epochs)):
        if on:
            window.view.set(key, True, remember=False)
    window.show()
    if scripted:
        app.processEvents()
        window.canvas.fit()
        app.processEvents()
    if state:
        from .state import window_state

        try:
            with open(state, "w", encoding="utf-8") as f:
                json.dump(window_state(window), f, indent=1)
        except OSError as exc:
            print(f"lrdesigner gui: error: {state}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if screenshot:
        ok = window.grab().save(screenshot)
        window.doc.stack.setClean()
        window.close()
        return 0 if ok else 1
    return app.exec()

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
    logs: dict | None = None,
    example: bool = False,
) -> int:
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .system_libraries import check_before_start

    problem = check_before_start()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from ..schedule import designfile
    from ..schedule.errors import DesignError
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("LR Designer")
    app.setOrganizationName("lrdesigner")
    app.setStyle("Fusion")
    from .icon import app_icon

    app.setWindowIcon(app_icon())
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
        window.files.open_workspace(design_path)
    if example:
        from .. import resources

        if not (logs and logs.get("paths")):
            logs = {
                "paths": [str(resources.example_logs())],
                "tags": [],
                "run": None,
                "smooth": None,
                "plateau_on": None,
            }
        if not window.files.open_example_design():
            print(
                f"lrdesigner gui: error: the example is not installed ({resources.example_run()})",
                file=sys.stderr,
            )
            return 2
    for spec in compare or []:
        try:
            name, other, source = resolve(spec, window.doc.design)
        except DesignError as exc:
            print(f"lrdesigner gui: error: --compare {spec}: {exc}", file=sys.stderr)
            return 2
        window.layer_editor.add_design(other, source, name)
    if logs and logs.get("paths"):
        code = _open_logs(app, window, logs)
        if code:
            return code
    if screenshot or state:
        w, _, h = size.partition("x")
        window.resize(int(w), int(h))
    # Flags given on the command line apply to this window only (they are not remembered).
    for key, on in (("log_scale", log_scale), ("dark", dark), ("epochs", epochs)):
        if on:
            window.view.set(key, True, remember=False)
    window.show()
    if scripted:
        from .plot.lines import load_simplifier

        load_simplifier()  # a screenshot or state dump shows the curves as the window draws them
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
        window.doc.mark_saved(window.doc.path)  # closing without a save question
        window.close()
        return 0 if ok else 1
    return app.exec()


def _open_logs(app, window, logs: dict) -> int:
    """Read each --log (in the window's worker, waiting for it), draw the asked series."""
    from ..logs.advice import is_loss_tag
    from ..logs.alignment import is_lr_tag
    from .model.layers import LogLayer

    failures: list[str] = []

    def pick(path, runs, warnings):
        pairs = []
        for run in runs:
            if logs.get("run") and run.name != logs["run"]:
                continue
            for tag, series in run.series.items():
                wanted = tag in logs["tags"] if logs.get("tags") else (is_lr_tag(tag) or is_loss_tag(tag))
                wanted = wanted or tag == logs.get("plateau_on")
                if wanted and len(series):
                    pairs.append((run.name, tag))
        return pairs

    import os as _os

    os_env = _os.environ.get("LRDESIGNER_NO_DIALOGS")
    _os.environ["LRDESIGNER_NO_DIALOGS"] = "1"
    try:
        for path in logs["paths"]:
            before = len(window.log_editor.failures)
            reader = window.log_editor.open(path, pick=pick)
            while not reader.wait(0.02):
                app.processEvents()
            failures += window.log_editor.failures[before:]
    finally:
        if os_env is None:
            _os.environ.pop("LRDESIGNER_NO_DIALOGS", None)
    if failures:
        print(f"lrdesigner gui: error: {failures[0]}", file=sys.stderr)
        return 2
    if logs.get("smooth") is not None:
        window.view.set_smoothing(logs["smooth"], remember=False)
    if logs.get("plateau_on"):
        target = next(
            (
                layer
                for layer in window.layers
                if isinstance(layer, LogLayer) and logs["plateau_on"] in (layer.series.tag, layer.name)
            ),
            None,
        )
        if target is None:
            print(
                f"lrdesigner gui: error: --plateau-on: no drawn series {logs['plateau_on']!r}", file=sys.stderr
            )
            return 2
        window.log_editor.simulate_plateau(target)
    window.canvas.fit()
    return 0

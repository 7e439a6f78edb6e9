"""Starting the window, rendering it offscreen for screenshots, and the state dump."""

from __future__ import annotations

import gc
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
    scripted = bool(screenshot or state)
    flags = {"log_scale": log_scale, "dark": dark, "epochs": epochs}
    try:
        opened = open_window(design_path, size if scripted else None, flags, compare, logs, example)
        if isinstance(opened, int):
            return opened
        app, window = opened
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
    finally:
        if not gc.isenabled():
            gc.enable()


def open_window(
    design_path: str | None = None,
    size: str | None = None,
    flags: dict[str, bool] | None = None,
    compare: list[str] | None = None,
    logs: dict | None = None,
    example: bool = False,
):
    """(QApplication, MainWindow): the application started and its window shown (`size` for a
    screenshot or state dump, which also skip the recovery question), with the design,
    comparisons, logs and view `flags` asked for; the event loop not yet run. An exit code
    instead when it cannot open.

    Python's cyclic garbage collector is paused from here until the window's first frame:
    start-up allocates a great deal and frees little, and the collections scanning it took about
    an eighth of the time to a shown window."""
    gc.disable()
    try:
        opened = _open(design_path, size, flags, compare, logs, example)
    except BaseException:
        gc.enable()
        raise
    if isinstance(opened, int):
        gc.enable()  # no window: nothing to wait for
    return opened


def _open(design_path, size, flags, compare, logs, example):
    scripted = size is not None
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

    design = None
    ws = False
    try:
        if design_path:
            from .. import workspace

            if workspace.looks_like_workspace(design_path):
                workspace.load(design_path)  # a bad workspace is refused before a window opens
                ws = True
            else:
                design = designfile.load(design_path)
    except (DesignError, OSError) as exc:
        print(f"lrdesigner gui: error: {exc}", file=sys.stderr)
        return 2
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
    if compare:
        from ..compare_cli import resolve

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
    if size is not None:
        w, _, h = size.partition("x")
        window.resize(int(w), int(h))
    # Flags given on the command line apply to this window only (they are not remembered).
    for key, on in (flags or {}).items():
        if on:
            window.view.set(key, True, remember=False)
    from PySide6.QtCore import QTimer

    window.show()
    QTimer.singleShot(0, _resume_collection)
    return app, window


def _resume_collection() -> None:
    """After the window's first frame: what start-up built is set aside for good (frozen out of
    later collections, which then scan only what the session makes), and collection resumes."""
    gc.freeze()
    gc.enable()


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

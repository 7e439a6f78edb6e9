"""Every action has a stable id (its objectName), its shortcut from the one table, and does its job."""

import os

import pytest
from lrdesigner.ui.actions import ACTIONS, SPECS
from PySide6.QtGui import QAction, QKeySequence

REQUIRED = (
    "file.new",
    "file.new_from_preset",
    "file.open",
    "file.save",
    "file.save_as",
    "edit.undo",
    "edit.redo",
    "edit.delete",
    "edit.split",
    "edit.set_exact",
    "view.log_scale",
    "view.epochs",
    "view.fit",
    "view.dark",
)


def test_required_ids_exist_once_with_unique_shortcuts():
    ids = [spec.id for spec in ACTIONS]
    assert len(ids) == len(set(ids)) and set(REQUIRED) <= set(ids)
    keys = [QKeySequence(s).toString() for spec in ACTIONS for s in spec.shortcuts]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("spec", ACTIONS, ids=lambda s: s.id)
def test_action_is_in_the_window_with_its_shortcut(window, spec):
    action = window.findChild(QAction, spec.id)
    assert action is not None and action is window.actions[spec.id]
    assert [k.toString() for k in action.shortcuts()] == [QKeySequence(s).toString() for s in spec.shortcuts]

    def walk(menu):
        for a in menu.actions():
            yield a
            if a.menu() is not None:
                yield from walk(a.menu())

    in_menus = [a for m in window.menuBar().actions() if m.menu() for a in walk(m.menu())]
    assert action in in_menus


def _effects(window, monkeypatch, tmp_path):
    """What triggering each action does, checked on the window."""
    from lrdesigner.schedule.defaults import default_design

    w = window
    from lrdesigner.schedule import designfile
    from lrdesigner.schedule.presets import get_preset

    designfile.save(get_preset("hf.linear").build(), tmp_path / "linear.json")
    monkeypatch.setattr(w.files, "ask_open_path", lambda: str(tmp_path / "linear.json"))
    monkeypatch.setattr(w.files, "ask_save_path", lambda: str(tmp_path / "saved.json"))
    from lrdesigner.ui.dialogs.preset import PresetDialog

    monkeypatch.setattr(PresetDialog, "exec", lambda self: (self.try_accept(), True)[1])
    from lrdesigner import workspace
    from PySide6.QtGui import QColor, QGuiApplication
    from PySide6.QtWidgets import QColorDialog, QFileDialog

    ws = tmp_path / "w.lrworkspace.json"
    workspace.save(
        workspace.Workspace(
            default_design(), "", [workspace.LayerSpec("noam", {"preset": "noam", "params": {}})], {}
        ),
        ws,
    )
    opened, saved = [str(ws)], [str(tmp_path / "out.lrworkspace.json")]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (opened[0], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (saved[0], "")))
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a, **k: QColor("#123456")))
    monkeypatch.setattr(
        w.layer_editor, "ask_preset", lambda *a, **k: ("noam", {"warmup_steps": 1234, "total_steps": 100000})
    )
    clip = QGuiApplication.clipboard()
    clip.clear()

    log_csv = tmp_path / "metrics.csv"
    log_csv.write_text(
        "step,train_loss,val_loss\n"
        + "".join(
            f"{s},{2.0 / (1 + s / 1000):.6f},{1.0 + (0.5 if s > 40000 else -s / 100000):.6f}\n"
            for s in range(1000, 90001, 1000)
        )
    )
    w.log_editor.pick = lambda path, runs, warnings: [(r.name, t) for r in runs for t in r.series]

    def wait_logs():
        for reader in list(w.log_editor.readers):
            reader.wait(30)
        QGuiApplication.processEvents()
        return True

    def log_layers():
        return [layer for layer in w.layers if layer.kind == "log"]

    def one_log():
        from lrdesigner.logs import read

        w.log_editor.add_series(
            str(log_csv), read(str(log_csv)), [(r.name, "val_loss") for r in read(str(log_csv))]
        )
        w.layers.set_current(log_layers()[0])

    def one_lr_log():
        from lrdesigner.logs import read

        path = tmp_path / "lr.csv"
        path.write_text("step,lr\n" + "".join(f"{s},{1e-3 * (1 - s / 5000)!r}\n" for s in range(0, 5000, 50)))
        runs = read(str(path))
        w.log_editor.add_series(str(path), runs, [(runs[0].name, "lr")])
        w.layers.set_current(log_layers()[-1])

    def wait_fits():
        for fitter in list(w.log_fit.fitters):
            fitter.wait(60)
        for _ in range(3):
            QGuiApplication.processEvents()
        return True

    def two_layers():
        first = w.layer_editor.add_preset("noam")
        w.layer_editor.add_preset("hf.linear")
        w.layers.set_current(first)
        return first

    def compare_names():
        return [layer.name for layer in w.layers][1:]

    def set_file(value, slot=opened):
        slot[0] = str(value)

    return {
        "file.new": (lambda: w.editor.split_at(30000), lambda: w.doc.design == default_design()),
        "file.new_from_preset": (None, lambda: w.doc.design.name.lower().startswith("noam")),
        "file.open": (None, lambda: w.doc.path == str(tmp_path / "linear.json")),
        "file.save": (lambda: w.editor.split_at(30000), lambda: (tmp_path / "saved.json").exists()),
        "file.save_as": (None, lambda: (tmp_path / "saved.json").exists() and not w.isWindowModified()),
        "file.quit": (None, lambda: not w.isVisible()),
        "edit.undo": (lambda: w.editor.split_at(30000), lambda: len(w.doc.design.segments) == 2),
        "edit.redo": (
            lambda: (w.editor.split_at(30000), w.history.undo()),
            lambda: len(w.doc.design.segments) == 3,
        ),
        "edit.delete": (lambda: w.editor.selection.select_knot(1), lambda: len(w.doc.design.segments) == 1),
        "edit.split": (
            lambda: w.editor.selection.select_knot(1),
            lambda: w.doc.design.starts == (0, 8000, 54000),
        ),
        "edit.set_exact": (
            lambda: w.editor.selection.select_knot(1),
            lambda: w.editor.dialog is not None and w.editor.dialog.isVisible(),
        ),
        "edit.change_shape": (
            lambda: w.editor.selection.select_knot(1),
            lambda: w.editor.menu is not None and w.editor.menu.isVisible(),
        ),
        "edit.next_knot": (None, lambda: w.editor.selection.knot == 0),
        "edit.previous_knot": (lambda: w.editor.selection.select_knot(2), lambda: w.editor.selection.knot == 1),
        "edit.context_menu": (None, lambda: w.editor.menu is not None and w.editor.menu.isVisible()),
        "view.log_scale": (None, lambda: w.canvas.log_y),
        "view.epochs": (
            lambda: w.editor.set_property("steps_per_epoch", "100"),
            lambda: w.canvas.step_axis.steps_per_epoch == 100,
        ),
        "view.fit": (
            lambda: w.canvas.plotItem.vb.setXRange(0, 10),
            lambda: w.canvas.plotItem.vb.viewRange()[0][1] > 100000,
        ),
        "view.zoom_in": (None, lambda: w.canvas.plotItem.vb.viewRange()[0][1] < 80000),
        "view.zoom_out": (None, lambda: w.canvas.plotItem.vb.viewRange()[0][1] > 120000),
        "view.dark": (None, lambda: w.view.dark and w.canvas.dark),
        "view.legend.auto": (lambda: w.view.set("legend", "hidden"), lambda: w.view.legend == "auto"),
        **{
            f"view.legend.{place}": (
                two_layers,
                lambda place=place: w.view.legend == place and w.canvas.legend_place == place,
            )
            for place in ("top-left", "top-right", "bottom-left", "bottom-right")
        },
        "view.legend.hidden": (None, lambda: w.view.legend == "hidden" and not w.canvas.legend.isVisible()),
        "help.shortcuts": (
            None,
            lambda: (
                w.help.dialog is not None
                and w.help.dialog.isVisible()
                and "Ctrl+Z" in w.help.dialog.text()
                and "Shift+drag" in w.help.dialog.text()
            ),
        ),
        "help.formats": (
            None,
            lambda: (
                w.help.dialog is not None
                and "trainer_state.json" in w.help.dialog.text()
                and "tfevents" in w.help.dialog.text()
            ),
        ),
        "help.about": (
            None,
            lambda: w.help.dialog is not None and "Event-file reader" in w.help.dialog.text(),
        ),
        "view.difference": (two_layers, lambda: w.canvas.diff_axis.isVisible()),
        "file.open_workspace": (None, lambda: compare_names() == ["noam"]),
        "file.save_workspace": (None, lambda: os.path.isfile(saved[0])),
        "file.export_plot": (lambda: set_file(tmp_path / "p.png", saved), lambda: os.path.isfile(saved[0])),
        "file.copy_plot": (None, lambda: not clip.image().isNull()),
        "layers.add_preset": (None, lambda: compare_names() == ["noam"]),
        "layers.add_file": (lambda: set_file(tmp_path / "linear.json"), lambda: len(compare_names()) == 1),
        "layers.add_snapshot": (None, lambda: compare_names() == ["Warmup + cosine (version 1)"]),
        "layers.remove": (two_layers, lambda: compare_names() == ["hf.linear"]),
        "layers.move_up": (
            lambda: (two_layers(), w.layers.set_current(w.layers[2])),
            lambda: compare_names() == ["hf.linear", "noam"],
        ),
        "layers.move_down": (two_layers, lambda: compare_names() == ["hf.linear", "noam"]),
        "layers.color": (two_layers, lambda: w.layers[1].color == "#123456"),
        "layers.line_style": (two_layers, lambda: w.layers[1].line == "dash"),
        "layers.edit_params": (two_layers, lambda: w.layers[1].design.starts[1] == 1234),
        "layers.make_design": (two_layers, lambda: w.doc.design.name == "noam"),
        "logs.open_file": (lambda: set_file(log_csv), lambda: wait_logs() and len(log_layers()) == 2),
        "logs.open_folder": (
            lambda: monkeypatch.setattr(
                QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path))
            ),
            lambda: wait_logs() and len(log_layers()) >= 2,
        ),
        "logs.follow": (
            one_log,
            lambda: log_layers()[0].follow and log_layers()[0].path in w.log_editor.followers,
        ),
        "logs.make_design": (
            one_lr_log,
            lambda: wait_fits() and w.history.undoText() == f"Make a design from {log_layers()[-1].name!r}",
        ),
        "logs.plateau": (one_log, lambda: [layer.kind for layer in w.layers][-1] == "plateau"),
        "file.open_example": (
            None,
            lambda: wait_logs() and w.doc.design.name.startswith("Noam") and len(log_layers()) >= 4,
        ),
        "export.code": (None, lambda: w.exporter.dialog is not None and w.exporter.dialog.isVisible()),
        "metrics.copy_csv": (None, lambda: clip.text().startswith("layer,peak LR")),
        "metrics.copy_markdown": (None, lambda: clip.text().startswith("| layer | peak LR")),
    }


@pytest.mark.parametrize("spec", ACTIONS, ids=lambda s: s.id)
def test_action_triggers(window, monkeypatch, tmp_path, spec):
    effects = _effects(window, monkeypatch, tmp_path)
    assert set(effects) == set(SPECS)
    setup, check = effects[spec.id]
    if setup:
        setup()
    assert not check()  # the effect is not there before
    window.actions[spec.id].trigger()
    assert check()

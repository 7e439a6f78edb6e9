"""The window's menus: every action connected to what it does, and the menu bar built from them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from .panels.side import tool_button


class MenusMixin:
    """Menus of the MainWindow (it provides actions, editors, canvas, panel and the file methods)."""

    def _slots(self) -> dict:
        e = self.editor
        return {
            "file.new": self.new,
            "file.new_from_preset": self.new_from_preset,
            "file.open": self.open_dialog,
            "file.save": self.save,
            "file.save_as": self.save_as,
            "file.quit": self.close,
            "edit.undo": self.undo,
            "edit.redo": self.doc.stack.redo,
            "edit.delete": e.delete_selected,
            "edit.split": e.split_selected,
            "edit.set_exact": lambda: self.set_exact(),
            "edit.change_shape": lambda: self.shape_menu(),
            "edit.next_knot": lambda: (e.selection.step(1), self.canvas.setFocus()),
            "edit.previous_knot": lambda: (e.selection.step(-1), self.canvas.setFocus()),
            "edit.context_menu": self.menu_at_selection,
            "view.log_scale": lambda on: self.view.set("log_scale", on),
            "view.epochs": lambda on: self.view.set("epochs", on),
            "view.fit": lambda: self.canvas.fit(),
            "view.zoom_in": lambda: self.canvas.plotItem.vb.scaleBy((0.5, 1)),
            "view.zoom_out": lambda: self.canvas.plotItem.vb.scaleBy((2, 1)),
            "view.dark": lambda on: self.view.set("dark", on),
            "view.difference": self._show_difference,
            "file.open_workspace": self.open_workspace_dialog,
            "file.open_example": self.open_example,
            "file.save_workspace": self.save_workspace_dialog,
            "file.export_plot": self.export_plot_dialog,
            "file.copy_plot": self.copy_plot,
            "export.code": self.export_code,
            "layers.add_preset": self.layer_editor.add_preset_dialog,
            "layers.add_file": self.layer_editor.add_file_dialog,
            "layers.add_snapshot": self.layer_editor.add_snapshot,
            "layers.remove": lambda: self.layer_editor.remove(self.panel.layers.current_layer()),
            "layers.move_up": lambda: self.layer_editor.move(self.panel.layers.current_layer(), -1),
            "layers.move_down": lambda: self.layer_editor.move(self.panel.layers.current_layer(), 1),
            "layers.color": lambda: self.layer_editor.pick_color(self.panel.layers.current_layer()),
            "layers.line_style": lambda: self.layer_editor.next_line(self.panel.layers.current_layer()),
            "layers.edit_params": lambda: self.layer_editor.edit_params(self.panel.layers.current_layer()),
            "layers.make_design": lambda: self.layer_editor.make_design(self.panel.layers.current_layer()),
            "logs.make_design": lambda: self.log_fit.make_design(self.panel.layers.current_layer()),
            "logs.open_file": lambda: self.log_editor.open_dialog(folder=False),
            "logs.open_folder": lambda: self.log_editor.open_dialog(folder=True),
            "logs.follow": lambda on: self.log_editor.set_follow(self.panel.layers.current_layer(), on),
            "logs.plateau": lambda: self.log_editor.simulate_plateau(self.panel.layers.current_layer()),
            "metrics.copy_csv": lambda: self.panel.metrics.copy("csv"),
            "metrics.copy_markdown": lambda: self.panel.metrics.copy("markdown"),
        }

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        m = bar.addMenu("&File")
        for key in ("file.new", "file.new_from_preset", "file.open"):
            m.addAction(a[key])
        self.recent_menu = m.addMenu("Open &recent")
        for key in (
            "file.save",
            "file.save_as",
            None,
            "file.open_example",
            "file.open_workspace",
            "file.save_workspace",
            None,
            "export.code",
            "file.export_plot",
            "file.copy_plot",
            None,
            "file.quit",
        ):
            m.addSeparator() if key is None else m.addAction(a[key])
        e = bar.addMenu("&Edit")
        for key in (
            "edit.undo",
            "edit.redo",
            None,
            "edit.split",
            "edit.delete",
            "edit.set_exact",
            "edit.change_shape",
            None,
            "edit.previous_knot",
            "edit.next_knot",
            "edit.context_menu",
        ):
            e.addSeparator() if key is None else e.addAction(a[key])
        v = bar.addMenu("&View")
        for key in ("view.log_scale", "view.epochs", "view.fit", "view.zoom_in", "view.zoom_out", "view.dark"):
            v.addAction(a[key])
        v.addAction(a["view.difference"])
        v.addAction(self.history_dock.toggleViewAction())
        layer_keys = (
            "layers.add_preset",
            "layers.add_file",
            "layers.add_snapshot",
            None,
            "layers.edit_params",
            "layers.make_design",
            "logs.make_design",
            "layers.color",
            "layers.line_style",
            "layers.move_up",
            "layers.move_down",
            "layers.remove",
            None,
            "metrics.copy_csv",
            "metrics.copy_markdown",
        )
        logs_menu = bar.addMenu("L&ogs")
        for key in (
            "logs.open_file",
            "logs.open_folder",
            None,
            "logs.follow",
            "logs.plateau",
            "logs.make_design",
        ):
            logs_menu.addSeparator() if key is None else logs_menu.addAction(a[key])
        logs_menu.setToolTipsVisible(True)  # why "Make a design from this log" is disabled
        lm = bar.addMenu("&Layers")
        lm.setToolTipsVisible(True)
        for key in layer_keys:
            lm.addSeparator() if key is None else lm.addAction(a[key])
        in_panel = layer_keys[: layer_keys.index("layers.remove") + 1]
        self.panel.layers.menu_actions = [None if k is None else a[k] for k in in_panel] + [
            None,
            a["view.difference"],
        ]
        add_menu = QMenu(self)
        for key in ("layers.add_preset", "layers.add_file", "layers.add_snapshot"):
            add_menu.addAction(a[key])
        buttons = self.panel.layer_buttons
        buttons.addWidget(tool_button(a["layers.add_preset"], add_menu))
        for key in ("layers.make_design", "layers.remove"):
            buttons.addWidget(tool_button(a[key]))
        buttons.addStretch(1)
        metrics_menu = self.panel.metrics
        metrics_menu.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        metrics_menu.addActions([a["metrics.copy_csv"], a["metrics.copy_markdown"]])
        self.recent_menu.aboutToShow.connect(self._refresh_recent)
        self._refresh_recent()

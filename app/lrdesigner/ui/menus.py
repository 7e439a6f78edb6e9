"""The menu bar, laid out from the controllers' actions (a table of ids; None draws a line)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenuBar

from .controllers.layers import LAYER_MENU

FILE_MENU = (
    "file.new", "file.new_from_preset", "file.open", "recent", "file.save", "file.save_as", None,
    "file.open_example", "file.open_workspace", "file.save_workspace", None,
    "export.code", "file.export_plot", "file.copy_plot", None, "file.quit",
)  # fmt: skip
EDIT_MENU = (
    "edit.undo", "edit.redo", None, "edit.split", "edit.delete", "edit.set_exact", "edit.change_shape", None,
    "edit.previous_knot", "edit.next_knot", "edit.context_menu",
)  # fmt: skip
VIEW_MENU = (
    "view.log_scale", "view.epochs", "view.fit", "view.zoom_in", "view.zoom_out", "view.dark",
    "view.difference", "legend", "history",
)  # fmt: skip
LOGS_MENU = ("logs.open_file", "logs.open_folder", None, "logs.follow", "logs.plateau", "logs.make_design")
HELP_MENU = ("help.shortcuts", "help.formats", None, "help.about")


def build(bar: QMenuBar, actions: dict, extra: dict) -> None:
    """File, Edit, View, Logs, Layers and Help; `extra` holds what is not an action of the table (the
    recent files menu, the History dock's toggle)."""
    for title, keys in (
        ("&File", FILE_MENU),
        ("&Edit", EDIT_MENU),
        ("&View", VIEW_MENU),
        ("L&ogs", LOGS_MENU),
        ("&Layers", LAYER_MENU),
        ("&Help", HELP_MENU),
    ):
        menu = bar.addMenu(title)
        menu.setToolTipsVisible(True)  # why "Make a design from this log" is disabled
        for key in keys:
            if key is None:
                menu.addSeparator()
            elif key in actions:
                menu.addAction(actions[key])
            elif hasattr(extra[key], "menuAction"):
                menu.addMenu(extra[key])
            else:
                menu.addAction(extra[key])

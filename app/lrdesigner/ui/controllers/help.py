"""The Help menu: the keyboard shortcuts (from the action table), the file formats (from the log
format and export target registries) and About (version, event-file reader, Qt)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from .. import actions
from .prompts import Prompts

#: What the mouse does on the plot.
GESTURES = (
    ("Move a knot", "drag it (Shift: sideways only, Ctrl: up/down only, Alt: no snapping)"),
    ("Zoom the steps at the pointer", "wheel"),
    ("Zoom the LR axis", "Ctrl+wheel"),
    ("Zoom into a box", "Shift+drag on the background"),
    ("Pan", "drag the background"),
    ("Split a segment", "double-click the plot at that step"),
    ("The plot's menu", "right-click"),
)


def shortcuts_rows() -> list[tuple[str, str]]:
    """(action, keys) for every action that has keys, in menu order, then the mouse's gestures."""
    rows = []
    for spec in actions.ACTIONS:
        if spec.shortcuts:
            keys = ", ".join(
                QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in spec.shortcuts
            )
            rows.append((spec.text.replace("&", ""), keys))
    return rows + list(GESTURES)


def formats_rows() -> list[tuple[str, str]]:
    """(what, how) for every kind of file the window opens or writes."""
    from ...export import target_labels
    from ...logs.formats import FORMATS

    rows = [("Design", "*.json (lrdesigner.design)"), ("Workspace", "*.lrworkspace.json")]
    rows += [(f"Log: {fmt.label}", " ".join(fmt.patterns) or "(found in folders)") for fmt in FORMATS.values()]
    runs = (
        "Keras .keras / config JSON, Hugging Face training_args.json, timm / Ultralytics args.yaml, "
        "YOLOv5 hyp.yaml"
    )
    rows.append(("Run settings", runs))
    rows += [(f"Export: {label}", name) for name, label in target_labels().items()]
    return rows


def about_text() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from ... import __version__
    from ...logs import records

    return (
        f"LR Designer {__version__}\n"
        f"Event-file reader: {records.reader()}\n"
        f"Qt {qVersion()}, PySide6 {pyside_version}"
    )


def _escape(text: str) -> str:
    """`text` as HTML (the html module loads when help is first shown)."""
    import html

    return html.escape(text)


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><td>{_escape(a)}</td><td>&nbsp;&nbsp;{_escape(b)}</td></tr>" for a, b in rows)
    return f"<table>{cells}</table>"


class HelpController(QObject):
    def __init__(self, prompts: Prompts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.dialog: QMessageBox | None = None  # the help window last shown
        self.actions = actions.build(
            self,
            {
                "help.shortcuts": lambda: self._show("Keyboard shortcuts", _table(shortcuts_rows())),
                "help.formats": lambda: self._show("File formats", _table(formats_rows())),
                "help.about": lambda: self._show(
                    "About LR Designer", _escape(about_text()).replace("\n", "<br>")
                ),
            },
        )

    def _show(self, title: str, text: str) -> None:
        box = QMessageBox(self.prompts.parent)
        box.setWindowTitle(title)
        box.setTextFormat(box.textFormat().RichText)
        box.setText(text)
        box.setModal(False)
        self.dialog = box
        box.show()

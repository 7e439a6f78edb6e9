"""Every action of the window: a stable id (its objectName), text, shortcuts and tip, in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.new", "&New", ("Ctrl+N",), "A new design (the default)"),
    ActionSpec(
        "file.new_from_preset",
        "New from &preset...",
        ("Ctrl+Shift+N",),
        "A design from a library schedule (Noam, cosine, one-cycle, WSD ...)",
    ),
    ActionSpec("file.open", "&Open...", ("Ctrl+O",), "Open a design file"),
    ActionSpec("file.save", "&Save", ("Ctrl+S",), "Save the design"),
    ActionSpec("file.save_as", "Save &as...", ("Ctrl+Shift+S",), "Save the design to another file"),
    ActionSpec("file.quit", "&Quit", ("Ctrl+Q",), "Close the window"),
    ActionSpec("edit.undo", "&Undo", ("Ctrl+Z",), "Undo the last change"),
    ActionSpec("edit.redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone"),
    ActionSpec(
        "edit.delete",
        "&Delete segment",
        ("Del",),
        "Delete the selected segment (its steps go to the one before)",
    ),
    ActionSpec("edit.split", "&Split segment", ("Ins",), "Split the selected segment in the middle"),
    ActionSpec("edit.set_exact", "Set &exact value...", ("Ctrl+K",), "Type the selected knot's step and LR"),
    ActionSpec(
        "edit.change_shape",
        "C&hange shape...",
        ("Ctrl+Shift+K",),
        "Pick another shape for the selected segment",
    ),
    ActionSpec("edit.next_knot", "Select &next knot", ("]",), "Select the knot to the right"),
    ActionSpec("edit.previous_knot", "Select pre&vious knot", ("[",), "Select the knot to the left"),
    ActionSpec(
        "edit.context_menu", "Knot &menu", ("Menu", "Shift+F10"), "The plot's menu at the selected knot"
    ),
    ActionSpec("view.log_scale", "&Log-scale LR", ("Ctrl+L",), "A logarithmic LR axis", checkable=True),
    ActionSpec("view.epochs", "&Epochs on the x axis", ("Ctrl+E",), "Needs steps per epoch", checkable=True),
    ActionSpec("view.fit", "&Fit", ("Ctrl+0",), "Show every visible curve whole"),
    ActionSpec("view.zoom_in", "Zoom &in", ("Ctrl++", "Ctrl+="), "Zoom in on the steps"),
    ActionSpec("view.zoom_out", "Zoom &out", ("Ctrl+-",), "Zoom out on the steps"),
    ActionSpec("view.dark", "&Dark palette", ("Ctrl+Shift+D",), "Dark colours", checkable=True),
)

SPECS = {spec.id: spec for spec in ACTIONS}


def make_action(parent: QObject, spec: ActionSpec, slot: Callable | None) -> QAction:
    """A QAction for `spec`, its objectName the stable id."""
    action = QAction(spec.text, parent)
    action.setObjectName(spec.id)
    action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
    tip = spec.tip or spec.text.replace("&", "")
    if spec.shortcuts:
        tip += f" ({QKeySequence(spec.shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)})"
    action.setToolTip(tip)
    action.setStatusTip(spec.tip)
    action.setCheckable(spec.checkable)
    if slot is not None:
        (action.toggled if spec.checkable else action.triggered).connect(slot)
    return action


def build(parent: QObject, slots: dict[str, Callable]) -> dict[str, QAction]:
    """Every action, connected to `slots[id]`."""
    missing = [spec.id for spec in ACTIONS if spec.id not in slots]
    if missing:
        raise KeyError(f"no slot for {', '.join(missing)}")
    return {spec.id: make_action(parent, spec, slots[spec.id]) for spec in ACTIONS}

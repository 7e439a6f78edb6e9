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
    ActionSpec(
        "file.open_example",
        "Open e&xample",
        (),
        "A Transformer's Noam schedule with the logs of a real training run that used it",
    ),
    ActionSpec(
        "file.open_workspace",
        "Open &workspace...",
        ("Ctrl+Alt+O",),
        "Open a workspace: a design with its comparison curves and view",
    ),
    ActionSpec(
        "file.save_workspace",
        "Save wor&kspace...",
        ("Ctrl+Alt+S",),
        "Save the design, its comparison curves and the view as a workspace",
    ),
    ActionSpec("file.export_plot", "Export &plot...", ("Ctrl+Shift+E",), "Save the plot as PNG or SVG"),
    ActionSpec("file.copy_plot", "&Copy plot", ("Ctrl+Shift+C",), "Copy the plot to the clipboard as an image"),
    ActionSpec(
        "export.code",
        "Export &code...",
        ("Ctrl+Alt+E",),
        "The design as Keras, tf.keras, PyTorch, optax, plain Python or JSON: preview, copy, save, verify",
    ),
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
    ActionSpec(
        "layers.add_preset",
        "Compare with a &preset...",
        ("Ctrl+Shift+A",),
        "Draw a library schedule beside the design (fitted to its length and peak)",
    ),
    ActionSpec("layers.add_file", "Compare with a design &file...", (), "Draw a saved design beside this one"),
    ActionSpec(
        "layers.add_snapshot",
        "&Keep this version to compare",
        ("Ctrl+Shift+B",),
        "A copy of the design as it is now, drawn beside it while you keep editing",
    ),
    ActionSpec("layers.remove", "&Remove layer", (), "Remove the selected comparison"),
    ActionSpec("layers.move_up", "Move layer &up", (), "Draw the selected comparison earlier in the list"),
    ActionSpec("layers.move_down", "Move layer do&wn", (), "Draw the selected comparison later in the list"),
    ActionSpec("layers.color", "&Colour...", (), "Pick the selected layer's colour"),
    ActionSpec("layers.line_style", "&Line style", (), "Solid, dashed or dotted"),
    ActionSpec("layers.edit_params", "&Edit parameters...", (), "Change the preset's parameters"),
    ActionSpec(
        "layers.make_design",
        "&Make this the design",
        (),
        "Edit this curve; the current design becomes a comparison (undoable)",
    ),
    ActionSpec(
        "logs.make_design",
        "Make a &design from this log",
        (),
        "The schedule behind the selected logged LR (a library schedule that reproduces every point, "
        "else the fewest segments) becomes the design; the old design stays as a comparison (undoable)",
    ),
    ActionSpec("metrics.copy_csv", "Copy metrics as &CSV", (), "The metrics table as CSV"),
    ActionSpec(
        "metrics.copy_markdown", "Copy metrics as &Markdown", (), "The metrics table as a Markdown table"
    ),
    ActionSpec(
        "view.difference",
        "&Ratio to design",
        ("Ctrl+D",),
        "The selected comparison divided by the design, on the right-hand axis",
        checkable=True,
    ),
    ActionSpec(
        "logs.open_file",
        "Open log &file...",
        ("Ctrl+Shift+L",),
        "Draw a training log over the design (TensorBoard, CSV, trainer_state.json, MLflow, JSON lines ...)",
    ),
    ActionSpec(
        "logs.open_folder", "Open log f&older...", (), "Draw the runs of a log folder (e.g. TensorBoard logdir)"
    ),
    ActionSpec(
        "logs.follow",
        "F&ollow the selected log",
        (),
        "Show new points as the training writes them",
        checkable=True,
    ),
    ActionSpec(
        "logs.plateau",
        "Simulate &plateau cuts on the selected series",
        (),
        "Where ReduceLROnPlateau would cut the LR, run on this validation series",
    ),
    ActionSpec("view.log_scale", "&Log-scale LR", ("Ctrl+L",), "A logarithmic LR axis", checkable=True),
    ActionSpec("view.epochs", "&Epochs on the x axis", ("Ctrl+E",), "Needs steps per epoch", checkable=True),
    ActionSpec("view.fit", "&Fit", ("Ctrl+0",), "Show every visible curve whole"),
    ActionSpec("view.zoom_in", "Zoom &in", ("Ctrl++", "Ctrl+="), "Zoom in on the steps"),
    ActionSpec("view.zoom_out", "Zoom &out", ("Ctrl+-",), "Zoom out on the steps"),
    ActionSpec("view.dark", "&Dark palette", ("Ctrl+Shift+D",), "Dark colours", checkable=True),
    ActionSpec("view.legend.auto", "&Automatic", (), "The legend in the corner where it covers least", True),
    ActionSpec("view.legend.top-left", "Top &left", (), "The legend in the top left corner", True),
    ActionSpec("view.legend.top-right", "Top &right", (), "The legend in the top right corner", True),
    ActionSpec("view.legend.bottom-left", "&Bottom left", (), "The legend in the bottom left corner", True),
    ActionSpec("view.legend.bottom-right", "Bottom ri&ght", (), "The legend in the bottom right corner", True),
    ActionSpec("view.legend.hidden", "&Hidden", (), "No legend (the Layers panel lists the curves)", True),
    ActionSpec("help.shortcuts", "&Keyboard shortcuts", ("F1",), "Every action with its keys"),
    ActionSpec("help.formats", "&File formats", (), "The logs, runs and designs it opens; the code it exports"),
    ActionSpec("help.about", "&About LR Designer", (), "Version, event-file reader, Qt"),
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
    """The actions named in `slots` (a controller's own), each connected to its slot."""
    unknown = [key for key in slots if key not in SPECS]
    if unknown:
        raise KeyError(f"no action {', '.join(unknown)}")
    return {key: make_action(parent, SPECS[key], slot) for key, slot in slots.items()}


def gather(*owned: dict[str, QAction]) -> dict[str, QAction]:
    """Every controller's actions in one table; each action has exactly one owner."""
    table: dict[str, QAction] = {}
    for actions in owned:
        twice = table.keys() & actions.keys()
        if twice:
            raise KeyError(f"actions owned twice: {', '.join(sorted(twice))}")
        table.update(actions)
    missing = [spec.id for spec in ACTIONS if spec.id not in table]
    if missing:
        raise KeyError(f"no controller owns {', '.join(missing)}")
    return table

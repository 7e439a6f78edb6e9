"""Design editing: every intent of the plot and the forms (drag, nudge, split, delete, typed value)
becomes a call to `schedule.edits` and one undo command. The DesignEditor owns the drag in
progress, the selection, the Edit actions and the plot's menus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QMenu

from ...schedule import edits
from ...schedule.describe import describe, is_generated
from ...schedule.design import MAX_LR, Design
from ...schedule.errors import DesignError
from ...schedule.shapes import SHAPES
from ...schedule.textinput import parse_knot, parse_lr, parse_params, parse_steps
from .. import actions
from ..commands import apply_design
from ..dialogs.knot import KnotDialog
from ..model.document import Document
from ..model.history import History
from ..model.selection import Selection
from ..text import name_problem
from .prompts import Prompts


def parse_plateau(text: str):
    """A plateau policy as typed (`factor=0.5, patience=5`; empty: none), defaults for the rest."""
    import dataclasses
    import difflib

    from ...schedule.plateau import PlateauPolicy

    if not text.strip():
        return None
    try:
        params = parse_params(text)
    except DesignError as exc:  # named after the field typed in, not a segment's parameters
        raise DesignError(exc.problem, "plateau" + exc.where.removeprefix("parameters")) from None
    names = [f.name for f in dataclasses.fields(PlateauPolicy)]
    for key, value in params.items():
        if isinstance(value, str) and "=" in value:  # `monitor=val_loss mode=max`: a comma forgotten
            head, _, _ = value.partition("=")
            raise DesignError(
                f"{key}={value!r} holds another setting ({head.split()[-1] if head.split() else head}=...): "
                "separate settings with commas",
                f"plateau.{key}",
            )
    unknown = [k for k in params if k not in names]
    if unknown:
        hints = [m for k in unknown for m in difflib.get_close_matches(k, names, n=1)]
        hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
        raise DesignError(
            f"no setting {', '.join(map(repr, unknown))}{hint}; valid: {', '.join(names)}", "plateau"
        )
    try:
        return PlateauPolicy(**params)
    except DesignError:
        raise  # it names the setting already ("plateau.patience")
    except (TypeError, ValueError) as exc:
        raise DesignError(str(exc), "plateau") from None


NUDGE_STEPS = 0.01  # arrow keys move a knot by 1% of the visible steps
NUDGE_LR = 1.02  # ... or its LR by 2%


class Drag:
    """A knot drag in progress: the design it started from and the knots moving together."""

    def __init__(self, base: Design, knots: list[int], grabbed: int) -> None:
        self.base, self.knots, self.grabbed = base, knots, grabbed
        self.limits = edits.group_limits(base, knots)
        self.result: Design | None = None


class DesignEditor(QObject):
    """Turns intents into edits. `message(text)` reports refusals and limits (status bar);
    `failed(text)` reports a refused typed value (shown beside the form that sent it; "" clears
    it); `restore()` asks the forms to show the design again (a refused or empty edit)."""

    message = Signal(str)
    failed = Signal(str)
    restore = Signal()

    def __init__(
        self, doc: Document, history: History, prompts: Prompts, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.doc, self.history, self.prompts = doc, history, prompts
        self.selection = Selection(self)
        self.menu: QMenu | None = None  # the plot menu last shown
        self.dialog: KnotDialog | None = None  # the exact-value dialog last opened
        self.canvas = None  # the plot, once `connect_views` has run
        self.selection.set_segment_count(len(doc.design.segments))
        self.drag: Drag | None = None
        self._pushing = False
        doc.designChanged.connect(lambda d: self.selection.set_segment_count(len(d.segments)))
        history.indexChanged.connect(self._stack_moved)
        self.actions = actions.build(
            self,
            {
                "edit.undo": self.undo,
                "edit.redo": history.redo,
                "edit.delete": self.delete_selected,
                "edit.split": self.split_selected,
                "edit.set_exact": lambda: self.set_exact(),
                "edit.change_shape": lambda: self.shape_menu(),
                "edit.next_knot": lambda: self._step_knot(1),
                "edit.previous_knot": lambda: self._step_knot(-1),
                "edit.context_menu": self.menu_at_selection,
            },
        )
        self._wire_history()

    # ---- committing --------------------------------------------------------------------
    def commit(self, design: Design, text: str) -> bool:
        """`design` as one undoable step (False when it is the design already)."""
        return apply_design(self.history, self.doc, design, text)

    def _commit(self, change: Callable[[Design], Design], text: str, merge_key: object = None) -> bool:
        old = self.doc.design
        try:
            new = change(old)
        except (DesignError, ValueError, TypeError, OverflowError) as exc:
            self._refuse(str(exc))
            return False
        if new.description == old.description and new != old and is_generated(old):
            new = new.replace(description=describe(new))  # the app's description follows the design
        self._pushing = True
        try:
            changed = apply_design(self.history, self.doc, new, text, merge_key)
        finally:
            self._pushing = False
        self.failed.emit("")
        if self.prompts.topic == "refused":  # a good edit: the last refusal no longer applies
            self.prompts.clear()
        if not changed:
            self.restore.emit()  # nothing changed: the typed text goes back to what the design holds
        return True

    def _refuse(self, text: str, keep_typed: bool = False) -> None:
        """Report a refused edit; the forms show the design again unless `keep_typed` (a field
        of free text, left as typed so that a typo can be fixed in place)."""
        self.failed.emit(text)
        self.prompts.say(text, 10000, topic="refused")
        if not keep_typed:
            self.restore.emit()

    def _stack_moved(self, _index: int) -> None:
        """Undo or redo while a drag is in progress ends the drag: its release must not bring
        back what was just undone."""
        if self.drag is not None and not self._pushing:
            self.drag = None
            self.message.emit("drag cancelled by undo/redo")

    # ---- dragging ----------------------------------------------------------------------
    def begin_drag(self, knots: list[int], grabbed: int) -> None:
        self.drag = Drag(self.doc.design, list(knots), grabbed)
        self.selection.select_knot(grabbed)
        # The knot's label tells where it is; the status line, how the drag can go.
        self.prompts.say(
            f"dragging knot {grabbed}: Shift keeps its LR, Ctrl its step, Alt leaves round values; "
            "Ctrl+Z cancels",
            6000,
            topic="drag",
        )

    def cancel_drag(self) -> None:
        """Drop the drag in progress: the design stays as it was before it."""
        if self.drag is not None:
            self.drag = None
            self.doc.cancel_preview()

    def _dragged(self, step: int, lr: float) -> Design | None:
        drag = self.drag
        base = drag.base
        origin = base.knots[drag.grabbed].step
        lo, hi = drag.limits
        delta = step - origin
        note = ""
        if delta < lo or delta > hi:
            delta = min(max(delta, lo), hi)
            if drag.knots[0] == 0:
                note = "the first knot stays at step 0"
            else:
                side = "before" if step - origin < lo else "after"
                note = (
                    f"knot {drag.grabbed} stops at step {origin + delta:,}: the segment {side} it "
                    "keeps at least one step"
                )
        if lr > MAX_LR:
            lr, note = MAX_LR, f"the LR stops at {MAX_LR:g}"
        try:
            new = edits.move_knots(base, drag.knots, delta, max(lr, 0.0))
        except DesignError as exc:
            self.message.emit(str(exc))
            return None
        if note:  # stays after the release: it says why the knot stopped where it is
            self.message.emit(note)
        return new

    def drag_to(self, step: int, lr: float) -> None:
        if self.drag is None:
            return
        new = self._dragged(step, lr)
        if new is not None:
            self.drag.result = new
            self.doc.preview(new)

    def finish_drag(self, step: int, lr: float) -> None:
        drag = self.drag
        if drag is None:
            return  # cancelled (undo during the gesture)
        new = self._dragged(step, lr) or drag.result
        self.drag = None
        if new is None:
            self.doc.cancel_preview()
            return
        label = (
            f"Move knot {drag.grabbed}"
            if len(drag.knots) == 1
            else f"Move knots {drag.knots[0]}-{drag.knots[-1]}"
        )
        self._commit(lambda _d: new, label)

    # ---- keyboard ----------------------------------------------------------------------
    def nudge(self, dx: int, dy: int, visible_steps: float) -> None:
        knot = self.selection.knot
        if knot is None:
            return
        d = self.doc.design
        k = d.knots[knot]
        step = k.step + dx * max(1, int(visible_steps * NUDGE_STEPS))
        if dx and knot:
            lo, hi = edits.knot_limits(d, knot)
            step = min(max(step, lo), hi)
        lr = k.lr * (NUDGE_LR**dy) if dy else None
        self._commit(
            lambda d: edits.move_knot(d, knot, step=step if dx and knot else None, lr=lr),
            f"Nudge knot {knot}",
            merge_key=("nudge", knot),
        )

    # ---- segment edits -----------------------------------------------------------------
    def split_at(self, step: int) -> bool:
        step = int(step)
        return self._commit(lambda d: edits.split(d, step), f"Split at step {step:,}")

    def split_selected(self) -> bool:
        """Split the selected segment in the middle."""
        index = self.selection.segment
        if index is None:
            self.message.emit("select a knot or a segment first")
            return False
        d = self.doc.design
        seg = d.segments[index]
        if seg.duration < 2:
            self.message.emit(f"segment {index + 1} is a single step; nothing to split")
            return False
        return self.split_at(d.starts[index] + seg.duration // 2)

    def delete_segment(self, index: int) -> bool:
        return self._commit(lambda d: edits.delete(d, index), f"Delete segment {index + 1}")

    def delete_selected(self) -> bool:
        index = self.selection.segment
        if index is None:
            self.message.emit("select a knot or a segment first")
            return False
        return self.delete_segment(index)

    def change_shape(self, index: int, shape: str) -> bool:
        return self._commit(
            lambda d: edits.change_shape(d, index, shape), f"Change segment {index + 1} to {shape}"
        )

    def set_knot_text(self, knot: int, text: str) -> str:
        """Set a knot from `step, LR` text; returns the problem ("" when applied)."""
        try:
            step, lr = parse_knot(text)
        except DesignError as exc:
            return str(exc)
        if knot == 0 and step != 0:
            return "the first knot stays at step 0; type 0, LR"
        try:
            new = edits.move_knot(self.doc.design, knot, step=step if knot else None, lr=lr)
        except DesignError as exc:
            return str(exc)
        self._commit(lambda _d: new, f"Set knot {knot}")
        return ""

    # ---- typed values ------------------------------------------------------------------
    def edit_cell(self, row: int, field: str, text: str) -> bool:
        """A segments-table cell: `steps`, `lr_start`, `lr_end` or `parameters`."""
        label = {"steps": "steps", "lr_start": "LR start", "lr_end": "LR end", "parameters": "parameters"}[
            field
        ]

        def change(d: Design) -> Design:
            n = len(d.segments)
            if field == "steps":
                return edits.set_params(d, row, steps=parse_steps(text, "steps"))
            if field == "lr_start":
                return edits.move_knot(d, row, lr=parse_lr(text, "LR start"), side="right" if row else "both")
            if field == "lr_end":
                last = row == n - 1
                return edits.move_knot(d, row + 1, lr=parse_lr(text, "LR end"), side="both" if last else "left")
            return edits.set_params(d, row, **parse_params(text))

        return self._commit(change, f"Edit {label} of segment {row + 1}")

    def set_property(self, field: str, value) -> bool:
        """A design property: name, description, steps_per_epoch (text or None), after_end."""
        if field == "steps_per_epoch" and isinstance(value, str):
            text = value.strip()
            try:
                value = None if text in ("", "0") else parse_steps(text, "steps per epoch")
            except DesignError as exc:
                self._refuse(str(exc), keep_typed=True)
                return False
        if field == "plateau" and isinstance(value, str):
            try:
                value = parse_plateau(value)
            except DesignError as exc:
                self._refuse(str(exc), keep_typed=True)
                return False
        if field == "name" and name_problem(str(value)):
            self._refuse(name_problem(str(value)).replace("a name cannot be empty", "a design needs a name"))
            return False
        if getattr(self.doc.design, field) == value:
            self.failed.emit("")
            self.restore.emit()  # an edit that changes nothing still puts the field back
            return False
        return self._commit(lambda d: d.replace(**{field: value}), f"Set {field.replace('_', ' ')}")

    # ---- undo ----------------------------------------------------------------------------
    def _wire_history(self) -> None:
        undo, redo, history = self.actions["edit.undo"], self.actions["edit.redo"], self.history
        history.canUndoChanged.connect(undo.setEnabled)
        history.canRedoChanged.connect(redo.setEnabled)
        undo.setEnabled(False)
        redo.setEnabled(False)
        # During a drag Ctrl+Z drops it, even with nothing committed yet to undo.
        self.doc.previewChanged.connect(lambda _design: undo.setEnabled(True))
        self.doc.designChanged.connect(lambda _design: undo.setEnabled(history.canUndo()))
        history.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".strip()))
        history.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".strip()))
        self.message.connect(lambda text: self.prompts.say(text, 6000))
        self.selection.changed.connect(self._say_knot)
        # The selected knot's step and LR on the status line follow drags and typed edits.
        self.doc.designChanged.connect(
            lambda _design: self._say_knot() if self.prompts.topic in ("knot", "drag") else None
        )

    def undo(self) -> None:
        """Undo the last edit; during a drag, the drag (the design goes back to what it was when
        the drag started, and the release brings nothing back). The next undo undoes the edit
        before it."""
        if self.drag is not None:
            self.cancel_drag()
            self.prompts.say("drag cancelled: the design is as it was before it", 4000)
            return
        self.history.undo()

    def _say_knot(self) -> None:
        sel = self.selection
        if sel.knot is not None and sel.knot < len(self.doc.design.knots):
            k = self.doc.design.knots[sel.knot]
            self.prompts.say(
                f"knot {sel.knot} at step {k.step:,}, LR {k.lr:.6g} (segment {sel.segment + 1}): arrow keys "
                "nudge it, [ and ] select another, Del deletes its segment",
                6000,
                topic="knot",
            )

    # ---- the views ---------------------------------------------------------------------------
    def connect_views(self, canvas, panel) -> None:
        """The plot's gestures and the forms' edits become edits; the selection is shown in both."""
        self.canvas = canvas
        self.failed.connect(panel.error.setText)
        self.failed.connect(panel.properties.show_problem)
        # A refused or empty edit puts the typed text back to what the design holds.
        self.restore.connect(lambda: panel.segments.show_design(self.doc.design))
        self.restore.connect(lambda: panel.properties.show_design(self.doc.design))
        self.selection.changed.connect(lambda: canvas.select(self.selection.knot))
        self.selection.changed.connect(lambda: panel.segments.select_row(self.selection.segment))
        self.doc.designChanged.connect(lambda design: self._show_forms(panel, design))
        self._show_forms(panel, self.doc.design)
        canvas.dragStarted.connect(self.begin_drag)
        canvas.dragMoved.connect(self.drag_to)
        canvas.dragFinished.connect(self.finish_drag)
        canvas.knotClicked.connect(self.selection.select_knot)
        # Arrow keys nudge the knot just grabbed: the plot takes the keyboard from the table.
        canvas.knotClicked.connect(lambda _k: canvas.setFocus())
        canvas.dragStarted.connect(lambda *_: canvas.setFocus())
        canvas.splitRequested.connect(self.split_at)
        canvas.contextRequested.connect(self.context_menu)
        canvas.nudgeRequested.connect(lambda dx, dy: self.nudge(dx, dy, canvas.visible_steps()))
        panel.segments.cellEdited.connect(self.edit_cell)
        panel.segments.shapeChosen.connect(self.change_shape)
        panel.segments.rowSelected.connect(self.selection.select_segment)
        panel.properties.edited.connect(self.set_property)

    def _show_forms(self, panel, design: Design) -> None:
        panel.properties.show_design(design)
        panel.segments.show_design(design)
        panel.segments.select_row(self.selection.segment)

    def _step_knot(self, delta: int) -> None:
        self.selection.step(delta)
        if self.canvas is not None:
            self.canvas.setFocus()

    # ---- the plot's menus ----------------------------------------------------------------------
    def context_menu(self, step: int, lr: float, where: QPoint) -> None:
        d = self.doc.design
        index = d.segment_at(step)
        knot = min(range(len(d.knots)), key=lambda k: abs(d.knots[k].step - step))
        menu = QMenu(self.prompts.parent)
        split = menu.addAction(f"Split segment here (step {int(step):,})", lambda: self.split_at(step))
        if step in d.starts or step >= d.total_steps:
            split.setEnabled(False)
            menu.addAction(
                f"Split segment {index + 1} in the middle",
                lambda: (self.selection.select_segment(index), self.split_selected()),
            )
        menu.addAction(f"Delete segment {index + 1}", lambda: self.delete_segment(index))
        self._shape_submenu(menu.addMenu("Change shape"), index)
        menu.addAction(f"Set exact value of knot {knot}...", lambda: self.set_exact(knot))
        menu.addSeparator()
        menu.addActions(self.menu_extras)
        menu.popup(where)
        self.menu = menu

    #: Actions of other controllers at the end of the plot's menu (the window sets them).
    menu_extras: list = []

    def _shape_submenu(self, menu: QMenu, index: int) -> None:
        current = self.doc.design.segments[index].shape
        for name, shape in SHAPES.items():
            act = menu.addAction(shape.label, lambda n=name: self.change_shape(index, n))
            act.setCheckable(True)
            act.setChecked(name == current)

    def menu_at_selection(self) -> None:
        """The plot's menu at the selected knot (the Menu key)."""
        d = self.doc.design
        knot = 0 if self.selection.knot is None else self.selection.knot
        where = self.canvas.knot_global_pos(knot)
        self.context_menu(min(d.knots[knot].step, d.total_steps - 1), d.knots[knot].lr, where)

    def shape_menu(self) -> None:
        index = self.selection.segment
        if index is None:
            self.prompts.say("select a knot or a segment first", 4000)
            return
        menu = QMenu(self.prompts.parent)
        self._shape_submenu(menu, index)
        menu.popup(self.canvas.knot_global_pos(index))
        self.menu = menu

    def set_exact(self, knot: int | None = None) -> None:
        if knot is None:
            knot = self.selection.knot
        if knot is None:
            self.prompts.say("select a knot first ([ and ] select knots)", 4000)
            return
        k = self.doc.design.knots[knot]
        text = f"{k.step:,}, {k.lr!r}"
        self.dialog = KnotDialog(self.prompts.parent, knot, text, lambda typed: self.set_knot_text(knot, typed))
        self.dialog.open()

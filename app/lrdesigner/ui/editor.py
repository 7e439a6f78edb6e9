"""The DesignEditor: every user intent (drag, nudge, split, delete, typed value) becomes a call to
`schedule.edits` and one undo command. It owns the drag in progress and the shared selection."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..schedule import edits
from ..schedule.design import MAX_LR, Design
from ..schedule.errors import DesignError
from ..schedule.textinput import parse_knot, parse_lr, parse_params, parse_steps
from .model.document import Document
from .model.selection import Selection


def parse_plateau(text: str):
    """A plateau policy as typed (`factor=0.5, patience=5`; empty: none), defaults for the rest."""
    import dataclasses
    import difflib

    from ..schedule.plateau import PlateauPolicy

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

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.selection = Selection(self)
        self.selection.set_segment_count(len(doc.design.segments))
        self.drag: Drag | None = None
        self._pushing = False
        doc.designChanged.connect(lambda d: self.selection.set_segment_count(len(d.segments)))
        doc.stack.indexChanged.connect(self._stack_moved)

    # ---- committing --------------------------------------------------------------------
    def _commit(self, change: Callable[[Design], Design], text: str, merge_key: object = None) -> bool:
        try:
            new = change(self.doc.design)
        except (DesignError, ValueError, TypeError, OverflowError) as exc:
            self._refuse(str(exc))
            return False
        self._pushing = True
        try:
            changed = self.doc.apply(new, text, merge_key)
        finally:
            self._pushing = False
        self.failed.emit("")
        if not changed:
            self.restore.emit()  # nothing changed: the typed text goes back to what the design holds
        return True

    def _refuse(self, text: str, keep_typed: bool = False) -> None:
        """Report a refused edit; the forms show the design again unless `keep_typed` (a field
        of free text, left as typed so that a typo can be fixed in place)."""
        self.failed.emit(text)
        self.message.emit(text)
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
        if note:
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
        if field == "name" and not str(value).strip():
            self._refuse("name: a design needs a name")
            return False
        if getattr(self.doc.design, field) == value:
            self.failed.emit("")
            self.restore.emit()  # an edit that changes nothing still puts the field back
            return False
        return self._commit(lambda d: d.replace(**{field: value}), f"Set {field.replace('_', ' ')}")

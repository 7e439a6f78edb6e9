"""Undo commands: each user gesture is one small command holding the state before and after it.
Commands change the models; the models never import them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..schedule.design import Design

if TYPE_CHECKING:
    from .model.document import Document
    from .model.history import History
    from .model.layers import CurveLayer, Layer, LayerList, LogLayer

#: Command ids for merging: consecutive nudges of one knot are one undo step.
NUDGE_ID = 1000


class SetDesign(QUndoCommand):
    """Replace the document's design (designs are immutable, so before/after is the whole story)."""

    def __init__(self, doc: Document, before: Design, after: Design, text: str, merge_key: object = None):
        super().__init__(text)
        self.doc, self.before, self.after = doc, before, after
        self.merge_key = merge_key

    def id(self) -> int:  # noqa: A003 - Qt's name
        return NUDGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, SetDesign) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.doc.set_design(self.after)

    def undo(self) -> None:
        self.doc.set_design(self.before)


def apply_design(history: History, doc: Document, design: Design, text: str, merge_key: object = None) -> bool:
    """Commit `design` as one undoable step; False (and nothing pushed) if it is unchanged."""
    if design == doc.design:
        doc.cancel_preview()
        return False
    history.push(SetDesign(doc, doc.design, design, text, merge_key))
    return True


class RemoveLayer(QUndoCommand):
    """Remove a comparison or log layer; undo puts the same layer back where it was."""

    def __init__(self, layers: LayerList, layer: Layer) -> None:
        super().__init__(f"Remove {layer.name!r}")
        self.layers, self.layer, self.index = layers, layer, layers.index(layer)

    def redo(self) -> None:
        self.layers.remove(self.layer)

    def undo(self) -> None:
        self.layers.insert(self.index, self.layer)


class AddLayer(QUndoCommand):
    """Add a layer; undo takes it out again."""

    def __init__(self, layers: LayerList, layer: Layer) -> None:
        super().__init__(f"Add {layer.name!r}")
        self.layers, self.layer = layers, layer

    def redo(self) -> None:
        self.layers.add(self.layer)

    def undo(self) -> None:
        self.layers.remove(self.layer)


class SetLogOffset(QUndoCommand):
    """Draw a log `offset` steps from where it was logged; `placed(layer)` runs after each change
    (the loss axis and the log advice follow where the log is drawn)."""

    def __init__(self, layers: LayerList, layer: LogLayer, offset: int, placed: Callable) -> None:
        super().__init__(f"Step offset of {layer.name!r} {offset:+,}")
        self.layers, self.layer, self.placed = layers, layer, placed
        self.before, self.after = layer.offset, offset

    def _set(self, offset: int) -> None:
        self.layers.update(self.layer, offset=offset)
        self.layers.dataChanged.emit(self.layer)
        self.placed(self.layer)

    def redo(self) -> None:
        self._set(self.after)

    def undo(self) -> None:
        self._set(self.before)


class MakeDesign(QUndoCommand):
    """A comparison becomes the editable design; the design takes its place as a comparison."""

    def __init__(self, doc: Document, layers: LayerList, layer: CurveLayer) -> None:
        super().__init__(f"Make {layer.name!r} the design")
        self.doc, self.layers, self.layer = doc, layers, layer
        self.old_design, self.new_design = doc.design, layer.design
        if self.new_design.steps_per_epoch is None and self.old_design.steps_per_epoch:
            # Keep the epoch length the logs are placed with.
            self.new_design = self.new_design.replace(steps_per_epoch=self.old_design.steps_per_epoch)
        self.old_source, self.old_name = dict(layer.source), layer.name

    def redo(self) -> None:
        self.layer.name = self.old_design.name
        self.layers.set_data(self.layer, self.old_design, {"snapshot": True})
        self.doc.set_design(self.new_design)

    def undo(self) -> None:
        self.layer.name = self.old_name
        self.layers.set_data(self.layer, self.new_design, self.old_source)
        self.doc.set_design(self.old_design)

"""Undo commands: each user gesture is one small command holding the design before and after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ...schedule.design import Design

if TYPE_CHECKING:
    from .document import Document

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

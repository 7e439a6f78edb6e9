"""Signals blocked while the model pushes values into a view (no echo back)."""

from __future__ import annotations


class blocked:
    """Block an object's signals inside a with-block (model -> view pushes must not echo back)."""

    def __init__(self, obj) -> None:
        self.obj = obj

    def __enter__(self):
        self.old = self.obj.blockSignals(True)

    def __exit__(self, *exc):
        self.obj.blockSignals(self.old)

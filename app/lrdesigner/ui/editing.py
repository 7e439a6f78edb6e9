"""The window's editing: the document, the DesignEditor, the plot's gestures and the forms wired
together; undo (which also drops a drag) and the selected knot in the status bar."""

from __future__ import annotations


class EditingMixin:
    """Editing in the MainWindow (it provides doc, editor, canvas, panel and actions)."""

    def _wire_editing(self) -> None:
        """The document, the editor, the plot and the forms."""
        doc, editor, canvas, panel = self.doc, self.editor, self.canvas, self.panel
        for signal, getter in (
            (doc.stack.canUndoChanged, "edit.undo"),
            (doc.stack.canRedoChanged, "edit.redo"),
        ):
            signal.connect(lambda on, key=getter: self.actions[key].setEnabled(on))
        self.actions["edit.undo"].setEnabled(False)
        self.actions["edit.redo"].setEnabled(False)
        # During a drag Ctrl+Z drops it, even with nothing committed yet to undo.
        doc.previewChanged.connect(lambda _design: self.actions["edit.undo"].setEnabled(True))
        doc.designChanged.connect(lambda _design: self.actions["edit.undo"].setEnabled(doc.stack.canUndo()))
        editor.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        editor.failed.connect(panel.error.setText)
        editor.failed.connect(panel.properties.show_problem)
        # A refused or empty edit puts the typed text back to what the design holds.
        editor.restore.connect(lambda: panel.segments.show_design(doc.design))
        editor.restore.connect(lambda: panel.properties.show_design(doc.design))
        editor.selection.changed.connect(self._selection_changed)
        # The selected knot's step and LR in the status bar follow drags and typed edits.
        doc.designChanged.connect(
            lambda _design: (
                self._selection_changed()
                if "arrow keys nudge it" in self.statusBar().currentMessage()
                else None
            )
        )
        canvas.dragStarted.connect(editor.begin_drag)
        canvas.dragMoved.connect(editor.drag_to)
        canvas.dragFinished.connect(editor.finish_drag)
        canvas.knotClicked.connect(editor.selection.select_knot)
        # Arrow keys nudge the knot just grabbed: the plot takes the keyboard from the table.
        canvas.knotClicked.connect(lambda _k: canvas.setFocus())
        canvas.dragStarted.connect(lambda *_: canvas.setFocus())
        doc.stack.undoTextChanged.connect(
            lambda text: self.actions["edit.undo"].setText(f"&Undo {text}".strip())
        )
        doc.stack.redoTextChanged.connect(
            lambda text: self.actions["edit.redo"].setText(f"&Redo {text}".strip())
        )
        canvas.splitRequested.connect(editor.split_at)
        canvas.contextRequested.connect(self._context_menu)
        canvas.nudgeRequested.connect(
            lambda dx, dy: editor.nudge(
                dx, dy, self.canvas.plotItem.vb.viewRange()[0][1] - self.canvas.plotItem.vb.viewRange()[0][0]
            )
        )
        panel.segments.cellEdited.connect(editor.edit_cell)
        panel.segments.shapeChosen.connect(editor.change_shape)
        panel.segments.rowSelected.connect(editor.selection.select_segment)
        panel.properties.edited.connect(editor.set_property)
        panel.advice.locate.connect(canvas.locate)

    def undo(self) -> None:
        """Undo; during a drag it also drops the drag (nothing undone comes back on release)."""
        dragging = self.editor.drag is not None
        self.editor.cancel_drag()
        self.doc.stack.undo()
        if dragging:
            self.statusBar().showMessage("drag cancelled", 4000)

    def _selection_changed(self) -> None:
        sel = self.editor.selection
        self.canvas.select(sel.knot)
        self.panel.segments.select_row(sel.segment)
        if sel.knot is not None and sel.knot < len(self.doc.design.knots):
            k = self.doc.design.knots[sel.knot]
            self.statusBar().showMessage(
                f"knot {sel.knot} at step {k.step:,}, LR {k.lr:.6g} (segment {sel.segment + 1}): arrow keys "
                "nudge it, [ and ] select another, Del deletes its segment",
                6000,
            )

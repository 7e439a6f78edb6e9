"""What the window shows and edits: the document, undo commands, layers, view state, session."""

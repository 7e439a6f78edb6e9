"""The desktop editor (PySide6 + pyqtgraph). Views redraw from the document's Design; every
gesture becomes one undo command holding the designs before and after it."""

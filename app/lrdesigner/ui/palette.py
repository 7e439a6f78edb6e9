"""The light and dark palettes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK = {
    QPalette.ColorRole.Window: "#2a2c33",
    QPalette.ColorRole.WindowText: "#e3e5ea",
    QPalette.ColorRole.Base: "#1e1f24",
    QPalette.ColorRole.AlternateBase: "#2a2c33",
    QPalette.ColorRole.Text: "#e3e5ea",
    QPalette.ColorRole.Button: "#2a2c33",
    QPalette.ColorRole.ButtonText: "#e3e5ea",
    QPalette.ColorRole.ToolTipBase: "#1e1f24",
    QPalette.ColorRole.ToolTipText: "#e3e5ea",
    QPalette.ColorRole.Highlight: "#3d6fb6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#8a8d96",
}


def apply(app: QApplication, dark: bool) -> None:
    app.setStyle("Fusion")
    if dark:
        p = QPalette()
        for role, color in DARK.items():
            p.setColor(role, QColor(color))
        app.setPalette(p)
    else:
        app.setPalette(app.style().standardPalette())

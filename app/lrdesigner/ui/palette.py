"""The light and dark palettes, and series colours that stay readable on either: every curve is
drawn with at least 3:1 contrast against the plot's background (WCAG's non-text contrast)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

#: The plot's background in the light and the dark palette.
BACKGROUND = {False: "#ffffff", True: "#1e1f24"}
MIN_CONTRAST = 3.0

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
    # Outlines (unchecked boxes, frames) light enough to see on the dark window.
    QPalette.ColorRole.Light: "#5a5e69",
    QPalette.ColorRole.Midlight: "#4a4e58",
    QPalette.ColorRole.Mid: "#5f636e",
    QPalette.ColorRole.Dark: "#16171b",
    QPalette.ColorRole.Shadow: "#0e0f12",
}
#: Disabled text in the dark palette: dimmed, so a disabled button or menu item looks disabled.
DARK_DISABLED = {
    QPalette.ColorRole.WindowText: "#7a7e88",
    QPalette.ColorRole.Text: "#7a7e88",
    QPalette.ColorRole.ButtonText: "#7a7e88",
    QPalette.ColorRole.Button: "#2a2c33",
    QPalette.ColorRole.Base: "#26282e",
}


def luminance(color: str) -> float:
    """WCAG relative luminance of a colour."""
    c = QColor(color)

    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: str, dark: bool) -> str:
    """`color`, darkened on the light background or lightened on the dark one just enough to
    contrast 3:1 with it (the hue kept)."""
    background = BACKGROUND[dark]
    if contrast(color, background) >= MIN_CONTRAST:
        return QColor(color).name()
    c = QColor(color).toHsl()
    hue, saturation, lightness = c.hslHue(), c.hslSaturation(), c.lightness()
    step = 4 if dark else -4
    while 0 <= lightness <= 255:
        lightness += step
        candidate = QColor.fromHsl(hue, saturation, max(0, min(255, lightness))).name()
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return "#ffffff" if dark else "#000000"


class _Style(QProxyStyle):
    """Fusion, with check boxes outlined in the palette's Mid colour: Fusion draws their outline a
    shade darker than the window, which on the dark palette cannot be seen (an unchecked layer
    looked like no check box at all)."""

    CHECKS = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
    )

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 - Qt's name
        super().drawPrimitive(element, option, painter, widget)
        if element in self.CHECKS and option.palette.color(QPalette.ColorRole.Window).lightness() < 100:
            painter.save()
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Mid), 1))
            painter.setBrush(QColor(0, 0, 0, 0))
            painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -1.5, -1.5))
            painter.restore()


def apply(app: QApplication, dark: bool) -> None:
    app.setStyle(_Style("Fusion"))
    if dark:
        p = QPalette()
        for role, color in DARK.items():
            p.setColor(role, QColor(color))
        for role, color in DARK_DISABLED.items():
            p.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
        app.setPalette(p)
    else:
        app.setPalette(app.style().standardPalette())

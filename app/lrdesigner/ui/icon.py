"""The application's icon."""

from __future__ import annotations


def app_icon():
    """The application's icon (PNG sizes from the shipped resources)."""
    from PySide6.QtGui import QIcon

    from .. import resources

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        png = resources.icon_png(size)
        if png.is_file():
            icon.addFile(str(png))
    return icon

"""The plot alone as an image: PNG or SVG through pyqtgraph's exporters, from the window or headless."""

from __future__ import annotations

import os

from ...schedule.design import Design


def export_plot(canvas, path: str, width: int | None = None) -> None:
    """Save what `canvas` shows as PNG (at `width` pixels, default its own) or SVG."""
    import pyqtgraph.exporters as exporters

    lower = path.lower()
    if lower.endswith(".svg"):
        _export_svg(canvas, path)
    elif lower.endswith(".png"):
        if width is None:
            canvas.grab().save(path)
            if not os.path.isfile(path):
                raise OSError("the image could not be written")
            return
        exporter = exporters.ImageExporter(canvas.plotItem)
        exporter.parameters()["width"] = int(width)
        exporter.export(path)
    else:
        raise ValueError("the file name must end in .png or .svg")


def _export_svg(canvas, path: str) -> None:
    """Vector SVG through Qt's SVG generator (the widget painted onto it: every curve a path)."""
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    from .still import uncached

    size = canvas.size()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle("LR Designer plot")
    # Items that repaint from a pixmap on screen are painted as vectors here (as paths and text).
    with uncached(canvas.scene().items()):
        painter = QPainter(generator)
        try:
            canvas.render(painter)
        finally:
            painter.end()
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        raise OSError("the SVG could not be written")


def render_plot(
    design: Design,
    others: list[tuple[str, Design]],
    path: str,
    size: tuple[int, int] = (1200, 700),
    log_scale: bool = False,
    epochs: bool = False,
    dark: bool = False,
) -> None:
    """Draw the design and comparison curves, without a window, and save to PNG or SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from ..model.document import Document
    from ..model.layers import PALETTE, CurveLayer, LayerList
    from ..model.view_state import ViewState
    from .canvas import Canvas
    from .lines import load_simplifier

    app = QApplication.instance() or QApplication([])
    load_simplifier()  # the curves as the window draws them
    doc = Document(design)
    layers = LayerList(doc)
    for color, (name, other) in zip(PALETTE[1:] * 4, others):
        layers.add(CurveLayer(name=name, color=color, fixed=other))
    view = ViewState.transient()
    view.set("log_scale", log_scale)
    view.set("epochs", epochs)
    view.set("steps_per_epoch", design.steps_per_epoch)
    canvas = Canvas(layers, view)
    canvas.set_colors(dark)
    canvas.knots.hide()
    canvas.resize(*size)
    canvas.show()
    app.processEvents()
    canvas.fit()
    app.processEvents()
    pg.QtCore.QCoreApplication.processEvents()
    export_plot(canvas, path, None)
    canvas.close()

"""The application icon: an SVG source and PNG renderings of it at every size a desktop asks for."""

import pytest
from lrdesigner import resources

QtGui = pytest.importorskip("PySide6.QtGui")
QtSvg = pytest.importorskip("PySide6.QtSvg")
np = pytest.importorskip("numpy")


def _rgba(image, size):
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(size, size, 4).astype(np.float64)


@pytest.mark.parametrize("size", resources.ICON_SIZES)
def test_each_png_loads_at_its_size_with_a_transparent_corner(size):
    image = QtGui.QImage(str(resources.icon_png(size)))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    pixels = _rgba(image, size)
    assert pixels[0, 0, 3] == 0, "the rounded corner is transparent"
    assert pixels[size // 2, size // 2, 3] == 255, "the middle is opaque"


@pytest.mark.parametrize("size", [s for s in resources.ICON_SIZES if s >= 32])
def test_pngs_are_renderings_of_the_current_svg(qapp, size):
    renderer = QtSvg.QSvgRenderer(str(resources.icon_svg()))
    assert renderer.isValid()
    drawn = QtGui.QImage(size, size, QtGui.QImage.Format.Format_RGBA8888)
    drawn.fill(0)
    painter = QtGui.QPainter(drawn)
    renderer.render(painter)
    painter.end()
    shipped = QtGui.QImage(str(resources.icon_png(size)))
    # Qt and librsvg antialias edges differently; a stale PNG differs by far more.
    assert np.abs(_rgba(drawn, size) - _rgba(shipped, size)).mean() < 2.0


def test_the_window_can_use_the_svg_as_its_icon(qapp):
    icon = QtGui.QIcon(str(resources.icon_svg()))
    assert not icon.isNull()
    pixmap = icon.pixmap(48, 48)
    assert (pixmap.width(), pixmap.height()) == (48, 48)


def test_asking_for_a_size_that_is_not_shipped_names_the_sizes():
    with pytest.raises(ValueError, match="16, 24, 32"):
        resources.icon_png(100)

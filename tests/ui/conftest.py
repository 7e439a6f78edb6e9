import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """QSettings (recent files, view choices, recovery files) in a temporary folder, never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("LRDESIGNER_NO_DIALOGS", "1")
    yield


def make_window(qtbot, design=None, size=(1200, 760)):
    import pyqtgraph as pg
    from lrdesigner.ui.main_window import MainWindow
    from PySide6.QtWidgets import QMessageBox

    pg.setConfigOption("mouseRateLimit", -1)
    w = MainWindow(design, check_recovery=False)
    w.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    w.canvas.fit()
    return w


@pytest.fixture
def window(qtbot):
    return make_window(qtbot)


@pytest.fixture
def dialog(window):
    """The export window of `window`, its verification stopped and closed after the test."""
    d = window.export_code()
    yield d
    d.cancel_verification()
    d.close()

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """QSettings (recent files, recovery file) in a temporary folder, never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("LRDESIGNER_NO_DIALOGS", "1")
    yield


@pytest.fixture
def window(qtbot):
    import pyqtgraph as pg
    from lrdesigner.ui.main_window import MainWindow

    pg.setConfigOption("mouseRateLimit", -1)
    w = MainWindow(check_recovery=False)
    w.ask_unsaved = lambda: (
        __import__("PySide6.QtWidgets", fromlist=["QMessageBox"]).QMessageBox.StandardButton.Discard
    )
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    w.canvas.fit()
    return w

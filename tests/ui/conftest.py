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


def _let_readers_finish(window, timeout=30.0):
    """Before a test's window closes, let the logs it is still reading arrive (events processed
    meanwhile), so that no reader of one test delivers into the next test's windows."""
    import time

    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while window.log_editor.readers and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def make_window(qtbot, design=None, size=(1200, 760)):
    import pyqtgraph as pg
    from lrdesigner.ui.main_window import MainWindow
    from PySide6.QtWidgets import QMessageBox

    pg.setConfigOption("mouseRateLimit", -1)
    w = MainWindow(design, check_recovery=False)
    w.prompts.ask_unsaved = lambda name: QMessageBox.StandardButton.Discard
    qtbot.addWidget(w, before_close_func=_let_readers_finish)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    # The first window of a session loads the curve simplifier after its first frame.
    from lrdesigner.ui.plot.lines import simplifier_loaded

    qtbot.waitUntil(simplifier_loaded)
    w.canvas.fit()
    return w


@pytest.fixture
def window(qtbot):
    return make_window(qtbot)


@pytest.fixture
def dialog(window):
    """The export window of `window`, its verification stopped and closed after the test."""
    d = window.exporter.export_code()
    yield d
    d.cancel_verification()
    d.close()

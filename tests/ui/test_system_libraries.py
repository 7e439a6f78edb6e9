"""When Qt's X11 plugin lacks system libraries, the window says which ones (and the packages to
install) instead of Qt's abort."""

import sys

import pytest
from lrdesigner.ui import system_libraries as sl

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_debian_package_names():
    assert sl.package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert sl.package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert sl.package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert sl.package("libX11-xcb.so.1") == "libx11-xcb1"
    assert sl.package("libEGL.so.1.1.0") == "libegl1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_this_machines_plugin_loads_and_nothing_is_missing():
    assert sl.xcb_plugin() is not None
    assert sl.missing_libraries() == []


def test_a_plugin_that_does_not_load_names_every_missing_library(monkeypatch, tmp_path, capsys):
    def refuse(path):
        raise OSError("libxcb-cursor.so.0: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(sl, "_load", refuse)
    monkeypatch.setattr(sl, "_ldd", lambda path: LDD)
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    missing = sl.missing_libraries(str(plugin))
    assert missing == [
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
    ]
    text = sl.explain(missing)
    assert "apt-get install --no-install-recommends libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in text
    assert "libxkbcommon-x11-0" in text
    # The window refuses to start with that message (exit 2) instead of Qt's abort.
    monkeypatch.setattr(sl, "xcb_plugin", lambda: str(plugin))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    from lrdesigner.ui.app import run

    assert run() == 2
    assert "libxcb-icccm.so.4" in capsys.readouterr().err

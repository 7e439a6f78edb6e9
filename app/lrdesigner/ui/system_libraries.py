"""Before the window starts on Linux: the system libraries Qt's X11 platform plugin needs and this
machine lacks. Qt itself only says it "could not load the Qt platform plugin xcb" (and names one
library at best) before it aborts; `ldd` of the plugin names every missing one."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys


def xcb_plugin() -> str | None:
    """The path of Qt's xcb platform plugin, if this Qt has one."""
    from PySide6.QtCore import QLibraryInfo

    path = os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), "platforms", "libqxcb.so")
    return path if os.path.isfile(path) else None


def package(soname: str) -> str:
    """The Debian/Ubuntu package that ships a library, by Debian's naming rule
    (`libxcb-cursor.so.0` -> `libxcb-cursor0`, `libxkbcommon-x11.so.0` -> `libxkbcommon-x11-0`)."""
    match = re.fullmatch(r"(lib[\w+.-]*?)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def _ldd(path: str) -> str:
    return subprocess.run(["ldd", path], capture_output=True, text=True, timeout=20).stdout


def _load(path: str) -> None:
    ctypes.CDLL(path)


def missing_libraries(plugin: str | None = None) -> list[str]:
    """The libraries the xcb plugin cannot find (empty when it loads)."""
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return []
    try:
        _load(plugin)  # the quick check: if the plugin loads, nothing is missing
        return []
    except OSError:
        pass
    try:
        text = _ldd(plugin)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split("=>")[0].strip() for line in text.splitlines() if "not found" in line})


def explain(missing: list[str]) -> str:
    packages = " ".join(dict.fromkeys(package(name) for name in missing))
    return (
        "lrdesigner: the window cannot start: Qt's X11 plugin needs system libraries this machine "
        f"lacks: {', '.join(missing)}.\n"
        f"On Debian or Ubuntu: sudo apt-get install --no-install-recommends {packages}\n"
        "Without a display, QT_QPA_PLATFORM=offscreen renders --screenshot and --state."
    )


def check_before_start() -> str:
    """Why the window cannot start here ("" when it can, or when another platform is used)."""
    if not sys.platform.startswith("linux"):
        return ""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return ""
    if not platform and os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return ""
    missing = missing_libraries()
    return explain(missing) if missing else ""

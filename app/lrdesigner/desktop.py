"""`lrdesigner install-desktop`: put the desktop entry, AppStream metadata and icons in the XDG folders."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from . import resources


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the XDG spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """The command that starts LR Designer: the bundle's executable, the installed script, or this
    Python running the command-line module."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    found = shutil.which("lrdesigner")
    if found:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "lrdesigner.cli"]


def _exec_quote(arg: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the Desktop Entry specification requires."""
    arg = arg.replace("%", "%%")
    if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        return arg
    return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'


def desktop_entry(command: list[str] | None = None) -> str:
    """The shipped desktop entry with its Exec key running `command` (default: launcher())."""
    text = resources.path("desktop", f"{resources.APP_ID}.desktop").read_text(encoding="utf-8")
    args = command if command is not None else launcher()
    # Exec quoting first, then the string escaping every desktop entry value gets (a backslash doubled).
    exec_line = (" ".join(_exec_quote(a) for a in args) + " gui %f").replace("\\", "\\\\")
    lines = [f"Exec={exec_line}" if line.startswith("Exec=") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def install(target: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the desktop entry, the metainfo file and the icons under `target` (default: data_home());
    return the files written."""
    base = target if target is not None else data_home()
    written: list[Path] = []

    def put(dest: Path, data: bytes) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
        written.append(dest)

    put(base / "applications" / f"{resources.APP_ID}.desktop", desktop_entry(command).encode("utf-8"))
    put(
        base / "metainfo" / f"{resources.APP_ID}.metainfo.xml",
        resources.path("desktop", f"{resources.APP_ID}.metainfo.xml").read_bytes(),
    )
    for size in resources.ICON_SIZES:
        put(
            base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{resources.APP_ID}.png",
            resources.icon_png(size).read_bytes(),
        )
    put(
        base / "icons" / "hicolor" / "scalable" / "apps" / f"{resources.APP_ID}.svg",
        resources.icon_svg().read_bytes(),
    )
    return written

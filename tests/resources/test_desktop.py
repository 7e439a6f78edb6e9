"""The desktop entry, its AppStream metadata, and `lrdesigner install-desktop` into the XDG folders."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from lrdesigner import desktop, resources
from lrdesigner.cli import main

ENTRY = resources.path("desktop", f"{resources.APP_ID}.desktop")
METAINFO = resources.path("desktop", f"{resources.APP_ID}.metainfo.xml")


def _validate_entry(path, skip_without_validator=True):
    if not shutil.which("desktop-file-validate"):
        if skip_without_validator:
            pytest.skip("desktop-file-validate is not installed")
        return
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower()


def _keys(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_shipped_entry_validates():
    _validate_entry(ENTRY)


def test_the_shipped_entry_opens_files_in_the_window_and_names_the_icon():
    keys = _keys(ENTRY)
    assert keys["Type"] == "Application"
    assert keys["Exec"] == "lrdesigner gui %f"
    assert keys["Icon"] == resources.APP_ID


def test_the_appstream_metadata_validates():
    if not shutil.which("appstreamcli"):
        pytest.skip("appstreamcli is not installed")
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_install_desktop_writes_entry_metadata_and_icons_into_xdg_data_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["install-desktop"]) == 0
    entry = tmp_path / "applications" / f"{resources.APP_ID}.desktop"
    assert str(entry) in capsys.readouterr().out
    _validate_entry(entry, skip_without_validator=False)
    assert _keys(entry)["Exec"].endswith(" gui %f")
    assert (tmp_path / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    for size in resources.ICON_SIZES:
        installed = tmp_path / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{resources.APP_ID}.png"
        assert installed.read_bytes() == resources.icon_png(size).read_bytes()
    svg = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{resources.APP_ID}.svg"
    assert svg.read_bytes() == resources.icon_svg().read_bytes()


def test_install_desktop_twice_replaces_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop"]) == 0
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_requires(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop.data_home() == tmp_path / ".local" / "share"


def test_prefix_overrides_the_xdg_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["install-desktop", "--prefix", str(tmp_path / "other")]) == 0
    assert (tmp_path / "other" / "applications" / f"{resources.APP_ID}.desktop").is_file()
    assert not (tmp_path / "xdg").exists()


def test_a_target_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["install-desktop", "--prefix", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert "install-desktop" in err and str(blocker) in err


def test_exec_quotes_a_launcher_path_with_spaces_and_specials(tmp_path):
    text = desktop.desktop_entry(["/opt/my apps/lr$designer", "--flag=50%"])
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line == 'Exec="/opt/my apps/lr\\\\$designer" "--flag=50%%" gui %f'
    path = tmp_path / "quoted.desktop"
    path.write_text(text, encoding="utf-8")
    _validate_entry(path)


def test_the_launcher_is_an_absolute_command(monkeypatch):
    command = desktop.launcher()
    assert Path(command[0]).is_absolute()

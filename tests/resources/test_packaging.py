"""Resources travel with the app: a wheel carries them, and the bundle's one-function SciPy filter
computes what SciPy computes."""

import importlib.util
import os
import runpy
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from lrdesigner import resources

ROOT = Path(__file__).resolve().parents[2]


def test_a_source_checkout_reads_the_repository_resources():
    assert (ROOT / "resources" / "icons").is_dir()
    assert resources.root() in (ROOT / "resources", Path(resources.__file__).resolve().parent / "_resources")


def test_the_wheel_ships_icons_desktop_files_and_examples_but_not_the_generators(tmp_path):
    pytest.importorskip("setuptools")
    if importlib.util.find_spec("setuptools.command.bdist_wheel") is None:
        pytest.importorskip("wheel")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "app", source / "app", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "resources", source / "resources", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path / "wheels"),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = (tmp_path / "wheels").glob("lrdesigner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = "lrdesigner/_resources/"
    expected = {
        str(p.relative_to(ROOT / "resources"))
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
        and p.suffix != ".sh"
        and not p.name.startswith("make_")
        and "__pycache__" not in p.parts
        and "screenshots" not in p.parts
    }
    assert {n[len(packaged) :] for n in names if n.startswith(packaged)} == expected
    assert packaged + "icons/lrdesigner.svg" in names
    assert packaged + "examples/transformer-sort/logs/training.csv" in names


def test_the_bundles_lfilter_equals_scipys(tmp_path, monkeypatch):
    scipy_signal = pytest.importorskip("scipy.signal")
    sigtools = importlib.util.find_spec("scipy.signal._sigtools").origin
    folder = tmp_path / "scipy" / "signal"
    folder.mkdir(parents=True)
    os.symlink(sigtools, folder / os.path.basename(sigtools))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delitem(sys.modules, "scipy.signal")
    monkeypatch.delitem(sys.modules, "scipy.signal._sigtools", raising=False)
    runpy.run_path(str(ROOT / "packaging" / "rthook_scipy_signal.py"))
    bundled = sys.modules["scipy.signal"]
    assert bundled is not scipy_signal

    rng = np.random.default_rng(0)
    x = rng.normal(size=10_000).cumsum()
    for w in (0.0, 0.3, 0.6, 0.99, 0.999999):
        np.testing.assert_array_equal(
            bundled.lfilter([1.0 - w], [1.0, -w], x), scipy_signal.lfilter([1.0 - w], [1.0, -w], x)
        )
    with pytest.raises(NotImplementedError):
        bundled.lfilter([1.0], [1.0, -0.5], x, zi=[0.0])

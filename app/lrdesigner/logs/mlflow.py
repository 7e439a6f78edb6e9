"""MLflow's file store: `mlruns/<experiment>/<run>/metrics/<key>`, lines `timestamp value step`."""

from __future__ import annotations

import os
import re

import numpy as np

from .errors import LogError
from .series import LogRun, Series


def is_run_folder(path: str) -> bool:
    return os.path.isdir(os.path.join(path, "metrics")) and os.path.isfile(os.path.join(path, "meta.yaml"))


def run_folders(root: str) -> list[str]:
    """Run folders at or below `root` (a run, an experiment or an mlruns folder)."""
    if is_run_folder(root):
        return [root]
    out = []
    for dirpath, dirnames, _ in os.walk(root):
        if is_run_folder(dirpath):
            out.append(dirpath)
            dirnames[:] = []
        else:
            dirnames[:] = [d for d in sorted(dirnames) if not d.startswith(".") and d != ".trash"]
    return out


def _run_name(folder: str) -> str:
    try:
        with open(os.path.join(folder, "meta.yaml"), encoding="utf-8") as f:
            m = re.search(r"^run_name:\s*['\"]?(.*?)['\"]?\s*$", f.read(), re.M)
        if m and m.group(1):
            return m.group(1)
    except (OSError, UnicodeDecodeError):
        pass
    return os.path.basename(os.path.normpath(folder))


def read_metric_file(path: str, tag: str, run: str) -> Series:
    """One metric file; a last line without its newline (still being written) is left out."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    if raw and not raw.endswith(b"\n"):
        raw = raw[: raw.rfind(b"\n") + 1]
    steps, values, walls = [], [], []
    for lineno, line in enumerate(raw.split(b"\n"), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise LogError(path, "expected 'timestamp value step'", f"line {lineno}")
        try:
            wall = int(parts[0]) / 1000.0
            value = float(parts[1])
            step = int(parts[2]) if len(parts) == 3 else 0
        except ValueError:
            raise LogError(
                path, f"not a number in {line[:60].decode('utf-8', 'replace')!r}", f"line {lineno}"
            ) from None
        steps.append(step)
        values.append(value)
        walls.append(wall)
    return Series(tag, run, np.array(steps, np.int64), np.array(values), np.array(walls), "step", path)


def read_run(folder: str) -> LogRun:
    name = _run_name(folder)
    run = LogRun(name, folder)
    metrics = os.path.join(folder, "metrics")
    for dirpath, _, files in os.walk(metrics):
        for fname in sorted(files):
            full = os.path.join(dirpath, fname)
            tag = os.path.relpath(full, metrics).replace(os.sep, "/")
            run.add(read_metric_file(full, tag, name))
    return run

"""Open any supported log by path: the format is chosen by name and by content."""

from __future__ import annotations

import json
import os

from . import events, mlflow
from .errors import LogError, read_head
from .jsonlogs import read_jsonl, read_trainer_state
from .records import starts_with_record
from .series import LogRun
from .tabular import read_csv


def _tensorboard_runs(root: str) -> list[tuple[str, str]]:
    """(run name, folder) for every folder below `root` holding event files, as TensorBoard names
    them: the path relative to `root` (the root itself takes its own folder name)."""
    out = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        if any(events.is_event_file(f) for f in files):
            rel = os.path.relpath(dirpath, root)
            name = os.path.basename(os.path.normpath(root)) if rel == "." else rel.replace(os.sep, "/")
            out.append((name, dirpath))
    return out


def sniff_file(path: str) -> str:
    """The format of one file."""
    name = os.path.basename(path)
    if events.is_event_file(name):
        return "tensorboard"
    if name == "trainer_state.json":
        return "trainer_state"
    if os.path.basename(os.path.dirname(os.path.abspath(path))) == "metrics" and "." not in name:
        return "mlflow"
    head = read_head(path, 4096)
    if starts_with_record(head):
        return "tensorboard"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        if name.endswith(".jsonl") or b"\n{" in stripped or b"\n" not in stripped.rstrip():
            first = stripped.split(b"\n", 1)[0]
            try:
                obj = json.loads(first)
                return "trainer_state" if isinstance(obj, dict) and "log_history" in obj else "jsonl"
            except ValueError:
                pass
        return "trainer_state"
    return "csv"


def read(path: str) -> list[LogRun]:
    """Every run in a file or folder."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise LogError(path, "no such file or folder")
    if os.path.isdir(path):
        return _read_folder(path)
    fmt = sniff_file(path)
    if fmt == "tensorboard":
        return [events.read_run(path, os.path.basename(os.path.dirname(os.path.abspath(path))) or "run")]
    if fmt == "trainer_state":
        return [read_trainer_state(path)]
    if fmt == "jsonl":
        return [read_jsonl(path)]
    if fmt == "mlflow":
        folder = os.path.dirname(os.path.dirname(os.path.abspath(path)))
        return [mlflow.read_run(folder)]
    return read_csv(path)


def _read_folder(root: str) -> list[LogRun]:
    tb = _tensorboard_runs(root)
    if tb:
        return [events.read_run(folder, name) for name, folder in tb]
    runs = mlflow.run_folders(root)
    if runs:
        return [mlflow.read_run(r) for r in runs]
    found: list[LogRun] = []
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            if f == "metrics.csv":  # Lightning: version_N/metrics.csv
                for run in read_csv(full, name=rel if rel != "." else os.path.basename(root)):
                    found.append(run)
            elif f == "trainer_state.json":
                found.append(read_trainer_state(full, name=rel if rel != "." else os.path.basename(root)))
            elif f.endswith((".jsonl",)) or f == "metrics.json":
                found.append(read_jsonl(full))
    if not found:
        raise LogError(
            root,
            "no logs found: no TensorBoard event files, MLflow runs, metrics.csv, "
            "trainer_state.json or JSON lines in this folder",
        )
    return found

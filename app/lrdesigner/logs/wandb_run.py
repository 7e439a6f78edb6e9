"""W&B's binary run file (`run-<id>.wandb`), read with the `wandb` package's own record reader.

The package is optional: without it, reading such a file is a LogError naming the package.
History rows become series against their `_step`; nested keys are joined with `/`.
"""

from __future__ import annotations

import json
import math

import numpy as np

from .errors import LogError, read_head
from .series import LogRun, Series

NEEDS = "reading W&B run files (.wandb) needs the wandb package: pip install wandb"


def _records(path: str):
    try:
        from wandb.proto import wandb_internal_pb2
        from wandb.sdk.internal import datastore
    except ImportError:
        raise LogError(path, NEEDS) from None
    ds = datastore.DataStore()
    try:
        ds.open_for_scan(path)
    except (AssertionError, OSError, ValueError) as exc:
        raise LogError(path, f"not a W&B run file ({exc or 'bad header'})", "byte 0") from None
    index = 0
    while True:
        try:
            data = ds.scan_data()
        except AssertionError as exc:
            if ds.in_last_block():  # the run is still writing its last block
                return
            raise LogError(path, f"corrupt record ({exc})", f"record {index}") from None
        if data is None:
            return
        rec = wandb_internal_pb2.Record()
        rec.ParseFromString(data)
        yield index, rec
        index += 1


def read_wandb(path: str, name: str | None = None) -> LogRun:
    read_head(path, 16)
    columns: dict[str, tuple[list, list, list]] = {}
    for _, rec in _records(path):
        if rec.WhichOneof("record_type") != "history":
            continue
        row = {}
        for item in rec.history.item:
            key = item.key or "/".join(item.nested_key)
            try:
                row[key] = json.loads(item.value_json)
            except ValueError:
                continue
        step = row.get("_step", rec.history.step.num)
        wall = row.get("_timestamp", math.nan)
        for key, value in row.items():
            if key.startswith("_") or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            steps, values, walls = columns.setdefault(key, ([], [], []))
            steps.append(int(step))
            values.append(float(value))
            walls.append(float(wall) if isinstance(wall, (int, float)) else math.nan)
    run = LogRun(name or path, path)
    for key, (steps, values, walls) in columns.items():
        xs = np.array(steps, np.int64)
        run.add(Series(key, run.name, xs, np.array(values), np.array(walls), "step", path))
    return run

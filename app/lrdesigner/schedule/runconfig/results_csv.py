"""The LR columns of an Ultralytics / YOLOv5 results.csv beside a run's settings (read with the csv module)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np

from ..errors import DesignError
from .safe_read import read_text

#: `lr/pg0` (Ultralytics) or `x/lr0` (YOLOv5).
LR_COLUMN = re.compile(r"^(lr/pg|x/lr)\d+$")


@dataclass(frozen=True)
class ResultsCsv:
    """The first run of a results.csv: 0-based epochs, each LR column, the printed precision."""

    path: str
    epochs: np.ndarray  # 0-based
    columns: dict[str, np.ndarray]
    rel_tol: float  # 0.5 * 10 ** (1 - significant digits)
    epoch_base: int  # the first value of the epoch column: 1 in current Ultralytics, 0 in 8.0.x and YOLOv5
    appended: int  # runs appended after the first (the epoch column starting again), left out


def read_results(path: str) -> ResultsCsv:
    """The LR columns of `path`; DesignError naming the line of a cell that is not a number."""
    rows = list(csv.reader(io.StringIO(read_text(path))))
    rows = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
    if not rows or "epoch" not in rows[0]:
        raise DesignError("no epoch column: not a results.csv", path)
    header = rows[0]
    lr_cols = [i for i, h in enumerate(header) if LR_COLUMN.match(h)]
    if not lr_cols:
        raise DesignError("no lr/pgN or x/lrN column", path)
    ei = header.index("epoch")
    epochs, values, digits = [], {header[i]: [] for i in lr_cols}, 0
    for line, row in enumerate(rows[1:], start=2):
        try:
            epochs.append(int(float(row[ei])))
            for i in lr_cols:
                values[header[i]].append(float(row[i]))
                mantissa = row[i].lower().split("e")[0].lstrip("+-").replace(".", "").lstrip("0")
                digits = max(digits, len(mantissa))
        except (ValueError, IndexError):
            raise DesignError("a cell is missing or not a number", f"{path}: line {line}") from None
    e = np.array(epochs, dtype=np.int64)
    restarts = np.flatnonzero(np.diff(e) <= 0)
    end = int(restarts[0]) + 1 if len(restarts) else len(e)
    base = int(e[0]) if len(e) else 1
    cols = {k: np.array(v[:end], dtype=np.float64) for k, v in values.items()}
    if any(not np.all(np.isfinite(v)) for v in cols.values()):
        raise DesignError("an LR cell is not finite", path)
    return ResultsCsv(path, e[:end] - base, cols, 0.5 * 10.0 ** (1 - max(digits, 1)), base, len(restarts))


def bias_first(tags: list[str]) -> list[str]:
    """The LR tags in their numeric order."""
    return sorted(tags, key=lambda t: (t.split("/")[0], int(re.sub(r"\D", "", t) or 0)))


def significant(x: float) -> str:
    """A number as the settings would print it."""
    return f"{x:.6g}" if math.isfinite(x) else str(x)

"""CSV logs: Keras CSVLogger, Lightning metrics.csv, W&B chart exports and generic CSV/TSV.

Parsing is pandas' C reader. Values: numbers, `NaN`/`nan`, `inf`/`Infinity` (either sign), `NA`
and empty cells; non-finite values are kept (`Series.nonfinite_count` flags them). In Lightning's
sparse metrics.csv an *empty* cell means "not logged in this row" and is left out, while an
explicit `nan` is kept. A cell that is not a number in a numeric column is an error naming its
line; a column that is text throughout (a run name, a timestamp) is skipped with a warning.
A last line without its line end is still being written: it is left out (with a warning) until
it is complete.
"""

from __future__ import annotations

import csv
import io
import os
import re

import numpy as np

from .errors import LogError, read_head
from .series import LogRun, Series

#: Step-like column names, most specific first.
STEP_COLUMNS = (
    "step",
    "global_step",
    "trainer/global_step",
    "_step",
    "iteration",
    "training_iteration",
    "iter",
    "num_updates",
    "Step",
    "Iteration",
    "epoch",
    "Epoch",
)
_NA_TOKENS = {"", "NA", "N/A", "NaN", "nan", "NAN", "null", "None", "-nan", "n/a", "<NA>", "#N/A"}
_WANDB = re.compile(r"^(?P<run>.+) - (?P<key>.+?)(?P<suffix>__MIN|__MAX)?$")
#: The LR columns of an Ultralytics (`lr/pg0`) or YOLOv5 (`x/lr0`) results.csv.
_YOLO_LR = re.compile(r"^(lr/pg|x/lr)\d+$")


def _encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "utf-8-sig"


def _sniff(path: str) -> tuple[str, str, list[str], int]:
    """(encoding, delimiter, header cells, header line number) from the start of the file."""
    head = read_head(path, 65536)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LogError(path, "binary data, not a CSV file", f"byte {head.index(bytes(1))}")
    enc = _encoding(head)
    try:
        text = head.decode(enc)
    except UnicodeDecodeError as exc:
        if len(head) < 65536 or exc.start < len(head) - 4:  # not a character cut by the 64 KiB read
            raise LogError(path, f"not UTF-8 text ({exc.reason})", f"byte {exc.start}") from None
        text = head[: exc.start].decode(enc)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first:
        raise LogError(path, "no header line")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=counts.get) if max(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter))
    line = text.splitlines().index(first) + 1
    return enc, delimiter, [h.strip() for h in header], line


def has_step_column(head: bytes) -> bool:
    """Whether the first line of `head` is a CSV header naming a step-like column."""
    try:
        first = head.decode("utf-8-sig", "replace").lstrip().splitlines()[0]
    except IndexError:
        return False
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=counts.get)
    if not counts[delimiter]:
        return False
    cells = [c.strip().strip('"') for c in first.split(delimiter)]
    return _step_column(cells) is not None


def _step_column(header: list[str]) -> str | None:
    for name in STEP_COLUMNS:
        if name in header:
            return name
    return None


def kind_of(header: list[str], path: str) -> str:
    """Which CSV dialect a header belongs to."""
    if any(_WANDB.match(h) for h in header) and ("Step" in header or "step" in header):
        return "wandb"
    if "step" in header and "epoch" in header and os.path.basename(path) == "metrics.csv":
        return "lightning"
    if "epoch" in header and "step" not in header and any(_YOLO_LR.match(h) for h in header):
        return "ultralytics"
    if header and header[0] == "epoch" and "step" not in header:
        return "keras"
    return "csv"


def read_csv(path: str, name: str | None = None) -> list[LogRun]:
    """Read a CSV/TSV log; W&B exports with several runs give several runs."""
    import pandas as pd

    enc, delimiter, header, header_line = _sniff(path)
    source, partial = (path, 0) if enc == "utf-16" else _complete_lines(path)
    kind = kind_of(header, path)
    step_col = _step_column(header)
    if step_col is None:
        raise LogError(
            path,
            f"no step column: expected one of {', '.join(STEP_COLUMNS[:7])} or epoch "
            f"(found {', '.join(header[:8])})",
            f"line {header_line}",
        )
    try:
        # pandas' default NA spellings include "", NA, nan, NaN, null, None, N/A and <NA>.
        df = pd.read_csv(
            source,
            sep=delimiter,
            encoding=None if enc == "utf-8-sig" else enc,
            skiprows=header_line - 1,
            skip_blank_lines=False,
        )
    except UnicodeDecodeError as exc:
        raise LogError(path, f"not UTF-8 text ({exc.reason})", f"byte {exc.start}") from None
    except (pd.errors.ParserError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        place = f"line {int(line.group(1)) + header_line - 1}" if line else ""
        raise LogError(path, f"cannot parse as CSV: {str(exc).splitlines()[0]}", place) from None
    except pd.errors.EmptyDataError:
        raise LogError(path, "no data after the header", f"line {header_line}") from None
    df.columns = [str(c).strip() for c in df.columns]
    blank = df.isna().all(axis=1).to_numpy()
    first_data_line = header_line + 1
    warnings: list[str] = []
    if partial:
        warnings.append(f"line {partial}: incomplete (no line end yet): left out")
    columns = {}
    for col in df.columns:
        values = _numeric(df[col], path, col, first_data_line, warnings)
        if values is not None:
            columns[col] = values
    if step_col not in columns:
        raise LogError(path, f"the step column {step_col!r} is not numeric", f"line {header_line}")
    steps = columns.pop(step_col)
    rows = ~blank & np.isfinite(steps)
    bad = np.flatnonzero(~blank & ~np.isfinite(steps))
    if len(bad):
        raise LogError(path, f"{step_col} is missing or not a number", f"line {first_data_line + int(bad[0])}")
    if np.any(steps[rows] != np.floor(steps[rows])):
        at = int(np.flatnonzero(rows & (steps != np.floor(steps)))[0])
        raise LogError(path, f"{step_col} must be a whole number", f"line {first_data_line + at}")
    all_rows = bool(rows.all())
    int_steps = (steps if all_rows else np.where(rows, steps, 0)).astype(np.int64)
    empty = _empty_cells(source, enc, delimiter, header_line, list(columns)) if kind == "lightning" else {}
    x_kind = "epoch" if step_col.lower() == "epoch" else "step"
    if kind == "ultralytics":
        lr_columns = [c for c in columns if _YOLO_LR.match(c)]
        digits = _significant_digits(source, enc, delimiter, header_line, lr_columns)
        kept = {c: v[rows] for c, v in columns.items()}
        return _yolo_runs(path, name, int_steps[rows], kept, digits, warnings)
    runs: dict[str, LogRun] = {}
    default = name or os.path.splitext(os.path.basename(path))[0]
    for col, values in columns.items():
        if kind == "lightning" and col == "epoch":
            continue
        run_name, tag = default, col
        if kind == "wandb":
            m = _WANDB.match(col)
            if m:
                run_name, tag = m.group("run"), m.group("key") + (m.group("suffix") or "")
        keep = rows
        if col in empty:
            keep = keep & ~empty[col]
        if kind == "wandb":
            keep = keep & ~np.isnan(values)  # W&B leaves a cell empty where a run has no sample
        run = runs.setdefault(run_name, LogRun(run_name, path, warnings=warnings))
        xs = int_steps
        if keep is not rows or not all_rows:
            xs, values = int_steps[keep], values[keep]
        run.add(Series(tag, run_name, xs, values, None, x_kind, path))
    if not runs:
        raise LogError(
            path,
            f"no numeric metric columns besides {step_col!r} (found {', '.join(header[:8])})",
            f"line {header_line}",
        )
    return list(runs.values())


def _yolo_runs(
    path: str,
    name: str | None,
    epochs: np.ndarray,
    columns: dict[str, np.ndarray],
    digits: int,
    warnings: list[str],
) -> list[LogRun]:
    """The runs of an Ultralytics / YOLOv5 results.csv, named after its folder; appended runs
    (the epoch column starting again) become runs of their own."""
    base = name or os.path.basename(os.path.dirname(os.path.abspath(path))) or "results"
    starts = [0] + [int(i) + 1 for i in np.flatnonzero(np.diff(epochs) <= 0)]
    bounds = list(zip(starts, starts[1:] + [len(epochs)]))
    if len(bounds) > 1:
        firsts = ", ".join(str(int(epochs[a])) for a, _ in bounds)
        warnings = warnings + [
            f"the epoch column starts again {len(bounds) - 1} time(s) (epochs {firsts}): "
            f"{len(bounds)} runs appended to one file, read as {base!r} to "
            f"{base + f' ({len(bounds)})'!r}"
        ]
    rounding = 0.5 * 10.0 ** (1 - digits) if digits else 0.0
    runs = []
    for i, (a, b) in enumerate(bounds):
        run_name = base if i == 0 else f"{base} ({i + 1})"
        run = LogRun(run_name, path, warnings=warnings, writer="ultralytics")
        zero_based = int(epochs[a]) == 0 if b > a else True
        for col, values in columns.items():  # one number format for every column: the LRs' precision
            run.add(
                Series(
                    col,
                    run_name,
                    epochs[a:b],
                    values[a:b],
                    None,
                    "epoch",
                    path,
                    epoch_zero_based=zero_based,
                    rounding=rounding,
                )
            )
        runs.append(run)
    return runs


def _significant_digits(source, enc: str, delimiter: str, header_line: int, cols: list[str]) -> int:
    """The most significant digits written in these columns (`%.5g` and `%.6g` drop trailing zeros,
    so the longest cell tells the precision)."""
    import pandas as pd

    if not cols:
        return 0
    if isinstance(source, io.BytesIO):
        source.seek(0)
    raw = pd.read_csv(
        source,
        sep=delimiter,
        encoding=None if enc == "utf-8-sig" else enc,
        skiprows=header_line - 1,
        usecols=lambda c: str(c).strip() in cols,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skipinitialspace=True,
    )
    best = 0
    for col in raw.columns:
        mantissa = raw[col].str.strip().str.lower().str.split("e").str[0].str.lstrip("+-")
        digits = mantissa.str.replace(".", "", regex=False).str.lstrip("0").str.len()
        best = max(best, int(digits.max()) if len(digits) else 0)
    return best


def _numeric(col, path: str, name: str, first_line: int, warnings: list[str]) -> np.ndarray | None:
    """The column as float64, None for a text column, or LogError at a non-numeric cell."""
    import pandas as pd

    if col.dtype.kind in "fiub":
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    text = col.astype("string")
    parsed = pd.to_numeric(
        text.str.strip().replace({"Infinity": "inf", "+Infinity": "inf", "-Infinity": "-inf"}), errors="coerce"
    )
    present = text.notna().to_numpy()
    bad = present & parsed.isna().to_numpy() & ~text.str.strip().isin(_NA_TOKENS).fillna(False).to_numpy()
    if not bad.any():
        return parsed.to_numpy(dtype=np.float64, na_value=np.nan)
    if bad.sum() * 2 > present.sum():
        warnings.append(f"column {name!r} is text, not a metric: skipped")
        return None
    at = int(np.flatnonzero(bad)[0])
    raise LogError(
        path, f"column {name!r}: {str(text.iloc[at])[:40]!r} is not a number", f"line {first_line + at}"
    )


def _complete_lines(path: str) -> tuple[str | io.BytesIO, int]:
    """What to parse: the path, or its complete lines when the last line has no line end yet;
    and the number of that incomplete line (0 when there is none)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(size - 1, 0))
            if size == 0 or f.read(1) in (b"\n", b"\r"):
                return path, 0
            f.seek(0)
            data = f.read()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    cut = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
    return io.BytesIO(data[:cut]), data.count(b"\n", 0, cut) + 1


def _empty_cells(source, enc: str, delimiter: str, header_line: int, cols: list[str]) -> dict[str, np.ndarray]:
    """Per column, which cells are empty (Lightning: not logged in that row)."""
    import pandas as pd

    if isinstance(source, io.BytesIO):
        source.seek(0)
    raw = pd.read_csv(
        source,
        sep=delimiter,
        encoding=enc,
        skiprows=header_line - 1,
        skip_blank_lines=False,
        usecols=cols,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
    )
    return {c: (raw[c].str.strip() == "").to_numpy() for c in cols}

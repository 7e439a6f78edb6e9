"""JSON logs: Hugging Face `trainer_state.json` and JSON lines (detectron2, fairseq, Ray Tune's
`result.json`, generic). Nested objects are flattened with `/` (`info/learner/loss`), as Ray
Tune's `progress.csv` and TensorBoard name them."""

from __future__ import annotations

import json
import math
import os

import numpy as np

from .errors import LogError
from .series import LogRun, Series

#: Step-like keys, most specific first.
STEP_KEYS = ("step", "global_step", "training_iteration", "iteration", "iter", "num_updates", "epoch")
_NA = {"", "NA", "N/A", "NaN", "nan", "null", "None", "inf", "-inf", "Infinity", "-Infinity"}


def _number(value) -> float | None:
    """A JSON value as float: numbers, numeric strings (fairseq), null and NaN/inf spellings.
    None for text; LogError is left to the caller, which knows whether the key is numeric."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:
        return math.nan
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            return math.nan if text in _NA else None
    return None


class _Columns:
    """Collects (step, value) per key, with the line each came from for error messages."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.data: dict[str, tuple[list, list]] = {}
        self.text: dict[str, tuple[int, str]] = {}  # first non-numeric occurrence per key
        self.numeric: dict[str, int] = {}

    def add(self, key: str, step: int, value, place: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self.add(f"{key}/{k}", step, v, place)
            return
        v = _number(value)
        if v is None:
            if isinstance(value, list):
                return
            self.text.setdefault(key, (place, str(value)))
            return
        self.numeric[key] = self.numeric.get(key, 0) + 1
        steps, values = self.data.setdefault(key, ([], []))
        steps.append(step)
        values.append(v)

    def runs(self, name: str, x_kind: dict[str, str] | None = None) -> LogRun:
        run = LogRun(name, self.path)
        for key, (place, text) in self.text.items():
            if self.numeric.get(key):
                raise LogError(self.path, f"{key!r}: {text[:40]!r} is not a number", place)
            run.warnings.append(f"{key!r} is text, not a metric: skipped")
        for key, (steps, values) in self.data.items():
            run.add(
                Series(
                    key,
                    name,
                    np.array(steps, np.int64),
                    np.array(values, np.float64),
                    None,
                    (x_kind or {}).get(key, "step"),
                    self.path,
                )
            )
        return run


def _load_json(path: str):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LogError(path, f"not UTF-8 text ({exc.reason})", f"byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise LogError(path, f"not valid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None


def read_trainer_state(path: str, name: str | None = None, data=None) -> LogRun:
    """HF `trainer_state.json`: one series per key of `log_history`, against `step`."""
    data = _load_json(path) if data is None else data
    history = data.get("log_history") if isinstance(data, dict) else None
    if not isinstance(history, list):
        raise LogError(path, "no log_history list: not a Hugging Face trainer_state.json", "$")
    cols = _Columns(path)
    for i, entry in enumerate(history):
        place = f"$.log_history[{i}]"
        if not isinstance(entry, dict):
            raise LogError(path, "expected an object", place)
        step = entry.get("step")
        if isinstance(step, bool) or not isinstance(step, (int, float)) or step != int(step):
            raise LogError(path, f"step must be a whole number, got {step!r}", f"{place}.step")
        for key, value in entry.items():
            if key != "step":
                cols.add(key, int(step), value, f"{place}.{key}")
    return cols.runs(name or _run_name(path))


def read_jsonl(path: str, name: str | None = None) -> LogRun:
    """JSON lines, one object per line with a step-like key (detectron2 `metrics.json`, fairseq)."""
    cols = _Columns(path)
    step_key = None
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    with f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            if not raw.endswith(b"\n") and f.peek(1) == b"":
                try:  # a last line still being written: read it only if it is complete JSON
                    json.loads(raw)
                except ValueError:
                    break
            try:
                obj = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                raise LogError(path, f"not UTF-8 text ({exc.reason})", f"line {lineno}") from None
            except json.JSONDecodeError as exc:
                raise LogError(
                    path, f"not valid JSON: {exc.msg}", f"line {lineno}, column {exc.colno}"
                ) from None
            if not isinstance(obj, dict):
                raise LogError(path, "expected one JSON object per line", f"line {lineno}")
            if step_key is None:
                step_key = next((k for k in STEP_KEYS if k in obj), None)
                if step_key is None:
                    raise LogError(
                        path, f"no step key: expected one of {', '.join(STEP_KEYS)}", f"line {lineno}"
                    )
            raw_step = obj.get(step_key)
            step = _number(raw_step)
            if step is None or not math.isfinite(step) or step != int(step):
                raise LogError(path, f"{step_key} must be a whole number, got {raw_step!r}", f"line {lineno}")
            for key, value in obj.items():
                if key != step_key:
                    cols.add(key, int(step), value, f"line {lineno}")
    if step_key is None:
        raise LogError(path, "no JSON objects in the file")
    kind = "epoch" if step_key == "epoch" else "step"
    x_kind = {k: kind for k in cols.data}
    return cols.runs(name or _run_name(path), x_kind)


def _run_name(path: str) -> str:
    parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return parent or os.path.splitext(os.path.basename(path))[0]


def first_line(path: str, limit: int = 1 << 24) -> bytes:
    """A file's first line (at most `limit` bytes): a JSON-lines file's first record."""
    with open(path, "rb") as f:
        return f.readline(limit)


def starts_json_object(head: bytes) -> bool:
    """Whether text starts with `{` (after a BOM and blank space)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def looks_like_trainer_state(path: str, head: bytes) -> bool:
    """One JSON document whose first line is not a whole object (pretty-printed), or a one-line
    object with `log_history`."""
    if not starts_json_object(head):
        return False
    try:  # JSON lines: the first line is a whole object (it may be longer than the head)
        first = json.loads(first_line(path).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, OSError):
        return True  # one JSON document over several lines
    return isinstance(first, dict) and "log_history" in first


def has_log_history(path: str) -> bool:
    """Whether a JSON document holds a Trainer's `log_history` (else it is no log: a config)."""
    try:
        with open(path, "rb") as f:
            return b'"log_history"' in f.read()
    except OSError:
        return False


def has_step_key(path: str) -> bool:
    """Whether the first record names a step (else one object is a run summary, no log)."""
    try:
        first = json.loads(first_line(path).decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, OSError):
        return True  # not valid JSON: reported when read
    return isinstance(first, dict) and any(k in first for k in STEP_KEYS)

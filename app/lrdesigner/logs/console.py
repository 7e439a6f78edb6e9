"""Console output saved to a file (W&B's `output.log`, `python train.py > train.log`).

Two kinds of lines carry metrics:
- Keras's progress output: `Epoch 3/10` and then progress lines `... - loss: 0.41 - val_loss: 0.39`
  (Keras 3 and tf.keras, verbose 1 or 2). An epoch's values are those of its last progress line;
  x is the epoch numbered from 0, as the CSVLogger numbers it.
- Hugging Face Trainer's `{'loss': 0.69, 'learning_rate': 5e-05, 'epoch': 0.01}` lines (Python
  dict reprs; transformers 5 prints the numbers as strings). x is the line's `step` when it has
  one, otherwise the count of the Trainer's progress bar (`  5%|▌   | 50/1000 [...]`, optimizer
  updates) as redrawn right after the line (tqdm clears the bar, writes the line, redraws).
Progress bars overwrite themselves with carriage returns and backspaces; both split lines here.
An incomplete last line (no line end yet) is left out until it is complete.
"""

from __future__ import annotations

import ast
import re

import numpy as np

from .errors import LogError
from .series import LogRun, Series

ROUNDING = 5e-4  # both print 4 significant digits: relative error up to half a unit in the last
_NUM = r"[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf)"
_EPOCH = re.compile(r"^\s*Epoch (\d+)/(\d+)\s*$")
_KERAS_METRIC = re.compile(r"(?:^|\s-\s|\s)([A-Za-z_][\w./]*): (" + _NUM + r")(?=\s|$)")
_KERAS_PROGRESS = re.compile(r"^\s*\d+/(?:\d+|Unknown)\b")
_HF_DICT = re.compile(r"(\{'[A-Za-z_][^{}]*\})")
_BAR = re.compile(r"(?:^|\|)\s*(\d+)/(\d+) \[")
_BARE = re.compile(r"(?<=: )(-?nan|-?inf)(?=[,}])")
_NONFINITE = ("nan", "-nan", "inf", "-inf")
SNIFF = re.compile(rb"(?m)^\s*Epoch \d+/\d+\s*$|\{'(?:loss|eval_loss|learning_rate|train_loss)': ")


def looks_like_console_log(head: bytes) -> bool:
    """Whether the start of a text file holds Keras progress or HF Trainer metric lines."""
    return SNIFF.search(head) is not None


def read_console(path: str, name: str | None = None) -> LogRun:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise LogError(path, f"cannot read: {exc.strerror or exc}") from None
    end = max(raw.rfind(b"\n"), raw.rfind(b"\r")) + 1
    text = raw[:end].decode("utf-8", "replace")
    keras: dict[str, tuple[list, list]] = {}
    hf: dict[str, tuple[list, list]] = {}
    epoch = None
    pending: dict[str, float] = {}
    waiting: list[tuple[dict, int]] = []  # HF lines without a step: the Trainer's bar shows it when redrawn
    bar_step, bar_total, hf_lines = None, 0, 0

    def flush() -> None:
        for key, value in pending.items():
            steps, values = keras.setdefault(key, ([], []))
            steps.append(epoch)
            values.append(value)
        pending.clear()

    def emit(obj: dict, step: int) -> None:
        for key, value in obj.items():
            if key in ("step", "global_step") or isinstance(value, bool):
                continue
            if isinstance(value, str):  # transformers 5 prints the numbers as strings
                try:
                    value = float(value)
                except ValueError:
                    continue
            if isinstance(value, (int, float)):
                steps, values = hf.setdefault(key, ([], []))
                steps.append(step)
                values.append(float(value))

    for lineno, line in enumerate(text.split("\n"), 1):
        for piece in re.split(r"[\r\x08]+", line):
            if not piece.strip():
                continue
            m = _EPOCH.match(piece)
            if m:
                if epoch is not None:
                    flush()
                epoch = int(m.group(1)) - 1
                continue
            if epoch is not None and _KERAS_PROGRESS.match(piece):
                found = {k: float(v) for k, v in _KERAS_METRIC.findall(piece)}
                if found:
                    pending = found
                continue
            items = [(b.start(), "bar", b) for b in _BAR.finditer(piece)]
            items += [(d.start(), "dict", d) for d in _HF_DICT.finditer(piece)]
            for _, kind, m in sorted(items, key=lambda t: t[0]):
                if kind == "bar":
                    k, total = int(m.group(1)), int(m.group(2))
                    if total < bar_total:  # an evaluation bar: the Trainer's counts every update
                        continue
                    bar_total, bar_step = total, k
                    for obj, _ in waiting:
                        emit(obj, k)
                    waiting.clear()
                    continue
                try:  # nan and inf are printed bare: quote them for literal_eval
                    obj = ast.literal_eval(_BARE.sub(r"'\1'", m.group(1)))
                except (ValueError, SyntaxError):
                    raise LogError(path, "a metrics line that is not a Python dict", f"line {lineno}") from None
                if not isinstance(obj, dict):
                    continue
                hf_lines += 1
                step = obj.get("step", obj.get("global_step"))
                if isinstance(step, int) and not isinstance(step, bool):
                    emit(obj, step)
                else:
                    waiting.append((obj, hf_lines))
    if epoch is not None:
        flush()
    for obj, index in waiting:  # no bar drawn after them
        emit(obj, bar_step + 1 if bar_step is not None else index)
    run = LogRun(name or path, path)
    if end < len(raw.rstrip(b" \t")):
        run.warnings.append(f"line {text.count(chr(10)) + 1}: incomplete (no line end yet): left out")
    for key, (steps, values) in keras.items():
        xs = np.array(steps, np.int64)
        run.add(Series(key, run.name, xs, np.array(values), None, "epoch", path, rounding=ROUNDING))
    for key, (steps, values) in hf.items():
        if key in run.series:
            key = f"hf/{key}"
        xs = np.array(steps, np.int64)
        run.add(Series(key, run.name, xs, np.array(values), None, "step", path, rounding=ROUNDING))
    if hf and bar_step is None and not any(k in ("step", "global_step") for k in hf):
        run.warnings.append("no step numbers in the Trainer's lines and no progress bar: x counts the lines")
    if not run.series:
        raise LogError(path, "no metrics found: no Keras progress lines or Hugging Face Trainer metric lines")
    return run

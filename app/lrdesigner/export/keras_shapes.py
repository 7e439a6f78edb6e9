"""The design's shapes as Keras source: one function per shape, `lr = shape(segment, steps_in)`,
each a shape's `templates.keras` (or `templates.keras_plain`).

`steps_in` is a float tensor of steps since the segment's start. The formulas mirror
`lrdesigner.schedule.shapes` one for one. They call `ops` (keras.ops, or the tf.keras module's
equivalent) and Python's operators except for `cos` and `floor`, which the module takes from
the backend's own array library: keras.ops computes float64 input to those in float32 on the
JAX and PyTorch backends.
"""

from __future__ import annotations

import re

from ..schedule.shapes import get_shape
from .source import compact_literal

ALONG_WAVE = '''
def _along_wave(segment, steps_in, wave):
    """lr_start .. lr_end along `wave(phase)`, the phase running over its window."""
    params, lr_start, lr_end = segment["params"], segment["lr_start"], segment["lr_end"]
    first, last = params["phase_start"], params["phase_end"]
    phase = first + (last - first) * (steps_in / segment["steps"])
    top, bottom = wave(first + 0.0 * phase, params), wave(last + 0.0 * phase, params)
    span = 0.0 if lr_start == lr_end else (lr_start - lr_end) / (top - bottom)
    return lr_end - span * bottom + span * wave(phase, params)
'''

#: The backend-native functions a Keras shape source may call, in the order they are imported.
NATIVES = ("cos", "floor")


def _template(name: str):
    return get_shape(name).templates


def _source(name: str, plain: set[str]) -> str:
    """The Keras source of shape `name`: its plain one when `name` is in `plain`."""
    templates = _template(name)
    return templates.keras_plain if name in plain else templates.keras


def calls(source: str, function: str) -> bool:
    """Whether `source` calls the bare function `function` (not a method of that name)."""
    return re.search(rf"(?<![\w.]){function}\(", source) is not None


def uses_math(shapes: list[str], plain: set[str] = frozenset()) -> bool:
    """Whether the sources of `shapes` use the `math` module."""
    return any("math." in _source(s, plain) for s in shapes)


def plain_shapes(design) -> set[str]:
    """The shapes of `design` that can take their PLAIN source: every segment of the shape
    leaves the parameters that source does not read at their defaults."""
    plain = {segment.shape for segment in design.segments if _template(segment.shape).keras_plain}
    for segment in design.segments:
        if segment.shape in plain:
            defaults = {p.name: p.default for p in get_shape(segment.shape).params}
            read = _template(segment.shape).keras_plain_reads
            if any(value != defaults[name] for name, value in segment.params if name not in read):
                plain.discard(segment.shape)
    return plain


def shapes_source(shapes: list[str], plain: set[str] = frozenset()) -> str:
    """The functions for `shapes` (design order, no repeats; those in `plain` with their PLAIN
    source) and the SHAPES table of each function with the parameters it reads."""
    used = list(dict.fromkeys(shapes))
    sources = [_source(s, plain) for s in used]
    parts = []
    if any("_along_wave(" in source for source in sources):
        parts.append(ALONG_WAVE)
    parts += sources

    rows, flat_rows = [], []
    for s in used:
        read = _template(s).keras_plain_reads if s in plain else None
        defaults = {p.name: p.default for p in get_shape(s).params if read is None or p.name in read}
        row = f'"{s}": ({s}, {compact_literal(defaults)})'
        flat_rows.append(row)
        if len(row) + 5 > 88:  # laid out as `ruff format` lays out a tuple that does not fit
            row = f'"{s}": (\n        {s},\n        {compact_literal(defaults, 2, 9)},\n    )'
        rows.append(row)
    flat = "SHAPES = {" + ", ".join(flat_rows) + "}"
    table = flat if len(flat) <= 88 else "SHAPES = {\n" + "".join(f"    {r},\n" for r in rows) + "}"
    parts.append("#: Each shape's function and the parameters it reads, with their defaults.\n" + table)
    return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"


def natives(shapes: list[str], plain: set[str] = frozenset()) -> list[str]:
    """The backend-native functions the shapes in `shapes` call (those in `plain` with their
    PLAIN source), in a fixed order."""
    sources = [_source(s, plain) for s in dict.fromkeys(shapes)]
    return [name for name in NATIVES if any(calls(source, name) for source in sources)]

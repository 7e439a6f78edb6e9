"""The design's curve as generated source: one small factory per shape, shared by the plain
Python, PyTorch and optax targets.

Each factory (a shape's `templates.array`) takes a segment of the embedded design and an
arithmetic namespace `ops` (Python's `math` for scalars, or the target's array ops) and returns
`lr(steps_in)` for the steps since the segment's start (floats). The operations mirror the
shape's own evaluation one for one, so the plain-Python target reproduces the design's float64
values exactly.
"""

from __future__ import annotations

from ..schedule.shapes import SHAPES, get_shape

PROFILE = '''
def _profile(segment, ops, wave):
    """lr(steps_in) along `wave(phase)`, the phase running over the segment's window."""
    params, steps = segment["params"], segment["steps"]
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    first, last = params.get("phase_start", 0.0), params.get("phase_end", 1.0)
    if first == 0.0 and last == 1.0:
        base, span = lr_end, lr_start - lr_end
        return lambda steps_in: base + span * wave(steps_in / steps, ops, params)
    if lr_start == lr_end:
        base, span = lr_start, 0.0
    else:
        top, bottom = wave(first, _MATH, params), wave(last, _MATH, params)
        span = (lr_start - lr_end) / (top - bottom)
        base = lr_end - span * bottom

    def lr(steps_in):
        phase = first + (last - first) * (steps_in / steps)
        return base + span * wave(phase, ops, params)

    return lr
'''

MATH = '''
def _power(base, exponent):
    """base ** exponent, inf where it overflows (as the array libraries give)."""
    try:
        return base**exponent
    except OverflowError:
        return math.inf


#: Scalar float64 arithmetic, used for Python floats (and for constants computed once).
_MATH = SimpleNamespace(
    power=_power,
    cos=math.cos,
    sqrt=math.sqrt,
    log1p=math.log1p,
    floor=lambda value: float(math.floor(value)),
    where=lambda condition, if_true, if_false: if_true if condition else if_false,
    maximum=max,
    minimum=min,
)
'''

PIECES = '''
def _pieces(design, ops):
    """(start step, lr(steps_in)) for each segment of `design`, and the total steps."""
    pieces, start = [], 0
    for number, segment in enumerate(design["segments"]):
        try:
            factory = _SHAPES[segment["shape"]]
        except KeyError:
            raise ValueError(
                f"segment {number} has shape {segment['shape']!r}, which this "
                f"module does not contain (it has {', '.join(_SHAPES)}); export the "
                'design again with "Include every shape" (lrdesigner export '
                "--all-shapes)"
            ) from None
        pieces.append((start, factory(segment, ops)))
        start += segment["steps"]
    return pieces, start
'''


#: The functions the shape factories call on `ops`, in the order they are written out.
ARRAY_FUNCTIONS = ("power", "cos", "sqrt", "log1p", "floor", "where", "maximum", "minimum")


def array_namespace(module: str, indent: str = "", **overrides: str) -> str:
    """Source of `SimpleNamespace(power=module.power, ...)` for an array library, laid out as
    `ruff format` lays it out; `overrides` replace single entries (`log1p="tf.math.log1p"`)."""
    entries = {name: overrides.get(name, f"{module}.{name}") for name in ARRAY_FUNCTIONS}
    rows = "".join(f"{indent}    {name}={source},\n" for name, source in entries.items())
    return f"SimpleNamespace(\n{rows}{indent})"


def every_shape() -> list[str]:
    """The names of every registered shape (for an export that loads any design)."""
    return list(SHAPES)


def shape_source(shapes: list[str]) -> str:
    """Source of the factories for `shapes` (in design order, no repeats) and the `_SHAPES` table."""
    used = list(dict.fromkeys(shapes))
    sources = [get_shape(s).templates.array for s in used]
    parts = [MATH]
    if any("_profile(" in source for source in sources):
        parts.append(PROFILE)
    parts += sources
    table = "".join(f'    "{s}": _{s},\n' for s in used)
    parts.append(f"\n_SHAPES = {{\n{table}}}\n")
    parts.append(PIECES)
    return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"

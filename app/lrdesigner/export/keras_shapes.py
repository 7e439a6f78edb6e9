"""The design's shapes as Keras source: one function per shape, `lr = shape(segment, steps_in)`.

`steps_in` is a float tensor of steps since the segment's start. The formulas mirror
`lrdesigner.schedule.shapes` one for one. They call `ops` (keras.ops, or the tf.keras module's
equivalent) and Python's operators except for `cos` and `floor`, which the module takes from
the backend's own array library: keras.ops computes float64 input to those in float32 on the
JAX and PyTorch backends.
"""

from __future__ import annotations

#: Segment shapes whose curve follows a wave from 1 to 0 over a phase window.
WAVES = ("cosine", "polynomial", "one_minus_sqrt", "sqrt_warmup", "tanh")

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

SHAPES: dict[str, str] = {
    "constant": '''
def constant(segment, steps_in):
    """lr_start throughout."""
    return segment["lr_start"] + 0.0 * steps_in
''',
    "linear": '''
def linear(segment, steps_in):
    """A straight line from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    return lr_start + (lr_end - lr_start) * (steps_in / segment["steps"])
''',
    "cosine": '''
def _cosine_wave(phase, params):
    if params["k_decay"] != 1.0:  # timm's k_decay: the phase runs as phase ** k
        phase = phase ** params["k_decay"]
    wave = 0.5 * (1.0 + cos(math.pi * phase))
    return wave if params["exponent"] == 1.0 else wave ** params["exponent"]


def cosine(segment, steps_in):
    """Half a cosine wave from lr_start down to lr_end (optax's `exponent` applies)."""
    return _along_wave(segment, steps_in, _cosine_wave)
''',
    "polynomial": '''
def _polynomial_wave(phase, params):
    if params["k_decay"] != 1.0:  # timm's k_decay: the phase runs as phase ** k
        phase = phase ** params["k_decay"]
    return ops.where(phase < 1.0, 1.0 - phase, 0.0) ** params["power"]


def polynomial(segment, steps_in):
    """(1 - phase) ** power from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _polynomial_wave)
''',
    "one_minus_sqrt": '''
def _one_minus_sqrt_wave(phase, _params):
    inside = ops.where(phase > 0.0, ops.where(phase < 1.0, phase, 1.0), 0.0)
    return 1.0 - ops.sqrt(inside)


def one_minus_sqrt(segment, steps_in):
    """The 1 - sqrt cooldown (WSD) from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _one_minus_sqrt_wave)
''',
    "sqrt_warmup": '''
def _sqrt_warmup_wave(phase, _params):
    rest = 1.0 - phase
    return ops.sqrt(ops.where(rest > 0.0, ops.where(rest < 1.0, rest, 1.0), 0.0))


def sqrt_warmup(segment, steps_in):
    """The sqrt(1 - phase) curve from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _sqrt_warmup_wave)
''',
    "tanh": '''
def _tanh_wave(phase, params):
    lower, upper = params["lb"], params["ub"]
    return 1.0 / (1.0 + math.e ** (2.0 * (lower + (upper - lower) * phase)))


def tanh(segment, steps_in):
    """timm's tanh curve from lr_start to lr_end."""
    return _along_wave(segment, steps_in, _tanh_wave)
''',
    "exponential": '''
def exponential(segment, steps_in):
    """lr_start * rate ** (steps_in / every)."""
    params = segment["params"]
    return segment["lr_start"] * params["rate"] ** (steps_in / params["every"])
''',
    "staircase": '''
def staircase(segment, steps_in):
    """lr_start * factor ** floor(steps_in / every)."""
    params = segment["params"]
    return segment["lr_start"] * params["factor"] ** floor(steps_in / params["every"])
''',
    "inverse_power": '''
def inverse_power(segment, steps_in):
    """lr_start / (1 + steps_in / tau) ** power, held for `every` steps."""
    params = segment["params"]
    if params["every"] > 1:
        steps_in = floor(steps_in / params["every"]) * params["every"]
    return segment["lr_start"] * (1.0 + steps_in / params["tau"]) ** -params["power"]
''',
    "cyclic": '''
def cyclic(segment, steps_in):
    """torch's CyclicLR between lr_start and max_lr (mode: triangular, ...)."""
    params, lr_start = segment["params"], segment["lr_start"]
    period = float(params["step_size_up"] + params["step_size_down"])
    rising = params["step_size_up"] / period
    cycle = floor(1.0 + steps_in / period)
    position = 1.0 + steps_in / period - cycle
    scale = ops.where(
        position <= rising, position / rising, (position - 1.0) / (rising - 1.0)
    )
    if params["mode"] == "triangular2":
        scale = scale * 0.5 ** (cycle - 1.0)
    elif params["mode"] == "exp_range":
        scale = scale * params["gamma"] ** steps_in
    return lr_start + (params["max_lr"] - lr_start) * scale
''',
    "cosine_restarts": '''
def cosine_restarts(segment, steps_in):
    """Cosine cycles from lr_start to lr_min (t_mul: length, m_mul: height ratio)."""
    params, lr_start = segment["params"], segment["lr_start"]
    period, t_mul, lr_min = params["period"], params["t_mul"], params["lr_min"]

    def cycle_start(index):
        if t_mul == 1.0:
            return period * index
        return period * (t_mul**index - 1.0) / (t_mul - 1.0)

    if t_mul == 1.0:
        index = floor(steps_in / period)
    else:
        index = floor(ops.log1p(steps_in / period * (t_mul - 1.0)) / math.log(t_mul))
    # The float estimate of the cycle index can be off by one at a cycle boundary.
    index = ops.where(cycle_start(index) > steps_in, index - 1.0, index)
    index = ops.where(cycle_start(index + 1.0) <= steps_in, index + 1.0, index)
    start = cycle_start(index)
    fraction = (steps_in - start) / (cycle_start(index + 1.0) - start)
    wave = 0.5 * (1.0 + cos(math.pi * fraction))
    return lr_min + (lr_start - lr_min) * params["m_mul"] ** index * wave
''',
}

#: Shorter sources for wave shapes whose segments all leave the phase window (and k_decay,
#: exponent) at their defaults, with the parameters each reads: a design that does not bend or
#: split its curves exports none of that arithmetic.
PLAIN: dict[str, tuple[str, tuple[str, ...]]] = {
    "cosine": (
        '''
def cosine(segment, steps_in):
    """Half a cosine wave from lr_start down to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    wave = 0.5 * (1.0 + cos(math.pi * (steps_in / segment["steps"])))
    return lr_end + (lr_start - lr_end) * wave
''',
        (),
    ),
    "polynomial": (
        '''
def polynomial(segment, steps_in):
    """(1 - progress) ** power from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    progress = steps_in / segment["steps"]
    wave = ops.where(progress < 1.0, 1.0 - progress, 0.0) ** segment["params"]["power"]
    return lr_end + (lr_start - lr_end) * wave
''',
        ("power",),
    ),
    "one_minus_sqrt": (
        '''
def one_minus_sqrt(segment, steps_in):
    """The 1 - sqrt cooldown (WSD) from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    progress = ops.where(steps_in < segment["steps"], steps_in / segment["steps"], 1.0)
    return lr_end + (lr_start - lr_end) * (1.0 - ops.sqrt(progress))
''',
        (),
    ),
    "inverse_power": (
        '''
def inverse_power(segment, steps_in):
    """lr_start / (1 + steps_in / tau) ** power."""
    params = segment["params"]
    return segment["lr_start"] * (1.0 + steps_in / params["tau"]) ** -params["power"]
''',
        ("tau", "power"),
    ),
}

#: Which backend-native functions each shape calls.
NATIVE = {
    "cosine": ("cos",),
    "cosine_restarts": ("cos", "floor"),
    "staircase": ("floor",),
    "inverse_power": ("floor",),
    "cyclic": ("floor",),
}
#: Shapes whose source uses the `math` module.
USES_MATH = ("cosine", "cosine_restarts", "tanh")


def plain_shapes(design) -> set[str]:
    """The shapes of `design` that can take their PLAIN source: every segment of the shape
    leaves the parameters that source does not read at their defaults."""
    from ..schedule.shapes import SHAPES as REGISTRY

    plain = set(PLAIN) & {segment.shape for segment in design.segments}
    for segment in design.segments:
        if segment.shape in plain:
            defaults = {p.name: p.default for p in REGISTRY[segment.shape].params}
            read = PLAIN[segment.shape][1]
            if any(value != defaults[name] for name, value in segment.params if name not in read):
                plain.discard(segment.shape)
    return plain


def shapes_source(shapes: list[str], plain: set[str] = frozenset()) -> str:
    """The functions for `shapes` (design order, no repeats; those in `plain` with their PLAIN
    source) and the SHAPES table of each function with the parameters it reads."""
    used = list(dict.fromkeys(shapes))
    parts = []
    if any(s in WAVES and s not in plain for s in used):
        parts.append(ALONG_WAVE)
    parts += [PLAIN[s][0] if s in plain else SHAPES[s] for s in used]
    from ..schedule.shapes import SHAPES as REGISTRY
    from .source import compact_literal

    rows, flat_rows = [], []
    for s in used:
        defaults = {p.name: p.default for p in REGISTRY[s].params if s not in plain or p.name in PLAIN[s][1]}
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
    wanted = {name for s in shapes for name in NATIVE.get(s, ()) if s not in plain or f"{name}(" in PLAIN[s][0]}
    return [name for name in ("cos", "floor") if name in wanted]

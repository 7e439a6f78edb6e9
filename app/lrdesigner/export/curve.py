"""The design's curve as generated source: one small factory per shape, shared by every target.

Each factory takes a segment of the embedded design and an arithmetic namespace `ops` (Python's
`math` for scalars, or the target's array ops) and returns `lr(steps_in)` for the steps since the
segment's start (floats). The operations mirror `lrdesigner.schedule.shapes` one for one, so
the plain-Python target reproduces the design's float64 values exactly.
"""

from __future__ import annotations

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

SHAPES: dict[str, str] = {
    "constant": """
def _constant(segment, _ops):
    lr_start = segment["lr_start"]
    return lambda steps_in: lr_start + 0.0 * steps_in
""",
    "linear": """
def _linear(segment, _ops):
    lr_start, lr_end, steps = segment["lr_start"], segment["lr_end"], segment["steps"]
    return lambda steps_in: lr_start + (lr_end - lr_start) * (steps_in / steps)
""",
    "cosine": """
def _cosine_wave(phase, ops, params):
    k_decay = params.get("k_decay", 1.0)
    phase = phase if k_decay == 1.0 else phase**k_decay
    wave = 0.5 * (1.0 + ops.cos(math.pi * phase))
    return wave if params["exponent"] == 1.0 else wave ** params["exponent"]


def _cosine(segment, ops):
    return _profile(segment, ops, _cosine_wave)
""",
    "polynomial": """
def _polynomial_wave(phase, ops, params):
    k_decay = params.get("k_decay", 1.0)
    phase = phase if k_decay == 1.0 else phase**k_decay
    return ops.maximum(1.0 - phase, 0.0) ** params["power"]


def _polynomial(segment, ops):
    return _profile(segment, ops, _polynomial_wave)
""",
    "one_minus_sqrt": """
def _one_minus_sqrt_wave(phase, ops, _params):
    return 1.0 - ops.sqrt(ops.minimum(ops.maximum(phase, 0.0), 1.0))


def _one_minus_sqrt(segment, ops):
    return _profile(segment, ops, _one_minus_sqrt_wave)
""",
    "sqrt_warmup": """
def _sqrt_warmup_wave(phase, ops, _params):
    return ops.sqrt(ops.minimum(ops.maximum(1.0 - phase, 0.0), 1.0))


def _sqrt_warmup(segment, ops):
    return _profile(segment, ops, _sqrt_warmup_wave)
""",
    "tanh": """
def _half_tanh(position, ops):
    return 1.0 / (1.0 + ops.power(math.e, 2.0 * position))


def _tanh_wave(phase, ops, params):
    lower, upper = params["lb"], params["ub"]
    top, bottom = _half_tanh(lower, _MATH), _half_tanh(upper, _MATH)
    return (_half_tanh(lower + (upper - lower) * phase, ops) - bottom) / (top - bottom)


def _tanh(segment, ops):
    return _profile(segment, ops, _tanh_wave)
""",
    "exponential": """
def _exponential(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    rate, every = params["rate"], params["every"]
    return lambda steps_in: lr_start * ops.power(rate, steps_in / every)
""",
    "staircase": """
def _staircase(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    factor, every = params["factor"], params["every"]
    return lambda steps_in: lr_start * ops.power(factor, ops.floor(steps_in / every))
""",
    "inverse_power": """
def _inverse_power(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    tau, power, every = params["tau"], params["power"], params["every"]
    if every <= 1:
        return lambda steps_in: lr_start * (1.0 + steps_in / tau) ** -power

    def lr(steps_in):
        return lr_start * (1.0 + ops.floor(steps_in / every) * every / tau) ** -power

    return lr
""",
    "cyclic": """
def _cyclic(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    max_lr, mode, gamma = params["max_lr"], params["mode"], params["gamma"]
    period = float(params["step_size_up"] + params["step_size_down"])
    rising = params["step_size_up"] / period

    def lr(steps_in):
        cycle = ops.floor(1.0 + steps_in / period)
        position = 1.0 + steps_in / period - cycle
        up, down = position / rising, (position - 1.0) / (rising - 1.0)
        scale = ops.where(position <= rising, up, down)
        if mode == "triangular2":
            scale = scale * 0.5 ** (cycle - 1.0)
        elif mode == "exp_range":
            scale = scale * gamma**steps_in
        return lr_start + (max_lr - lr_start) * scale

    return lr
""",
    "cosine_restarts": """
def _cosine_restarts(segment, ops):
    lr_start, params = segment["lr_start"], segment["params"]
    period, t_mul, m_mul = params["period"], params["t_mul"], params["m_mul"]
    lr_min = params["lr_min"]

    def cycle_start(index):
        if t_mul == 1.0:
            return period * index
        return period * (t_mul**index - 1.0) / (t_mul - 1.0)

    def lr(steps_in):
        if t_mul == 1.0:
            index = ops.floor(steps_in / period)
        else:
            grown = ops.log1p(steps_in / period * (t_mul - 1.0))
            index = ops.floor(grown / math.log(t_mul))
        # The float estimate of the cycle index can be off by one at a cycle boundary.
        index = ops.where(cycle_start(index) > steps_in, index - 1.0, index)
        index = ops.where(cycle_start(index + 1.0) <= steps_in, index + 1.0, index)
        start = cycle_start(index)
        fraction = (steps_in - start) / (cycle_start(index + 1.0) - start)
        wave = 0.5 * (1.0 + ops.cos(math.pi * fraction))
        return lr_min + (lr_start - lr_min) * m_mul**index * wave

    return lr
""",
}

PROFILES = ("cosine", "polynomial", "one_minus_sqrt", "sqrt_warmup", "tanh")

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


def shape_source(shapes: list[str]) -> str:
    """Source of the factories for `shapes` (in design order, no repeats) and the `_SHAPES` table."""
    used = list(dict.fromkeys(shapes))
    parts = [MATH]
    if any(s in PROFILES for s in used):
        parts.append(PROFILE)
    parts += [SHAPES[s] for s in used]
    table = "".join(f'    "{s}": _{s},\n' for s in used)
    parts.append(f"\n_SHAPES = {{\n{table}}}\n")
    parts.append(PIECES)
    return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"

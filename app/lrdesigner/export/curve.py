"""The design's curve as generated source: one small factory per shape, shared by every target.

Each factory takes a segment of the embedded design and an arithmetic namespace `m` (Python's
`math` for scalars, or the target's array ops) and returns `lr(u)` for local steps `u` (floats,
`u = step - segment start`). The operations mirror `lrdesigner.schedule.shapes` one for one, so
the plain-Python target reproduces the design's float64 values exactly.
"""

from __future__ import annotations

PROFILE = '''
def _profile(seg, m, g):
    """lo + span * g(theta), theta running over the phase window (u: 0 .. steps)."""
    p, d = seg["params"], seg["steps"]
    a, b = seg["lr_start"], seg["lr_end"]
    t0, t1 = p.get("phase_start", 0.0), p.get("phase_end", 1.0)
    if t0 == 0.0 and t1 == 1.0:
        lo, span = b, a - b
        return lambda u: lo + span * g(u / d, m, p)
    if a == b:
        lo, span = a, 0.0
    else:
        g0, g1 = g(t0, _MATH, p), g(t1, _MATH, p)
        span = (a - b) / (g0 - g1)
        lo = b - span * g1
    return lambda u: lo + span * g(t0 + (t1 - t0) * (u / d), m, p)
'''

SHAPES: dict[str, str] = {
    "constant": '''
def _constant(seg, _m):
    a = seg["lr_start"]
    return lambda u: a + 0.0 * u
''',
    "linear": '''
def _linear(seg, _m):
    a, b, d = seg["lr_start"], seg["lr_end"], seg["steps"]
    return lambda u: a + (b - a) * (u / d)
''',
    "cosine": '''
def _cosine_g(theta, m, p):
    k = p.get("k_decay", 1.0)
    theta = theta if k == 1.0 else theta**k
    c = 0.5 * (1.0 + m.cos(math.pi * theta))
    return c if p["exponent"] == 1.0 else c ** p["exponent"]


def _cosine(seg, m):
    return _profile(seg, m, _cosine_g)
''',
    "polynomial": '''
def _polynomial_g(theta, m, p):
    k = p.get("k_decay", 1.0)
    theta = theta if k == 1.0 else theta**k
    return m.maximum(1.0 - theta, 0.0) ** p["power"]


def _polynomial(seg, m):
    return _profile(seg, m, _polynomial_g)
''',
    "one_minus_sqrt": '''
def _one_minus_sqrt_g(theta, m, _p):
    return 1.0 - m.sqrt(m.minimum(m.maximum(theta, 0.0), 1.0))


def _one_minus_sqrt(seg, m):
    return _profile(seg, m, _one_minus_sqrt_g)
''',
    "sqrt_warmup": '''
def _sqrt_warmup_g(theta, m, _p):
    return m.sqrt(m.minimum(m.maximum(1.0 - theta, 0.0), 1.0))


def _sqrt_warmup(seg, m):
    return _profile(seg, m, _sqrt_warmup_g)
''',
    "tanh": '''
def _half_tanh(z, m):
    return 1.0 / (1.0 + m.power(math.e, 2.0 * z))


def _tanh_g(theta, m, p):
    lb, ub = p["lb"], p["ub"]
    h0, h1 = _half_tanh(lb, _MATH), _half_tanh(ub, _MATH)
    return (_half_tanh(lb + (ub - lb) * theta, m) - h1) / (h0 - h1)


def _tanh(seg, m):
    return _profile(seg, m, _tanh_g)
''',
    "exponential": '''
def _exponential(seg, m):
    a, rate, every = seg["lr_start"], seg["params"]["rate"], seg["params"]["every"]
    return lambda u: a * m.power(rate, u / every)
''',
    "staircase": '''
def _staircase(seg, m):
    a, factor, every = seg["lr_start"], seg["params"]["factor"], seg["params"]["every"]
    return lambda u: a * m.power(factor, m.floor(u / every))
''',
    "inverse_power": '''
def _inverse_power(seg, m):
    p, a = seg["params"], seg["lr_start"]
    tau, power, every = p["tau"], p["power"], p["every"]
    if every <= 1:
        return lambda u: a * (1.0 + u / tau) ** -power
    return lambda u: a * (1.0 + m.floor(u / every) * every / tau) ** -power
''',
    "cyclic": '''
def _cyclic(seg, m):
    p, a = seg["params"], seg["lr_start"]
    top, mode, gamma = p["max_lr"], p["mode"], p["gamma"]
    total = float(p["step_size_up"] + p["step_size_down"])
    ratio = p["step_size_up"] / total

    def lr(u):
        cycle = m.floor(1.0 + u / total)
        x = 1.0 + u / total - cycle
        scale = m.where(x <= ratio, x / ratio, (x - 1.0) / (ratio - 1.0))
        if mode == "triangular2":
            scale = scale * 0.5 ** (cycle - 1.0)
        elif mode == "exp_range":
            scale = scale * gamma**u
        return a + (top - a) * scale

    return lr
''',
    "cosine_restarts": '''
def _cosine_restarts(seg, m):
    p, a = seg["params"], seg["lr_start"]
    period, t_mul, m_mul, lr_min = p["period"], p["t_mul"], p["m_mul"], p["lr_min"]

    def cycle_start(i):
        if t_mul == 1.0:
            return period * i
        return period * (t_mul**i - 1.0) / (t_mul - 1.0)

    def lr(u):
        if t_mul == 1.0:
            i = m.floor(u / period)
        else:
            i = m.floor(m.log1p(u / period * (t_mul - 1.0)) / math.log(t_mul))
        # The float estimate of the cycle index can be off by one at a cycle boundary.
        i = m.where(cycle_start(i) > u, i - 1.0, i)
        i = m.where(cycle_start(i + 1.0) <= u, i + 1.0, i)
        start = cycle_start(i)
        frac = (u - start) / (cycle_start(i + 1.0) - start)
        return lr_min + (a - lr_min) * m_mul**i * (0.5 * (1.0 + m.cos(math.pi * frac)))

    return lr
''',
}

PROFILES = ("cosine", "polynomial", "one_minus_sqrt", "sqrt_warmup", "tanh")

MATH = '''
def _power(x, y):
    """x ** y, inf where it overflows (as the array libraries give)."""
    try:
        return x**y
    except OverflowError:
        return math.inf


#: Scalar float64 arithmetic, used for Python floats (and for constants computed once).
_MATH = SimpleNamespace(
    power=_power,
    cos=math.cos,
    sqrt=math.sqrt,
    log1p=math.log1p,
    floor=lambda x: float(math.floor(x)),
    where=lambda cond, a, b: a if cond else b,
    maximum=max,
    minimum=min,
)
'''

PIECES = '''
def _pieces(design, m):
    """(start step, lr(u)) for each segment of `design`, and the total steps."""
    out, start = [], 0
    for i, seg in enumerate(design["segments"]):
        try:
            factory = _SHAPES[seg["shape"]]
        except KeyError:
            raise ValueError(
                f"segment {i} has shape {seg['shape']!r}, which this module does not "
                f"contain (it has {', '.join(_SHAPES)}); export the design again with "
                '"Include every shape" (lrdesigner export --all-shapes)'
            ) from None
        out.append((start, factory(seg, m)))
        start += seg["steps"]
    return out, start
'''


#: The functions the shape factories call on `m`, in the order they are written out.
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

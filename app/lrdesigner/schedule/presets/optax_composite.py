"""Presets reproducing optax's composite schedules: piecewise, one-cycle, SGDR, warmups, joins."""

from __future__ import annotations

from ..compose import join
from ..design import Design
from ..segment import Segment
from .optax import exponential_design, polynomial_design, warmup_cosine_decay
from .pieces import fit, need
from .registry import P, build_piece, preset

TOTAL_OPT = P("total_steps", "int", None, "Training length (default: the last boundary).", optional=True)


def _scales(boundaries: list[int], scales: list[float]) -> dict[int, float]:
    need(len(boundaries) == len(scales), "needs one scale per boundary", "scales")
    need(all(b >= 0 for b in boundaries), "must be >= 0 (step counts)", "boundaries")
    need(len(set(boundaries)) == len(boundaries), "must not repeat (they are dict keys)", "boundaries")
    need(all(s >= 0 for s in scales), "must be >= 0 (optax expects non-negative scales)", "scales")
    return dict(zip(boundaries, scales))


@preset(
    "optax.piecewise_constant_schedule",
    "optax piecewise_constant_schedule: init_value times every scale whose boundary the count "
    "has reached (switches at count >= boundary).",
    "holds the last value",
    P("init_value", "float", 1e-3, "LR before the first boundary."),
    P("boundaries", "ints", [30_000, 60_000], "Counts where a scale applies."),
    P("scales", "floats", [0.1, 0.1], "One factor per boundary."),
    P("total_steps", "int", 100_000, "Training length."),
)
def piecewise_constant_schedule(init_value, boundaries, scales, total_steps):
    table = sorted(_scales(boundaries, scales).items())
    need(not table or total_steps > table[-1][0], "must be > the last boundary", "total_steps")
    segs, start, value = [], 0, init_value
    for b, s in table:
        if b > start:
            segs.append(Segment.create("constant", b - start, value))
            start = b
        value *= s
    segs.append(Segment.create("constant", total_steps - start, value))
    return Design(tuple(segs), after_end="hold")


def interpolate(kind: str, init_value: float, table: dict[int, float], total: int | None) -> Design:
    """optax piecewise_interpolate_schedule as a design."""
    bounds, values = [0], [init_value]
    for b, s in sorted(table.items()):
        bounds.append(b)
        values.append(values[-1] * s)
    end = max(bounds[-1], 1) if total is None else total
    need(end >= 1, "must be >= 1", "total_steps")
    segs = []
    for i in range(len(bounds) - 1):
        lo, hi, a, b = bounds[i], bounds[i + 1], values[i], values[i + 1]
        if hi <= lo:
            continue
        if a == b:
            segs.append(Segment.create("constant", hi - lo, a))
        else:
            segs.append(Segment.create("linear" if kind == "linear" else "cosine", hi - lo, a, b))
    return Design(tuple(fit(segs, end, tail_lr=values[-1])), after_end="hold")


@preset(
    "optax.piecewise_interpolate_schedule",
    "optax piecewise_interpolate_schedule: values init_value * cumulative scales at the "
    "boundaries, joined by lines or cosines.",
    "holds the last value",
    P("interpolate_type", "str", "linear", "Curve between boundaries.", choices=("linear", "cosine")),
    P("init_value", "float", 1e-3, "LR at count 0."),
    P("boundaries", "ints", [10_000, 100_000], "Counts of the interpolation points."),
    P("scales", "floats", [1.0, 0.01], "Factor from each point's value to the next."),
    TOTAL_OPT,
)
def piecewise_interpolate_schedule(interpolate_type, init_value, boundaries, scales, total_steps):
    return interpolate(interpolate_type, init_value, _scales(boundaries, scales), total_steps)


def _onecycle_check(transition_steps: int, div_factor: float, final_div_factor: float) -> None:
    need(
        transition_steps >= 1, "must be >= 1 (optax refuses non-positive transition_steps)", "transition_steps"
    )
    need(div_factor > 0, "must be > 0", "div_factor")
    need(final_div_factor > 0, "must be > 0", "final_div_factor")


@preset(
    "optax.linear_onecycle_schedule",
    "optax linear_onecycle_schedule: lines from peak/div_factor up to peak at pct_start, back at "
    "pct_final, then down to peak/(div_factor*final_div_factor).",
    "holds the final value",
    P("transition_steps", "int", 100_000, "Length of the cycle."),
    P("peak_value", "float", 1e-3, "Peak LR."),
    P("pct_start", "float", 0.3, "Rise fraction."),
    P("pct_final", "float", 0.85, "Fraction where the fall back to the start value ends."),
    P("div_factor", "float", 25.0, "Start value = peak / div_factor."),
    P("final_div_factor", "float", 1e4, "Final value = start / final_div_factor."),
    TOTAL_OPT,
)
def linear_onecycle_schedule(
    transition_steps, peak_value, pct_start, pct_final, div_factor, final_div_factor, total_steps
):
    _onecycle_check(transition_steps, div_factor, final_div_factor)
    T = transition_steps
    table = {int(pct_start * T): div_factor, int(pct_final * T): 1.0 / div_factor, T: 1.0 / final_div_factor}
    need(all(b >= 0 for b in table), "must be >= 0", "pct_start")
    return interpolate("linear", peak_value / div_factor, table, total_steps)


@preset(
    "optax.cosine_onecycle_schedule",
    "optax cosine_onecycle_schedule: a cosine from peak/div_factor up to peak at pct_start, "
    "then down to peak/(div_factor*final_div_factor).",
    "holds the final value",
    P("transition_steps", "int", 100_000, "Length of the cycle."),
    P("peak_value", "float", 1e-3, "Peak LR."),
    P("pct_start", "float", 0.3, "Rise fraction."),
    P("div_factor", "float", 25.0, "Start value = peak / div_factor."),
    P("final_div_factor", "float", 1e4, "Final value = peak / (div_factor * final_div_factor)."),
    TOTAL_OPT,
)
def cosine_onecycle_schedule(
    transition_steps, peak_value, pct_start, div_factor, final_div_factor, total_steps
):
    _onecycle_check(transition_steps, div_factor, final_div_factor)
    T = transition_steps
    table = {int(pct_start * T): div_factor, int(T): 1.0 / (div_factor * final_div_factor)}
    need(all(b >= 0 for b in table), "must be >= 0", "pct_start")
    return interpolate("cosine", peak_value / div_factor, table, total_steps)


@preset(
    "optax.warmup_constant_schedule",
    "optax warmup_constant_schedule: a line from init_value to peak_value over warmup_steps, "
    "then peak_value (warmup_steps <= 0: optax gives the constant init_value).",
    "holds",
    P("init_value", "float", 0.0, "LR at count 0."),
    P("peak_value", "float", 1e-3, "LR after warmup."),
    P("warmup_steps", "int", 1000, "Steps of warmup."),
    P("total_steps", "int", 100_000, "Training length."),
)
def warmup_constant_schedule(init_value, peak_value, warmup_steps, total_steps):
    return polynomial_design(init_value, peak_value, 1.0, warmup_steps, 0, total_steps)


@preset(
    "optax.warmup_exponential_decay_schedule",
    "optax warmup_exponential_decay_schedule: linear warmup to peak_value, then "
    "exponential_decay from peak_value counting from the end of the warmup.",
    "keeps decaying (or holds end_value)",
    P("init_value", "float", 0.0, "LR at count 0."),
    P("peak_value", "float", 1e-3, "Peak LR."),
    P("warmup_steps", "int", 1000, "Steps of warmup."),
    P("transition_steps", "int", 1000, "Steps per factor of decay_rate."),
    P("decay_rate", "float", 0.9, "Decay factor."),
    P("transition_begin", "int", 0, "Steps held at peak_value after warmup."),
    P("staircase", "bool", False, "Decay in discrete steps."),
    P("end_value", "float", None, "Clip value (None: no clipping).", optional=True),
    P("total_steps", "int", 100_000, "Training length."),
)
def warmup_exponential_decay_schedule(
    init_value,
    peak_value,
    warmup_steps,
    transition_steps,
    decay_rate,
    transition_begin,
    staircase,
    end_value,
    total_steps,
):
    need(warmup_steps >= 0, "must be >= 0", "warmup_steps")
    need(total_steps > warmup_steps, "must be > warmup_steps", "total_steps")
    ramp = polynomial_design(init_value, peak_value, 1.0, warmup_steps, 0, max(warmup_steps, 1))
    decay = exponential_design(
        peak_value,
        transition_steps,
        decay_rate,
        transition_begin,
        staircase,
        end_value,
        total_steps - warmup_steps,
    )
    return join([ramp, decay], [warmup_steps], total_steps)


@preset(
    "optax.sgdr_schedule",
    "optax sgdr_schedule: warmup_cosine_decay_schedule pieces joined one after another (each "
    "list gives one value per piece).",
    "holds the last piece's end_value",
    P("init_values", "floats", [0.0, 0.0], "init_value of each piece."),
    P("peak_values", "floats", [1e-3, 5e-4], "peak_value of each piece."),
    P("warmup_steps", "ints", [1000, 1000], "warmup_steps of each piece."),
    P("decay_steps", "ints", [50_000, 50_000], "decay_steps of each piece (warmup included)."),
    P("end_values", "floats", [0.0, 0.0], "end_value of each piece."),
    P("exponents", "floats", None, "exponent of each piece (default 1.0).", optional=True),
)
def sgdr_schedule(init_values, peak_values, warmup_steps, decay_steps, end_values, exponents):
    n = len(decay_steps)
    exponents = [1.0] * n if exponents is None else exponents
    for name, values in (
        ("init_values", init_values),
        ("peak_values", peak_values),
        ("warmup_steps", warmup_steps),
        ("end_values", end_values),
        ("exponents", exponents),
    ):
        need(len(values) == n, f"needs one value per piece ({n})", name)
    need(n >= 1, "needs at least one piece", "decay_steps")
    pieces, bounds, step = [], [], 0
    for i in range(n):
        pieces.append(
            warmup_cosine_decay(
                init_values[i],
                peak_values[i],
                warmup_steps[i],
                decay_steps[i],
                end_values[i],
                exponents[i],
                None,
            )
        )
        step += decay_steps[i]
        bounds.append(step)
    return join(pieces, bounds[:-1], bounds[-1])


@preset(
    "optax.join_schedules",
    "optax join_schedules: schedule i runs from boundaries[i-1] on, counting its steps from 0 there.",
    "as the last schedule",
    P(
        "schedules",
        "presets",
        [
            {"preset": "optax.linear_schedule", "init_value": 0.0, "end_value": 1e-3, "transition_steps": 1000},
            {"preset": "optax.cosine_decay_schedule", "init_value": 1e-3, "decay_steps": 99_000},
        ],
        'Pieces: {"preset": NAME, ...arguments}.',
    ),
    P("boundaries", "ints", [1000], "Counts where the next schedule starts."),
    P("total_steps", "int", None, "Training length (default: the last schedule's end).", optional=True),
)
def join_schedules(schedules, boundaries, total_steps):
    pieces = [build_piece(item, f"schedules[{i}]") for i, item in enumerate(schedules)]
    need(len(boundaries) == len(pieces) - 1, "needs one boundary fewer than schedules", "boundaries")
    return join(pieces, boundaries, total_steps)

"""Library curves over integer step ranges, turned into monotonic segments."""

from __future__ import annotations

import math

from .errors import DesignError
from .segment import Segment


def cosine_curve(
    lo: int,
    hi: int,
    t_begin: float,
    t_end: float,
    start: float,
    end: float,
    exponent: float = 1.0,
    phase_scale: float = 1.0,
) -> list[Segment]:
    """Segments for `end + (start - end) * (0.5 * (1 + cos(pi * theta)))**exponent` over integer
    steps [lo, hi), with theta = phase_scale * (t - t_begin) / (t_end - t_begin).

    The range is split where theta crosses an integer, so that each piece runs monotonically
    between its two knots.
    """
    if hi <= lo:
        return []
    width = (t_end - t_begin) / phase_scale

    def theta(t: float) -> float:
        return (t - t_begin) / width

    def lr(t: float) -> float:
        c = 0.5 * (1.0 + math.cos(math.pi * theta(t)))
        return end + (start - end) * (c if exponent == 1.0 else c**exponent)

    cuts = [lo]
    k = math.floor(theta(lo)) + 1
    while True:
        t = math.ceil(t_begin + k * width)
        if t >= hi:
            break
        if t > cuts[-1]:
            cuts.append(t)
        k += 1
        if len(cuts) > 100_000:
            raise DesignError("too many half-cycles to represent", "phase")
    cuts.append(hi)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        t0, t1 = theta(a), theta(b)
        if t0 == 0.0 and t1 == 1.0:
            out.append(Segment.create("cosine", b - a, start, end, exponent=exponent))
            continue
        seg_start, seg_end = lr(a), lr(b)
        if seg_start == seg_end:
            out.append(Segment.create("constant", b - a, seg_start))
            continue
        g = [0.5 * (1.0 + math.cos(math.pi * t)) for t in (t0, t1)]
        if abs(g[0] ** exponent - g[1] ** exponent) < 1e-6:
            # Too little of the curve to fit its levels from the knots: a line is exact at both.
            out.append(Segment.create("linear", b - a, seg_start, seg_end))
            continue
        out.append(
            Segment.create("cosine", b - a, seg_start, seg_end, exponent=exponent, phase_start=t0, phase_end=t1)
        )
    return out


def linear_curve(lo: int, hi: int, t_begin: float, t_end: float, start: float, end: float) -> list[Segment]:
    """One linear segment over integer steps [lo, hi) of the line through (t_begin, start) and
    (t_end, end)."""
    if hi <= lo:
        return []

    def lr(t: float) -> float:
        return (end - start) * ((t - t_begin) / (t_end - t_begin)) + start

    if lr(hi) >= 0.0:
        return [Segment.create("linear", hi - lo, lr(lo), lr(hi))]
    # The line would cross 0 at its last step (torch's linear OneCycle anneal does at step
    # total_steps): keep it exact up to hi - 1 and stop at 0 there.
    head = [Segment.create("linear", hi - 1 - lo, lr(lo), lr(hi - 1))] if hi - 1 > lo else []
    return head + [Segment.create("linear", 1, lr(hi - 1), 0.0)]


def per_step_decay(steps: int, lr: float, gamma: float) -> Segment:
    """`lr * gamma ** u` over `steps` steps (torch ExponentialLR), written as `rate ** (u / every)`
    with `every` long enough that the exponent stays small: float32 targets then keep their
    precision over long runs."""
    every = max(1, steps // 100)
    if gamma != 1.0:
        every = max(1, min(every, int(600.0 / abs(math.log(gamma)))))
    return Segment.create("exponential", steps, lr, rate=gamma**every, every=every)

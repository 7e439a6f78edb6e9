"""Composition of designs: joined one after another (optax join_schedules, torch SequentialLR)
or multiplied (torch ChainedScheduler)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .curves import cosine_curve, per_step_decay
from .design import Design
from .errors import DesignError
from .segment import Segment, cut


def _continued(seg: Segment, n: int) -> list[Segment]:
    """Segments following `seg`'s own formula over local steps [0, n) (n > seg.duration)."""
    kind = seg.kind
    if seg.shape == "cosine":
        lo, span = kind.levels(seg)
        t0, t1 = kind.window(seg)
        width = seg.duration / (t1 - t0)
        begin = -t0 * width
        return [seg] + cosine_curve(
            seg.duration, n, begin, begin + width, lo + span, lo, exponent=seg.param("exponent")
        )
    if seg.shape == "linear":
        slope = (seg.lr_end - seg.lr_start) / seg.duration
        if slope >= 0 or seg.lr_start + slope * n >= 0:
            return [seg.replace(duration=n, lr_end=seg.lr_start + slope * n)]
        m = max(seg.duration, min(n - 1, math.floor(-seg.lr_start / slope)))
        out = [seg.replace(duration=m, lr_end=kind.value(m, seg))] if m > seg.duration else [seg]
        last = max(kind.value(m, seg), 0.0)
        out.append(Segment.create("constant", 1, last))
        if n - m > 1:
            out.append(Segment.create("constant", n - m - 1, 0.0))
        return out
    return [kind.truncated(seg, n)]


def extended(design: Design, total: int) -> list[Segment]:
    """The design's segments over steps [0, total): cut there, or continued past its end as its
    after-end policy says."""
    if total < 1:
        raise DesignError(f"must be >= 1, got {total}", "steps")
    out = cut(design.segments, total)
    used = sum(seg.duration for seg in out)
    if used < total:
        rest = total - used
        if design.after_end == "continue":
            last = out.pop()
            out += _continued(last, last.duration + rest)
        else:
            lr = 0.0 if design.after_end == "zero" else out[-1].lr_end
            out.append(Segment.create("constant", rest, lr))
    return out


def join(
    designs: Sequence[Design], boundaries: Sequence[int], total_steps: int | None = None, name: str = "Joined"
) -> Design:
    """Design i over steps [boundaries[i-1], boundaries[i]), each counting its own steps from 0
    there (optax join_schedules, torch SequentialLR); the last runs to `total_steps` (default:
    its own end) and keeps its after-end policy."""
    designs = list(designs)
    bounds = [int(b) for b in boundaries]
    if not designs:
        raise DesignError("nothing to join", "schedules")
    if len(bounds) != len(designs) - 1:
        raise DesignError(
            f"needs {len(designs) - 1} boundaries for {len(designs)} schedules, got {len(bounds)}", "boundaries"
        )
    if any(b < 0 for b in bounds) or any(b1 < b0 for b0, b1 in zip(bounds, bounds[1:])):
        raise DesignError(f"must be >= 0 and non-decreasing, got {bounds}", "boundaries")
    for i, d in enumerate(designs):
        if d.plateau is not None and len(designs) > 1:
            raise DesignError(
                "a plateau policy applies to a whole run; join the schedules first", f"schedules[{i}]"
            )
    starts = [0] + bounds
    end = starts[-1] + designs[-1].total_steps if total_steps is None else total_steps
    if end <= starts[-1]:
        raise DesignError(f"must be > the last boundary {starts[-1]}, got {end}", "total_steps")
    stops = bounds + [end]
    segs: list[Segment] = []
    for d, lo, hi in zip(designs, starts, stops):
        if hi > lo:
            segs += extended(d, hi - lo)
    last = designs[-1]
    return Design(tuple(segs), name=name, steps_per_epoch=designs[0].steps_per_epoch, after_end=last.after_end)


def append(design: Design, other: Design, at: int | None = None) -> Design:
    """`other` started at step `at` (default: where `design` ends), `design` before it."""
    at = design.total_steps if at is None else at
    return join([design, other], [at], name=design.name).replace(description=design.description)


def scaled(seg: Segment, factor: float) -> Segment:
    """The segment's curve multiplied by a constant factor."""
    if factor < 0 or not math.isfinite(factor):
        raise DesignError(f"the factor must be finite and >= 0, got {factor!r}", "factor")
    extra = seg.kind.scaled_params(seg, factor)
    if extra is None:
        raise DesignError(f"cannot scale a {seg.shape} segment", "shape")
    new = Segment(
        seg.shape,
        seg.duration,
        seg.lr_start * factor,
        seg.lr_end * factor,
        tuple(sorted({**seg.p, **extra}.items())),
    )
    return new.normalized()


def multiply(
    designs: Sequence[Design],
    base_lr: float,
    names: Sequence[str] | None = None,
    total_steps: int | None = None,
) -> Design:
    """`base_lr * prod_i (design_i / base_lr)`: chained multiplicative schedulers (torch
    ChainedScheduler). A staircase is cut at its drops where another factor varies with it, so
    between drops the product is that factor scaled. Refused, naming the pair, where two factors
    vary continuously on the same steps (unless both are exponentials)."""
    designs = list(designs)
    names = list(names) if names is not None else [d.name for d in designs]
    if base_lr <= 0:
        raise DesignError(f"must be > 0, got {base_lr!r}", "lr")
    total = max(d.total_steps for d in designs) if total_steps is None else total_steps
    pieces = [extended(d, total) for d in designs]
    cuts = sorted({0, total} | {s for p in pieces for s in np.cumsum([g.duration for g in p]).tolist()})
    out: list[Segment] = []
    for lo, hi in zip(cuts, cuts[1:]):
        out += _product(pieces, names, base_lr, lo, hi)
    policies = {d.after_end for d in designs}
    after = "continue" if "continue" in policies or len(policies) > 1 else policies.pop()
    return Design(tuple(out), name="Chained", after_end=after)


#: The most drops a staircase is cut at to multiply it with another varying factor.
MAX_DROPS = 100_000


def _product(pieces: list[list[Segment]], names: list[str], base_lr: float, lo: int, hi: int) -> list[Segment]:
    """The product of the pieces over [lo, hi), where none of them has a segment boundary."""
    drops = [_drops(p, lo, hi) for p in pieces]
    # A staircase entered between two drops starts with a constant up to its next drop.
    late = [d[0] for p, d in zip(pieces, drops) if len(d) and not _stair_starts_at(p, lo)]
    if late:
        mid = min(late)
        return _product(pieces, names, base_lr, lo, mid) + _product(pieces, names, base_lr, mid, hi)
    parts = [_piece(p, lo, hi) for p in pieces]
    varying = [i for i, g in enumerate(parts) if g.shape != "constant"]
    if len(varying) > 1 and not all(parts[i].shape == "exponential" for i in varying):
        stairs = sorted({s for i in varying if parts[i].shape == "staircase" for s in drops[i]})
        if stairs and len(stairs) <= MAX_DROPS:
            bounds = [lo, *stairs, hi]
            return [seg for a, b in zip(bounds, bounds[1:]) for seg in _product(pieces, names, base_lr, a, b)]
        a, b = varying[:2]
        many = f" (more than {MAX_DROPS:,} drops)" if stairs else ""
        raise DesignError(
            f"{names[a]} ({parts[a].shape}) and {names[b]} ({parts[b].shape}) both change the LR "
            f"over steps {lo}..{hi}; their product is not a shape a design can hold{many}",
            "schedulers",
        )
    factor = math.prod(parts[i].lr_start / base_lr for i in range(len(parts)) if i not in varying)
    if not varying:
        return [Segment.create("constant", hi - lo, base_lr * factor)]
    if len(varying) == 1:
        return [scaled(parts[varying[0]], factor)]
    log_q = sum(math.log(parts[i].param("rate")) / parts[i].param("every") for i in varying)
    start = base_lr * factor * math.prod(parts[i].lr_start / base_lr for i in varying)
    return [per_step_decay(hi - lo, start, math.exp(log_q))]


def _holding(segments: list[Segment], step: int) -> tuple[Segment, int]:
    """The segment holding `step`, and where it starts."""
    start = 0
    for seg in segments:
        if start <= step < start + seg.duration:
            return seg, start
        start += seg.duration
    raise DesignError(f"no segment holds step {step}", "segments")


def _drops(segments: list[Segment], lo: int, hi: int) -> range:
    """Steps inside (lo, hi) where the staircase holding lo drops (empty for other shapes)."""
    seg, start = _holding(segments, lo)
    if seg.shape != "staircase":
        return range(0)
    every = seg.param("every")
    first = start + ((lo - start) // every + 1) * every
    return range(first, min(hi, start + seg.duration), every)


def _stair_starts_at(segments: list[Segment], step: int) -> bool:
    """Whether a stair of the staircase holding `step` starts there."""
    seg, start = _holding(segments, step)
    return (step - start) % seg.param("every") == 0


def _piece(segments: list[Segment], lo: int, hi: int) -> Segment:
    """The part of a list of segments (covering lo..hi without a boundary inside) over [lo, hi)."""
    start = 0
    for seg in segments:
        if start <= lo < start + seg.duration:
            offset = lo - start
            if offset == 0 and hi - lo == seg.duration and seg.shape != "staircase":
                return seg
            return window(seg, offset, hi - lo)
        start += seg.duration
    raise DesignError(f"no segment holds step {lo}", "segments")


def window(seg: Segment, offset: int, n: int) -> Segment:
    """The curve of `seg` over its local steps [offset, offset + n), as a segment."""
    part = seg.kind.part(seg, offset, n)
    if part is None:
        raise DesignError(f"cannot cut a {seg.shape} segment at local step {offset}", "segments")
    return part

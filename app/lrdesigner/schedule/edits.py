"""Edits as pure functions: each takes a Design and returns a new one, or raises EditError."""

from __future__ import annotations

from typing import Any

from .design import Design
from .errors import DesignError, EditError
from .segment import Segment


def _with_segments(design: Design, segments: list[Segment]) -> Design:
    return design.replace(segments=tuple(segments))


def _check_index(design: Design, index: int, what: str = "segment") -> None:
    if not 0 <= index < len(design.segments):
        raise EditError(f"no {what} {index}; the design has {len(design.segments)}")


def move_knot(
    design: Design, knot: int, step: int | None = None, lr: float | None = None, side: str = "both"
) -> Design:
    """Move knot `knot` (0 = start, len(segments) = end) to `step` and/or `lr`.

    `side` says which LR moves at an inner knot: "both" (the usual shared knot), "left" (the
    end of the segment before) or "right" (the start of the segment after).
    """
    segs = list(design.segments)
    n = len(segs)
    if not 0 <= knot <= n:
        raise EditError(f"no knot {knot}; the design has {n + 1}")
    try:
        durations: dict[int, int] = {}  # segment -> its new length
        if step is not None and knot > 0:
            step = int(step)
            if knot == n:
                durations[n - 1] = step - design.starts[-1]
            else:
                left_start = design.starts[knot - 1]
                right_end = design.starts[knot] + segs[knot].duration
                if not left_start < step < right_end:
                    raise EditError(f"step {step} is outside ({left_start}, {right_end})")
                durations[knot - 1] = step - left_start
                durations[knot] = right_end - step
        lrs: dict[int, tuple[str, float]] = {}  # segment -> which end moves to what LR
        if lr is not None:
            lr = float(lr)
            if knot > 0 and side in ("both", "left"):
                lrs[knot - 1] = ("end", lr)
            if knot < n and side in ("both", "right"):
                lrs[knot] = ("start", lr)
        for i in sorted(durations.keys() | lrs.keys()):
            segs[i] = _moved(segs[i], durations.get(i), lrs.get(i))
        return _with_segments(design, segs)
    except DesignError as exc:
        if isinstance(exc, EditError):
            raise
        raise EditError(exc.problem, exc.where) from None


def knot_limits(design: Design, knot: int) -> tuple[int, int]:
    """The steps knot `knot` can move to (inclusive): each segment beside it keeps a step."""
    n = len(design.segments)
    if knot == 0:
        return 0, 0
    if knot == n:
        return design.starts[-1] + 1, 2**62 - 1
    return design.starts[knot - 1] + 1, design.starts[knot] + design.segments[knot].duration - 1


def move_knots(design: Design, knots: list[int], delta: int, lr: float | None = None) -> Design:
    """Move neighbouring knots together by `delta` steps (and set their LR): a group of knots
    that sit on one spot on screen (e.g. around a 1-step segment) dragged as one handle."""
    knots = sorted(set(knots))
    if not knots:
        raise EditError("no knot to move")
    if knots[-1] - knots[0] != len(knots) - 1:
        raise EditError("only neighbouring knots move together")
    if len(knots) == 1:  # one knot: its step and LR in one edit
        k = knots[0]
        return move_knot(design, k, step=design.knots[k].step + delta if delta and k else None, lr=lr)
    out = design
    if delta and knots[0] > 0:
        order = reversed(knots) if delta > 0 else knots
        for k in order:
            out = move_knot(out, k, step=design.knots[k].step + delta)
    if lr is not None:
        for k in knots:
            out = move_knot(out, k, lr=lr)
    return out


def group_limits(design: Design, knots: list[int]) -> tuple[int, int]:
    """How far (in steps, as a signed range) a group of neighbouring knots can move together."""
    knots = sorted(set(knots))
    if knots[0] == 0:
        return 0, 0
    lo, _ = knot_limits(design, knots[0])
    _, hi = knot_limits(design, knots[-1])
    return lo - design.knots[knots[0]].step, hi - design.knots[knots[-1]].step


def _moved(seg: Segment, duration: int | None, lr: tuple[str, float] | None) -> Segment:
    """`seg` resized to `duration` (None: as it is), then with its start or end at an LR: one
    validated replace where the two commute (the end is not implied by the shape's parameters,
    or the LR set is a constant's), else one after the other."""
    if duration is not None and duration < 1:
        raise EditError("a segment must keep at least one step")
    if duration is not None and lr is not None and (seg.shape == "constant" or not seg.kind.implied_end):
        which, value = lr
        field = "lr_start" if which == "start" or seg.shape == "constant" else "lr_end"
        return seg.replace(duration=duration, **{field: value})
    if duration is not None:
        seg = _resize(seg, duration)
    if lr is not None:
        which, value = lr
        seg = _set_start(seg, value) if which == "start" else _set_end(seg, value)
    return seg


def _resize(seg: Segment, duration: int) -> Segment:
    if duration < 1:
        raise EditError("a segment must keep at least one step")
    if seg.kind.implied_end:
        return seg.replace(duration=duration)
    return seg.replace(duration=duration, lr_end=seg.lr_end, keep_end=True)


def _set_end(seg: Segment, lr: float) -> Segment:
    if seg.shape == "constant":
        return seg.replace(lr_start=lr)
    return seg.replace(lr_end=lr)


def _set_start(seg: Segment, lr: float) -> Segment:
    if seg.shape == "constant" or not seg.kind.implied_end:
        return seg.replace(lr_start=lr)
    # Keep an implied end where it is when the start moves, if the shape can.
    moved = seg.replace(lr_start=lr)
    try:
        return moved.replace(lr_end=seg.lr_end)
    except DesignError:
        return moved


def split(design: Design, step: int) -> Design:
    """Split the segment holding `step` in two at that step; the curve is unchanged."""
    step = int(step)
    i = design.segment_at(step)
    start = design.starts[i]
    seg = design.segments[i]
    if not start < step < start + seg.duration:
        raise EditError(f"step {step} is on a knot or outside the design; nothing to split")
    left = seg.kind.truncated(seg, step - start)
    right_lr = seg.kind.value(step - start, seg)
    rest = seg.duration - (step - start)
    if seg.shape == "linear":
        right = Segment.create("linear", rest, right_lr, seg.lr_end)
    elif seg.kind.implied_end:
        right = _tail_implied(seg, step - start, rest)
    else:
        right = _tail_profile(seg, step - start, rest)
    return _with_segments(design, list(design.segments[:i]) + [left, right] + list(design.segments[i + 1 :]))


def _tail_profile(seg: Segment, offset: int, rest: int) -> Segment:
    t0, t1 = seg.kind.window(seg)
    mid = t0 + (t1 - t0) * (offset / seg.duration)
    return Segment.create(
        seg.shape,
        rest,
        seg.kind.value(offset, seg),
        seg.lr_end,
        **{**seg.p, "phase_start": mid, "phase_end": t1},
    )


def _tail_implied(seg: Segment, offset: int, rest: int) -> Segment:
    start_lr = seg.kind.value(offset, seg)
    out = Segment.create(seg.shape, rest, start_lr, None, **seg.p)
    try:
        return out.replace(lr_end=seg.lr_end) if out.lr_end != seg.lr_end else out
    except DesignError:
        return out


def delete(design: Design, index: int) -> Design:
    """Remove segment `index`; its steps go to the segment before (or after, for the first)."""
    _check_index(design, index)
    if len(design.segments) == 1:
        raise EditError("a design keeps at least one segment")
    segs = list(design.segments)
    gone = segs.pop(index)
    if index > 0:
        prev = segs[index - 1]
        segs[index - 1] = _resize(prev, prev.duration + gone.duration)
    else:
        segs[0] = _resize(segs[0], segs[0].duration + gone.duration)
    return _with_segments(design, segs)


def merge(design: Design, index: int) -> Design:
    """Merge segment `index` with the next one into one segment of the first one's shape,
    running from the first's start knot to the second's end knot."""
    _check_index(design, index)
    if index + 1 >= len(design.segments):
        raise EditError("the last segment has nothing after it to merge with")
    a, b = design.segments[index], design.segments[index + 1]
    changes: dict[str, Any] = {"duration": a.duration + b.duration, "lr_end": b.lr_end}
    names = {p.name for p in a.kind.params}
    if {"phase_start", "phase_end"} <= names:
        pa, pb = a.p, b.p
        same_curve = (
            a.shape == b.shape
            and pa["phase_end"] == pb["phase_start"]
            and all(pa[k] == pb[k] for k in pa if k not in ("phase_start", "phase_end"))
        )
        # Two pieces of one curve (as split leaves them) join their phase windows; otherwise the
        # merged segment runs the whole profile between its two knots.
        changes["phase_end"] = pb["phase_end"] if same_curve else 1.0
        if not same_curve:
            changes["phase_start"] = 0.0
    try:
        merged = a.replace(**changes)
    except DesignError as exc:
        raise EditError(f"cannot merge: {exc.problem}", exc.where) from None
    segs = list(design.segments)
    segs[index : index + 2] = [merged]
    return _with_segments(design, segs)


def change_shape(design: Design, index: int, shape: str, **params: Any) -> Design:
    """Give segment `index` another shape, keeping its knots where the new shape allows."""
    _check_index(design, index)
    seg = design.segments[index]
    try:
        if shape == "cyclic" and "max_lr" not in params:
            params = {**_cycle_for(seg), **params}
            new = Segment.create(shape, seg.duration, seg.lr_start, None, **params)
        else:
            new = Segment.create(shape, seg.duration, seg.lr_start, seg.lr_end, **params)
        if shape == "cyclic":
            pass  # the cycle's end follows from its waves; its base stays at the start knot
        elif new.kind.implied_end and shape != "constant" and new.lr_end != seg.lr_end:
            try:
                new = new.replace(lr_end=seg.lr_end)
            except DesignError:
                pass
    except DesignError as exc:
        raise EditError(exc.problem, exc.where) from None
    segs = list(design.segments)
    segs[index] = new
    return _with_segments(design, segs)


def _cycle_for(seg: Segment) -> dict[str, Any]:
    """Cycles that rise from the segment's start LR (the base) to a maximum above it: to its end
    LR when the segment rises, else to 4x the start (torch's CyclicLR examples use 4-6x); four
    cycles over the segment."""
    top = seg.lr_end if seg.lr_end > seg.lr_start else 4.0 * seg.lr_start
    if top <= seg.lr_start:  # a segment at LR 0 throughout
        top = 1e-3
    half = max(1, seg.duration // 8)
    return {"max_lr": top, "step_size_up": half, "step_size_down": half}


FIELDS = ("steps", "duration", "lr_start", "lr_end", "shape")


def set_params(design: Design, index: int, **changes: Any) -> Design:
    """Change fields or parameters of segment `index` (steps, lr_start, lr_end, shape params)."""
    _check_index(design, index)
    seg = design.segments[index]
    valid = [p.name for p in seg.kind.params]
    unknown = [k for k in changes if k not in valid and k not in FIELDS]
    if unknown:
        import difflib

        hints = [m for k in unknown for m in difflib.get_close_matches(k, valid, n=1)]
        hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
        names = ", ".join(valid) if valid else "none"
        raise EditError(
            f"{seg.kind.label.lower()} segments have no parameter "
            f"{', '.join(map(repr, unknown))}{hint}; valid: {names}",
            "parameters",
        )
    if "steps" in changes:
        changes["duration"] = changes.pop("steps")
    try:
        new = design.segments[index].replace(**changes)
    except DesignError as exc:
        raise EditError(exc.problem, exc.where) from None
    segs = list(design.segments)
    segs[index] = new
    return _with_segments(design, segs)


def insert(design: Design, index: int, segment: Segment) -> Design:
    """Insert `segment` before segment `index` (len(segments) appends)."""
    if not 0 <= index <= len(design.segments):
        raise EditError(f"cannot insert at {index}")
    segs = list(design.segments)
    segs.insert(index, segment)
    return _with_segments(design, segs)

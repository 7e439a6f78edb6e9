"""A segment: one shape between two knots, over a whole number of steps."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .errors import DesignError
from .shapes.base import Shape
from .shapes.registry import get_shape


@dataclass(frozen=True)
class Segment:
    """One piece of a design. Immutable; use `replace` or the edit functions to change it.

    `lr_start` is the LR at the segment's first step; `lr_end` is the value its curve reaches
    at its end (the next segment's start knot, unless the design jumps there).
    """

    shape: str
    duration: int
    lr_start: float
    lr_end: float
    params: tuple[tuple[str, Any], ...] = field(default=())

    @staticmethod
    def create(
        shape: str,
        duration: int,
        lr_start: float,
        lr_end: float | None = None,
        where: str = "",
        **params: Any,
    ) -> Segment:
        """Build a validated segment; parameters not given take the shape's defaults."""
        kind = get_shape(shape, f"{where}.shape" if where else "shape")
        given = dict(params)
        full: dict[str, Any] = {}
        for p in kind.params:
            value = given.pop(p.name, p.default)
            full[p.name] = p.check(value, f"{where}.params.{p.name}" if where else p.name)
        if given:
            unknown = ", ".join(sorted(given))
            raise DesignError(f"unknown parameter(s) for shape {shape!r}: {unknown}", where)
        if isinstance(duration, bool) or not isinstance(duration, int):
            raise DesignError(f"steps must be an integer, got {duration!r}", f"{where}.steps")
        if duration < 1:
            raise DesignError(f"steps must be >= 1, got {duration}", f"{where}.steps")
        if duration > 2**62:
            raise DesignError(f"steps must be <= 2**62, got {duration}", f"{where}.steps")
        lr_start = _check_lr(lr_start, f"{where}.lr_start")
        if lr_end is None or kind.implied_end:
            lr_end = lr_start if lr_end is None else lr_end
        lr_end = _check_lr(lr_end, f"{where}.lr_end")
        seg = Segment(shape, duration, lr_start, lr_end, tuple(sorted(full.items())))
        return seg.normalized(where)

    def normalized(self, where: str = "") -> Segment:
        """Validate, and recompute what follows from the shape (e.g. an implied end LR)."""
        kind = self.kind
        seg = Segment(
            self.shape,
            self.duration,
            self.lr_start,
            self.lr_end,
            tuple(sorted(kind.normalize(self).items())),
        )
        if kind.implied_end:
            seg = Segment(seg.shape, seg.duration, seg.lr_start, kind.end_lr(seg), seg.params)
        kind.validate(seg, where)
        if not math.isfinite(seg.lr_end) or seg.lr_end < 0:
            raise DesignError(f"the curve ends at an invalid LR {seg.lr_end!r}", where)
        return seg

    @property
    def kind(self) -> Shape:
        """The Shape object that evaluates this segment."""
        return get_shape(self.shape)

    @property
    def p(self) -> dict[str, Any]:
        """Parameters as a fresh dict."""
        return dict(self.params)

    def param(self, name: str) -> Any:
        """One parameter's value."""
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def replace(self, keep_end: bool = False, where: str = "", **changes: Any) -> Segment:
        """A copy with fields and/or parameters changed, validated.

        For implied-end shapes a new `lr_end` is turned into parameters unless `keep_end`
        says the caller already made them consistent.
        """
        params = self.p
        for name in list(changes):
            if name not in ("shape", "duration", "lr_start", "lr_end"):
                params[name] = changes.pop(name)
        shape = changes.get("shape", self.shape)
        duration = changes.get("duration", self.duration)
        lr_start = changes.get("lr_start", self.lr_start)
        lr_end = changes.get("lr_end", self.lr_end)
        if not get_shape(shape, f"{where}.shape" if where else "shape").implied_end:
            return Segment.create(shape, duration, lr_start, lr_end, where, **_known(shape, params))
        probe = Segment.create(shape, duration, lr_start, None, where, **_known(shape, params))
        if "lr_end" in changes and not keep_end:
            params = probe.kind.params_for_end(probe, _check_lr(lr_end, f"{where}.lr_end"))
            return Segment.create(shape, duration, lr_start, None, where, **params)
        return probe


def _known(shape: str, params: dict[str, Any]) -> dict[str, Any]:
    names = {p.name for p in get_shape(shape).params}
    return {k: v for k, v in params.items() if k in names}


def _check_lr(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DesignError(f"expected a number, got {value!r}", where)
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise DesignError(f"LR must be finite and >= 0, got {value!r}", where)
    return value


def cut(segments, total: int) -> list[Segment]:
    """The segments over steps [0, total): those past it left out, the one across it truncated."""
    out, used = [], 0
    for seg in segments:
        if used >= total:
            break
        if used + seg.duration > total:
            seg = seg.kind.truncated(seg, total - used)
        out.append(seg)
        used += seg.duration
    return out

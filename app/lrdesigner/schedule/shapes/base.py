"""The shape protocol: how a segment's LR varies between its two knots."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import DesignError
from .protocol import SegmentLike
from .summation import smooth_sum


def into(values: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """`values`, copied into `out` when the caller gave one."""
    if out is None:
        return values
    out[...] = values
    return out


def article(word: str) -> str:
    """`word` with "a" or "an" before it."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


@dataclass(frozen=True)
class Param:
    """One shape parameter: its name, kind, default and limits."""

    name: str
    kind: type
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] | None = None

    def check(self, value: Any, where: str) -> Any:
        """Return `value` coerced to this parameter's kind, or raise DesignError."""
        if self.kind is bool:
            if not isinstance(value, bool):
                raise DesignError(f"expected true or false, got {value!r}", where)
            return value
        if self.kind is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise DesignError(f"expected one of {', '.join(self.choices or ())}, got {value!r}", where)
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DesignError(f"expected a number, got {value!r}", where)
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise DesignError(f"expected an integer, got {value!r}", where)
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise DesignError(f"expected a finite number, got {value!r}", where)
        if self.minimum is not None and (
            value < self.minimum or (self.exclusive_minimum and value == self.minimum)
        ):
            relation = ">" if self.exclusive_minimum else ">="
            raise DesignError(f"must be {relation} {self.minimum:g}, got {value!r}", where)
        if self.maximum is not None and value > self.maximum:
            raise DesignError(f"must be <= {self.maximum:g}, got {value!r}", where)
        return value


class Shape:
    """Base class of every segment shape.

    A shape maps the local step `u = step - segment_start` (0 <= u < duration, and beyond
    for the "continue" after-end policy) to an LR. `lr_start` is always the value at u = 0.
    For shapes with `implied_end`, `lr_end` follows from the parameters: it is the value the
    curve reaches at the end of the segment (its left limit at u = duration).
    """

    name: str = ""
    label: str = ""
    params: tuple[Param, ...] = ()
    implied_end: bool = False

    # ---- evaluation -------------------------------------------------------------------
    def values(self, u: np.ndarray, seg: SegmentLike, out: np.ndarray | None = None) -> np.ndarray:
        """LR at integer local steps `u` (int64, or float64 holding whole numbers), as float64:
        written into `out` (an array of u's shape) when given, else into a new array."""
        raise NotImplementedError

    def value(self, u: int, seg: SegmentLike) -> float:
        """LR at one integer local step."""
        return float(self.values(np.array([u], dtype=np.int64), seg)[0])

    def end_lr(self, seg: SegmentLike) -> float:
        """The value the curve reaches at the end of the segment (for implied-end shapes)."""
        return self.value(seg.duration, seg)

    # ---- editing ----------------------------------------------------------------------
    def normalize(self, seg: SegmentLike) -> dict[str, Any]:
        """Parameters made consistent after an edit of the knots or duration (default: as is)."""
        return dict(seg.params)

    def params_for_end(self, seg: SegmentLike, lr_end: float) -> dict[str, Any]:
        """For implied-end shapes: parameters that make the segment end at `lr_end`."""
        raise NotImplementedError

    def truncated(self, seg: SegmentLike, duration: int) -> SegmentLike:
        """The same curve over its first `duration` steps."""
        return seg.replace(duration=duration, lr_end=self.value(duration, seg), keep_end=True)

    def validate(self, seg: SegmentLike, where: str) -> None:
        """Raise DesignError when the knots and parameters do not describe a valid curve."""

    # ---- analysis ---------------------------------------------------------------------
    def candidates(self, lo: np.ndarray, hi: np.ndarray, seg: SegmentLike) -> list[np.ndarray]:
        """Local steps inside [lo, hi] (int64 arrays, one entry per interval) where the extrema
        of the curve over that interval can lie, besides lo and hi themselves."""
        return []

    def area(self, seg: SegmentLike, n: int) -> float:
        """Sum of the LR over local steps 0 .. n-1 (n <= duration)."""
        return smooth_sum(lambda u: self.values(u, seg), n)

"""The shape protocol: how a segment's LR varies between its two knots."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
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

    def schema(self) -> dict[str, Any]:
        """This parameter as a JSON Schema property."""
        kinds = {bool: "boolean", int: "integer", float: "number", str: "string"}
        out: dict[str, Any] = {"type": kinds[self.kind], "default": self.default, "description": self.help}
        if self.minimum is not None:
            out["exclusiveMinimum" if self.exclusive_minimum else "minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.choices:
            out["enum"] = list(self.choices)
        return out


@dataclass(frozen=True)
class Templates:
    """A shape's source in exported code, one per family of export targets.

    `array` (plain Python, PyTorch, optax) defines `_<name>(segment, ops)` returning
    `lr(steps_in)`; it calls only the functions of `ops` (export.curve.ARRAY_FUNCTIONS) and
    `_profile(segment, ops, wave)` for a curve between the knots. `keras` (Keras 3, tf.keras)
    defines `<name>(segment, steps_in)`; it calls `ops`, the backend-native `cos` and `floor`,
    `math`, and `_along_wave(segment, steps_in, wave)`. `keras_plain` is a shorter Keras source
    for designs whose segments of this shape leave every parameter but `keras_plain_reads` at
    its default.
    """

    array: str
    keras: str
    keras_plain: str = ""
    keras_plain_reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShapePreset:
    """A library schedule that is this shape alone, offered among the presets.

    `build(**arguments)` returns the design as design-file data (a dict with "segments" and
    "after_end"), so a shape module needs nothing from the design model to describe one.
    """

    name: str
    summary: str
    after_end: str  # what the library does after the end, in words
    params: tuple[Param, ...]
    build: Callable[..., dict[str, Any]] = field(compare=False)


#: How the JSON Schema introduces each shape's formula.
FORMULA_LEAD = "Formula (u = steps since the segment's start, 0 .. steps - 1): "
IMPLIED_END_NOTE = (
    " lr_end follows from the other fields (the value at the segment's end) and is stored for reading."
)


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
    #: Place in shape menus and lists (lower first).
    rank: int = 1000
    #: The curve in words and symbols, for the JSON Schema (u: local step, steps: the duration).
    formula: str = ""
    templates: Templates | None = None
    presets: tuple[ShapePreset, ...] = ()

    @property
    def description(self) -> str:
        """What the shape is, from its own class docstring ("" when it has none)."""
        doc = type(self).__dict__.get("__doc__")
        return " ".join(inspect.cleandoc(doc).split()) if doc else ""

    def schema(self) -> dict[str, Any]:
        """This shape's variant of a segment in the design format's JSON Schema."""
        text = FORMULA_LEAD + self.formula + (IMPLIED_END_NOTE if self.implied_end else "")
        return {
            "title": self.name,
            "description": f"{self.description} {text}" if self.description else text,
            "properties": {
                "shape": {"const": self.name},
                "params": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {p.name: p.schema() for p in self.params},
                },
            },
        }

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

    # ---- composition ------------------------------------------------------------------
    def part(self, seg: SegmentLike, offset: int, n: int) -> SegmentLike | None:
        """The curve over local steps [offset, offset + n) as a segment, or None when no
        segment holds that piece of it."""
        return None

    def scaled_params(self, seg: SegmentLike, factor: float) -> dict[str, Any] | None:
        """The parameters that change when the curve is multiplied by `factor` (its knots are
        scaled by the caller), or None when no segment of this shape holds the product."""
        return None

    # ---- analysis ---------------------------------------------------------------------
    def candidates(self, lo: np.ndarray, hi: np.ndarray, seg: SegmentLike) -> list[np.ndarray]:
        """Local steps inside [lo, hi] (int64 arrays, one entry per interval) where the extrema
        of the curve over that interval can lie, besides lo and hi themselves."""
        return []

    def area(self, seg: SegmentLike, n: int) -> float:
        """Sum of the LR over local steps 0 .. n-1 (n <= duration)."""
        return smooth_sum(lambda u: self.values(u, seg), n)

"""The preset registry: named builders that reproduce a library's schedule as a Design."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import designfile
from ..design import Design
from ..errors import DesignError
from ..shapes.base import Shape, ShapePreset


@dataclass(frozen=True)
class PresetParam:
    """One preset argument, named as the library names it."""

    name: str
    kind: str  # "int", "float", "bool", "str", "ints", "floats", "presets"
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    optional: bool = False  # None is accepted

    def coerce(self, value: Any, preset: str) -> Any:
        where = f"{preset}.{self.name}"
        if value is None:
            if self.optional:
                return None
            raise DesignError("a value is required", where)
        if self.kind == "presets":
            return _coerce_presets(value, where)
        if self.kind in ("ints", "floats"):
            if not isinstance(value, (list, tuple)):
                raise DesignError(f"expected a list of numbers, got {value!r}", where)
            item = PresetParam(self.name, self.kind[:-1], 0, "")
            return [item.coerce(v, preset) for v in value]
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise DesignError(f"expected true or false, got {value!r}", where)
            return value
        if self.kind == "str":
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise DesignError(f"expected one of {', '.join(self.choices or ())}, got {value!r}", where)
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DesignError(f"expected a number, got {value!r}", where)
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise DesignError(f"expected an integer, got {value!r}", where)
            return int(value)
        value = float(value)
        if not math.isfinite(value):
            raise DesignError(f"expected a finite number, got {value!r}", where)
        return value


@dataclass(frozen=True)
class Preset:
    """A library schedule: its arguments and a builder returning an equivalent Design."""

    name: str
    summary: str
    params: tuple[PresetParam, ...]
    builder: Callable[..., Design]
    after_end: str  # what the library does after total_steps, in words

    def build(self, name: str | None = None, **values: Any) -> Design:
        """The Design for these arguments (defaults for the ones not given)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise DesignError(
                f"unknown parameter(s) {', '.join(unknown)}; {self.name} takes {', '.join(known)}",
                self.name,
            )
        args = {p.name: p.coerce(values.get(p.name, p.default), self.name) for p in self.params}
        try:
            design = self.builder(**args)
        except DesignError as exc:
            raise DesignError(exc.problem, f"{self.name}{'.' + exc.where if exc.where else ''}") from None
        desc = f"{self.name}(" + ", ".join(f"{k}={v!r}" for k, v in args.items()) + ")"
        return design.replace(name=name or self.name, description=desc)


PRESETS: dict[str, Preset] = {}

#: Limits on nested preset lists (composition arguments).
MAX_PIECES = 1000
MAX_DEPTH = 8
_depth = 0


def _coerce_presets(value: Any, where: str) -> list[dict[str, Any]]:
    """A list of `{"preset": NAME, ...arguments}` objects, checked for shape (not built)."""
    if not isinstance(value, (list, tuple)) or not value:
        raise DesignError('expected a non-empty list of {"preset": NAME, ...arguments} objects', where)
    if len(value) > MAX_PIECES:
        raise DesignError(f"at most {MAX_PIECES} schedules, got {len(value)}", where)
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("preset"), str):
            raise DesignError('expected an object with a "preset" name', f"{where}[{i}]")
        if item["preset"] not in PRESETS:
            get_preset(item["preset"])
        out.append(dict(item))
    return out


def build_piece(item: dict[str, Any], where: str, **defaults: Any) -> Design:
    """Build one `{"preset": NAME, ...}` piece of a composition; `defaults` fill the arguments
    the piece takes but does not give."""
    global _depth
    if _depth >= MAX_DEPTH:
        raise DesignError(f"compositions nest at most {MAX_DEPTH} deep", where)
    args = {k: v for k, v in item.items() if k != "preset"}
    target = get_preset(item["preset"])
    known = {p.name for p in target.params}
    for key, value in defaults.items():
        if key in known and key not in args:
            args[key] = value
    _depth += 1
    try:
        return target.build(**args)
    except DesignError as exc:
        raise DesignError(exc.problem, f"{where}.{exc.where}") from None
    finally:
        _depth -= 1


def preset(name: str, summary: str, after_end: str, *params: PresetParam):
    """Decorator registering a builder as a preset."""

    def register(builder: Callable[..., Design]) -> Callable[..., Design]:
        PRESETS[name] = Preset(name, summary, tuple(params), builder, after_end)
        return builder

    return register


def get_preset(name: str) -> Preset:
    """The preset called `name`, or a DesignError listing close names."""
    if name in PRESETS:
        return PRESETS[name]
    import difflib

    close = difflib.get_close_matches(name, PRESETS, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `lrdesigner preset --list`"
    raise DesignError(f"unknown preset {name!r}{hint}", "preset")


def P(name: str, kind: str, default: Any, help: str, **kw: Any) -> PresetParam:
    """Shorthand for a PresetParam."""
    return PresetParam(name, kind, default, help, **kw)


#: Preset argument kinds for the kinds of shape parameters.
_KINDS = {int: "int", float: "float", bool: "bool", str: "str"}


def add_shape_presets(shape: Shape) -> None:
    """Offer the presets a shape declares (`Shape.presets`) among the others."""
    for declared in shape.presets:
        params = tuple(
            PresetParam(p.name, _KINDS[p.kind], p.default, p.help, p.choices) for p in declared.params
        )
        PRESETS[declared.name] = Preset(
            declared.name, declared.summary, params, _shape_builder(declared), declared.after_end
        )


def _shape_builder(declared: ShapePreset) -> Callable[..., Design]:
    """A builder checking the arguments against their limits and reading the declared design data."""

    def build(**args: Any) -> Design:
        checked = {p.name: p.check(args[p.name], p.name) for p in declared.params}
        data = declared.build(**checked)
        return designfile.from_dict({"format": designfile.FORMAT, "version": designfile.VERSION, **data})

    return build

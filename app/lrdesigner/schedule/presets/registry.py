"""The preset registry: named builders that reproduce a library's schedule as a Design."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..design import Design
from ..errors import DesignError


@dataclass(frozen=True)
class PresetParam:
    """One preset argument, named as the library names it."""

    name: str
    kind: str  # "int", "float", "bool", "str", "ints", "floats"
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

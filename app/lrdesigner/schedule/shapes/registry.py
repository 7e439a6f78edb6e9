"""The registry of segment shapes, by name.

Every module of this package that defines `SHAPE` adds it here when the package is imported;
`register` adds one from anywhere else. Everything that lists shapes (the design format, the
export targets, composition, the JSON Schema, the presets) reads this registry.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable

from ..errors import DesignError
from .base import Shape

SHAPES: dict[str, Shape] = {}

#: Called with each shape registered after the fact (the presets add the shape's presets).
_listeners: list[Callable[[Shape], None]] = []


def register(shape: Shape) -> Shape:
    """Add `shape` to the registry (replacing one of the same name), in the order of its rank."""
    if not shape.name.isidentifier():
        raise ValueError(f"a shape's name must be an identifier, got {shape.name!r}")
    if shape.templates is None:
        raise ValueError(f"shape {shape.name!r} has no export templates")
    entries = {**SHAPES, shape.name: shape}
    order = sorted(entries.values(), key=lambda s: s.rank)  # stable: equal ranks keep their order
    SHAPES.clear()
    SHAPES.update((s.name, s) for s in order)
    for listener in _listeners:
        listener(shape)
    return shape


def unregister(name: str) -> None:
    """Remove the shape called `name` (no error when there is none)."""
    SHAPES.pop(name, None)


def on_register(listener: Callable[[Shape], None]) -> None:
    """Call `listener(shape)` for every shape registered from now on."""
    _listeners.append(listener)


def get_shape(name: str, where: str = "shape") -> Shape:
    """The shape called `name`, or a DesignError listing the known ones."""
    try:
        return SHAPES[name]
    except (KeyError, TypeError):
        raise DesignError(f"unknown shape {name!r}; known: {', '.join(SHAPES)}", where) from None


def _discover() -> None:
    """Register the `SHAPE` of every module in this package."""
    folder = os.path.dirname(os.path.abspath(__file__))
    for module in pkgutil.iter_modules([folder]):
        found = getattr(importlib.import_module(f"{__package__}.{module.name}"), "SHAPE", None)
        if isinstance(found, Shape):
            register(found)


_discover()

"""The registry of segment shapes, by name."""

from __future__ import annotations

from ..errors import DesignError
from .base import Shape
from .constant import Constant
from .cyclic import Cyclic
from .exponential import Exponential, Staircase
from .inverse_power import InversePower
from .profile import Cosine, Linear, OneMinusSqrt, Polynomial, SqrtWarmup
from .restarts import CosineRestarts
from .tanh import Tanh

SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Constant(),
        Linear(),
        Cosine(),
        Exponential(),
        Polynomial(),
        InversePower(),
        OneMinusSqrt(),
        SqrtWarmup(),
        Staircase(),
        Cyclic(),
        CosineRestarts(),
        Tanh(),
    )
}


def get_shape(name: str, where: str = "shape") -> Shape:
    """The shape called `name`, or a DesignError listing the known ones."""
    try:
        return SHAPES[name]
    except (KeyError, TypeError):
        raise DesignError(f"unknown shape {name!r}; known: {', '.join(SHAPES)}", where) from None

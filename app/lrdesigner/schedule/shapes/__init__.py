"""Segment shapes: how the LR varies between two knots."""

from __future__ import annotations

from .base import Param, Shape, ShapePreset, Templates
from .profile import ProfileShape
from .protocol import SegmentLike
from .registry import SHAPES, get_shape, on_register, register, unregister
from .summation import geometric_sum, smooth_sum

__all__ = [
    "SHAPES",
    "Param",
    "ProfileShape",
    "SegmentLike",
    "Shape",
    "ShapePreset",
    "Templates",
    "geometric_sum",
    "get_shape",
    "on_register",
    "register",
    "smooth_sum",
    "unregister",
]

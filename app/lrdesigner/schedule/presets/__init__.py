"""Presets faithful to Keras, PyTorch, Hugging Face, optax, timm and Ultralytics."""

from ..shapes import SHAPES, on_register
from . import (  # noqa: F401  (registers the presets)
    basic,
    hf,
    keras,
    optax,
    optax_composite,
    timm,
    torch,
    torch_composite,
    ultralytics,
)
from .registry import PRESETS, Preset, PresetParam, add_shape_presets, get_preset

for _shape in SHAPES.values():
    add_shape_presets(_shape)
on_register(add_shape_presets)

__all__ = ["PRESETS", "Preset", "PresetParam", "get_preset"]

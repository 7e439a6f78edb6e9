"""Presets faithful to Keras, PyTorch, Hugging Face, optax, timm and Ultralytics."""

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
from .registry import PRESETS, Preset, PresetParam, get_preset

__all__ = ["PRESETS", "Preset", "PresetParam", "get_preset"]

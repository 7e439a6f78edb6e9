"""Presets faithful to Keras, PyTorch, Hugging Face, optax and timm."""

from . import (  # noqa: F401  (registers the presets)
    basic,
    hf,
    keras,
    optax,
    optax_composite,
    timm,
    torch,
    torch_composite,
)
from .registry import PRESETS, Preset, PresetParam, get_preset

__all__ = ["PRESETS", "Preset", "PresetParam", "get_preset"]

"""Presets faithful to Keras, PyTorch, Hugging Face, optax and timm."""

from . import basic, hf, keras, optax, optax_composite, timm, torch  # noqa: F401  (registers presets)
from .registry import PRESETS, Preset, PresetParam, get_preset

__all__ = ["PRESETS", "Preset", "PresetParam", "get_preset"]

"""Presets faithful to Keras, PyTorch, Hugging Face, optax and timm."""

from . import basic, hf, keras, optax, timm, torch  # noqa: F401  (registers the presets)
from .registry import PRESETS, Preset, PresetParam, get_preset

__all__ = ["PRESETS", "Preset", "PresetParam", "get_preset"]

"""Hugging Face `TrainingArguments` (as JSON or YAML) -> the design its Trainer schedules."""

from __future__ import annotations

import json
import math
from typing import Any

from ..design import Design
from ..errors import DesignError
from ..presets import get_preset

#: lr_scheduler_type -> preset name.
TYPES = {
    "linear": "hf.linear",
    "cosine": "hf.cosine",
    "cosine_with_restarts": "hf.cosine_with_restarts",
    "polynomial": "hf.polynomial",
    "constant": "constant",
    "constant_with_warmup": "hf.constant_with_warmup",
    "inverse_sqrt": "hf.inverse_sqrt",
    "cosine_with_min_lr": "hf.cosine_with_min_lr",
    "cosine_warmup_with_min_lr": "hf.cosine_warmup_with_min_lr",
    "warmup_stable_decay": "hf.warmup_stable_decay",
    "reduce_lr_on_plateau": "constant",
}


def is_training_args(data: Any) -> bool:
    """True for a dict that looks like serialized TrainingArguments."""
    return isinstance(data, dict) and (
        "lr_scheduler_type" in data
        or ("learning_rate" in data and ("num_train_epochs" in data or "max_steps" in data))
    )


def _number(data: dict, key: str, default: Any, where: str) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DesignError(f"expected a finite number, got {value!r}", f"{where}.{key}")
    return value


def training_args_design(
    data: dict, where: str, steps_per_epoch: int | None = None
) -> tuple[Design, list[str]]:
    """The design a Trainer with these arguments schedules (one step per optimizer update)."""
    lr = _number(data, "learning_rate", 5e-5, where)
    kind = data.get("lr_scheduler_type", "linear") or "linear"
    if not isinstance(kind, str) or kind.split(".")[-1].lower() not in TYPES:
        raise DesignError(
            f"unknown lr_scheduler_type {kind!r}; known: {', '.join(TYPES)}", f"{where}.lr_scheduler_type"
        )
    kind = kind.split(".")[-1].lower()
    kwargs = data.get("lr_scheduler_kwargs") or {}
    if isinstance(kwargs, str):
        try:
            kwargs = json.loads(kwargs)
        except json.JSONDecodeError:
            raise DesignError("expected a JSON object", f"{where}.lr_scheduler_kwargs") from None
    if not isinstance(kwargs, dict):
        raise DesignError("expected an object", f"{where}.lr_scheduler_kwargs")
    notes = []
    max_steps = _number(data, "max_steps", -1, where)
    if max_steps > 0:
        total = int(max_steps)
    else:
        epochs = _number(data, "num_train_epochs", 3.0, where)
        if steps_per_epoch is None:
            raise DesignError(
                "max_steps is not set, so the run's length is num_train_epochs x updates per "
                "epoch: give the steps per epoch (--steps-per-epoch)",
                f"{where}.max_steps",
            )
        if steps_per_epoch < 1:
            raise DesignError(f"must be >= 1, got {steps_per_epoch}", "steps_per_epoch")
        total = math.ceil(epochs * steps_per_epoch)
        notes.append(f"{epochs:g} epochs x {steps_per_epoch} updates = {total} steps")
    if total < 1:
        raise DesignError(f"the run has {total} steps", f"{where}.max_steps")
    ws = _number(data, "warmup_steps", 0, where)
    ratio = _number(data, "warmup_ratio", 0.0, where)
    if ws < 0 or ratio < 0:
        raise DesignError("must be >= 0", f"{where}.warmup_steps")
    warmup = int(ws) if ws >= 1 else math.ceil(total * ws) if ws > 0 else math.ceil(total * ratio)
    preset = get_preset(TYPES[kind])
    args: dict[str, Any] = {"lr": lr, **kwargs}
    names = {p.name for p in preset.params}
    if "num_warmup_steps" in names:
        args["num_warmup_steps"] = warmup
    if "num_training_steps" in names:
        args["num_training_steps"] = total
    if "total_steps" in names:
        args["total_steps"] = total
    if kind == "reduce_lr_on_plateau":
        notes.append("reduce_lr_on_plateau: a constant LR here; add a plateau policy to simulate the cuts")
    elif kind == "constant" and warmup:
        notes.append("constant ignores warmup_steps (as get_scheduler does)")
    notes.insert(0, f"Hugging Face lr_scheduler_type {kind} -> preset {preset.name}")
    try:
        return preset.build(**args), notes
    except DesignError as exc:
        raise DesignError(exc.problem, f"{where} ({exc.where})") from None

"""timm `args.yaml` (train.py's saved arguments) -> the design create_scheduler_v2 builds."""

from __future__ import annotations

import math
from typing import Any

from ..design import Design
from ..errors import DesignError
from ..presets import get_preset


def is_timm_args(data: Any) -> bool:
    """True for a dict that looks like timm's args.yaml."""
    return isinstance(data, dict) and "sched" in data and "epochs" in data


def _get(data: dict, key: str, default: Any, where: str, kind: type = float) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if kind is bool:
        if not isinstance(value, bool):
            raise DesignError(f"expected true or false, got {value!r}", f"{where}.{key}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DesignError(f"expected a finite number, got {value!r}", f"{where}.{key}")
    if kind is int:
        if float(value) != int(value):
            raise DesignError(f"expected a whole number, got {value!r}", f"{where}.{key}")
        return int(value)
    return float(value)


def timm_args_design(data: dict, where: str, steps_per_epoch: int | None = None) -> tuple[Design, list[str]]:
    """The design of a timm run: per epoch (one design step per epoch) unless sched_on_updates."""
    sched = data.get("sched")
    lr = data.get("lr")
    if lr is None:
        raise DesignError(
            "lr is null: timm derived it from lr_base and the global batch size at run time; "
            "set lr in the file to the value the run printed",
            f"{where}.lr",
        )
    lr = _get(data, "lr", None, where)
    on_updates = _get(data, "sched_on_updates", False, where, bool)
    unit = 1
    notes = []
    if on_updates:
        if not steps_per_epoch:
            raise DesignError(
                "sched_on_updates is set: give the updates per epoch (--steps-per-epoch)",
                f"{where}.sched_on_updates",
            )
        unit = steps_per_epoch
        notes.append(f"stepped per update, {unit} updates per epoch")
    else:
        notes.append("timm steps this schedule once per epoch: one design step is one epoch")
    if data.get("lr_noise") is not None:
        notes.append("lr_noise is not reproduced: the design is the schedule without noise")
    epochs = _get(data, "epochs", 300, where, int)
    warmup = _get(data, "warmup_epochs", 5, where, int) * unit
    warmup_args = dict(
        warmup_t=warmup,
        warmup_lr_init=_get(data, "warmup_lr", 1e-5, where),
        warmup_prefix=_get(data, "warmup_prefix", False, where, bool),
    )
    cooldown = _get(data, "cooldown_epochs", 0, where, int) * unit
    min_lr = _get(data, "min_lr", 0.0, where)
    cycles = dict(
        cycle_mul=_get(data, "lr_cycle_mul", 1.0, where),
        cycle_decay=_get(data, "lr_cycle_decay", 0.5, where),
        cycle_limit=_get(data, "lr_cycle_limit", 1, where, int),
    )
    decay_rate = _get(data, "decay_rate", 0.1, where)
    t_initial = epochs * unit
    if sched in ("cosine", "tanh", "poly"):
        args: dict[str, Any] = dict(lr=lr, t_initial=t_initial, lr_min=min_lr, **cycles, **warmup_args)
        if sched == "poly":
            args["power"] = decay_rate
        if sched != "tanh":
            args["k_decay"] = _get(data, "lr_k_decay", 1.0, where)
        preset = get_preset(f"timm.{sched}")
        probe = preset.build(**args)
        args["total_steps"] = probe.total_steps + cooldown
    elif sched in ("step", "constant"):
        preset = get_preset("timm.step")
        decay_t = _get(data, "decay_epochs", 90, where, int) * unit if sched == "step" else 1
        args = dict(
            lr=lr,
            decay_t=decay_t,
            decay_rate=decay_rate if sched == "step" else 1.0,
            **warmup_args,
            total_steps=t_initial + (warmup if warmup_args["warmup_prefix"] else 0),
        )
    elif sched == "multistep":
        preset = get_preset("timm.multistep")
        milestones = data.get("decay_milestones", [90, 180, 270])
        if not isinstance(milestones, list):
            raise DesignError("expected a list of epochs", f"{where}.decay_milestones")
        args = dict(
            lr=lr,
            decay_t=[m * unit if isinstance(m, int) and not isinstance(m, bool) else m for m in milestones],
            decay_rate=decay_rate,
            **warmup_args,
            total_steps=t_initial + (warmup if warmup_args["warmup_prefix"] else 0),
        )
    elif sched == "none":
        preset = get_preset("constant")
        args = dict(lr=lr, total_steps=t_initial)
    else:
        raise DesignError(
            f"sched {sched!r} is not reproduced; supported: cosine, tanh, poly, step, constant, "
            "multistep, none",
            f"{where}.sched",
        )
    notes.insert(0, f"timm sched {sched} -> preset {preset.name}")
    try:
        return preset.build(**args), notes
    except DesignError as exc:
        raise DesignError(exc.problem, f"{where} ({exc.where})") from None

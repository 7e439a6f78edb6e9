"""Keras schedule configs (`keras.optimizers.schedules.serialize`) and `.keras` model files."""

from __future__ import annotations

from typing import Any

from .. import designfile
from ..design import Design
from ..errors import DesignError
from ..presets import get_preset

#: Keras built-in schedule class -> preset name.
BUILT_IN = {
    "CosineDecay": "keras.CosineDecay",
    "ExponentialDecay": "keras.ExponentialDecay",
    "PiecewiseConstantDecay": "keras.PiecewiseConstantDecay",
    "PolynomialDecay": "keras.PolynomialDecay",
    "InverseTimeDecay": "keras.InverseTimeDecay",
    "CosineDecayRestarts": "keras.CosineDecayRestarts",
}

#: Schedules with no end of their own are drawn over this many steps unless told otherwise.
DEFAULT_STEPS = 100_000


def is_schedule_config(data: Any) -> bool:
    """True for a serialized Keras object: `{"class_name": ..., "config": {...}}`."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("class_name"), str)
        and isinstance(data.get("config"), dict)
    )


def schedule_design(data: dict, where: str, total_steps: int | None = None) -> tuple[Design, list[str]]:
    """The design of a serialized Keras schedule, and notes about it."""
    class_name = data["class_name"]
    config = data["config"]
    registered = data.get("registered_name") or ""
    if "design" in config and (registered.startswith("lrdesigner>") or isinstance(config["design"], dict)):
        design_data = config["design"]
        if not isinstance(design_data, dict):
            raise DesignError("expected the embedded design as an object", f"{where}.config.design")
        try:
            design = designfile.from_dict({"plateau": None, **design_data})
        except DesignError as exc:
            raise DesignError(exc.problem, f"{where}.config.design{exc.where.lstrip('$')}") from None
        notes = [f"an LR Designer export ({registered or class_name}): its exact design"]
        multiplier = config.get("multiplier")
        if isinstance(multiplier, (int, float)) and multiplier != 1.0:
            notes.append(
                f"the saved plateau multiplier is {multiplier!r}: the optimizer's LR was the design "
                "times it when the model was saved"
            )
        return design, notes
    if class_name not in BUILT_IN or (registered and registered != class_name and ">" in registered):
        raise DesignError(
            f"the schedule class {registered or class_name!r} is not a built-in Keras schedule "
            f"nor an LR Designer export; known: {', '.join(BUILT_IN)}",
            f"{where}.class_name",
        )
    preset = get_preset(BUILT_IN[class_name])
    args = {k: v for k, v in config.items() if k != "name"}
    known = {p.name for p in preset.params}
    unknown = sorted(set(args) - known)
    if unknown:
        raise DesignError(f"unexpected {class_name} argument(s) {', '.join(unknown)}", f"{where}.config")
    notes = [f"Keras {class_name} -> preset {preset.name}"]
    if total_steps is not None:
        args["total_steps"] = total_steps
    elif {p.name: p for p in preset.params}["total_steps"].default is not None:
        args["total_steps"] = DEFAULT_STEPS
        if (
            class_name == "PiecewiseConstantDecay"
            and isinstance(args.get("boundaries"), list)
            and args["boundaries"]
            and all(isinstance(b, int) for b in args["boundaries"])
        ):
            args["total_steps"] = max(DEFAULT_STEPS, 2 * max(args["boundaries"]) + 2)
        notes.append(f"drawn over {args['total_steps']} steps (the schedule has no end of its own)")
    try:
        return preset.build(**args), notes
    except DesignError as exc:
        raise DesignError(exc.problem, f"{where}.config ({exc.where})") from None


def optimizer_schedule(optimizer: Any, where: str, total_steps: int | None) -> tuple[Design, list[str]]:
    """The design of a serialized optimizer's learning rate (a schedule or a number)."""
    if not is_schedule_config(optimizer):
        raise DesignError("expected a serialized optimizer with class_name and config", where)
    lr = optimizer["config"].get("learning_rate")
    lr_where = f"{where}.config.learning_rate"
    if isinstance(lr, bool) or lr is None:
        raise DesignError("the optimizer has no learning_rate", lr_where)
    if isinstance(lr, (int, float)):
        design = get_preset("constant").build(lr=float(lr), total_steps=total_steps or DEFAULT_STEPS)
        return design, [f"{optimizer['class_name']} with a constant learning rate {lr!r}"]
    if is_schedule_config(lr):
        return schedule_design(lr, lr_where, total_steps)
    raise DesignError(f"expected a number or a serialized schedule, got {type(lr).__name__}", lr_where)


def model_schedule(config: Any, where: str, total_steps: int | None) -> tuple[Design, list[str]]:
    """The schedule in a `.keras` file's config.json (the compiled optimizer's learning rate)."""
    if not isinstance(config, dict):
        raise DesignError("expected a model config object", where)
    compiled = config.get("compile_config")
    if not isinstance(compiled, dict) or compiled.get("optimizer") is None:
        raise DesignError(
            "the model was saved without a compiled optimizer (no compile_config.optimizer)",
            f"{where}$.compile_config",
        )
    return optimizer_schedule(compiled["optimizer"], f"{where}$.compile_config.optimizer", total_steps)

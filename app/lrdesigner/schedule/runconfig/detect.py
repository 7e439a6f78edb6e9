"""Which kind of run file a path is, and the design it holds."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field

from ..design import Design
from ..errors import DesignError
from . import hf, keras, timm, ultralytics
from .safe_read import parse_json, parse_yaml, read_text, read_zip_member

PICKLE_MESSAGE = (
    "{name} is a pickle: loading it would run code from the file, so LR Designer never "
    "does. Pass the arguments as JSON instead: `TrainingArguments.to_json_string()`, or the "
    "training_args section a Trainer saves in its output folder"
)


@dataclass(frozen=True)
class RunSchedule:
    """The design a run used, where it came from, and what the reader noticed."""

    design: Design
    source: str
    notes: list[str] = field(default_factory=list)
    groups: dict[str, Design] = field(default_factory=dict)  # every LR group's design by log tag (lr/pg0 ...)
    log: str | None = None  # the training log read beside the file, for drawing over the design


def _looks_like_pickle(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(2)
    return len(head) == 2 and head[0] == 0x80 and head[1] <= 5


def load_run_schedule(
    path: str | os.PathLike, steps_per_epoch: int | None = None, total_steps: int | None = None
) -> RunSchedule:
    """Read a .keras model, a Keras schedule/optimizer config, HF training arguments (JSON/YAML),
    a timm args.yaml, an Ultralytics args.yaml or a YOLOv5 hyp.yaml / opt.yaml; execute nothing."""
    path = os.fspath(path)
    name = os.path.basename(path)
    if not os.path.isfile(path):
        raise DesignError("no such file", path)
    if total_steps is not None and not 1 <= total_steps <= 2**62:
        raise DesignError(f"must be in 1 .. 2**62, got {total_steps}", "total_steps")
    if name.endswith((".bin", ".pkl", ".pickle", ".pt", ".pth")) or _looks_like_pickle(path):
        raise DesignError(PICKLE_MESSAGE.format(name=name), path)
    if zipfile.is_zipfile(path):
        config = parse_json(read_zip_member(path, "config.json"), f"{path}: config.json")
        design, notes = keras.model_schedule(config, f"{path}: config.json ", total_steps)
        return RunSchedule(design.replace(name=f"{name} schedule"), "keras-model", notes)
    text = read_text(path)
    data = parse_yaml(text, path) if name.endswith((".yaml", ".yml")) else parse_json(text, path)
    where = f"{path}: $"
    if keras.is_schedule_config(data) and "learning_rate" in data["config"]:
        design, notes = keras.optimizer_schedule(data, where, total_steps)
        source = "keras-optimizer"
    elif keras.is_schedule_config(data):
        design, notes = keras.schedule_design(data, where, total_steps)
        source = "keras-schedule"
    elif isinstance(data, dict) and isinstance(data.get("compile_config"), dict):
        design, notes = keras.model_schedule(data, f"{path}: ", total_steps)
        source = "keras-model"
    elif (
        ultralytics.is_ultralytics_args(data)
        or ultralytics.is_yolov5_hyp(data)
        or ultralytics.is_yolov5_opt(data)
    ):
        design, notes, groups, log = ultralytics.ultralytics_schedule(path, data, steps_per_epoch)
        source = "yolov5" if "task" not in data else "ultralytics-args"
        return RunSchedule(design.replace(name=f"{name} schedule"), source, notes, groups, log)
    elif timm.is_timm_args(data):
        design, notes = timm.timm_args_design(data, where, steps_per_epoch)
        source = "timm-args"
    elif hf.is_training_args(data):
        design, notes = hf.training_args_design(data, where, steps_per_epoch)
        state = os.path.join(os.path.dirname(os.path.abspath(path)), "trainer_state.json")
        if os.path.isfile(state):  # the Trainer writes its log beside its arguments
            notes.append(f"the run's log beside it: {state}")
            return RunSchedule(design.replace(name=f"{name} schedule"), "hf-training-args", notes, log=state)
        source = "hf-training-args"
    else:
        raise DesignError(
            "not a Keras schedule or model config, Hugging Face training arguments, a timm "
            "args.yaml or Ultralytics / YOLOv5 settings (no class_name/config, lr_scheduler_type or sched "
            "key, and no lr0 key)",
            path,
        )
    return RunSchedule(design.replace(name=f"{name} schedule"), source, notes)

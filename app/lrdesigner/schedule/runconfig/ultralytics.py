"""Ultralytics `args.yaml` and YOLOv5 `hyp.yaml` / `opt.yaml` -> the trainer's schedule, per iteration.

The batches per epoch are not in the settings: they come from the caller, or from the warmup rows
of the results.csv beside the file. `optimizer: auto` replaces lr0 at run time: the effective lr0
comes from that results.csv too. See presets/ultralytics.py for the schedule itself.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..design import Design
from ..errors import DesignError
from ..fitting.ultralytics import recognize
from ..presets import get_preset
from .results_csv import ResultsCsv, bias_first, read_results
from .safe_read import parse_yaml, read_text


@dataclass
class Settings:
    """What the trainer's schedule depends on, as the files give it."""

    lr0: float
    lrf: float
    epochs: int
    cos_lr: bool
    warmup_epochs: float
    warmup_bias_lr: float
    optimizer: str
    yolov5: bool
    warmup_min_iterations: int
    notes: list[str] = field(default_factory=list)


def is_ultralytics_args(data: Any) -> bool:
    """An Ultralytics args.yaml: lr0 and epochs with the trainer's task/mode keys."""
    return isinstance(data, dict) and "lr0" in data and "epochs" in data and ("mode" in data or "task" in data)


def is_yolov5_hyp(data: Any) -> bool:
    """A YOLOv5 hyp.yaml: lr0, lrf and warmup_epochs without epochs."""
    return isinstance(data, dict) and {"lr0", "lrf", "warmup_epochs"} <= set(data) and "epochs" not in data


def is_yolov5_opt(data: Any) -> bool:
    """A YOLOv5 opt.yaml: epochs and the hyperparameters (a path or the values)."""
    return isinstance(data, dict) and "hyp" in data and "epochs" in data and "lr0" not in data


def _number(data: dict, key: str, where: str, default: Any = None, kind: type = float) -> Any:
    value = data.get(key, default)
    if value is None:
        raise DesignError("missing: the schedule needs it", f"{where}.{key}")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DesignError(f"expected a number, got {value!r}", f"{where}.{key}")
    if kind is int:
        if value != int(value) or value < 1:
            raise DesignError(f"expected a whole number >= 1, got {value!r}", f"{where}.{key}")
        return int(value)
    return float(value)


def _flag(data: dict, key: str, where: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise DesignError(f"expected true or false, got {value!r}", f"{where}.{key}")
    return value


def _yaml(path: str) -> Any:
    return parse_yaml(read_text(path), path)


def settings_of(path: str, data: dict) -> Settings:
    """The settings of an args.yaml, hyp.yaml or opt.yaml (reading the other YOLOv5 file beside it)."""
    where = f"{path}: $"
    if is_ultralytics_args(data):
        return Settings(
            lr0=_number(data, "lr0", where),
            lrf=_number(data, "lrf", where),
            epochs=_number(data, "epochs", where, kind=int),
            cos_lr=_flag(data, "cos_lr", where, False),
            warmup_epochs=_number(data, "warmup_epochs", where, 3.0),
            warmup_bias_lr=_number(data, "warmup_bias_lr", where, 0.1),
            optimizer=str(data.get("optimizer", "auto")),
            yolov5=False,
            warmup_min_iterations=100,
        )
    folder = os.path.dirname(path)
    if is_yolov5_hyp(data):
        opt_path = os.path.join(folder, "opt.yaml")
        if not os.path.isfile(opt_path):
            raise DesignError(
                "a YOLOv5 hyp.yaml needs the opt.yaml beside it: the run's epochs and cos_lr are there",
                f"{where}.epochs",
            )
        hyp, hyp_where, opt, opt_where = data, where, _yaml(opt_path), f"{opt_path}: $"
        if not isinstance(opt, dict):
            raise DesignError("expected a mapping of options", opt_path)
    else:
        opt, opt_where = data, where
        hyp, hyp_where = opt.get("hyp"), f"{where}.hyp"
        if not isinstance(hyp, dict):
            hyp_path = os.path.join(folder, "hyp.yaml")
            if not os.path.isfile(hyp_path):
                raise DesignError(
                    f"the hyperparameters are not in the file ({hyp!r}) and there is no hyp.yaml beside it",
                    f"{where}.hyp",
                )
            hyp, hyp_where = _yaml(hyp_path), f"{hyp_path}: $"
            if not isinstance(hyp, dict):
                raise DesignError("expected a mapping of hyperparameters", hyp_path)
    if "cos_lr" in opt:
        cos = _flag(opt, "cos_lr", opt_where, False)
    else:  # before v6.2: --linear-lr, else one-cycle cosine
        cos = not _flag(opt, "linear_lr", opt_where, False)
    optimizer = opt.get("optimizer") or ("Adam" if opt.get("adam") else "SGD")
    return Settings(
        lr0=_number(hyp, "lr0", hyp_where),
        lrf=_number(hyp, "lrf", hyp_where),
        epochs=_number(opt, "epochs", opt_where, kind=int),
        cos_lr=cos,
        warmup_epochs=_number(hyp, "warmup_epochs", hyp_where, 3.0),
        warmup_bias_lr=_number(hyp, "warmup_bias_lr", hyp_where, 0.1),
        optimizer=str(optimizer),
        yolov5=True,
        # the 1000-iteration minimum went with the `adam` option (v6.1 brought --optimizer and 100)
        warmup_min_iterations=1000 if "adam" in opt else 100,
    )


def _results_beside(path: str) -> ResultsCsv | None:
    log = os.path.join(os.path.dirname(path), "results.csv")
    return read_results(log) if os.path.isfile(log) else None


def ultralytics_schedule(
    path: str, data: dict, steps_per_epoch: int | None = None
) -> tuple[Design, list[str], dict[str, Design], str | None]:
    """(weight group's design, notes, every LR group's design by results.csv tag, the results.csv read)."""
    s = settings_of(path, data)
    notes = list(s.notes)
    name = "YOLOv5" if s.yolov5 else "Ultralytics"
    auto = s.optimizer.lower() == "auto"
    start = 0.0 if auto else s.warmup_bias_lr
    if auto:
        notes.append(
            f"optimizer auto: the trainer replaced lr0 {s.lr0:g} (AdamW at round(0.002 * 5 / "
            "(4 + nc), 6) up to 10000 iterations, else SGD or MuSGD at 0.01) and set warmup_bias_lr "
            "to 0"
        )
    log = _results_beside(path)
    lag = 1 if s.yolov5 else None
    if log is not None and log.epoch_base == 0 and not s.yolov5:
        lag = 1  # the 0-based epoch column of Ultralytics 8.0.x, which steps the scheduler after the epoch
    hints = dict(
        lr0=None if auto else s.lr0,
        lrf=s.lrf,
        epochs=s.epochs,
        cos_lr=s.cos_lr,
        warmup_epochs=s.warmup_epochs,
        warmup_min_iterations=s.warmup_min_iterations,
        lag=lag,
    )
    family = "cosine" if s.cos_lr else "linear"
    params = dict(
        lr0=s.lr0,
        lrf=s.lrf,
        epochs=s.epochs,
        warmup_epochs=s.warmup_epochs,
        warmup_min_iterations=s.warmup_min_iterations,
        epoch_lag=lag or 0,
    )
    levels: dict[str, float] = {}
    bias_tag, nb = None, steps_per_epoch
    if log is not None:
        if log.appended:
            notes.append(f"{log.path} holds {log.appended + 1} runs appended; the first is compared")
        found = {}
        for tag in bias_first(list(log.columns)):
            recs = recognize(
                log.epochs,
                log.columns[tag],
                log.rel_tol,
                steps_per_epoch,
                hints={**hints, "warmup_bias_lr": start},
            )
            if recs:
                found[tag] = recs[0]
        nb = nb or (_batches(found, notes) if found else None)
        if nb is not None:  # columns the warmup rows alone left open (a bias group starting near its target)
            for tag in bias_first(list(log.columns)):
                if tag not in found:
                    recs = recognize(
                        log.epochs, log.columns[tag], log.rel_tol, nb, hints={**hints, "warmup_bias_lr": start}
                    )
                    if recs:
                        found[tag] = recs[0]
        for tag, values in log.columns.items():
            if not np.any(values):
                notes.append(f"{tag} is 0 in every row: not a learning rate (are the columns shifted?)")
        if not found:
            notes.append(f"{log.path}: its LR rows do not follow these settings")
        else:
            levels = {t: r.params["lr0"] for t, r in found.items()}
            biased = [t for t, r in found.items() if r.params.get("warmup_bias_lr", 0.0) > 0]
            bias_tag = biased[0] if biased else None
            lags = {r.params["epoch_lag"] for r in found.values()}
            if lag is None and len(lags) == 1:
                params["epoch_lag"] = lags.pop()
                if params["epoch_lag"]:
                    notes.append("the log runs one epoch behind (an older trainer): epoch_lag 1")
            if auto:
                main = found[_weight_tag(found, bias_tag, levels)]
                notes.append(f"effective lr0 {main.params['lr0']:g} from {log.path}")
            if len(set(levels.values())) > 1:
                notes.append(
                    "the groups run at different LR levels: "
                    + ", ".join(f"{t} {lr:g}" for t, lr in levels.items())
                )
    if nb is None:
        raise DesignError(
            f"{name} steps the LR per iteration: give the batches per epoch (--steps-per-epoch), "
            "or keep the run's results.csv beside the file",
            path,
        )
    if auto and not levels:
        notes.append(
            "optimizer auto and no results.csv to read the effective lr0 from: the design uses lr0 "
            "from the file, which the trainer did not"
        )
    tags = (
        bias_first(list(log.columns))
        if log is not None
        else (["x/lr0", "x/lr1", "x/lr2"] if s.yolov5 else ["lr/pg0", "lr/pg1", "lr/pg2"])
    )
    if bias_tag is None and start > 0:
        bias_tag = "x/lr2" if s.yolov5 and s.warmup_min_iterations == 1000 else tags[0]
        notes.append(f"{bias_tag} taken as the bias group (its warmup starts at warmup_bias_lr {start:g})")
    preset = get_preset(f"ultralytics.{family}")
    groups = {}
    for tag in tags:
        lr0 = levels.get(tag, s.lr0 if not levels else max(levels.values()))
        groups[tag] = preset.build(
            **{
                **params,
                "lr0": lr0,
                "steps_per_epoch": nb,
                "warmup_bias_lr": start if tag == bias_tag else 0.0,
            },
            name=f"{os.path.basename(path)} {tag}",
        )
    if log is not None:
        notes += _agreement(log, groups, nb)
    notes.insert(0, f"{name} {family} schedule, {nb} batches per epoch, one design step per iteration")
    main = groups[_weight_tag(groups, bias_tag, levels)]
    return main, notes, groups, log.path if log is not None else None


def _weight_tag(groups: dict, bias_tag: str | None, levels: dict[str, float]) -> str:
    """The first weight group at the base LR level (MuSGD runs some groups at 3x)."""
    tags = [t for t in bias_first(list(groups)) if t != bias_tag] or list(groups)
    if levels:
        low = min(levels.get(t, math.inf) for t in tags)
        tags = [t for t in tags if levels.get(t) == low] or tags
    return tags[0]


def _batches(found: dict, notes: list[str]) -> int | None:
    """The batches per epoch every recognised column agrees on (the median one when several fit)."""
    sets = [{nb for nb, _ in r.extra["candidates"]} for r in found.values() if r.extra["candidates"]]
    if not sets:
        notes.append("the results.csv has no warmup row to tell the batches per epoch")
        return None
    common = sorted(set.intersection(*sets)) or sorted(sets[0])
    if len(common) > 1:
        pick = common[len(common) // 2]
        shown = ", ".join(map(str, common[:8])) + (" ..." if len(common) > 8 else "")
        notes.append(
            f"the warmup rows fit {len(common)} batches per epoch ({shown}): {pick} taken; give "
            "--steps-per-epoch for the true value"
        )
        return pick
    return common[0]


def _agreement(log: ResultsCsv, groups: dict[str, Design], nb: int) -> list[str]:
    """Whether each group's design gives the logged rows."""
    out = []
    for tag, values in log.columns.items():
        if tag not in groups:
            continue
        pred = groups[tag].evaluate((log.epochs + 1) * nb - 1)
        off = np.flatnonzero(np.abs(pred - values) > log.rel_tol * np.abs(values) * (1 + 1e-6) + 1e-15)
        if len(off):
            out.append(
                f"{tag}: the design differs from the logged LR from row {int(off[0])} (epoch "
                f"{int(log.epochs[off[0]]) + log.epoch_base}) on"
            )
    if not out:
        out.append(f"the design reproduces every logged LR of {os.path.basename(log.path)}")
    return out

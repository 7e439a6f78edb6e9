"""ReduceLROnPlateau simulated on top of a design, with Keras, tf.keras or PyTorch semantics.

How a cut applies to a non-constant design: at each evaluation the callback sees the LR in
force for the next step, `old = design(step) * multiplier`. A cut sets
`new = max(old * factor, min_lr)` exactly as the library computes it, and the multiplier
becomes `new / design(step)`: the design keeps its shape, scaled down from there on. So
`min_lr` bounds the LR at the moment of each cut; the design's own decay afterwards may take
the LR lower. For a constant design this is exactly what the library's callback sets (Keras
stores the LR in a float32 variable, so Keras semantics round to float32 as it does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .errors import DesignError

SEMANTICS = ("keras", "tf.keras", "torch")
MODES = ("min", "max", "auto")
#: Monitor names that `auto` mode maximizes (tf.keras: any name containing "acc").
_MAXIMIZED = ("acc", "auc", "precision", "recall", "f1")


@dataclass(frozen=True)
class PlateauPolicy:
    """ReduceLROnPlateau's parameters, named as the libraries name them."""

    semantics: str = "keras"
    monitor: str = "val_loss"
    mode: str = "auto"
    factor: float = 0.1
    patience: int = 10
    min_delta: float = 1e-4  # Keras min_delta, torch threshold
    threshold_mode: str = "rel"  # torch only
    cooldown: int = 0
    min_lr: float = 0.0
    eps: float = 1e-8  # torch only
    every: int | None = None  # steps between evaluations; None: the design's steps_per_epoch

    def __post_init__(self) -> None:
        def bad(name: str, problem: str) -> DesignError:
            return DesignError(problem, f"plateau.{name}")

        if self.semantics not in SEMANTICS:
            raise bad("semantics", f"must be one of {', '.join(SEMANTICS)}, got {self.semantics!r}")
        if self.mode not in MODES:
            raise bad("mode", f"must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.semantics == "torch" and self.mode == "auto":
            object.__setattr__(self, "mode", "max" if self._maximized() else "min")
        if self.threshold_mode not in ("rel", "abs"):
            raise bad("threshold_mode", f"must be rel or abs, got {self.threshold_mode!r}")
        for name in ("factor", "min_delta", "min_lr", "eps"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise bad(name, f"expected a finite number, got {v!r}")
        if not 0 <= self.factor < 1:
            raise bad("factor", f"must be in [0, 1), got {self.factor!r}")
        if self.min_lr < 0:
            raise bad("min_lr", f"must be >= 0, got {self.min_lr!r}")
        for name in ("patience", "cooldown"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise bad(name, f"expected an integer >= 0, got {v!r}")
        if self.every is not None and (
            isinstance(self.every, bool) or not isinstance(self.every, int) or self.every < 1
        ):
            raise bad("every", f"expected a positive integer, got {self.every!r}")

    def _maximized(self) -> bool:
        name = self.monitor.removeprefix("val_")
        if self.semantics == "tf.keras":
            return "acc" in self.monitor
        return any(key in name for key in _MAXIMIZED)

    @property
    def maximize(self) -> bool:
        return self.mode == "max" or (self.mode == "auto" and self._maximized())


@dataclass
class Cut:
    """One LR reduction: at evaluation `index` (0-based), at `step`."""

    index: int
    step: int
    old_lr: float
    new_lr: float


@dataclass
class PlateauResult:
    steps: np.ndarray  # step at which each evaluation happened
    multipliers: np.ndarray  # LR multiplier in force after each evaluation
    lrs: np.ndarray  # effective LR in force after each evaluation
    cuts: list[Cut] = field(default_factory=list)


def _f32(x: float) -> float:
    return float(np.float32(x))


class _Monitor:
    """Improvement test and counters, one per semantics."""

    def __init__(self, policy: PlateauPolicy) -> None:
        self.p = policy
        self.maximize = policy.maximize
        self.best: float | None = None
        if policy.semantics != "keras":
            self.best = -math.inf if self.maximize else math.inf

    def improved(self, current: float) -> bool:
        p, best = self.p, self.best
        if p.semantics == "keras":
            if best is None:
                return True
            delta = abs(p.min_delta)
            if self.maximize:  # keras.ops.greater on float32 tensors
                return bool(np.float32(current - delta) > np.float32(best))
            return bool(np.float32(current + delta) < np.float32(best))
        if p.semantics == "tf.keras":
            delta = abs(p.min_delta)
            if self.maximize:
                return bool(np.greater(current, best + delta))
            return bool(np.less(current, best - delta))
        thr = p.min_delta
        if self.maximize:
            return current > best * (thr + 1.0) if p.threshold_mode == "rel" else current > best + thr
        return current < best * (1.0 - thr) if p.threshold_mode == "rel" else current < best - thr


def simulate_plateau(
    values,
    policy: PlateauPolicy,
    design=None,
    every: int | None = None,
    base_lr: float | None = None,
    at=None,
) -> PlateauResult:
    """Run ReduceLROnPlateau over metric `values` (one per evaluation).

    The LR comes from `design` (evaluated at each evaluation's step) or is the constant
    `base_lr`. Evaluation k happens at step `at[k]` when given (a logged series where it is
    drawn), else after (k + 1) * every steps.
    """
    vals = [float(v) for v in values]
    if design is None and base_lr is None:
        raise DesignError("needs a design or a base LR", "plateau")
    if at is not None:
        steps = np.asarray(at, dtype=np.int64)
        if steps.shape != (len(vals),) or np.any(np.diff(steps) <= 0):
            raise DesignError("evaluation steps must be increasing, one per value", "plateau")
    else:
        every = every or policy.every or (design.steps_per_epoch if design is not None else None) or 1
        steps = np.arange(1, len(vals) + 1, dtype=np.int64) * every
    base = design.evaluate(steps) if design is not None else np.full(len(vals), float(base_lr))
    keras_like = policy.semantics in ("keras", "tf.keras")
    mon = _Monitor(policy)
    wait = cooldown_counter = 0
    multiplier = 1.0
    mults, lrs, cuts = [], [], []
    cut_lr = cut_ref = None  # effective LR set at the last cut, and the design's value there

    def effective(k: int) -> float:
        if cut_lr is None:
            lr = base[k]
        elif cut_ref == base[k]:
            lr = cut_lr
        else:
            lr = base[k] * multiplier
        return _f32(lr) if keras_like else float(lr)

    for k, current in enumerate(vals):
        reduce = False
        if keras_like:
            if cooldown_counter > 0:
                cooldown_counter -= 1
                wait = 0
            if mon.improved(current):
                mon.best = current
                wait = 0
            elif cooldown_counter <= 0:
                wait += 1
                if wait >= policy.patience:
                    reduce = True
        else:
            if mon.improved(current):
                mon.best = current
                wait = 0
            else:
                wait += 1
            if cooldown_counter > 0:
                cooldown_counter -= 1
                wait = 0
            if wait > policy.patience:
                reduce = True
                cooldown_counter = policy.cooldown
                wait = 0
        if reduce:
            old = effective(k)
            if policy.semantics == "keras":
                new = _f32(max(old * policy.factor, policy.min_lr)) if old > _f32(policy.min_lr) else None
            elif policy.semantics == "tf.keras":
                new = (
                    _f32(max(_f32(np.float32(old) * np.float32(policy.factor)), policy.min_lr))
                    if old > _f32(policy.min_lr)
                    else None
                )
            else:
                new = max(old * policy.factor, policy.min_lr)
                new = new if old - new > policy.eps else None
            if new is not None:
                cuts.append(Cut(k, int(steps[k]), old, new))
                cut_lr, cut_ref = new, base[k]
                multiplier = new / base[k] if base[k] > 0 else multiplier * policy.factor
                if keras_like:
                    cooldown_counter = policy.cooldown
                    wait = 0
        lr = effective(k)
        mults.append(multiplier)
        lrs.append(lr)
    return PlateauResult(steps, np.array(mults), np.array(lrs), cuts)


def plateau_lr(design, result: PlateauResult, steps) -> np.ndarray:
    """The LR a run with these plateau cuts uses at `steps`: the design times the multiplier in
    force (a cut decided at evaluation step e applies from update e on)."""
    steps = np.asarray(steps, dtype=np.int64)
    base = design.evaluate(steps)
    if not len(result.steps):
        return base
    k = np.searchsorted(result.steps, steps, side="right") - 1
    mult = np.where(k >= 0, result.multipliers[np.maximum(k, 0)], 1.0)
    return base * mult

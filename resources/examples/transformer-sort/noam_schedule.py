"""Learning-rate schedule "Noam for a d_model 64 Transformer" for Keras 3 (LR Designer
0.1.0).

Usage: `keras.optimizers.AdamW(learning_rate=NoamSchedule())` after
`from noam_schedule import NoamSchedule`. Registered as "lrdesigner>NoamSchedule":
`model.save()` works, and `keras.models.load_model()` with this module imported.

Plateau cuts: Keras's ReduceLROnPlateau raises "not settable" on a schedule; use
`NoamSchedulePlateauCallback` (below) instead. It applies the design's policy (PLATEAU,
"keras" semantics) to the schedule's multiplier and takes ReduceLROnPlateau's arguments
(monitor, factor, patience, ...) as overrides:

    model.fit(..., validation_data=..., callbacks=[NoamSchedulePlateauCallback()])

The multiplier is part of the schedule's config: a model saved after a cut and loaded
again continues at the reduced LR, and the next cut reduces from there.

Update n (from 0) uses lr(n); a segment starting at step s takes over at step s; from
step 6000 on the LR keeps following the last segment's formula (never below 0). Computed
in float64 (float32 on JAX without JAX_ENABLE_X64: ~1e-7 relative;
`compute_dtype="float32"` for TPUs); the LR is float32.
"""

import math
import struct
import warnings

import keras
from keras import ops

if keras.backend.backend() == "jax":
    import jax

DESIGN = {
    "format": "lrdesigner.design",
    "version": 1,
    "name": "Noam for a d_model 64 Transformer",
    "description": "noam(d_model=64, warmup_steps=600, factor=1.0, total_steps=6000)",
    "steps_per_epoch": 200,
    "after_end": "continue",
    "segments": [
        {
            "shape": "linear",
            "steps": 600,
            "lr_start": 0.0,
            "lr_end": 0.005103103630798288,
        },
        {
            "shape": "inverse_power",
            "steps": 5400,
            "lr_start": 0.005103103630798288,
            "lr_end": 0.0016137430609197573,
            "params": {"tau": 600.0},
        },
    ],
}

PLATEAU = {
    "semantics": "keras",
    "monitor": "val_loss",
    "mode": "min",
    "factor": 0.5,
    "patience": 2,
    "min_delta": 0.001,
    "threshold_mode": "rel",
    "cooldown": 1,
    "min_lr": 0.0,
    "eps": 1e-08,
    "every": None,
    "maximize": False,
}


def linear(segment, steps_in):
    """A straight line from lr_start to lr_end."""
    lr_start, lr_end = segment["lr_start"], segment["lr_end"]
    return lr_start + (lr_end - lr_start) * (steps_in / segment["steps"])


def inverse_power(segment, steps_in):
    """lr_start / (1 + steps_in / tau) ** power."""
    params = segment["params"]
    return segment["lr_start"] * (1.0 + steps_in / params["tau"]) ** -params["power"]


#: Each shape's function and the parameters it reads, with their defaults.
SHAPES = {
    "linear": (linear, {}),
    "inverse_power": (inverse_power, {"tau": 1000.0, "power": 0.5}),
}


@keras.saving.register_keras_serializable(package="lrdesigner")
class NoamSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """The designed schedule (DESIGN unless `design` is given) times `multiplier`."""

    def __init__(self, design=None, multiplier=1.0, compute_dtype=None):
        super().__init__()
        self.design = DESIGN if design is None else design
        self.multiplier = float(multiplier)
        self.compute_dtype = compute_dtype
        for segment in self.design["segments"]:  # a saved config's design may need more
            function, defaults = SHAPES.get(segment["shape"], (None, {}))
            if function is None or set(segment.get("params", {})) - set(defaults):
                fix = 'export with "Include every shape" (--all-shapes)'
                raise ValueError(f"{segment} is not in this module; {fix}")

    def __call__(self, step):
        return ops.cast(self.design_lr(step) * self.multiplier, "float32")

    def design_lr(self, step):
        """The design's LR at `step` (multiplier not applied), in the compute dtype."""
        int_dtype, float_dtype = "int64", self.compute_dtype or "float64"
        if keras.backend.backend() == "jax" and not jax.config.jax_enable_x64:
            int_dtype, float_dtype = "int32", self.compute_dtype or "float32"
        step = ops.cast(step, int_dtype)
        start, lr = 0, None
        for segment in self.design["segments"]:
            shape, defaults = SHAPES[segment["shape"]]
            segment = {**segment, "params": {**defaults, **segment.get("params", {})}}
            steps_in = ops.cast(ops.maximum(step - start, 0), float_dtype)
            value = ops.cast(shape(segment, steps_in), float_dtype)
            lr = value if lr is None else ops.where(step >= start, value, lr)
            start += segment["steps"]
        after_end = self.design["after_end"]
        if after_end == "continue":
            return ops.where(lr > 0.0, lr, 0.0)
        end_lr = self.design["segments"][-1]["lr_end"] if after_end == "hold" else 0.0
        return ops.where(step >= start, ops.cast(end_lr, float_dtype), lr)

    def lr_at(self, step):
        """The design's LR at one step as a Python float (multiplier not applied)."""
        return float(ops.convert_to_numpy(self.design_lr(step)))

    def get_config(self):
        names = ("design", "multiplier", "compute_dtype")
        return {name: getattr(self, name) for name in names}


def _f32(x):
    """x rounded to float32 (for policies whose library keeps the LR in float32)."""
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


#: Monitor names that mode "auto" maximizes ("tf.keras" semantics: names with "acc").
_MAXIMIZED = ("acc", "auc", "precision", "recall", "f1")


def _complete_policy(policy, overrides=None):
    """`policy` (keys left out keep PLATEAU's) with `overrides` applied, checked."""
    merged = dict(PLATEAU)
    merged.pop("maximize")
    unknown = sorted(set(policy or {}) - set(merged) - {"maximize"})
    if unknown:
        known = ", ".join(sorted(merged))
        unknown = ", ".join(unknown)
        raise ValueError(f"unknown plateau setting(s) {unknown}; known: {known}")
    merged.update({k: v for k, v in (policy or {}).items() if k != "maximize"})
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    if merged["mode"] not in ("min", "max", "auto"):
        raise ValueError(f"mode must be min, max or auto, got {merged['mode']!r}")
    if merged["mode"] == "auto":
        if merged["semantics"] == "tf.keras":
            maximize = "acc" in merged["monitor"]
        else:
            name = merged["monitor"].removeprefix("val_")
            maximize = any(key in name for key in _MAXIMIZED)
    else:
        maximize = merged["mode"] == "max"
    merged["maximize"] = maximize
    return merged


class _Plateau:
    """ReduceLROnPlateau's counters and its cut rule, in the policy's semantics.

    A cut sets the effective LR `old = design(step) * multiplier` to
    `new = max(old * factor, min_lr)`, as the library would, and the multiplier to
    `new / design(step)`: the design keeps its shape, scaled down from there on.
    All state is plain numbers (see `state()`), so it can be saved and restored.
    """

    def __init__(self, policy, state=None):
        self.policy = dict(policy)
        self.multiplier = 1.0
        self.cut_lr = None  # effective LR set by the last cut
        self.cut_ref = None  # the design's LR at that cut
        self.reset()
        if state:
            self.__dict__.update(state)

    def reset(self):
        """Forget the best value and the counters (the multiplier stays)."""
        p = self.policy
        if p["semantics"] == "keras":
            self.best = None
        else:
            self.best = -math.inf if p["maximize"] else math.inf
        self.wait = 0
        self.cooldown_counter = 0

    def state(self):
        return {k: v for k, v in self.__dict__.items() if k != "policy"}

    def effective(self, base):
        """The LR in force when the design's own LR is `base`."""
        if self.cut_lr is None:
            lr = base * self.multiplier
        elif self.cut_ref == base:
            lr = self.cut_lr
        else:
            lr = base * self.multiplier
        return float(lr) if self.policy["semantics"] == "torch" else _f32(lr)

    def _improved(self, current):
        p, best = self.policy, self.best
        if p["semantics"] == "keras":
            if best is None:
                return True
            delta = abs(p["min_delta"])
            if p["maximize"]:
                return _f32(current - delta) > _f32(best)
            return _f32(current + delta) < _f32(best)
        if p["semantics"] == "tf.keras":
            delta = abs(p["min_delta"])
            return current > best + delta if p["maximize"] else current < best - delta
        thr, rel = p["min_delta"], p["threshold_mode"] == "rel"
        if p["maximize"]:
            return current > best * (thr + 1.0) if rel else current > best + thr
        return current < best * (1.0 - thr) if rel else current < best - thr

    def _wants_cut(self, current):
        p = self.policy
        if p["semantics"] == "torch":
            if self._improved(current):
                self.best, self.wait = current, 0
            else:
                self.wait += 1
            if self.cooldown_counter > 0:
                self.cooldown_counter -= 1
                self.wait = 0
            if self.wait > p["patience"]:
                self.cooldown_counter, self.wait = p["cooldown"], 0
                return True
            return False
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            return self.wait >= p["patience"]
        return False

    def update(self, current, base):
        """Take one metric value; `base` is the design's LR now. (old, new) on a cut."""
        if not self._wants_cut(float(current)):
            return None
        p, old = self.policy, self.effective(base)
        if p["semantics"] == "torch":
            new = max(old * p["factor"], p["min_lr"])
            if not old - new > p["eps"]:
                return None
        elif old > _f32(p["min_lr"]):
            if p["semantics"] == "keras":
                new = _f32(max(old * p["factor"], p["min_lr"]))
            else:
                new = _f32(max(_f32(_f32(old) * _f32(p["factor"])), p["min_lr"]))
            self.cooldown_counter, self.wait = p["cooldown"], 0
        else:
            return None
        self.cut_lr, self.cut_ref = new, base
        self.multiplier = new / base if base > 0 else self.multiplier * p["factor"]
        return old, new


def _schedule_of(optimizer):
    """The schedule an optimizer (or a LossScaleOptimizer's inner one) uses."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    return getattr(optimizer, "_learning_rate", None)


class NoamSchedulePlateauCallback(keras.callbacks.Callback):
    """ReduceLROnPlateau for a `NoamSchedule`: each cut scales its multiplier.

    The schedule is the model's optimizer's; `schedule`, if given, must be that one.
    The policy is PLATEAU; `policy` (a dict, keys left out keep PLATEAU's values) and
    the keyword arguments, named as Keras's ReduceLROnPlateau names them, override it.
    """

    def __init__(
        self,
        schedule=None,
        policy=None,
        monitor=None,
        factor=None,
        patience=None,
        min_delta=None,
        cooldown=None,
        min_lr=None,
        mode=None,
        verbose=0,
    ):
        super().__init__()
        overrides = dict(monitor=monitor, factor=factor, patience=patience, mode=mode)
        overrides.update(min_delta=min_delta, cooldown=cooldown, min_lr=min_lr)
        self.policy = _complete_policy(policy, overrides)
        self.schedule = schedule
        self.verbose = verbose
        self.plateau = None
        self.cuts = []  # (epoch, step, old LR, new LR)

    def on_train_begin(self, logs=None):  # noqa: ARG002 - Keras's signature
        name = type(self).__name__
        schedule = _schedule_of(self.model.optimizer)
        if not isinstance(schedule, NoamSchedule):
            expected = NoamSchedule.__name__
            raise TypeError(
                f"{name}: the model's optimizer has no {expected} as its learning "
                f"rate (it has {type(schedule).__name__}); compile with "
                f"optimizer=...(learning_rate={expected}())"
            )
        if self.schedule is not None and self.schedule is not schedule:
            raise ValueError(
                f"{name}: the schedule given is not the one the model's optimizer "
                "uses; pass that one, or none (the callback finds it)"
            )
        self.schedule = schedule
        # Counters start afresh, as in Keras's own callback; the multiplier carries on.
        self.plateau = _Plateau(self.policy)
        self.plateau.multiplier = schedule.multiplier

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(ops.convert_to_numpy(optimizer.learning_rate))
        monitor = self.policy["monitor"]
        current = logs.get(monitor)
        if current is None:
            warnings.warn(
                f"{type(self).__name__}: the monitored metric {monitor!r} is not "
                f"in the logs (available: {', '.join(logs)})",
                stacklevel=2,
            )
            return
        step = int(float(ops.convert_to_numpy(self.model.optimizer.iterations)))
        cut = self.plateau.update(float(current), self.schedule.lr_at(step))
        if cut is None:
            return
        self.schedule.multiplier = self.plateau.multiplier
        # A compiled train step holds the multiplier as a constant: compile it again.
        self.model.make_train_function(force=True)
        self.cuts.append((epoch, step, cut[0], cut[1]))
        if self.verbose:
            name = type(self).__name__
            print(f"\nEpoch {epoch + 1}: {name} reducing learning rate to {cut[1]}.")

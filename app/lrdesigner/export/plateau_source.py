"""ReduceLROnPlateau as generated source: the same bookkeeping as `lrdesigner.schedule.plateau`,
applied to a multiplier of the schedule instead of the optimizer's LR."""

from __future__ import annotations

PLATEAU = '''
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
'''

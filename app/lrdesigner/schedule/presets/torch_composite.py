"""Presets reproducing torch's scheduler composition: SequentialLR and ChainedScheduler."""

from __future__ import annotations

import math

import numpy as np

from ..compose import extended, join, multiply, scaled
from ..curves import cosine_curve
from ..design import Design
from ..segment import Segment
from .pieces import need
from .registry import P, build_piece, get_preset, preset
from .torch import LR

#: Schedulers that, at a SequentialLR milestone, multiply the LR in force (no closed form to restart).
_CONTINUING = ("torch.MultiplicativeLR",)
#: torch schedulers whose steps multiply the LR in force (their chainable form).
_MULTIPLICATIVE = (
    "torch.ConstantLR",
    "torch.LinearLR",
    "torch.ExponentialLR",
    "torch.MultiplicativeLR",
    "torch.StepLR",
    "torch.MultiStepLR",
    "torch.PolynomialLR",
    "torch.CosineAnnealingLR",
)


@preset(
    "torch.SequentialLR",
    "torch SequentialLR: scheduler i takes over at milestones[i-1] and restarts its own count "
    "there; MultiplicativeLR multiplies the LR in force instead.",
    "as the last scheduler",
    LR,
    P(
        "schedulers",
        "presets",
        [
            {"preset": "torch.LinearLR", "start_factor": 0.01, "total_iters": 5000},
            {"preset": "torch.CosineAnnealingLR", "T_max": 95_000},
        ],
        'torch presets: {"preset": NAME, ...arguments}; lr defaults to this lr.',
    ),
    P("milestones", "ints", [5000], "Steps where the next scheduler takes over."),
    P("total_steps", "int", 100_000, "Training length."),
)
def sequential_lr(lr, schedulers, milestones, total_steps):
    need(len(milestones) == len(schedulers) - 1, "needs one milestone fewer than schedulers", "milestones")
    need(all(m >= 0 for m in milestones), "must be >= 0", "milestones")
    need(total_steps >= 1, "must be >= 1", "total_steps")
    starts = [0] + sorted(milestones)
    pieces: list[Design] = []
    for i, item in enumerate(schedulers):
        name = item["preset"]
        need(
            name.startswith("torch.") and name != "torch.SequentialLR",
            f"SequentialLR takes torch schedulers, got {name}",
            f"schedulers[{i}]",
        )
        need(
            name != "torch.ChainedScheduler" or i == 0,
            "a ChainedScheduler after a milestone raises NotImplementedError in torch",
            f"schedulers[{i}]",
        )
        need(
            name != "torch.SWALR" or i == 0,
            "SWALR after a milestone anneals from the LR in force one step late; not reproduced",
            f"schedulers[{i}]",
        )
        stop = starts[i + 1] if i + 1 < len(starts) else total_steps
        length = max(stop - starts[i], 1)
        base = lr
        if name in _CONTINUING and i > 0 and starts[i] > 0:
            param = {q.name: q for q in get_preset(name).params}["factor"]
            factor = param.coerce(item.get("factor", param.default), f"schedulers[{i}]")
            base = join(pieces, starts[1:i]).lr_at(starts[i] - 1) * factor
            item = {**item, "lr": base}
        piece = build_piece(item, f"schedulers[{i}]", lr=base, total_steps=length)
        if name == "torch.ChainedScheduler":
            # SequentialLR resets the LR and steps the chain's schedulers once more at step 0,
            # outside their initial mode.
            args = {"lr": base, "total_steps": length, **item}
            piece = _chain(args["lr"], args["schedulers"], args["total_steps"], restarted=True)
        pieces.append(piece)
    return join(pieces, starts[1:], total_steps)


@preset(
    "torch.ChainedScheduler",
    "torch ChainedScheduler: every scheduler steps each time and their factors multiply; "
    "refused where two factors change smoothly on the same steps (unless both are exponential).",
    "as the chained schedulers",
    LR,
    P(
        "schedulers",
        "presets",
        [
            {"preset": "torch.ConstantLR", "factor": 0.1, "total_iters": 2000},
            {"preset": "torch.ExponentialLR", "gamma": 0.99995},
        ],
        'torch presets whose steps multiply the LR: {"preset": NAME, ...arguments}.',
    ),
    P("total_steps", "int", 100_000, "Training length."),
)
def chained_scheduler(lr, schedulers, total_steps):
    return _chain(lr, schedulers, total_steps)


def _chain(lr: float, schedulers: list[dict], total_steps: int, restarted: bool = False) -> Design:
    """The chain's LR; `restarted`: as the first scheduler of a SequentialLR."""
    need(lr > 0, "must be > 0", "lr")
    designs, names = [], []
    for i, item in enumerate(schedulers):
        name = item["preset"]
        need(
            name in _MULTIPLICATIVE,
            f"{name} sets the LR instead of multiplying it; ChainedScheduler takes "
            f"{', '.join(_MULTIPLICATIVE)}",
            f"schedulers[{i}]",
        )
        designs.append(build_piece(item, f"schedulers[{i}]", lr=lr, total_steps=total_steps))
        names.append(f"{name} (schedulers[{i}])")
    cosines = [i for i, item in enumerate(schedulers) if item["preset"] == "torch.CosineAnnealingLR"]
    if cosines:
        return _cosine_chain(lr, schedulers, designs, names, cosines, total_steps, restarted)
    out = multiply(designs, lr, names, total_steps)
    if restarted:
        again = math.prod(_first_again(item) for item in schedulers)
        out = out.replace(segments=tuple(scaled(seg, again) for seg in out.segments))
    return out


def _arg(item: dict, name: str):
    """A validated piece's argument, or its preset's default."""
    if name in item:
        return item[name]
    return {q.name: q for q in get_preset(item["preset"]).params}[name].default


def _first_again(item: dict) -> float:
    """The factor a multiplicative scheduler applies when stepped at step 0 outside its initial
    mode, relative to its own value there."""
    name = item["preset"]
    if name == "torch.ExponentialLR":
        return _arg(item, "gamma")
    if name == "torch.MultiplicativeLR":
        return _arg(item, "factor")
    if name == "torch.PolynomialLR":
        iters = _arg(item, "total_iters")
        return (1.0 / (1.0 - (-1) / iters)) ** _arg(item, "power")
    return 1.0  # StepLR, MultiStepLR, ConstantLR and LinearLR set their own value at step 0


def _cosine_chain(lr, schedulers, designs, names, cosines, total, restarted) -> Design:
    """A chain holding a CosineAnnealingLR, whose steps move `lr - eta_min` along the cosine (and
    restart its amplitude after each trough): between the steps where another factor changes,
    the LR is `eta_min + k * (1 + cos(pi t / T_max)) / 2`. The others must be step functions."""
    c = cosines[0]
    for i, d in enumerate(designs):
        if i == c:
            continue
        at = 0
        for seg in extended(d, total):
            if seg.shape not in ("constant", "staircase") or i in cosines:
                a, b = sorted((i, c))
                shapes = {i: "cosine" if i in cosines else seg.shape, c: "cosine"}
                need(
                    False,
                    f"{names[a]} ({shapes[a]}) and {names[b]} ({shapes[b]}) both change the LR over "
                    f"steps {at}..{at + seg.duration}; their product is not a shape a design can hold",
                    "schedulers",
                )
            at += seg.duration
    T = _arg(schedulers[c], "T_max")
    eta = _arg(schedulers[c], "eta_min")
    others = [i for i in range(len(designs)) if i != c]
    full = [Design(tuple(extended(designs[i], total))) for i in others]
    events = {total}
    for d in full:
        at = 0
        for seg in d.segments:
            events.add(at)
            if seg.shape == "staircase":
                events.update(range(at, at + seg.duration, seg.param("every")))
            at += seg.duration
    events.update(range(T + 1, total, 2 * T))
    events = sorted(e for e in events if 0 < e <= total)
    need(len(events) <= 100_000, "too many steps where the factors change", "schedulers")
    steps = np.array(events[:-1], dtype=np.int64)
    ratio = {}
    for i, d in zip(others, full):
        now, before = d.evaluate(steps), d.evaluate(steps - 1)
        ratio[i] = np.divide(now, before, out=np.zeros_like(now), where=before > 0)

    def g(t: int) -> float:
        return 0.5 * (1.0 + math.cos(math.pi * t / T))

    def cosine_step(level: float, t: int) -> float:
        if (t - 1 - T) % (2 * T) == 0:
            return level + (lr - eta) * (1.0 - math.cos(math.pi / T)) / 2.0
        return (1.0 + math.cos(math.pi * t / T)) / (1.0 + math.cos(math.pi * (t - 1) / T)) * (level - eta) + eta

    if restarted:
        level = lr
        for i, item in enumerate(schedulers):
            if i == c:
                level = cosine_step(level, 0)
            else:
                level *= full[others.index(i)].lr_at(0) / lr * _first_again(item)
    else:
        level = lr * math.prod(full[k].lr_at(0) / lr for k in range(len(others)))
    segs: list[Segment] = []
    bounds = [0, *events]
    last = level
    for n, (lo, hi) in enumerate(zip(bounds, bounds[1:])):
        if lo > 0:  # torch's step at lo, scheduler by scheduler, from the LR before it
            level = last
            for i in range(len(schedulers)):
                level = cosine_step(level, lo) if i == c else level * float(ratio[i][n - 1])
        amplitude = (level - eta) / g(lo) if g(lo) > 0 else 0.0
        peak = 1.0 if (hi - 1) // (2 * T) * 2 * T >= lo else max(g(lo), g(hi - 1))
        need(
            amplitude >= 0 or eta + amplitude * peak >= 0,
            f"torch's LR goes below 0 after step {lo} here: the drops pull it under eta_min, "
            "and the cosine moves it away from eta_min",
            "schedulers",
        )
        if hi - lo == 1 or amplitude == 0.0:
            segs.append(Segment.create("constant", hi - lo, level))
            last = level
        else:
            segs += cosine_curve(lo, hi, 0.0, float(T), eta + amplitude, eta)
            last = eta + amplitude * g(hi - 1)
    return Design(tuple(segs), name="Chained", after_end="continue")

"""Presets reproducing torch's scheduler composition: SequentialLR and ChainedScheduler."""

from __future__ import annotations

from ..compose import join, multiply
from ..design import Design
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
            name.startswith("torch.") and name not in ("torch.SequentialLR", "torch.ChainedScheduler"),
            f"SequentialLR takes torch schedulers, got {name}",
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
        pieces.append(build_piece(item, f"schedulers[{i}]", lr=base, total_steps=length))
    return join(pieces, starts[1:], total_steps)


@preset(
    "torch.ChainedScheduler",
    "torch ChainedScheduler: every scheduler steps each time and their factors multiply; "
    "refused where two factors change on the same steps (unless both are exponential).",
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
        if name == "torch.CosineAnnealingLR":
            need(
                not item.get("eta_min"),
                "a CosineAnnealingLR with eta_min > 0 does not chain as a product",
                f"schedulers[{i}].eta_min",
            )
        designs.append(build_piece(item, f"schedulers[{i}]", lr=lr, total_steps=total_steps))
        names.append(f"{name} (schedulers[{i}])")
    return multiply(designs, lr, names, total_steps)

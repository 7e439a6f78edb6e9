"""What recognising a schedule from logged points produces, shared by every family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..design import Design


@dataclass(frozen=True)
class Recognized:
    """A library schedule that reproduces logged points.

    `steps[i]` is where logged point i lies on the design's axis under `placement` (the
    writer's convention, in words: "lr(k-1) at step k"); `design` evaluated there gives the
    logged values within the log's precision. `inferred` names parameters the log cannot show
    (a run that stopped early: its length comes from the decay seen), `notes` anything else
    worth saying ("ambiguous: ...").
    """

    preset: str
    params: dict[str, Any]
    placement: str
    design: Design
    steps: np.ndarray
    inferred: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    offset: int = 0  # the constant step shift of `placement` (design step = logged step - offset)
    extra: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """`hf.linear lr=0.0002 num_warmup_steps=100 num_training_steps=3140, logged as lr(k-1)`."""
        args = " ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        return f"{self.preset} {args}, logged as {self.placement}"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)

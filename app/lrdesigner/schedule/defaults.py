"""The design a new window starts with."""

from __future__ import annotations

from .describe import describe
from .design import Design
from .segment import Segment


def default_design() -> Design:
    """Linear warmup over 8% of 100k steps to a 5e-4 peak, then a cosine down to 1e-5."""
    design = Design(
        (Segment.create("linear", 8_000, 1e-6, 5e-4), Segment.create("cosine", 92_000, 5e-4, 1e-5)),
        name="Warmup + cosine",
    )
    return design.replace(description=describe(design))

"""Summary figures of a design, in closed form per segment (O(segments), not O(steps))."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .design import Design


@dataclass(frozen=True)
class Metrics:
    total_steps: int
    peak_lr: float
    peak_step: int  # first step at the peak
    final_lr: float  # LR of the last training step (total_steps - 1)
    end_lr: float  # LR held after training (by the after-end policy)
    mean_lr: float
    lr_area: float  # sum of the LR over all training steps
    warmup_steps: int  # steps before the peak is first reached (0 when training starts at it)
    warmup_fraction: float
    largest_jump: float  # largest change between two consecutive steps at a knot or drop
    largest_jump_step: int


def metrics(design: Design) -> Metrics:
    """Peak, final, mean and area of the LR, warmup length and largest jump."""
    total = design.total_steps
    peak, peak_step = -1.0, 0
    area = 0.0
    for start, seg in zip(design.starts, design.segments):
        kind = seg.kind
        lo, hi = np.array([0]), np.array([seg.duration - 1])
        # Sorted, so the first highest is the earliest step (np.unique would import numpy.ma,
        # 15 ms of the window's start-up).
        cands = np.sort(np.concatenate([lo, hi] + kind.candidates(lo, hi, seg)))
        vals = kind.values(cands, seg)
        j = int(np.argmax(vals))
        if vals[j] > peak:
            peak, peak_step = float(vals[j]), start + int(cands[j])
        area += kind.area(seg, seg.duration)
    jump, jump_step = 0.0, 0
    for i in range(1, len(design.segments)):
        s = design.starts[i]
        d = abs(design.lr_at(s) - design.lr_at(s - 1))
        if d > jump:
            jump, jump_step = d, s
    for start, seg in zip(design.starts, design.segments):
        if seg.shape == "staircase" and seg.duration > seg.param("every"):
            d = seg.lr_start * abs(1.0 - seg.param("factor"))
            if d > jump:
                jump, jump_step = d, start + seg.param("every")
    warm = warmup_steps(design, peak_step)
    end_lr = design.lr_at(total)
    final = float(design.evaluate(np.array([total - 1]))[0])  # as an array evaluation gives it
    return Metrics(
        total, peak, peak_step, final, end_lr, area / total, area, warm, warm / total, jump, jump_step
    )


#: Shapes whose own upward ramps are cycles, not a warmup.
CYCLIC_SHAPES = ("cyclic", "cosine_restarts")


def warmup_steps(design: Design, peak_step: int) -> int:
    """Steps of the rise from step 0 to the peak, stopping where a cyclic segment begins (a
    cycle's ramp is not a warmup); 0 when training starts at its highest LR so far."""
    end = peak_step
    i = design.segment_at(peak_step)
    if design.segments[i].shape in CYCLIC_SHAPES:
        end = design.starts[i]
    if end <= 0 or not design.lr_at(0) < design.lr_at(end):
        return 0
    return end

"""The Design: an ordered list of segments covering steps [0, total_steps), and its evaluation."""

from __future__ import annotations

import bisect
import os
import threading
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .errors import DesignError
from .segment import Segment

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from .plateau import PlateauPolicy

#: Sorted step arrays are evaluated in blocks of at most this many steps, which stay in the CPU
#: cache; longer arrays than PARALLEL have their blocks spread over the cores (numpy releases
#: the GIL inside its loops). Fewer, larger blocks mean fewer numpy calls, each taking the GIL.
BLOCK = 1 << 16
PARALLEL = 1 << 15
#: Integers up to this size convert to float64 exactly.
_EXACT_FLOAT = 2**53

_WORKERS = os.cpu_count() or 1

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """The shared evaluation pool, one worker per core besides the caller's (created on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(max_workers=_WORKERS - 1, thread_name_prefix="lr-eval")
        return _pool


class _Unsorted(Exception):
    """Steps handed to the sorted evaluation path turned out not to be sorted."""


AFTER_END = ("hold", "continue", "zero")
#: The largest LR a design holds: far beyond any real training (growing library schedules reach
#: 1e70), and small enough that the metrics (the LR summed over up to 2**62 steps) stay finite.
MAX_LR = 1e100
AFTER_END_HELP = {
    "hold": "hold the LR the last segment ends at (Keras, optax)",
    "continue": "keep following the last segment's formula (torch, HF cosine)",
    "zero": "LR 0 once training is over (HF linear/restarts)",
}


class Knot(NamedTuple):
    """A boundary between segments (the first and last included): where it is and the LR on each side."""

    index: int
    step: int
    lr_in: float  # the LR the segment before reaches here
    lr_out: float  # the LR the segment after starts at (equals lr_in at the last knot)

    @property
    def lr(self) -> float:
        """The LR drawn at the knot: where the next segment starts (the end LR at the last knot)."""
        return self.lr_out


@dataclass(frozen=True)
class Design:
    """A learning-rate schedule. Immutable: every edit returns a new Design."""

    segments: tuple[Segment, ...]
    name: str = "Untitled"
    description: str = ""
    steps_per_epoch: int | None = None
    after_end: str = "hold"
    plateau: PlateauPolicy | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        self.validate()

    def validate(self) -> None:
        """Raise DesignError when the design breaks an invariant."""
        if not self.segments:
            raise DesignError("a design needs at least one segment", "segments")
        for i, seg in enumerate(self.segments):
            if not isinstance(seg, Segment):
                raise DesignError("not a segment", f"segments[{i}]")
        if not isinstance(self.name, str) or not isinstance(self.description, str):
            raise DesignError("name and description must be text", "name")
        if self.after_end not in AFTER_END:
            raise DesignError(f"must be one of {', '.join(AFTER_END)}, got {self.after_end!r}", "after_end")
        spe = self.steps_per_epoch
        if spe is not None and (isinstance(spe, bool) or not isinstance(spe, int) or spe < 1):
            raise DesignError(f"must be a positive integer or null, got {spe!r}", "steps_per_epoch")
        for i, seg in enumerate(self.segments):
            for key, value in (("lr_start", seg.lr_start), ("lr_end", seg.lr_end), *seg.params):
                if "lr" in key and isinstance(value, float) and value > MAX_LR:
                    raise DesignError(
                        f"LR {value:.6g} is above {MAX_LR:g}: the schedule's sums would overflow",
                        f"segments[{i}].{key}",
                    )
        if self.total_steps > 2**62:
            raise DesignError(f"total steps {self.total_steps} exceed 2**62", "segments")

    def replace(self, **changes) -> Design:
        """A copy with fields changed (validated)."""
        return replace(self, **changes)

    # ---- structure -------------------------------------------------------------------
    @cached_property
    def starts(self) -> tuple[int, ...]:
        """First step of each segment."""
        out, s = [], 0
        for seg in self.segments:
            out.append(s)
            s += seg.duration
        return tuple(out)

    @property
    def total_steps(self) -> int:
        return self.starts[-1] + self.segments[-1].duration

    @cached_property
    def knots(self) -> tuple[Knot, ...]:
        """Every segment boundary, the first (step 0) and the last (total_steps) included."""
        out = [Knot(0, 0, self.segments[0].lr_start, self.segments[0].lr_start)]
        for i in range(1, len(self.segments)):
            out.append(Knot(i, self.starts[i], self.segments[i - 1].lr_end, self.segments[i].lr_start))
        n = len(self.segments)
        out.append(Knot(n, self.total_steps, self.segments[-1].lr_end, self.segments[-1].lr_end))
        return tuple(out)

    def segment_at(self, step: int) -> int:
        """Index of the segment holding `step` (the last one for steps past the end)."""
        return max(0, bisect.bisect_right(self.starts, step) - 1)

    # ---- evaluation ------------------------------------------------------------------
    def lr_at(self, step: int) -> float:
        """LR at one step (scalar fast path)."""
        step = int(step)
        if step < 0:
            raise DesignError(f"steps must be >= 0, got {step}", "step")
        if step >= self.total_steps:
            return self._after_end_scalar(step)
        i = bisect.bisect_right(self.starts, step) - 1
        seg = self.segments[i]
        return seg.kind.value(step - self.starts[i], seg)

    def _after_end_scalar(self, step: int) -> float:
        last = self.segments[-1]
        if self.after_end == "hold":
            return last.lr_end
        if self.after_end == "zero":
            return 0.0
        v = last.kind.value(step - self.starts[-1], last)
        return v if v > 0.0 else 0.0

    def evaluate(self, steps) -> np.ndarray:
        """LR at every step of an int64 array of any size, in float64 (O(n + segments))."""
        steps = np.asarray(steps)
        if steps.dtype.kind not in "iu":
            if steps.size and not np.all(np.isfinite(steps) & (steps == np.floor(steps))):
                raise DesignError("steps must be whole numbers", "steps")
            steps = steps.astype(np.int64)
        steps = steps.astype(np.int64, copy=False)
        shape = steps.shape
        flat = steps.ravel()
        if flat.size == 0:
            return np.empty(shape, dtype=np.float64)
        try:
            out = self._evaluate_sorted(flat)
        except _Unsorted:
            order = np.argsort(flat, kind="stable")
            out = np.empty(flat.shape, dtype=np.float64)
            out[order] = self._evaluate_sorted(flat[order])
        return out.reshape(shape)

    def _evaluate_sorted(self, steps: np.ndarray) -> np.ndarray:
        """LR at `steps`; raises _Unsorted (before any work is lost) when they are not sorted."""
        n = steps.size
        parallel = _WORKERS > 1 and n > PARALLEL
        size = min(BLOCK, -(-n // _WORKERS)) if parallel else BLOCK  # at least a block per core
        # Sortedness across block edges here; inside each block as it is evaluated.
        if n > size and not bool(np.all(steps[size::size] >= steps[size - 1 : -1 : size])):
            raise _Unsorted
        if steps[0] < 0 and (n == 1 or steps[1] >= steps[0]):
            raise DesignError(f"steps must be >= 0, got {int(steps[0])}", "steps")
        out = np.empty(steps.shape, dtype=np.float64)
        knots = np.array(self.starts + (self.total_steps,))
        blocks = iter(range(0, n, size))
        taking = threading.Lock()  # an iterator shared by threads needs one without the GIL

        def work() -> None:
            # One scratch buffer per thread for the local steps: block-sized temporaries, freed and
            # allocated again block after block, have the allocator return memory to the system
            # and fault it back in each time.
            scratch = np.empty(min(n, size), dtype=np.float64)
            while True:
                with taking:
                    lo = next(blocks, None)
                if lo is None:
                    return
                self._evaluate_block(steps[lo : lo + size], out[lo : lo + size], knots, scratch)

        if not parallel:
            work()
            return out
        # The workers, this thread among them, take the blocks in turn from one iterator: a core
        # never idles while another is left with the costly segments.
        futures = [_executor().submit(work) for _ in range(_WORKERS - 1)]
        try:
            work()
        finally:
            for future in futures:
                future.result()
        return out

    def _evaluate_block(
        self, steps: np.ndarray, out: np.ndarray, knots: np.ndarray, scratch: np.ndarray
    ) -> None:
        """Fill `out` with the LR at `steps` (non-negative; _Unsorted if they are not sorted)."""
        if steps.size > 1 and not bool(np.all(steps[1:] >= steps[:-1])):
            raise _Unsorted
        exact = int(steps[-1]) < _EXACT_FLOAT
        bounds = np.searchsorted(steps, knots, side="left").tolist()
        for i, seg in enumerate(self.segments):
            lo, hi = bounds[i], bounds[i + 1]
            if hi > lo:
                u = _local_steps(steps[lo:hi], self.starts[i], exact, scratch)
                seg.kind.values(u, seg, out=out[lo:hi])
        tail = bounds[-1]
        if tail < steps.size:
            last = self.segments[-1]
            if self.after_end == "hold":
                out[tail:] = last.lr_end
            elif self.after_end == "zero":
                out[tail:] = 0.0
            else:
                v = last.kind.values(_local_steps(steps[tail:], self.starts[-1], exact, scratch), last)
                out[tail:] = np.where(v > 0.0, v, 0.0)


def _local_steps(steps: np.ndarray, start: int, exact: bool, scratch: np.ndarray) -> np.ndarray:
    """`steps - start`: as float64 in `scratch` when that is exact, else as int64."""
    if not exact:
        return steps - start
    u = scratch[: steps.size]
    np.copyto(u, steps)  # converting, then subtracting, runs faster than subtracting with a cast
    if start:
        u -= start
    return u

"""Series and runs: what every reader returns, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

X_KINDS = ("step", "epoch")


@dataclass
class Series:
    """One logged quantity over time. All points are kept; non-finite values stay (flagged)."""

    tag: str
    run: str
    steps: np.ndarray  # int64 (or the epoch number when x_kind == "epoch")
    values: np.ndarray  # float64
    wall_times: np.ndarray | None = None  # float64 seconds since the epoch, when known
    x_kind: str = "step"
    source: str = ""  # the file it came from
    epoch_zero_based: bool = True  # Keras numbers epochs from 0; epoch e ends after (e + 1) epochs
    rounding: float = 0.0  # relative rounding of the values as written (console output: 5e-4)

    def __post_init__(self) -> None:
        self.steps = np.ascontiguousarray(self.steps, dtype=np.int64)
        self.values = np.ascontiguousarray(self.values, dtype=np.float64)
        if self.wall_times is not None:
            self.wall_times = np.ascontiguousarray(self.wall_times, dtype=np.float64)
        if self.x_kind not in X_KINDS:
            raise ValueError(f"x_kind must be one of {X_KINDS}, got {self.x_kind!r}")

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def finite(self) -> np.ndarray:
        """Mask of the points with a finite value."""
        return np.isfinite(self.values)

    @property
    def nonfinite_count(self) -> int:
        return int(len(self.values) - np.count_nonzero(self.finite))

    def step_axis(self, steps_per_epoch: int | None = None) -> np.ndarray:
        """x in optimizer steps: epochs are mapped with `steps_per_epoch` (end of each epoch)."""
        if self.x_kind == "step":
            return self.steps
        if not steps_per_epoch:
            raise ValueError(f"{self.tag}: an epoch-indexed series needs steps_per_epoch to map to steps")
        return (self.steps + 1) * steps_per_epoch if self.epoch_zero_based else self.steps * steps_per_epoch


@dataclass
class LogRun:
    """The series of one run (a file, or a folder such as TensorBoard's `train`)."""

    name: str
    path: str
    series: dict[str, Series] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    writer: str = ""  # who wrote it, as far as known: a key of alignment.WRITERS

    def add(self, s: Series) -> None:
        self.series[s.tag] = s

    @property
    def tags(self) -> list[str]:
        return list(self.series)

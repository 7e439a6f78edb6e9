"""Shapes that move from the start knot to the end knot along a fixed profile.

`lr(u) = lo + (hi - lo) * g(theta)`, with `theta` running linearly over the phase window
`[phase_start, phase_end]` as `u` goes from 0 to the duration. With the default window
[0, 1], hi is the start knot and lo the end knot. Other windows describe part of a curve,
e.g. the tail of a cosine whose first steps were spent in a warmup (timm, OneCycleLR).
"""

from __future__ import annotations

import numpy as np

from ..errors import DesignError
from .base import Param, Shape
from .protocol import SegmentLike
from .summation import smooth_sum

#: The JSON Schema's account of every profile shape, before its own `g`.
PROFILE_FORMULA = (
    "lr = lo + span * g(theta), theta = phase_start + (phase_end - phase_start) * u / steps, where lo and "
    "span make lr(0) = lr_start and lr(steps) = lr_end: span = (lr_start - lr_end) / (g(phase_start) - "
    "g(phase_end)), lo = lr_end - span * g(phase_end) (lr = lr_start when lr_start == lr_end). "
)

WARP = Param(
    "k_decay",
    float,
    1.0,
    "Time warp: the profile runs over theta**k_decay (timm `k_decay`).",
    minimum=0.0,
    exclusive_minimum=True,
)

PHASE = (
    Param("phase_start", float, 0.0, "Profile phase at the segment's start (0 = the start of the curve)."),
    Param("phase_end", float, 1.0, "Profile phase at the segment's end (1 = the end of the curve)."),
)


class ProfileShape(Shape):
    """A curve `lo + (hi - lo) * g(theta)` fitted through the two knots."""

    windowed = True
    #: `g` falls from 1 to 0 without turning back over [0, 1], whatever the parameters: over the
    #: whole window the curve's lowest LR is then a knot's.
    monotone = False
    #: The profile `g` in words and symbols, for the JSON Schema ("g(theta) = ...").
    wave = ""

    @property
    def formula(self) -> str:
        return PROFILE_FORMULA + self.wave

    def g(self, theta, seg: SegmentLike):
        """Profile value, 1 at theta = 0 and 0 at theta = 1."""
        raise NotImplementedError

    def g_in_place(self, theta: np.ndarray, seg: SegmentLike) -> None:
        """Replace the float64 array `theta` by the profile there, operation for operation as `g`."""
        theta[...] = self.g(theta, seg)

    def g_integral(self, theta: float, seg: SegmentLike) -> float | None:
        """An antiderivative of g in theta, or None when there is no closed form."""
        return None

    def window(self, seg: SegmentLike) -> tuple[float, float]:
        if not self.windowed:
            return 0.0, 1.0
        return seg.param("phase_start"), seg.param("phase_end")

    def levels(self, seg: SegmentLike) -> tuple[float, float]:
        """(lo, span) such that lr = lo + span * g(theta)."""
        t0, t1 = self.window(seg)
        if t0 == 0.0 and t1 == 1.0:
            return seg.lr_end, seg.lr_start - seg.lr_end
        g0, g1 = float(self.g(t0, seg)), float(self.g(t1, seg))
        if seg.lr_start == seg.lr_end:
            return seg.lr_start, 0.0
        span = (seg.lr_start - seg.lr_end) / (g0 - g1)
        return seg.lr_end - span * g1, span

    def theta(self, u, seg: SegmentLike):
        t0, t1 = self.window(seg)
        if t0 == 0.0 and t1 == 1.0:
            return u / seg.duration
        return t0 + (t1 - t0) * (u / seg.duration)

    def values(self, u: np.ndarray, seg: SegmentLike, out: np.ndarray | None = None) -> np.ndarray:
        lo, span = self.levels(seg)
        # `theta` and then `g` in one buffer: t0 + (t1 - t0) * (u / duration), operation for operation.
        t0, t1 = self.window(seg)
        x = np.divide(u, seg.duration, out=out, dtype=np.float64)
        if not (t0 == 0.0 and t1 == 1.0):
            x *= t1 - t0
            x += t0
        self.g_in_place(x, seg)
        x *= span
        x += lo
        return x

    def value(self, u: int, seg: SegmentLike) -> float:
        lo, span = self.levels(seg)
        return lo + span * float(self.g(self.theta(float(u), seg), seg))

    def validate(self, seg: SegmentLike, where: str) -> None:
        t0, t1 = self.window(seg)
        if dict(seg.params).get("k_decay", 1.0) != 1.0 and t0 < 0:
            raise DesignError(f"a k_decay other than 1 needs phase_start >= 0, got {t0!r}", where)
        if not t1 > t0:
            raise DesignError(f"phase_end must be > phase_start, got {t0!r} .. {t1!r}", where)
        if seg.lr_start != seg.lr_end:
            g0, g1 = float(self.g(t0, seg)), float(self.g(t1, seg))
            if g0 == g1:
                raise DesignError(
                    "the phase window starts and ends at the same profile height, so the knots "
                    "cannot set its levels",
                    where,
                )
        lo, span = self.levels(seg)
        lowest = min(seg.lr_start, seg.lr_end)
        if self.windowed and not (self.monotone and t0 == 0.0 and t1 == 1.0):
            # Only the part of the profile inside the phase window is drawn.
            g = self.g(np.linspace(t0, t1, 257), seg)
            lowest = lo + span * (float(np.min(g)) if span > 0 else float(np.max(g)))
        if lowest < -1e-12 * max(abs(lo), abs(span), 1e-300):
            raise DesignError("the curve would go below 0 inside the segment", where)

    def area(self, seg: SegmentLike, n: int) -> float:
        lo, span = self.levels(seg)
        t0, t1 = self.window(seg)
        scale = seg.duration / (t1 - t0)
        anti = None
        if self.g_integral(t0, seg) is not None:  # the profile has a closed-form integral

            def anti(u: float) -> float:
                return lo * u + span * scale * self.g_integral(self.theta(u, seg), seg)

        return smooth_sum(lambda u: self.values(u, seg), n, anti)

    def truncated(self, seg: SegmentLike, duration: int) -> SegmentLike:
        if not self.windowed:
            return super().truncated(seg, duration)
        t0, t1 = self.window(seg)
        t_new = t0 + (t1 - t0) * (duration / seg.duration)
        return seg.replace(duration=duration, lr_end=self.value(duration, seg), phase_end=t_new)

    def part(self, seg: SegmentLike, offset: int, n: int) -> SegmentLike | None:
        if not self.windowed:
            return None
        t0, t1 = self.window(seg)
        rate = (t1 - t0) / seg.duration
        return seg.replace(
            duration=n,
            lr_start=self.value(offset, seg),
            lr_end=self.value(offset + n, seg),
            phase_start=t0 + rate * offset,
            phase_end=t0 + rate * (offset + n),
            keep_end=True,
        )

    def scaled_params(self, seg: SegmentLike, factor: float) -> dict | None:
        return {}


def warped(theta, seg: SegmentLike):
    """theta ** k_decay (theta itself when k_decay is 1)."""
    k = seg.param("k_decay")
    if k == 1.0:
        return theta
    if isinstance(theta, np.ndarray):
        return np.power(theta, k)
    return theta**k


def warp_in_place(theta: np.ndarray, seg: SegmentLike) -> None:
    """`warped`, in place."""
    k = seg.param("k_decay")
    if k != 1.0:
        np.power(theta, k, out=theta)


def cos_sum(alpha, beta, n):
    """Sum of cos(alpha + beta * j) for j in [0, n) in closed form (vectorized over arguments)."""
    half = 0.5 * np.asarray(beta, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(np.sin(half) == 0.0, n, np.sin(n * half) / np.sin(half))
    out = ratio * np.cos(alpha + (n - 1.0) * half)
    return float(out) if out.ndim == 0 else out

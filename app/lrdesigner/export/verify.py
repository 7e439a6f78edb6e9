"""Run exported code in its real framework (in a subprocess) and compare it with the design."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass

import numpy as np

from ..schedule.design import Design
from . import export
from .driver import EXIT_NO_FRAMEWORK, FrameworkMissing

__all__ = ["EXIT_NO_FRAMEWORK", "FrameworkMissing", "Report", "compare", "report", "sample_steps", "verify"]

VERIFIABLE = ("keras", "tf-keras", "torch", "optax", "python")
_F32 = 2.0**-24

@dataclass
class Check:
    name: str
    count: int
    max_abs: float
    max_rel: float
    worst_step: int
    failures: int


@dataclass
class Report:
    target: str
    version: str
    checks: list[Check]
    exact: bool

    @property
    def ok(self) -> bool:
        return all(c.failures == 0 for c in self.checks)


def sample_steps(design: Design, n: int, seed: int = 0) -> list[int]:
    """Boundaries +-1, step 0, the end +-1, 2**24+1, 2**31-1 and `n` random steps."""
    total = design.total_steps
    picks = {0, 1, total - 1, total, total + 1, 2**24 + 1, 2**24, 2**31 - 1}
    for s in design.starts:
        picks.update((s - 1, s, s + 1))
    rng = np.random.default_rng(seed)
    picks.update(int(x) for x in rng.integers(0, total + total // 10 + 2, size=n // 2))
    logs = rng.uniform(0, math.log(max(total * 1.1, 2.0)), size=n - n // 2)
    picks.update(int(x) for x in np.exp(logs))
    return sorted(s for s in picks if 0 <= s < 2**62)


def _band(design: Design, step: int, delta: int) -> tuple[float, float]:
    """(min, max) of the design over integer steps within `delta` of `step`."""
    lo = max(0, step - delta)
    vals = design.evaluate(np.arange(lo, step + delta + 1, dtype=np.int64))
    return float(vals.min()), float(vals.max())


def compare(design: Design, name: str, steps, got, exact: bool, float32: bool,
            scalar: bool = False) -> Check:
    """How far `got` is from the design at `steps`.

    exact: every value must equal the design's float64 value (`Design.lr_at` when `scalar`,
    else `Design.evaluate`; the two may differ in the last bit where numpy and libm do).
    Otherwise a value passes when it
    equals the design up to float32 rounding of the result (float64 compute), or, for float32
    compute, up to float32 rounding of the step and the arithmetic: it must lie within the
    design's range over steps `step +- 4 * 2**-24 * step`, widened by 2**-20 of the peak.
    """
    steps = np.asarray(steps, dtype=np.int64)
    got = np.asarray(got, dtype=np.float64)
    ref = np.array([design.lr_at(int(s)) for s in steps]) if scalar else design.evaluate(steps)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.where(got == ref, 0.0, np.abs(got - ref))
    if not exact:  # past float32's range a float32 result is inf, as the framework's own would be
        err = np.where(np.isinf(got) & (np.abs(ref) > np.finfo(np.float32).max), 0.0, err)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(ref != 0, err / np.abs(ref), np.where(err == 0, 0.0, np.inf))
    if exact:
        bad = err != 0.0
    elif not float32:
        bad = ~(err <= 2.0 * _F32 * np.abs(ref) + 1e-30)
    else:
        peak = float(design.evaluate(np.array(design.starts + (design.total_steps - 1,))).max())
        peak = max(peak, float(ref.max(initial=0.0)))
        slack = 2.0**-20 * peak
        bad = np.zeros(len(steps), dtype=bool)
        for i in np.flatnonzero(err > slack):
            lo, hi = _band(design, int(steps[i]), int(math.ceil(4 * _F32 * steps[i])) + 1)
            bad[i] = not (lo - slack <= got[i] <= hi + slack)
    worst = int(np.argmax(rel)) if len(rel) else 0
    return Check(name, len(steps), float(err.max(initial=0.0)), float(rel.max(initial=0.0)),
                 int(steps[worst]) if len(steps) else 0, int(bad.sum()))


def walk_length(design: Design) -> int:
    """How many steps the torch check walks one by one."""
    return min(design.total_steps + 10, 5000)


def report(design: Design, target: str, version: str, runs: dict, steps: list[int]) -> Report:
    """Compare a driver's runs with the design."""
    exact = target in ("python", "torch")
    checks = []
    for name, run in runs.items():
        if isinstance(run, (list, tuple)) and len(run) == 2 and isinstance(run[0], (list, tuple)):
            run_steps, values = run
        else:
            run_steps, values = steps, run
        checks.append(compare(design, name, run_steps, values, exact, float32=target == "optax",
                              scalar=exact and name != "numpy"))
    return Report(target, version, checks, exact)


def verify(design: Design, target: str, n: int = 1000, seed: int = 0, timeout: float = 600) -> Report:
    """Export `design` for `target`, run it in the framework in a subprocess, and compare every
    sampled step with the design."""
    if target not in VERIFIABLE:
        raise ValueError(f"cannot verify target {target!r}")
    steps = sample_steps(design, n, seed)
    with tempfile.TemporaryDirectory(prefix="lrdesigner-verify-") as tmp:
        module = os.path.join(tmp, "exported_schedule.py")
        with open(module, "w", encoding="utf-8") as f:
            f.write(export(design, target))
        steps_path = os.path.join(tmp, "steps.json")
        with open(steps_path, "w") as f:
            json.dump(steps, f)
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        cmd = [sys.executable, "-m", "lrdesigner.export.driver", target, module, steps_path,
               str(walk_length(design))]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp)
    if proc.returncode == EXIT_NO_FRAMEWORK:
        raise FrameworkMissing(proc.stderr.strip().splitlines()[-1])
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"the exported {target} code failed:\n{tail}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return report(design, target, data["version"], data["runs"], steps)

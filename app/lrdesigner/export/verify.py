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
from .targets import TARGETS

__all__ = [
    "EXIT_NO_FRAMEWORK",
    "DRIVER",
    "FrameworkMissing",
    "Outcome",
    "Report",
    "compare",
    "finish",
    "prepare",
    "report",
    "sample_steps",
    "verify",
]

#: The driver script: run it by this path with any Python that has the framework.
DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "driver.py")


def verifiable() -> tuple[str, ...]:
    """The targets whose code `verify` runs."""
    return tuple(name for name, target in TARGETS.items() if target.driver)


VERIFIABLE = verifiable()
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


def compare(design: Design, name: str, steps, got, exact: bool, float32: bool, scalar: bool = False) -> Check:
    """How far `got` is from the design at `steps`.

    exact: every value must equal the design's float64 value (`Design.lr_at` when `scalar`,
    else `Design.evaluate`; the two may differ in the last bit where numpy and libm do).
    Otherwise a value passes when it
    equals the design up to float32 rounding of the result (float64 compute; near 0, half a float32
    step of the largest value checked), or, for float32
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
        # float32 rounding of the result; where the design is (near) 0, within half a float32 step
        # of the peak (a compiled float64 cos can miss an exact 0 by that much).
        peak = float(np.max(np.abs(ref), initial=0.0))
        bad = ~(err <= 2.0 * _F32 * np.abs(ref) + 0.5 * _F32 * peak + 1e-30)
    else:
        peak = float(design.evaluate(np.array(design.starts + (design.total_steps - 1,))).max())
        peak = max(peak, float(ref.max(initial=0.0)))
        slack = 2.0**-20 * peak
        bad = np.zeros(len(steps), dtype=bool)
        for i in np.flatnonzero(err > slack):
            lo, hi = _band(design, int(steps[i]), int(math.ceil(4 * _F32 * steps[i])) + 1)
            bad[i] = not (lo - slack <= got[i] <= hi + slack)
    worst = int(np.argmax(rel)) if len(rel) else 0
    return Check(
        name,
        len(steps),
        float(err.max(initial=0.0)),
        float(rel.max(initial=0.0)),
        int(steps[worst]) if len(steps) else 0,
        int(bad.sum()),
    )


def walk_length(design: Design) -> int:
    """How many steps the torch check walks one by one."""
    return min(design.total_steps + 10, 5000)


def report(design: Design, target: str, version: str, runs: dict, steps: list[int]) -> Report:
    """Compare a driver's runs with the design."""
    exact = TARGETS[target].exact
    checks = []
    for name, run in runs.items():
        if isinstance(run, (list, tuple)) and len(run) == 2 and isinstance(run[0], (list, tuple)):
            run_steps, values = run
        else:
            run_steps, values = steps, run
        float32 = TARGETS[target].float32_values or "32-bit" in version
        checks.append(
            compare(design, name, run_steps, values, exact, float32=float32, scalar=exact and name != "numpy")
        )
    return Report(target, version, checks, exact)


@dataclass
class Job:
    """A verification ready to run: `argv` goes after the interpreter's path."""

    design: Design
    target: str
    steps: list[int]
    argv: list[str]


@dataclass
class Outcome:
    """What a verification found, for people and for programs."""

    verdict: str  # "pass", "fail", "framework not installed" or "error"
    steps_checked: int = 0
    largest_error: float = 0.0  # largest relative error over every check
    message: str = ""
    report: Report | None = None

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "steps_checked": self.steps_checked,
            "largest_error": self.largest_error,
            "message": self.message,
        }


def prepare(
    design: Design,
    target: str,
    folder: str,
    n: int = 1000,
    seed: int = 0,
    options=None,
    source: str | None = None,
) -> Job:
    """Write the export (or `source`, the exact text to check, exported for `target`) and its
    steps into `folder`; the job runs as `[python, *job.argv]` with any interpreter (nothing there
    needs LR Designer)."""
    if target not in verifiable():
        raise ValueError(f"cannot verify target {target!r}")
    steps = sample_steps(design, n, seed)
    module = os.path.join(folder, "exported_schedule.py")
    with open(module, "w", encoding="utf-8") as f:
        f.write(export(design, target, options=options) if source is None else source)
    steps_path = os.path.join(folder, "steps.json")
    with open(steps_path, "w") as f:
        json.dump(steps, f)
    runner = TARGETS[target].driver
    return Job(design, target, steps, [DRIVER, runner, module, steps_path, str(walk_length(design)), target])


def finish(job: Job, returncode: int, stdout: str, stderr: str) -> Outcome:
    """Read a finished driver run."""
    if returncode == EXIT_NO_FRAMEWORK:
        lines = stderr.strip().splitlines()
        return Outcome("framework not installed", message=lines[-1] if lines else job.target)
    lines = stdout.strip().splitlines()
    if returncode != 0 or not lines:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        return Outcome("error", message=f"the exported {job.target} code failed:\n{tail}")
    data = json.loads(lines[-1])
    rep = report(job.design, job.target, data["version"], data["runs"], job.steps)
    return Outcome(
        "pass" if rep.ok else "fail",
        steps_checked=max((c.count for c in rep.checks), default=0),
        largest_error=max((c.max_rel for c in rep.checks), default=0.0),
        message=f"{job.target} {rep.version}",
        report=rep,
    )


def verify(design: Design, target: str, n: int = 1000, seed: int = 0, timeout: float = 600) -> Report:
    """Export `design` for `target`, run it in the framework in a subprocess, and compare every
    sampled step with the design."""
    if target not in verifiable():
        raise ValueError(f"cannot verify target {target!r}")
    with tempfile.TemporaryDirectory(prefix="lrdesigner-verify-") as tmp:
        job = prepare(design, target, tmp, n, seed)
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        proc = subprocess.run(
            [sys.executable, *job.argv], capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp
        )
    outcome = finish(job, proc.returncode, proc.stdout, proc.stderr)
    if outcome.verdict == "framework not installed":
        raise FrameworkMissing(outcome.message)
    if outcome.verdict == "error":
        raise RuntimeError(outcome.message)
    return outcome.report

"""Runs an exported module in its framework and returns its values (the far side of `verify`).

Standalone (standard library only, no LR Designer import), so any Python that has the
framework can run it by file path: `python driver.py RUNNER MODULE STEPS_JSON WALK [TARGET]`.
RUNNER is the target's runner script (`Target.driver`, see `runners/`), loaded by file path too.
It prints one JSON object: {"status": "ok", "version": ..., "runs": {...}}, or {"status":
"framework-missing", "message": ...} with exit code 3. Frameworks are imported by the runners
only, never by the generators.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import Any

EXIT_NO_FRAMEWORK = 3


class FrameworkMissing(Exception):
    """The target's framework is not installed."""


def load_module(path: str, name: str = "exported_schedule"):
    """Import a generated module (or a runner script) from a file."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # tf.function's AutoGraph looks functions up by module
    spec.loader.exec_module(module)
    return module


def target_name(runner: str) -> str:
    """What messages call a runner's target when not told: its script's name (`torch_runner.py`
    -> "torch")."""
    stem = os.path.splitext(os.path.basename(runner))[0]
    return stem.removesuffix("_runner").replace("_", "-")


def load_runner(runner: str, target: str | None = None):
    """The runner script at `runner`, its framework checked: FrameworkMissing when absent."""
    module = load_module(runner, "lrdesigner_" + os.path.splitext(os.path.basename(runner))[0])
    try:
        module.require()
    except ImportError as exc:
        name = target or target_name(runner)
        raise FrameworkMissing(f"{name}: the framework is not installed here ({exc})") from None
    return module


def run(runner: str, module, steps: list[int], walk: int = 2000) -> tuple[str, dict[str, Any]]:
    """(framework version, {check name: values or (steps, values)}) for an imported module, run
    by the runner script at `runner`."""
    return load_runner(runner).run(module, steps, walk)


def main(argv: list[str]) -> int:
    runner_path, module_path, steps_path, walk, *rest = argv
    target = rest[0] if rest else None
    try:
        runner = load_runner(runner_path, target)
    except FrameworkMissing as exc:
        print(json.dumps({"status": "framework-missing", "target": target, "message": str(exc)}))
        print(exc, file=sys.stderr)
        return EXIT_NO_FRAMEWORK
    with open(steps_path) as f:
        steps = json.load(f)
    version, runs = runner.run(load_module(module_path), steps, int(walk))
    print(json.dumps({"status": "ok", "version": version, "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

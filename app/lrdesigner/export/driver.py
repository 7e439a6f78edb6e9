"""Runs an exported module in its framework and returns its values (the far side of `verify`).

Run as `python -m lrdesigner.export.driver TARGET MODULE STEPS_JSON WALK`; prints JSON. Exit 3
when the framework is not installed. Frameworks are imported here only, never by the generators.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from typing import Any

EXIT_NO_FRAMEWORK = 3


class FrameworkMissing(Exception):
    """The target's framework is not installed."""


def _require(target: str) -> None:
    try:
        if target == "keras":
            import keras  # noqa: F401
        elif target == "tf-keras":
            try:
                import tf_keras  # noqa: F401
            except ImportError:
                import tensorflow as tf

                if not tf.keras.__version__.startswith("2."):
                    raise ImportError("neither tf-keras nor a Keras 2 tf.keras is installed") from None
        elif target == "torch":
            import torch  # noqa: F401
        elif target == "optax":
            import jax  # noqa: F401
    except ImportError as exc:
        raise FrameworkMissing(f"{target}: the framework is not installed here ({exc})") from None


def load_module(path: str, name: str = "exported_schedule"):
    """Import a generated module from a file."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # tf.function's AutoGraph looks functions up by module
    spec.loader.exec_module(module)
    return module


def run(target: str, module, steps: list[int], walk: int = 2000) -> tuple[str, dict[str, Any]]:
    """(framework version, {check name: values or (steps, values)}) for an imported module."""
    _require(target)
    runs: dict[str, Any] = {}
    if target == "python":
        lr_at = module.make_schedule()
        runs["lr_at"] = [lr_at(s) for s in steps]
        runs["numpy"] = module.make_numpy_schedule()(steps).tolist()
        return sys.version.split()[0], runs
    if target in ("keras", "tf-keras"):
        import tensorflow as tf

        sched = module.make_schedule()
        for dtype in (tf.int64, tf.int32):
            fits = [s for s in steps if s < 2**31] if dtype == tf.int32 else steps
            t = tf.constant(fits, dtype=dtype)
            runs[f"eager {dtype.name}"] = (fits, sched(t).numpy().tolist())
            compiled = tf.function(lambda x: sched(x), jit_compile=True)
            runs[f"jit {dtype.name}"] = (fits, compiled(t).numpy().tolist())
        # One step at a time, as the optimizer calls it (the single-segment branch).
        scalar = tf.function(lambda x: sched(x), jit_compile=True,
                             input_signature=[tf.TensorSpec([], tf.int64)])
        runs["jit scalar"] = [float(scalar(tf.constant(s, tf.int64))) for s in steps]
        config = json.loads(json.dumps(sched.get_config()))
        clone = type(sched).from_config(config)
        runs["from_config"] = clone(tf.constant(steps, dtype=tf.int64)).numpy().tolist()
        if target == "tf-keras":
            keras = module.keras
        else:
            import keras
        return keras.__version__, runs
    if target == "torch":
        import torch

        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.123)
        sched = module.make_schedule(opt)
        walked = []
        for _ in range(walk):
            walked.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        runs["stepped"] = (list(range(walk)), walked)
        runs["closed form"] = [sched.lr_at(s) for s in steps]
        return torch.__version__, runs
    if target == "optax":
        import jax
        import jax.numpy as jnp

        f = jax.jit(module.make_schedule())
        width = jnp.iinfo(jax.dtypes.canonicalize_dtype(jnp.int64)).max
        fits = [s for s in steps if s <= width]
        runs["jit"] = (fits, [float(v) for v in f(jnp.asarray(fits))])
        return "jax " + jax.__version__, runs
    raise ValueError(f"cannot run target {target!r}")


def main(argv: list[str]) -> int:
    target, module_path, steps_path, walk = argv
    try:
        _require(target)
    except FrameworkMissing as exc:
        print(exc, file=sys.stderr)
        return EXIT_NO_FRAMEWORK
    with open(steps_path) as f:
        steps = json.load(f)
    version, runs = run(target, load_module(module_path), steps, int(walk))
    print(json.dumps({"version": version, "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Runs an exported module in its framework and returns its values (the far side of `verify`).

Standalone (standard library only, no LR Designer import), so any Python that has the
framework can run it by file path: `python driver.py TARGET MODULE STEPS_JSON WALK`. It prints
one JSON object: {"status": "ok", "version": ..., "runs": {...}}, or {"status":
"framework-missing", "message": ...} with exit code 3. Frameworks are imported here only,
never by the generators.
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


def _schedule_class(module, base):
    """The LearningRateSchedule subclass a generated module defines."""
    found = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, base) and v.__module__ == module.__name__
    ]
    if len(found) != 1:
        raise ValueError(f"expected one schedule class in the module, found {len(found)}")
    return found[0]


def _steps_fit_int32(backend: str) -> bool:
    """Whether steps are int32 (JAX in its default 32-bit mode), so larger ones cannot be asked."""
    if backend != "jax":
        return False
    import jax

    return not jax.config.jax_enable_x64


def run(target: str, module, steps: list[int], walk: int = 2000) -> tuple[str, dict[str, Any]]:
    """(framework version, {check name: values or (steps, values)}) for an imported module."""
    _require(target)
    runs: dict[str, Any] = {}
    if target == "python":
        lr_at = module.make_schedule()
        runs["lr_at"] = [lr_at(s) for s in steps]
        runs["numpy"] = module.make_numpy_schedule()(steps).tolist()
        return sys.version.split()[0], runs
    if target == "keras":
        import keras

        sched = _schedule_class(module, keras.optimizers.schedules.LearningRateSchedule)()
        backend = keras.backend.backend()
        ops = keras.ops
        fits = [s for s in steps if s < 2**31] if _steps_fit_int32(backend) else steps
        runs["eager"] = (fits, [float(v) for v in ops.convert_to_numpy(sched(ops.convert_to_tensor(fits)))])
        # One step at a time, as the optimizer calls it.
        runs["scalar"] = (fits, [float(ops.convert_to_numpy(sched(s))) for s in fits])
        config = json.loads(json.dumps(sched.get_config()))
        clone = type(sched).from_config(config)
        cloned = ops.convert_to_numpy(clone(ops.convert_to_tensor(fits)))
        runs["from_config"] = (fits, [float(v) for v in cloned])
        if backend == "tensorflow":
            import tensorflow as tf

            for dtype in (tf.int64, tf.int32):
                fits = [s for s in steps if s < 2**31] if dtype == tf.int32 else steps
                t = tf.constant(fits, dtype=dtype)
                compiled = tf.function(lambda x: sched(x), jit_compile=True)
                runs[f"jit {dtype.name}"] = (fits, compiled(t).numpy().tolist())
        elif backend == "jax":
            import jax

            runs["jit"] = (fits, [float(v) for v in jax.jit(sched)(keras.ops.convert_to_tensor(fits))])
        bits = ", 32-bit" if _steps_fit_int32(backend) else ""
        return f"{keras.__version__} ({backend}{bits})", runs
    if target == "tf-keras":
        import tensorflow as tf

        sched = _schedule_class(module, module.keras.optimizers.schedules.LearningRateSchedule)()
        for dtype in (tf.int64, tf.int32):
            fits = [s for s in steps if s < 2**31] if dtype == tf.int32 else steps
            t = tf.constant(fits, dtype=dtype)
            runs[f"eager {dtype.name}"] = (fits, sched(t).numpy().tolist())
            compiled = tf.function(lambda x: sched(x), jit_compile=True)
            runs[f"jit {dtype.name}"] = (fits, compiled(t).numpy().tolist())
        # One step at a time, as the optimizer calls it.
        scalar = tf.function(
            lambda x: sched(x), jit_compile=True, input_signature=[tf.TensorSpec([], tf.int64)]
        )
        runs["jit scalar"] = [float(scalar(tf.constant(s, tf.int64))) for s in steps]
        config = json.loads(json.dumps(sched.get_config()))
        clone = type(sched).from_config(config)
        runs["from_config"] = clone(tf.constant(steps, dtype=tf.int64)).numpy().tolist()
        return module.keras.__version__, runs
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
        print(json.dumps({"status": "framework-missing", "target": target, "message": str(exc)}))
        print(exc, file=sys.stderr)
        return EXIT_NO_FRAMEWORK
    with open(steps_path) as f:
        steps = json.load(f)
    version, runs = run(target, load_module(module_path), steps, int(walk))
    print(json.dumps({"status": "ok", "version": version, "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

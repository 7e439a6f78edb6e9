"""Runs the Keras 3 export: eagerly, one step at a time, rebuilt from its config, and compiled
by the backend (XLA for TensorFlow, jax.jit for JAX)."""

import json


def require() -> None:
    import keras  # noqa: F401


def schedule_class(module, base):
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


def run(module, steps: list[int], walk: int):
    import keras

    runs = {}
    sched = schedule_class(module, keras.optimizers.schedules.LearningRateSchedule)()
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

"""Runs the tf.keras (Keras 2) export: eagerly and under XLA for int64 and int32 steps, one step
at a time, and rebuilt from its config."""

import json


def require() -> None:
    try:
        import tf_keras  # noqa: F401
    except ImportError:
        import tensorflow as tf

        if not tf.keras.__version__.startswith("2."):
            raise ImportError("neither tf-keras nor a Keras 2 tf.keras is installed") from None


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


def run(module, steps: list[int], walk: int):
    import tensorflow as tf

    runs = {}
    sched = schedule_class(module, module.keras.optimizers.schedules.LearningRateSchedule)()
    for dtype in (tf.int64, tf.int32):
        fits = [s for s in steps if s < 2**31] if dtype == tf.int32 else steps
        t = tf.constant(fits, dtype=dtype)
        runs[f"eager {dtype.name}"] = (fits, sched(t).numpy().tolist())
        compiled = tf.function(lambda x: sched(x), jit_compile=True)
        runs[f"jit {dtype.name}"] = (fits, compiled(t).numpy().tolist())
    # One step at a time, as the optimizer calls it.
    scalar = tf.function(lambda x: sched(x), jit_compile=True, input_signature=[tf.TensorSpec([], tf.int64)])
    runs["jit scalar"] = [float(scalar(tf.constant(s, tf.int64))) for s in steps]
    config = json.loads(json.dumps(sched.get_config()))
    clone = type(sched).from_config(config)
    runs["from_config"] = clone(tf.constant(steps, dtype=tf.int64)).numpy().tolist()
    return module.keras.__version__, runs

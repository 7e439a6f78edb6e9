"""Runs the optax export, compiled with jax.jit."""


def require() -> None:
    import jax  # noqa: F401


def run(module, steps: list[int], walk: int):
    import jax
    import jax.numpy as jnp

    f = jax.jit(module.make_schedule())
    width = jnp.iinfo(jax.dtypes.canonicalize_dtype(jnp.int64)).max
    fits = [s for s in steps if s <= width]
    return "jax " + jax.__version__, {"jit": (fits, [float(v) for v in f(jnp.asarray(fits))])}

"""optax / JAX: `make_schedule()` returns a jit-able `count -> lr` function."""

from __future__ import annotations

from ..schedule.design import Design
from .curve import array_namespace, every_shape, shape_source
from .header import conventions, design_data, plateau_data, segment_table, title
from .plateau_source import PLATEAU
from .python_target import EVALUATOR, PLATEAU_HELPER

#: The generated module's framework imports (the generator itself imports no framework).
_IMPORTS = "import jax\nimport jax.numpy as jnp"


def render(design: Design, module: str = "lr_schedule", plateau: bool = True, all_shapes: bool = False) -> str:
    plateau = plateau and design.plateau is not None
    plateau_doc = ""
    if plateau:
        plateau_doc = f'''
Plateau cuts: a jitted optax schedule sees only the update count, never a validation
metric, so the design's ReduceLROnPlateau policy (PLATEAU, "{design.plateau.semantics}"
semantics) runs outside it in `Plateau`, and a scale in the optimizer state carries its cuts
into the jitted update::

    plateau = Plateau()
    optimizer = optax.chain(
        optax.adamw(learning_rate=make_schedule()),
        optax.inject_hyperparams(optax.scale)(step_size=1.0),
    )
    ...  # after each validation, `step` being the number of updates so far:
    plateau.report(val_loss, step)
    opt_state[1].hyperparams["step_size"] = plateau.multiplier
'''
    head = f'''"""{title(design, "optax")}

Usage::

    from {module} import make_schedule

    optimizer = optax.adamw(learning_rate=make_schedule())

Conventions:
{chr(10).join(conventions(design))}
- `count` is optax's update counter (int32 unless jax_enable_x64 is set). Segment starts
  are subtracted in integer arithmetic; the curve is computed in JAX's default float type
  (float32, or float64 with jax_enable_x64), so steps past 2**24 keep their precision
  inside each segment.
{plateau_doc}"""

{"import bisect" + chr(10) if plateau else ""}import math
{"import operator" + chr(10) + "import struct" + chr(10) if plateau else ""}from types import SimpleNamespace

{_IMPORTS}

{segment_table(design)}
{design_data(design)}{chr(10) + plateau_data(design) if plateau else ""}'''
    shapes = [s.shape for s in design.segments]
    if all_shapes:
        shapes += every_shape()
    body = shape_source(shapes)
    tail = '''
#: Array arithmetic for JAX values.
_JNP = <<namespace>>


def make_schedule(design=DESIGN):
    """The schedule as an optax-style function `count -> lr` (jit-able)."""
    pieces, total = _pieces(design, _JNP)
    after_end = design["after_end"]
    end_lr = design["segments"][-1]["lr_end"]
    float_dtype = jax.dtypes.canonicalize_dtype(jnp.float64)
    int_dtype = jax.dtypes.canonicalize_dtype(jnp.int64)
    int_max = jnp.iinfo(int_dtype).max

    def schedule(count):
        step = jnp.asarray(count).astype(int_dtype)
        lr = None
        for start, piece in pieces:
            if start > int_max:  # a step counter of this width never gets there
                break
            steps_in = jnp.maximum(step - start, 0).astype(float_dtype)
            value = piece(steps_in)
            lr = value if lr is None else jnp.where(step >= start, value, lr)
        if total <= int_max:
            if after_end == "hold":
                lr = jnp.where(step >= total, jnp.asarray(end_lr, float_dtype), lr)
            elif after_end == "zero":
                lr = jnp.where(step >= total, jnp.asarray(0.0, float_dtype), lr)
            else:
                lr = jnp.maximum(lr, 0.0)
        return lr.astype(float_dtype)

    return schedule
'''
    tail = tail.replace("<<namespace>>", array_namespace("jnp"))
    parts = [head.rstrip("\n"), body.strip("\n"), tail.strip("\n")]
    if plateau:
        parts += [EVALUATOR.strip("\n"), PLATEAU.strip("\n"), PLATEAU_HELPER.strip("\n")]
    return "\n\n\n".join(parts) + "\n"

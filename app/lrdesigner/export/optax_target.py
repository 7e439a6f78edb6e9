"""optax / JAX: `make_schedule()` returns a jit-able `count -> lr` function."""

from __future__ import annotations

from ..schedule.design import Design
from .curve import array_namespace, shape_source
from .header import conventions, design_data, segment_table, title

#: The generated module's framework imports (the generator itself imports no framework).
_IMPORTS = "import jax\nimport jax.numpy as jnp"


def render(design: Design) -> str:
    head = f'''"""{title(design, "optax")}

Usage::

    from this_module import make_schedule

    optimizer = optax.adamw(learning_rate=make_schedule())

Conventions:
{chr(10).join(conventions(design))}
- `count` is optax's update counter (int32 unless jax_enable_x64 is set). Segment starts
  are subtracted in integer arithmetic; the curve is computed in JAX's default float type
  (float32, or float64 with jax_enable_x64), so steps past 2**24 keep their precision
  inside each segment.
"""

import math
from types import SimpleNamespace

{_IMPORTS}

{segment_table(design)}
{design_data(design)}'''
    body = shape_source([s.shape for s in design.segments])
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
            u = jnp.maximum(step - start, 0).astype(float_dtype)
            v = piece(u)
            lr = v if lr is None else jnp.where(step >= start, v, lr)
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
    return "\n\n\n".join([head.rstrip("\n"), body.strip("\n"), tail.strip("\n")]) + "\n"

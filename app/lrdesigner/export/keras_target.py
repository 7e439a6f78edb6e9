"""Keras 3 and tf.keras (Keras 2): a registered, serializable `LearningRateSchedule` subclass
and `make_schedule()` returning one (the entry point every target has), and, for a design
with a plateau policy, a ReduceLROnPlateau callback that works on top of it."""

from __future__ import annotations

import textwrap

from ..schedule.design import Design
from .curve import every_shape
from .header import compact_design_data, conventions, plateau_data, title
from .keras_shapes import natives, plain_shapes, shapes_source, uses_math
from .plateau_source import PLATEAU

# What differs between Keras 3 and Keras 2 (tf-keras).
_FLAVOURS = {
    "keras": {
        "imports": "import keras\nfrom keras import ops",
        "register": "keras.saving.register_keras_serializable",
        "base": "keras.optimizers.schedules.LearningRateSchedule",
        "to_float": "float(ops.convert_to_numpy({}))",
        "lr_key": "learning_rate",
        "load": "keras.models.load_model",
        "custom_objects": "keras.saving.get_custom_objects()",
    },
    "tf-keras": {
        "imports": """import tensorflow as tf

try:  # Keras 2 as its own package (TensorFlow >= 2.16)
    import tf_keras as keras
except ImportError:  # TensorFlow 2.9 - 2.15, where tf.keras is Keras 2
    from tensorflow import keras""",
        "register": "keras.utils.register_keras_serializable",
        "base": "keras.optimizers.schedules.LearningRateSchedule",
        "to_float": "float(keras.backend.get_value({}))",
        "lr_key": "lr",
        "load": "keras.models.load_model",
        "custom_objects": "keras.utils.get_custom_objects()",
    },
}

_NATIVE_KERAS3 = """
if keras.backend.backend() == "jax":  # keras.ops.{first} would compute float64 in float32
    import jax
    from jax.numpy import {imports}
elif keras.backend.backend() == "torch":
    from torch import {imports}
else:
    {assign}
"""

_JAX_ONLY = """

if keras.backend.backend() == "jax":
    import jax"""

_DTYPES_TF_KERAS = '''
def _where(condition, if_true, if_false):
    """tf.where, a Python number taking the other operand's dtype."""
    if_true = tf.convert_to_tensor(if_true)
    return tf.where(condition, if_true, tf.cast(if_false, if_true.dtype))


#: The tensor functions the shapes call, from TensorFlow.
ops = SimpleNamespace(
    cast=tf.cast,
    maximum=tf.maximum,
    where=_where,
    sqrt=tf.sqrt,
    log1p=tf.math.log1p,
)
cos, floor = tf.cos, tf.floor
'''


def _precision(flavour: str) -> str:
    if flavour == "tf-keras":
        return (
            "Steps since each segment's start in int64, the curve in float64 "
            '(`compute_dtype="float32"` for TPUs), the LR returned as float32. Keras 2 APIs only: '
            "the tf-keras package with TensorFlow >= 2.16, or tf.keras in TensorFlow 2.9-2.15."
        )
    return (
        "Computed in float64 (float32 on JAX without JAX_ENABLE_X64: ~1e-7 relative; "
        '`compute_dtype="float32"` for TPUs); the LR is float32.'
    )


def render(
    design: Design,
    class_name: str,
    flavour: str = "keras",
    module: str = "lr_schedule",
    float32: bool = False,
    plateau: bool = True,
    all_shapes: bool = False,
) -> str:
    f = _FLAVOURS[flavour]
    with_plateau = plateau and design.plateau is not None
    callback = f"{class_name}PlateauCallback"
    if with_plateau:
        plateau_doc = textwrap.fill(
            f'Plateau cuts: Keras\'s ReduceLROnPlateau raises "not settable" on a schedule; use '
            f"`{callback}` (below) instead. It applies the design's policy (PLATEAU, "
            f'"{design.plateau.semantics}" semantics) to the schedule\'s multiplier and takes '
            f"ReduceLROnPlateau's arguments (monitor, factor, patience, ...) as overrides:",
            92,
        )
        plateau_doc += f"""

    model.fit(..., validation_data=..., callbacks=[{callback}()])

The multiplier is part of the schedule's config: a model saved after a cut and loaded again
continues at the reduced LR, and the next cut reduces from there.
"""
    else:
        plateau_doc = (
            textwrap.fill(
                'Plateau cuts: Keras\'s ReduceLROnPlateau raises "not settable" on any schedule; '
                "give the design a plateau policy in LR Designer and export again to get a "
                "callback that cuts it.",
                92,
            )
            + "\n"
        )
    default_dtype = '"float32"' if float32 else "None"
    head = f'''"""{title(design, flavour, compact=True)}

Usage: `keras.optimizers.AdamW(learning_rate=make_schedule())` after `from {module} import
make_schedule`: a `{class_name}`, registered as "lrdesigner>{class_name}": `model.save()`
works, and `{f["load"]}()` with this module imported.

{plateau_doc}
{chr(10).join(conventions(design, compact=True))}
{_precision(flavour)}
"""
'''
    shapes = list(dict.fromkeys(segment.shape for segment in design.segments))
    plain = set() if all_shapes else plain_shapes(design)
    if all_shapes:
        shapes += [s for s in every_shape() if s not in shapes]
    imports = []
    if with_plateau or uses_math(shapes, plain):
        imports.append("import math")
    if with_plateau:
        imports += ["import struct", "import warnings"]
    if flavour == "tf-keras":
        imports.append("from types import SimpleNamespace")
    import_block = "\n".join(imports) + ("\n\n" if imports else "") + f["imports"] + "\n"
    parts = [head.rstrip("\n") + "\n\n" + import_block.rstrip("\n")]
    gap_after_imports = len(parts)
    if flavour == "keras":
        names = natives(shapes, plain)
        if names:
            parts[-1] += "\n\n" + (
                _NATIVE_KERAS3.format(
                    first=names[0],
                    imports=", ".join(names),
                    assign=f"{', '.join(names)} = {', '.join('ops.' + n for n in names)}",
                ).strip("\n")
            )
        else:
            parts[-1] += _JAX_ONLY
    else:
        parts.append(_DTYPES_TF_KERAS.strip("\n"))
    data = compact_design_data(design, omit_defaults=True)
    if with_plateau:
        data += "\n" + plateau_data(design)
    parts.append(data.strip("\n"))
    parts.append(shapes_source(shapes, plain).strip("\n"))
    parts.append(_schedule_class(class_name, f, default_dtype, flavour, with_plateau).strip("\n"))
    parts.append(
        f'''
def make_schedule(**kwargs):
    """A `{class_name}` for DESIGN (keyword arguments go to its constructor)."""
    return {class_name}(**kwargs)
'''.strip("\n")
    )
    if flavour == "tf-keras":
        parts.append(
            f'''
# Legacy H5 files name the class without its package: register that name too.
{f["custom_objects"]}.setdefault("{class_name}", {class_name})
'''.strip("\n")
        )
    if with_plateau:
        parts.append(PLATEAU.strip("\n"))
        parts.append(_callback_class(class_name, callback, f).strip("\n"))
    # One blank line between the imports and code that is not a definition (isort's rule).
    if not parts[gap_after_imports].startswith(("def ", "class ", "@")):
        parts[0] += "\n\n" + parts.pop(gap_after_imports)
    return "\n\n\n".join(parts) + "\n"


_DTYPES_INLINE = {
    "keras": '''
        int_dtype, float_dtype = "int64", self.compute_dtype or "float64"
        if keras.backend.backend() == "jax" and not jax.config.jax_enable_x64:
            int_dtype, float_dtype = "int32", self.compute_dtype or "float32"''',
    "tf-keras": '''
        int_dtype, float_dtype = "int64", self.compute_dtype or "float64"''',
}


def _schedule_class(class_name: str, f: dict, default_dtype: str, flavour: str, lr_at: bool) -> str:
    to_float = f["to_float"].format("self.design_lr(step)")
    lr_at_method = (
        f'''
    def lr_at(self, step):
        """The design's LR at one step as a Python float (multiplier not applied)."""
        return {to_float}
'''
        if lr_at
        else ""
    )
    return f'''
@{f["register"]}(package="lrdesigner")
class {class_name}({f["base"]}):
    """The designed schedule (DESIGN unless `design` is given) times `multiplier`."""

    def __init__(self, design=None, multiplier=1.0, compute_dtype={default_dtype}):
        super().__init__()
        self.design = DESIGN if design is None else design
        self.multiplier = float(multiplier)
        self.compute_dtype = compute_dtype
        for segment in self.design["segments"]:  # a saved config's design may need more
            function, defaults = SHAPES.get(segment["shape"], (None, {{}}))
            if function is None or set(segment.get("params", {{}})) - set(defaults):
                fix = 'export with "Include every shape" (--all-shapes)'
                raise ValueError(f"{{segment}} is not in this module; {{fix}}")

    def __call__(self, step):
        return ops.cast(self.design_lr(step) * self.multiplier, "float32")

    def design_lr(self, step):
        """The design's LR at `step` (multiplier not applied), in the compute dtype."""{_DTYPES_INLINE[flavour]}
        step = ops.cast(step, int_dtype)
        start, lr = 0, None
        for segment in self.design["segments"]:
            shape, defaults = SHAPES[segment["shape"]]
            segment = {{**segment, "params": {{**defaults, **segment.get("params", {{}})}}}}
            steps_in = ops.cast(ops.maximum(step - start, 0), float_dtype)
            value = ops.cast(shape(segment, steps_in), float_dtype)
            lr = value if lr is None else ops.where(step >= start, value, lr)
            start += segment["steps"]
        after_end = self.design["after_end"]
        if after_end == "continue":
            return ops.where(lr > 0.0, lr, 0.0)
        end_lr = self.design["segments"][-1]["lr_end"] if after_end == "hold" else 0.0
        return ops.where(step >= start, ops.cast(end_lr, float_dtype), lr)
{lr_at_method}
    def get_config(self):
        names = ("design", "multiplier", "compute_dtype")
        return {{name: getattr(self, name) for name in names}}
'''


def _callback_class(class_name: str, callback: str, f: dict) -> str:
    lr_now = f["to_float"].format("optimizer.learning_rate")
    step_now = f["to_float"].format("self.model.optimizer.iterations")
    return f'''
def _schedule_of(optimizer):
    """The schedule an optimizer (or a LossScaleOptimizer's inner one) uses."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    return getattr(optimizer, "_learning_rate", None)


class {callback}(keras.callbacks.Callback):
    """ReduceLROnPlateau for a `{class_name}`: each cut scales its multiplier.

    The schedule is the model's optimizer's; `schedule`, if given, must be that one.
    The policy is PLATEAU; `policy` (a dict, keys left out keep PLATEAU's values) and
    the keyword arguments, named as Keras's ReduceLROnPlateau names them, override it.
    """

    def __init__(
        self,
        schedule=None,
        policy=None,
        monitor=None,
        factor=None,
        patience=None,
        min_delta=None,
        cooldown=None,
        min_lr=None,
        mode=None,
        verbose=0,
    ):
        super().__init__()
        overrides = dict(monitor=monitor, factor=factor, patience=patience, mode=mode)
        overrides.update(min_delta=min_delta, cooldown=cooldown, min_lr=min_lr)
        self.policy = _complete_policy(policy, overrides)
        self.schedule = schedule
        self.verbose = verbose
        self.plateau = None
        self.cuts = []  # (epoch, step, old LR, new LR)

    def on_train_begin(self, logs=None):  # noqa: ARG002 - Keras's signature
        name = type(self).__name__
        schedule = _schedule_of(self.model.optimizer)
        if not isinstance(schedule, {class_name}):
            expected = {class_name}.__name__
            raise TypeError(
                f"{{name}}: the model's optimizer has no {{expected}} as its learning "
                f"rate (it has {{type(schedule).__name__}}); compile with "
                f"optimizer=...(learning_rate={{expected}}())"
            )
        if self.schedule is not None and self.schedule is not schedule:
            raise ValueError(
                f"{{name}}: the schedule given is not the one the model's optimizer "
                "uses; pass that one, or none (the callback finds it)"
            )
        self.schedule = schedule
        # Counters start afresh, as in Keras's own callback; the multiplier carries on.
        self.plateau = _Plateau(self.policy)
        self.plateau.multiplier = schedule.multiplier

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {{}}
        optimizer = self.model.optimizer
        logs["{f["lr_key"]}"] = {lr_now}
        monitor = self.policy["monitor"]
        current = logs.get(monitor)
        if current is None:
            warnings.warn(
                f"{{type(self).__name__}}: the monitored metric {{monitor!r}} is not "
                f"in the logs (available: {{', '.join(logs)}})",
                stacklevel=2,
            )
            return
        step = int({step_now})
        cut = self.plateau.update(float(current), self.schedule.lr_at(step))
        if cut is None:
            return
        self.schedule.multiplier = self.plateau.multiplier
        # A compiled train step holds the multiplier as a constant: compile it again.
        self.model.make_train_function(force=True)
        self.cuts.append((epoch, step, cut[0], cut[1]))
        if self.verbose:
            name = type(self).__name__
            print(f"\\nEpoch {{epoch + 1}}: {{name}} reducing learning rate to {{cut[1]}}.")
'''

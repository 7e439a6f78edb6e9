"""Keras 3 and tf.keras (Keras 2): a registered, serializable `LearningRateSchedule` subclass,
and a ReduceLROnPlateau callback that works on top of it."""

from __future__ import annotations

import textwrap

from ..schedule.design import Design
from .curve import array_namespace, shape_source
from .header import conventions, design_data, plateau_data, segment_table, title
from .plateau_source import PLATEAU

_VARIABLE_ARGS = """
            multiplier,
            dtype={dtype},
            trainable=False,
            name="lr_multiplier",
        """

# Per flavour: imports, the array namespace, and the few API names that differ.
_FLAVOURS = {
    "keras": {
        "imports": ("import keras\nfrom keras import ops\n"
                    "from keras.optimizers.schedules import LearningRateSchedule"),
        "ops": array_namespace("ops"),
        "register": 'keras.saving.register_keras_serializable(package="lrdesigner")',
        "cast": "ops.cast",
        "max": "ops.maximum",
        "where": "ops.where",
        "sum": "ops.sum",
        "switch": "ops.switch",
        "variable": "keras.Variable(" + _VARIABLE_ARGS.format(dtype='"float64"') + ")",
        "read": "float(ops.convert_to_numpy(self.multiplier))",
        "iterations": "int(ops.convert_to_numpy(self.model.optimizer.iterations))",
        "usage": "keras.optimizers.AdamW(learning_rate=make_schedule())",
        "load": "keras.models.load_model",
    },
    "tf-keras": {
        "imports": """import tensorflow as tf

try:  # Keras 2 as its own package (TensorFlow >= 2.16)
    import tf_keras as keras
except ImportError:  # TensorFlow 2.9 - 2.15, where tf.keras is Keras 2
    from tensorflow import keras

LearningRateSchedule = keras.optimizers.schedules.LearningRateSchedule""",
        "ops": array_namespace("tf", power="lambda x, y: x**y", log1p="tf.math.log1p"),
        "register": 'keras.utils.register_keras_serializable(package="lrdesigner")',
        "cast": "tf.cast",
        "max": "tf.maximum",
        "where": "tf.where",
        "sum": "tf.reduce_sum",
        "switch": "tf.switch_case",
        "variable": "tf.Variable(" + _VARIABLE_ARGS.format(dtype="tf.float64") + ")",
        "read": "float(self.multiplier.numpy())",
        "iterations": "int(keras.backend.get_value(self.model.optimizer.iterations))",
        "usage": "keras.optimizers.Adam(learning_rate=make_schedule())",
        "load": "keras.models.load_model",
    },
}


def render(design: Design, class_name: str, flavour: str = "keras") -> str:
    f = _FLAVOURS[flavour]
    plateau = design.plateau is not None
    callback = f"{class_name}PlateauCallback"
    plateau_doc = ""
    if plateau:
        intro = textwrap.fill(
            f"Plateau cuts: Keras's own ReduceLROnPlateau cannot change the LR of a schedule, so "
            f"`{callback}` applies the design's ReduceLROnPlateau policy (PLATEAU below, "
            f'"{design.plateau.semantics}" semantics) to a multiplier held by the schedule::', 92)
        plateau_doc = f"""
{intro}

    schedule = make_schedule()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), ...)
    model.fit(..., validation_data=..., callbacks=[{callback}(schedule)])

It reads the monitored value at the end of each epoch; a cut scales the rest of the design.
On resume: the multiplier is part of the schedule's config, so a model saved with
`model.save` and loaded with `{f["load"]}` continues at the reduced LR. The
callback's best value and patience counters start afresh, as Keras's own callback's do.
"""
    legacy_note = ("\n- Uses Keras 2 APIs only: the tf-keras package with TensorFlow >= 2.16, or tf.keras in\n"
                   "  TensorFlow 2.9-2.15.") if flavour == "tf-keras" else ""
    head = f'''"""{title(design, flavour)}

Usage::

    from this_module import make_schedule

    optimizer = {f["usage"]}

`make_schedule()` returns a `{class_name}`: registered for serialization as
"lrdesigner>{class_name}", with a `get_config()` that `from_config` accepts, so
`model.save(...)` works and `{f["load"]}` works once this module is imported.

Conventions:
{chr(10).join(conventions(design))}
- `step` is the optimizer's iteration counter, int32 or int64. Segment starts are
  subtracted in integer arithmetic and the curve is computed in float64 (pass
  compute_dtype="float32" on hardware without float64, such as TPUs), then returned as
  float32: no precision loss at large steps. Works eagerly, in tf.function (jit_compile
  too), under mixed precision policies and under tf.distribute strategies.{legacy_note}
{plateau_doc}"""

import math
{"import struct" + chr(10) if plateau else ""}from types import SimpleNamespace

{f["imports"]}

{segment_table(design)}
{design_data(design)}{chr(10) + plateau_data(design) if plateau else ""}'''
    if plateau:
        multiplier_init = f"self.multiplier = {f['variable']}"
        multiplier_apply = f"lr = lr * {f['cast']}(self.multiplier, dtype)"
        multiplier_read = f["read"]
    else:
        multiplier_init = "self.multiplier = float(multiplier)  # 1.0 unless set"
        multiplier_apply = "if self.multiplier != 1.0:\n            lr = lr * self.multiplier"
        multiplier_read = "self.multiplier"
    body = shape_source([s.shape for s in design.segments])
    cls = f'''
#: Array arithmetic for the schedule's tensors.
_OPS = {f["ops"]}


@{f["register"]}
class {class_name}(LearningRateSchedule):
    """The designed learning-rate schedule. `design` is a design dict such as DESIGN."""

    def __init__(
        self,
        design=None,
        compute_dtype="float64",
        multiplier=1.0,
        name="{class_name}",
    ):
        super().__init__()
        self.design = DESIGN if design is None else design
        self.compute_dtype = compute_dtype
        self.name = name
        self._pieces, self._total = _pieces(self.design, _OPS)
        self._after_end = self.design["after_end"]
        self._end_lr = self.design["segments"][-1]["lr_end"]
        self._lr_at = _scalar_lr(self.design)
        {multiplier_init}

    def __call__(self, step):
        dtype = self.compute_dtype
        step = {f["cast"]}(step, "int64")

        def segment(start, piece):
            return lambda: piece({f["cast"]}({f["max"]}(step - start, 0), dtype))

        if len(step.shape) == 0 and len(self._pieces) > 1:
            # One step (as the optimizer asks): evaluate only the segment that holds it.
            starts = {f["cast"]}([start for start, _ in self._pieces[1:]], "int64")
            index = {f["sum"]}({f["cast"]}(step >= starts, "int32"))
            lr = {f["switch"]}(index, [segment(*p) for p in self._pieces])
        else:
            lr = None
            for start, piece in self._pieces:
                v = segment(start, piece)()
                lr = v if lr is None else {f["where"]}(step >= start, v, lr)
        if self._after_end == "hold":
            lr = {f["where"]}(step >= self._total, {f["cast"]}(self._end_lr, dtype), lr)
        elif self._after_end == "zero":
            lr = {f["where"]}(step >= self._total, {f["cast"]}(0.0, dtype), lr)
        else:
            lr = {f["max"]}(lr, {f["cast"]}(0.0, dtype))
        {multiplier_apply}
        return {f["cast"]}(lr, "float32")

    def lr_at(self, step):
        """The design's LR at `step` as a Python float (multiplier not applied)."""
        return self._lr_at(step)

    def get_config(self):
        return {{
            "design": self.design,
            "compute_dtype": self.compute_dtype,
            "multiplier": {multiplier_read},
            "name": self.name,
        }}
'''
    if flavour == "tf-keras":
        cls += f'''

# Legacy H5 files name the class without its package: register that name too.
keras.utils.get_custom_objects().setdefault(
    "{class_name}",
    {class_name},
)
'''
    scalar = '''
def _scalar_lr(design):
    """lr_at(step) as a Python float, for callbacks and checks."""
    pieces, total = _pieces(design, _MATH)
    starts = [start for start, _ in pieces]

    def lr_at(step):
        if step >= total:
            if design["after_end"] == "hold":
                return design["segments"][-1]["lr_end"]
            if design["after_end"] == "zero":
                return 0.0
            start, lr = pieces[-1]
            return max(0.0, lr(float(step - start)))
        start, lr = pieces[bisect.bisect_right(starts, step) - 1]
        return lr(float(step - start))

    return lr_at
'''
    cb = ""
    if plateau:
        cb = PLATEAU + f'''

class {callback}(keras.callbacks.Callback):
    """ReduceLROnPlateau on top of a `{class_name}`: cuts scale the schedule's multiplier."""

    def __init__(self, schedule, policy=None, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.plateau = _Plateau(PLATEAU if policy is None else policy)
        self.plateau.multiplier = {f["read"].replace("self.", "schedule.")}
        self.verbose = verbose
        self.cuts = []  # (epoch, step, old LR, new LR)

    def on_train_begin(self, logs=None):
        self.plateau.reset()

    def on_epoch_end(self, epoch, logs=None):
        monitor = self.plateau.policy["monitor"]
        current = (logs or {{}}).get(monitor)
        if current is None:
            warnings.warn(
                f"{{type(self).__name__}}: the monitored metric {{monitor!r}} is not in the logs "
                f"(available: {{', '.join(logs or {{}})}})",
                stacklevel=2,
            )
            return
        step = {f["iterations"]}
        cut = self.plateau.update(float(current), self.schedule.lr_at(step))
        if cut is None:
            return
        self.schedule.multiplier.assign(self.plateau.multiplier)
        self.cuts.append((epoch, step, cut[0], cut[1]))
        if self.verbose:
            name = type(self).__name__
            print(f"\\nEpoch {{epoch + 1}}: {{name}} reducing learning rate to {{cut[1]}}.")
'''
        head = head.replace("import math\n", "import bisect\nimport math\n", 1)
        head = head.replace("from types import SimpleNamespace\n",
                            "import warnings\nfrom types import SimpleNamespace\n", 1)
    else:
        head = head.replace("import math\n", "import bisect\nimport math\n", 1)
    tail = f'''

def make_schedule(**kwargs):
    """A `{class_name}` for DESIGN (keyword arguments go to its constructor)."""
    return {class_name}(**kwargs)
'''
    parts = [head.rstrip("\n"), body.strip("\n"), scalar.strip("\n"), cls.strip("\n")]
    if cb:
        parts.append(cb.strip("\n"))
    parts.append(tail.strip("\n"))
    return "\n\n\n".join(parts) + "\n"

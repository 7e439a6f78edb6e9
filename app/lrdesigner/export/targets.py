"""The registry of export targets: what each is called, how it renders a design, and how its
code is checked. The command line's choices, the export window's list and `verify` read it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..schedule.design import Design
    from . import ExportOptions


@dataclass(frozen=True)
class Target:
    """One export target.

    `render(design, options, class_name, module)` returns the file's text. `driver` is the path
    of its verification runner, a standalone script that `driver.py` loads in the framework's
    Python (see `runners/`: `require()` and `run(module, steps, walk)`); None when its code is not
    run.
    """

    name: str  # the command line's --target choice
    label: str  # the export window's entry
    render: Callable[[Design, ExportOptions, str | None, str], str]
    suffix: str = ".py"
    class_name: str | None = None  # the default name of the class it defines (None: no class)
    float32: bool = False  # offers computing in float32
    code: bool = True  # Python source (takes a module name, the plateau code, every shape)
    driver: str | None = None
    exact: bool = False  # its values must equal the design's float64 values exactly
    float32_values: bool = False  # checked with float32 tolerance
    rule: str = "float64 compute, float32 result"  # the verification rule, in words


TARGETS: dict[str, Target] = {}
RUNNERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runners")


def runner(name: str) -> str:
    """The path of a built-in runner script (`runners/<name>.py`)."""
    return os.path.join(RUNNERS, f"{name}.py")


def register(target: Target) -> Target:
    """Add an export target (replacing one of the same name)."""
    TARGETS[target.name] = target
    return target


def _keras(flavour: str):
    def render(design, options, class_name, module):
        from .keras_target import render

        return render(
            design,
            class_name,
            flavour,
            module=module,
            float32=options.float32,
            plateau=options.plateau,
            all_shapes=options.all_shapes,
        )

    return render


def _torch(design, options, class_name, module):
    from .torch_target import render

    return render(design, class_name, module=module, plateau=options.plateau, all_shapes=options.all_shapes)


def _optax(design, options, class_name, module):
    from .optax_target import render

    return render(design, module=module, plateau=options.plateau, all_shapes=options.all_shapes)


def _python(design, options, class_name, module):
    from .python_target import render

    return render(design, module=module, plateau=options.plateau, all_shapes=options.all_shapes)


def _json(design, options, class_name, module):
    from ..schedule import designfile
    from .jsonschema import with_schema

    return with_schema(designfile.dumps(design))


register(
    Target(
        "keras",
        "Keras 3 LearningRateSchedule class",
        _keras("keras"),
        class_name="DesignedSchedule",
        float32=True,
        driver=runner("keras_runner"),
    )
)
register(
    Target(
        "tf-keras",
        "tf.keras (Keras 2) LearningRateSchedule class",
        _keras("tf-keras"),
        class_name="DesignedSchedule",
        float32=True,
        driver=runner("tf_keras_runner"),
    )
)
register(
    Target(
        "torch",
        "PyTorch scheduler",
        _torch,
        class_name="DesignedScheduler",
        driver=runner("torch_runner"),
        exact=True,
        rule="exact float64 equality",
    )
)
register(
    Target(
        "optax",
        "optax schedule",
        _optax,
        driver=runner("optax_runner"),
        float32_values=True,
        rule="float32 tolerance",
    )
)
register(
    Target(
        "python",
        "Plain Python",
        _python,
        driver=runner("python_runner"),
        exact=True,
        rule="exact float64 equality",
    )
)
register(Target("json", "JSON config", _json, suffix=".json", code=False))

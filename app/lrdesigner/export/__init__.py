"""Export a design as code for a training framework, and verify the code in that framework.

The generators import no framework: they build source text from the design's data.

Naming rule: the generated class is named by the `class_name` option only, never by the
design's name (default: `DesignedSchedule`, `DesignedScheduler` for PyTorch), so renaming a
design never breaks a training repository's imports or its saved Keras models, whose
registered name is "lrdesigner>" + the class name.
"""

from __future__ import annotations

import keyword
import os
from dataclasses import dataclass, replace

from ..schedule.design import Design
from ..schedule.errors import DesignError
from .source import check_identifier
from .targets import TARGETS as REGISTRY
from .targets import Target

#: The target names, in the registry's order (a live view: a target registered later is in it).
TARGETS = REGISTRY.keys()


def target_labels() -> dict[str, str]:
    """What each target is called where people read it (the export window's list, in this order)."""
    return {name: target.label for name, target in REGISTRY.items()}


def class_targets() -> tuple[str, ...]:
    """Targets whose export defines a class (and so takes a class name)."""
    return tuple(name for name, target in REGISTRY.items() if target.class_name)


def default_class_names() -> dict[str, str]:
    return {name: target.class_name for name, target in REGISTRY.items() if target.class_name}


TARGET_LABELS = target_labels()
CLASS_TARGETS = class_targets()
DEFAULT_CLASS_NAMES = default_class_names()
DEFAULT_MODULE = "lr_schedule"


def get_target(name: str) -> Target:
    """The target called `name`, or a DesignError naming the choices."""
    if name not in REGISTRY:
        raise DesignError(f"unknown target {name!r}; choose one of {', '.join(REGISTRY)}", "--target")
    return REGISTRY[name]


@dataclass(frozen=True)
class ExportOptions:
    """How to export: the choices the export window offers."""

    class_name: str | None = None  # None: the target's fixed default (DEFAULT_CLASS_NAMES)
    module_name: str | None = None  # the module the file is saved as, for the usage line
    float32: bool = False  # Keras: compute in float32 (TPUs and other hardware without float64)
    plateau: bool = True  # include the plateau callback / report() when the design has a policy
    all_shapes: bool = False  # every shape, so a saved config using any shape loads


def class_name_problem(text: str, target: str = "keras") -> str | None:
    """Why `text` cannot name the exported class, in words for a person; None when it can."""
    if target not in REGISTRY or not REGISTRY[target].class_name:
        return None
    if not text:
        return "Enter a class name."
    if not text.isidentifier():
        if text[0].isdigit():
            return "A class name cannot start with a digit."
        return "Use only letters, digits and _ (no spaces or other signs)."
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        return f"{text!r} is a Python keyword."
    if text.startswith("__"):
        return "A class name cannot start with two underscores."
    return None


def module_name_for(path: str | os.PathLike) -> str:
    """The module name a file saved at `path` is imported as (for the usage line)."""
    stem = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    return stem if stem.isidentifier() and not keyword.iskeyword(stem) else DEFAULT_MODULE


def file_suffix(target: str) -> str:
    return get_target(target).suffix


def _render(design: Design, target: str, options: ExportOptions) -> str:
    spec = get_target(target)
    if not spec.code:
        return spec.render(design, options, None, DEFAULT_MODULE)
    module = options.module_name or DEFAULT_MODULE
    check_identifier(module, "module name")
    name = options.class_name
    name = spec.class_name if name is None else check_identifier(name, "--class-name")
    return spec.render(design, options, name, module)


def export_source(design: Design, target: str, options: ExportOptions | None = None) -> str:
    """The exact text of the file exporting `design` for `target` with `options`."""
    text = _render(design, target, options or ExportOptions())
    if not get_target(target).code:
        return text
    from .header import reflow_module_docstring

    return reflow_module_docstring(text)


def export(
    design: Design, target: str, class_name: str | None = None, options: ExportOptions | None = None
) -> str:
    """The source (or JSON text) of `design` for `target`."""
    options = options or ExportOptions()
    if class_name is not None:
        options = replace(options, class_name=class_name)
    return export_source(design, target, options)


__all__ = [
    "CLASS_TARGETS",
    "DEFAULT_CLASS_NAMES",
    "TARGETS",
    "TARGET_LABELS",
    "ExportOptions",
    "Target",
    "class_name_problem",
    "export",
    "export_source",
    "file_suffix",
    "get_target",
    "module_name_for",
]

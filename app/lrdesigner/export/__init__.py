"""Export a design as code for a training framework, and verify the code in that framework.

The generators import no framework: they build source text from the design's data.
"""

from __future__ import annotations

from ..schedule import designfile
from ..schedule.design import Design
from .source import check_identifier, class_name_for

TARGETS = ("keras", "tf-keras", "torch", "optax", "python", "json")


def export(design: Design, target: str, class_name: str | None = None) -> str:
    """The source (or JSON text) of `design` for `target`."""
    from ..schedule.errors import DesignError

    if target not in TARGETS:
        raise DesignError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}", "--target")
    if target == "json":
        return designfile.dumps(design)
    given = class_name is not None
    name = check_identifier(class_name, "--class-name") if given else class_name_for(design.name)
    if target in ("keras", "tf-keras"):
        from .keras_target import render

        return render(design, name, target)
    if target == "torch":
        from .torch_target import render

        return render(design, name)
    if target == "optax":
        from .optax_target import render

        return render(design)
    from .python_target import render

    return render(design)


__all__ = ["TARGETS", "export"]

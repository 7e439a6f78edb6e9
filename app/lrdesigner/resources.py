"""Where the shipped resources (icon, desktop entry, example designs and logs) are found.

A wheel and the desktop bundle carry them inside the package as `lrdesigner/_resources`; a source
checkout or an editable install reads the repository's top-level `resources/` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parents[2] / "resources"

APP_ID = "io.github.lrdesigner.LRDesigner"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def root() -> Path:
    """The resources folder."""
    for folder in (_PACKAGED, _CHECKOUT):
        if (folder / "icons").is_dir():
            return folder
    raise FileNotFoundError(f"LR Designer's resources are missing (looked in {_PACKAGED} and {_CHECKOUT})")


def path(*parts: str) -> Path:
    """A file or folder in the resources, e.g. path("examples", "designs", "noam.json")."""
    return root().joinpath(*parts)


def icon_svg() -> Path:
    """The application icon's SVG source."""
    return path("icons", "lrdesigner.svg")


def icon_png(size: int) -> Path:
    """The application icon rendered at size x size pixels (one of ICON_SIZES)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size}px icon; sizes: {', '.join(map(str, ICON_SIZES))}")
    return path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def example_designs() -> list[Path]:
    """The example design files, sorted by name."""
    return sorted(path("examples", "designs").glob("*.json"))


def example_workspace() -> Path:
    """The example workspace: the Transformer schedule compared with the other example designs."""
    return path("examples", "schedules.workspace.json")


def example_run() -> Path:
    """The folder of the example training run: design.json, the exported schedule module, logs/."""
    return path("examples", "transformer-sort")


def example_logs() -> Path:
    """The example run's log folder (TensorBoard event files and a CSVLogger file)."""
    return example_run() / "logs"

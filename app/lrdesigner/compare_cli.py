"""The `compare` and `plot` commands, and the `--compare` option of `gui`."""

from __future__ import annotations

import csv
import io
import json
import os
import re

from .schedule import designfile
from .schedule.compare import comparison_table, fit_preset_args
from .schedule.design import Design
from .schedule.errors import DesignError
from .schedule.presets import PRESETS, get_preset


def resolve(spec: str, design: Design) -> tuple[str, Design, dict]:
    """A comparison named on the command line: a design file, or a preset name (its defaults with
    the design's total steps). Returns (name, design, source)."""
    if os.path.exists(spec) or spec.endswith(".json"):
        other = designfile.load(spec)
        return other.name, other, {"file": os.path.abspath(spec)}
    if spec not in PRESETS:
        get_preset(spec)  # raises, listing close names
    preset = get_preset(spec)
    args = fit_preset_args(preset, design.total_steps)
    return spec, preset.build(**args), {"preset": spec, "params": args}


def table(design: Design, specs: list[str]) -> list[dict]:
    others = [resolve(s, design)[:2] for s in specs]
    return [row.as_dict() for row in comparison_table(design, others, f"{design.name} (design)")]


def format_table(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: "" if v is None else repr(v) if isinstance(v, float) else v for k, v in r.items()} for r in rows
        )
        return out.getvalue()
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        cells = ["" if v is None else f"{v:.6g}" if isinstance(v, float) else str(v) for v in r.values()]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def parse_size(text: str, option: str = "--size") -> tuple[int, int]:
    m = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text)
    if not m:
        raise DesignError(f"expected WIDTHxHEIGHT like 1200x700, got {text!r}", option)
    return int(m.group(1)), int(m.group(2))


def plot(
    design: Design, specs: list[str], out: str, size: str, log_scale: bool, epochs: bool, dark: bool
) -> None:
    if not out.lower().endswith((".png", ".svg")):
        raise DesignError(f"the output must end in .png or .svg, got {out!r}", "-o")
    others = [resolve(s, design)[:2] for s in specs]
    from .ui.plot.render import render_plot

    render_plot(design, others, out, parse_size(size), log_scale, epochs, dark)

"""The workspace file: the design, its comparison layers (by preset, by file or embedded) and the
view, as versioned JSON. It is data: loading it runs nothing, and a file it names that is gone
becomes a "missing" layer, never an error for the whole workspace."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schedule import designfile
from .schedule.design import Design
from .schedule.errors import DesignError
from .schedule.presets import get_preset

FORMAT = "lrdesigner.workspace"
VERSION = 1
LINES = ("solid", "dash", "dot")
VIEW_KEYS = ("log_scale", "epochs", "dark")
_MAX_BYTES = 64 * 1024 * 1024


@dataclass
class LayerSpec:
    """A comparison layer as saved: where its design comes from and how it is drawn."""

    name: str
    source: dict[str, Any]  # {"preset": NAME, "params": {...}} | {"file": PATH} | {"design": {...}}
    color: str = ""
    visible: bool = True
    line: str = "solid"
    design: Design | None = None  # resolved on load (None when `problem` says why)
    problem: str = ""  # e.g. "missing file /x/y.json"

    @property
    def origin(self) -> str:
        return next(iter(self.source))


@dataclass
class Workspace:
    design: Design
    design_path: str = ""  # the file the design was opened from or saved to ("" if none)
    layers: list[LayerSpec] = field(default_factory=list)
    view: dict[str, bool] = field(default_factory=dict)


def _where(source: str, path: str) -> str:
    return f"{source}: {path}"


def _relative(path: str, folder: Path) -> str:
    """A path relative to the workspace's folder when it lies beneath it (the pair can move)."""
    try:
        return str(Path(path).resolve().relative_to(folder.resolve()))
    except ValueError:
        return str(Path(path).resolve())


def to_dict(ws: Workspace, folder: Path) -> dict[str, Any]:
    layers = []
    for spec in ws.layers:
        source = dict(spec.source)
        if "file" in source:
            source["file"] = _relative(source["file"], folder)
        layers.append(
            {
                "kind": "compare",
                "name": spec.name,
                "color": spec.color,
                "visible": spec.visible,
                "line": spec.line,
                "source": source,
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "design": designfile.to_dict(ws.design),
        "design_path": _relative(ws.design_path, folder) if ws.design_path else None,
        "layers": layers,
        "view": {k: bool(ws.view.get(k, False)) for k in VIEW_KEYS},
    }


def save(ws: Workspace, path: str | os.PathLike) -> None:
    """Write the workspace atomically."""
    p = Path(path)
    designfile.write_atomic(p, json.dumps(to_dict(ws, p.parent), indent=1) + "\n")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def looks_like_workspace(path: str | os.PathLike) -> bool:
    """Whether a file declares the workspace format (read from its first bytes only)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return FORMAT.encode() in head


def load(path: str | os.PathLike) -> Workspace:
    """Read a workspace; the design and every layer are validated, nothing is executed."""
    p = Path(path)
    src = str(p)
    try:
        if p.stat().st_size > _MAX_BYTES:
            raise DesignError(f"larger than {_MAX_BYTES // 2**20} MB; not a workspace", src)
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(f"not UTF-8 text (byte {exc.start})", src) from None
    except OSError as exc:
        raise DesignError(exc.strerror or str(exc), src) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DesignError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", src) from None
    except (ValueError, RecursionError) as exc:
        raise DesignError(str(exc), src) from None
    return from_dict(data, p.parent, src)


def from_dict(data: Any, folder: Path, src: str = "<workspace>") -> Workspace:
    if not isinstance(data, dict):
        raise DesignError("expected a JSON object", _where(src, "$"))
    if data.get("format") != FORMAT:
        raise DesignError(f"not a workspace (format {data.get('format')!r})", _where(src, "$.format"))
    if data.get("version") != VERSION:
        raise DesignError(
            f"workspace version {data.get('version')!r} is not supported (this LR Designer "
            f"reads version {VERSION})",
            _where(src, "$.version"),
        )
    extra = sorted(set(data) - {"format", "version", "design", "design_path", "layers", "view"})
    if extra:
        raise DesignError(f"unknown key(s) {', '.join(map(repr, extra))}", _where(src, "$"))
    try:
        design = designfile.from_dict(data.get("design"))
    except DesignError as exc:
        raise DesignError(exc.problem, _where(src, "$.design" + (exc.where[1:] if exc.where else ""))) from None
    design_path = data.get("design_path") or ""
    if not isinstance(design_path, str):
        raise DesignError("expected a path", _where(src, "$.design_path"))
    if design_path and not os.path.isabs(design_path):
        design_path = str((folder / design_path).resolve())
    view = data.get("view") or {}
    if not isinstance(view, dict) or any(
        k not in VIEW_KEYS or not isinstance(v, bool) for k, v in view.items()
    ):
        raise DesignError(f"expected {{{', '.join(VIEW_KEYS)}: true/false}}", _where(src, "$.view"))
    layers_data = data.get("layers") or []
    if not isinstance(layers_data, list):
        raise DesignError("expected a list", _where(src, "$.layers"))
    layers = [_layer(item, folder, _where(src, f"$.layers[{i}]")) for i, item in enumerate(layers_data)]
    return Workspace(design, design_path, layers, dict(view))


def _layer(item: Any, folder: Path, where: str) -> LayerSpec:
    if not isinstance(item, dict):
        raise DesignError("expected an object", where)
    extra = sorted(set(item) - {"kind", "name", "color", "visible", "line", "source"})
    if extra:
        raise DesignError(f"unknown key(s) {', '.join(map(repr, extra))}", where)
    if item.get("kind", "compare") != "compare":
        raise DesignError(f"unknown layer kind {item.get('kind')!r}", where + ".kind")
    name, color = item.get("name", ""), item.get("color", "")
    visible, line = item.get("visible", True), item.get("line", "solid")
    if not isinstance(name, str) or not isinstance(color, str) or len(name) > 200:
        raise DesignError("name and color must be short text", where)
    if color and not (
        color.startswith("#")
        and len(color) in (4, 7, 9)
        and all(c in "0123456789abcdefABCDEF" for c in color[1:])
    ):
        raise DesignError(f"expected a colour like #0072b2, got {color[:20]!r}", where + ".color")
    if not isinstance(visible, bool) or line not in LINES:
        raise DesignError(f"visible must be true/false and line one of {', '.join(LINES)}", where)
    source = item.get("source")
    if (
        not isinstance(source, dict)
        or len(source) not in (1, 2)
        or not ({"preset", "file", "design"} & set(source))
    ):
        raise DesignError(
            'expected {"preset": NAME, "params": {...}}, {"file": PATH} or {"design": {...}}', where + ".source"
        )
    spec = LayerSpec(name, dict(source), color, visible, line)
    try:
        if "preset" in source:
            params = source.get("params") or {}
            if not isinstance(params, dict) or set(source) - {"preset", "params"}:
                raise DesignError("expected {preset, params}", "source")
            spec.design = get_preset(str(source["preset"])).build(**params)
        elif "file" in source:
            path = source["file"]
            if not isinstance(path, str):
                raise DesignError("expected a path", "source.file")
            full = path if os.path.isabs(path) else str((folder / path).resolve())
            spec.source = {"file": full}
            if not os.path.isfile(full):
                spec.problem = f"missing file {full}"
            else:
                spec.design = designfile.load(full)
        else:
            spec.design = designfile.from_dict(source["design"])
    except DesignError as exc:
        if "file" in spec.source and spec.design is None and not spec.problem:
            spec.problem = str(exc)
        else:
            raise DesignError(exc.problem, f"{where}.{exc.where}" if exc.where else where) from None
    return spec

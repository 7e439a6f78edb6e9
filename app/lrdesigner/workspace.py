"""The workspace file: the design, its comparison layers (by preset, by file or embedded), the
training logs drawn over it (file, run, tag, step offset, follow), plateau cuts simulated on a
logged series, and the view, as versioned JSON. It is data: loading it runs nothing and reads no
log, and a file it names that is gone becomes a "missing" layer, never an error for the whole
workspace.

Version 2 added log and plateau layers and the smoothing weight; a workspace without them is
still written as version 1, which every LR Designer reads."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from .logs import Series, place
from .schedule import designfile
from .schedule.design import Design
from .schedule.errors import DesignError
from .schedule.plateau import PlateauPolicy, PlateauResult, simulate_plateau
from .schedule.presets import get_preset
from .view_keys import LEGEND, LEGEND_PLACES, LOSS_LOG, SMOOTHING, V2_VIEW_KEYS, VIEW_KEYS

FORMAT = "lrdesigner.workspace"
VERSION = 2
READS = (1, 2)
LINES = ("solid", "dash", "dot")
_MAX_OFFSET = 2**62
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

    kind = "compare"

    @property
    def origin(self) -> str:
        return next(iter(self.source))


@dataclass
class SeriesRef:
    """A logged series: the file (or folder) it is read from, its run and tag, and the steps it is
    drawn from where it was logged."""

    path: str
    run: str
    tag: str
    offset: int = 0

    def to_dict(self, folder: Path) -> dict[str, Any]:
        return {"file": _relative(self.path, folder), "run": self.run, "tag": self.tag, "offset": self.offset}


@dataclass
class LogSpec:
    """A log layer as saved (version 2): which series, how it is drawn, whether it is followed."""

    name: str
    series: SeriesRef
    color: str = ""
    visible: bool = True
    line: str = "solid"
    follow: bool = False
    kind = "log"


@dataclass
class PlateauSpec:
    """Plateau cuts as saved (version 2): the series they were simulated on and the policy. The
    cuts are simulated again on load, on the workspace's design."""

    name: str
    series: SeriesRef
    policy: PlateauPolicy
    color: str = ""
    visible: bool = True
    line: str = "solid"
    kind = "plateau"


AnySpec = LayerSpec | LogSpec | PlateauSpec


@dataclass
class Workspace:
    design: Design
    design_path: str = ""  # the file the design was opened from or saved to ("" if none)
    layers: list[AnySpec] = field(default_factory=list)
    view: dict[str, bool | float | str] = field(default_factory=dict)  # VIEW_KEYS and V2_VIEW_KEYS

    @property
    def version(self) -> int:
        """The lowest version that holds this workspace (older LR Designers read version 1)."""
        v2 = any(key in self.view for key in V2_VIEW_KEYS) or any(
            spec.kind != "compare" for spec in self.layers
        )
        return 2 if v2 else 1


def simulate_on_series(
    series: Series, writer: str, offset: int, design: Design, policy: PlateauPolicy
) -> PlateauResult:
    """ReduceLROnPlateau with `policy` over a logged validation series, each evaluation at the
    step where the series is drawn (its writer's placement and `offset`)."""
    placed = place(series, design.steps_per_epoch, offset, writer)
    ok = np.isfinite(placed.values) & (placed.steps > 0)
    steps, values = placed.steps[ok], placed.values[ok]
    if len(steps) < 2:
        raise ValueError(f"{series.run}/{series.tag} has too few points to simulate plateau cuts")
    return simulate_plateau(values, policy, design=design, at=steps)


def _where(source: str, path: str) -> str:
    return f"{source}: {path}"


def _relative(path: str, folder: Path) -> str:
    """A path relative to the workspace's folder when it lies beneath it (the pair can move)."""
    try:
        return str(Path(path).resolve().relative_to(folder.resolve()))
    except ValueError:
        return str(Path(path).resolve())


def _style(spec: AnySpec) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "name": spec.name,
        "color": spec.color,
        "visible": spec.visible,
        "line": spec.line,
    }


def to_dict(ws: Workspace, folder: Path) -> dict[str, Any]:
    layers = []
    for spec in ws.layers:
        if isinstance(spec, LogSpec):
            layers.append({**_style(spec), **spec.series.to_dict(folder), "follow": spec.follow})
            continue
        if isinstance(spec, PlateauSpec):
            layers.append(
                {
                    **_style(spec),
                    "series": spec.series.to_dict(folder),
                    "policy": asdict(spec.policy),
                }
            )
            continue
        source = dict(spec.source)
        if "file" in source:
            source["file"] = _relative(source["file"], folder)
        layers.append({**_style(spec), "source": source})
    view: dict[str, bool | float | str] = {k: bool(ws.view.get(k, False)) for k in VIEW_KEYS}
    if SMOOTHING in ws.view:
        view[SMOOTHING] = float(ws.view[SMOOTHING])
    if LOSS_LOG in ws.view:
        view[LOSS_LOG] = bool(ws.view[LOSS_LOG])
    if LEGEND in ws.view:
        view[LEGEND] = str(ws.view[LEGEND])
    return {
        "format": FORMAT,
        "version": ws.version,
        "design": designfile.to_dict(ws.design),
        "design_path": _relative(ws.design_path, folder) if ws.design_path else None,
        "layers": layers,
        "view": view,
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
    version = data.get("version")
    if isinstance(version, bool) or version not in READS:
        raise DesignError(
            f"workspace version {version!r} is not supported (this LR Designer "
            f"reads versions {', '.join(map(str, READS))})",
            _where(src, "$.version"),
        )
    extra = sorted(set(data) - {"format", "version", "design", "design_path", "layers", "view"})
    if extra:
        raise DesignError(f"unknown key(s) {', '.join(map(repr, extra))}", _where(src, "$"))
    design = _design(data.get("design"), _where(src, "$.design"))
    design_path = data.get("design_path") or ""
    if not isinstance(design_path, str):
        raise DesignError("expected a path", _where(src, "$.design_path"))
    if design_path and not os.path.isabs(design_path):
        design_path = str((folder / design_path).resolve())
    view = _view(data.get("view") or {}, version, _where(src, "$.view"))
    layers_data = data.get("layers") or []
    if not isinstance(layers_data, list):
        raise DesignError("expected a list", _where(src, "$.layers"))
    layers = [
        _layer(item, folder, version, _where(src, f"$.layers[{i}]")) for i, item in enumerate(layers_data)
    ]
    return Workspace(design, design_path, layers, view)


def _design(data: Any, where: str) -> Design:
    try:
        return designfile.from_dict(data)
    except DesignError as exc:
        raise DesignError(exc.problem, where + (exc.where[1:] if exc.where else "")) from None


def _view(view: Any, version: int, where: str) -> dict[str, bool | float | str]:
    if not isinstance(view, dict):
        raise DesignError(f"expected {{{', '.join(VIEW_KEYS)}: true/false}}", where)
    out: dict[str, bool | float | str] = {}
    for key, value in view.items():
        if key == SMOOTHING and version >= 2:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 0.999:
                raise DesignError(f"expected a number from 0 to 0.999, got {value!r}", f"{where}.{key}")
            out[key] = float(value)
        elif key == LEGEND and version >= 2:
            if value not in LEGEND_PLACES:
                raise DesignError(
                    f"expected one of {', '.join(LEGEND_PLACES)}, got {value!r}", f"{where}.{key}"
                )
            out[key] = value
        elif (key in VIEW_KEYS or key == LOSS_LOG and version >= 2) and isinstance(value, bool):
            out[key] = value
        else:
            raise DesignError(f"expected {{{', '.join(VIEW_KEYS)}: true/false}}", where)
    return out


def _keys(item: dict, allowed: set[str], where: str) -> None:
    extra = sorted(set(item) - allowed)
    if extra:
        raise DesignError(f"unknown key(s) {', '.join(map(repr, extra))}", where)


_STYLE_KEYS = {"kind", "name", "color", "visible", "line"}


def _layer(item: Any, folder: Path, version: int, where: str) -> AnySpec:
    if not isinstance(item, dict):
        raise DesignError("expected an object", where)
    kind = item.get("kind", "compare")
    kinds = ("compare", "log", "plateau") if version >= 2 else ("compare",)
    if kind not in kinds:
        raise DesignError(
            f"unknown layer kind {kind!r} (version {version} has {', '.join(kinds)})", where + ".kind"
        )
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
    if kind == "log":
        _keys(item, _STYLE_KEYS | {"file", "run", "tag", "offset", "follow"}, where)
        follow = item.get("follow", False)
        if not isinstance(follow, bool):
            raise DesignError("expected true/false", where + ".follow")
        return LogSpec(name, _series(item, folder, where), color, visible, line, follow)
    if kind == "plateau":
        _keys(item, _STYLE_KEYS | {"series", "policy"}, where)
        series = item.get("series")
        if not isinstance(series, dict):
            raise DesignError('expected {"file", "run", "tag", "offset"}', where + ".series")
        _keys(series, {"file", "run", "tag", "offset"}, where + ".series")
        return PlateauSpec(
            name,
            _series(series, folder, where + ".series"),
            _policy(item.get("policy"), where + ".policy"),
            color,
            visible,
            line,
        )
    _keys(item, _STYLE_KEYS | {"source"}, where)
    return _compare(item, folder, where, LayerSpec(name, {}, color, visible, line))


def _series(item: dict, folder: Path, where: str) -> SeriesRef:
    path, run, tag, offset = item.get("file"), item.get("run"), item.get("tag"), item.get("offset", 0)
    if not isinstance(path, str) or not path or "\0" in path:
        raise DesignError("expected the log's path", where + ".file")
    for key, value in (("run", run), ("tag", tag)):
        if not isinstance(value, str) or len(value) > 1000:
            raise DesignError("expected text", f"{where}.{key}")
    if isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) >= _MAX_OFFSET:
        raise DesignError(f"expected a whole number of steps, got {offset!r}", where + ".offset")
    full = path if os.path.isabs(path) else str((folder / path).resolve())
    return SeriesRef(full, run, tag, offset)


def _policy(data: Any, where: str) -> PlateauPolicy:
    if not isinstance(data, dict):
        raise DesignError("expected an object", where)
    _keys(data, {f.name for f in fields(PlateauPolicy)}, where)
    try:
        return PlateauPolicy(**data)
    except DesignError as exc:
        raise DesignError(exc.problem, where + exc.where.removeprefix("plateau")) from None
    except TypeError as exc:
        raise DesignError(str(exc), where) from None


def _compare(item: dict, folder: Path, where: str, spec: LayerSpec) -> LayerSpec:
    source = item.get("source")
    if (
        not isinstance(source, dict)
        or len(source) not in (1, 2)
        or not ({"preset", "file", "design"} & set(source))
    ):
        raise DesignError(
            'expected {"preset": NAME, "params": {...}}, {"file": PATH} or {"design": {...}}', where + ".source"
        )
    spec.source = dict(source)
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

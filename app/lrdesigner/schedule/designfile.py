"""The design file: versioned JSON, strictly validated, written atomically. Loading runs no code."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from .design import Design
from .errors import DesignError
from .plateau import PlateauPolicy
from .segment import Segment

FORMAT = "lrdesigner.design"
VERSION = 1
#: "$schema" names the JSON Schema (exported configs carry it); it is not part of the design.
_TOP = (
    "$schema",
    "format",
    "version",
    "name",
    "description",
    "steps_per_epoch",
    "after_end",
    "plateau",
    "segments",
)
_SEG = ("shape", "steps", "lr_start", "lr_end", "params")


def to_dict(design: Design) -> dict[str, Any]:
    """The JSON-ready form of a design."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": design.name,
        "description": design.description,
        "steps_per_epoch": design.steps_per_epoch,
        "after_end": design.after_end,
        "plateau": asdict(design.plateau) if design.plateau else None,
        "segments": [
            {
                "shape": s.shape,
                "steps": s.duration,
                "lr_start": s.lr_start,
                "lr_end": s.lr_end,
                "params": dict(s.params),
            }
            for s in design.segments
        ],
    }


def dumps(design: Design) -> str:
    """The design file's text."""
    return json.dumps(to_dict(design), indent=2, allow_nan=False) + "\n"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a design file")


def loads(text: str, source: str = "<design>") -> Design:
    """Parse a design file's text; errors name `source`, the JSON path and the problem."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DesignError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", source
        ) from None
    except ValueError as exc:
        raise DesignError(str(exc), source) from None
    try:
        return from_dict(data)
    except DesignError as exc:
        raise DesignError(exc.problem, f"{source}: {exc.where or '$'}") from None


def from_dict(data: Any) -> Design:
    """Build a Design from the JSON form, strictly."""
    if not isinstance(data, dict):
        raise DesignError("expected a JSON object", "$")
    if data.get("format") != FORMAT:
        raise DesignError(f'expected "format": "{FORMAT}", got {data.get("format")!r}', "$.format")
    version = data.get("version")
    if version != VERSION:
        raise DesignError(
            f"unsupported version {version!r}; this LR Designer reads version {VERSION}", "$.version"
        )
    _no_extra(data, _TOP, "$")
    segs_in = data.get("segments")
    if not isinstance(segs_in, list) or not segs_in:
        raise DesignError("expected a non-empty list of segments", "$.segments")
    segments = []
    for i, raw in enumerate(segs_in):
        where = f"$.segments[{i}]"
        if not isinstance(raw, dict):
            raise DesignError("expected an object", where)
        _no_extra(raw, _SEG, where)
        for key in ("shape", "steps", "lr_start"):
            if key not in raw:
                raise DesignError(f'missing "{key}"', where)
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise DesignError("expected an object", f"{where}.params")
        if not isinstance(raw["shape"], str):
            raise DesignError("expected a shape name", f"{where}.shape")
        seg = Segment.create(raw["shape"], raw["steps"], raw["lr_start"], raw.get("lr_end"), where, **params)
        segments.append(_with_stated_end(seg, raw.get("lr_end"), bool(params), where))
    plateau = data.get("plateau")
    if plateau is not None:
        if not isinstance(plateau, dict):
            raise DesignError("expected an object or null", "$.plateau")
        _no_extra(plateau, tuple(f.name for f in fields(PlateauPolicy)), "$.plateau")
        try:
            plateau = PlateauPolicy(**plateau)
        except DesignError as exc:
            raise DesignError(exc.problem, "$." + exc.where) from None
    for key, kind in (("name", str), ("description", str)):
        if key in data and not isinstance(data[key], kind):
            raise DesignError("expected text", f"$.{key}")
    try:
        return Design(
            tuple(segments),
            name=data.get("name", "Untitled"),
            description=data.get("description", ""),
            steps_per_epoch=data.get("steps_per_epoch"),
            after_end=data.get("after_end", "hold"),
            plateau=plateau,
        )
    except DesignError as exc:
        raise DesignError(exc.problem, "$." + exc.where if exc.where else "$") from None


def _with_stated_end(seg: Segment, stated: Any, has_params: bool, where: str) -> Segment:
    """For shapes whose end follows from their parameters: a stated `lr_end` sets the parameters
    when none are given, and must agree with them when they are."""
    if not seg.kind.implied_end or seg.shape == "constant" or stated is None:
        return seg
    if isinstance(stated, bool) or not isinstance(stated, (int, float)):
        raise DesignError(f"expected a number, got {stated!r}", f"{where}.lr_end")
    if abs(seg.lr_end - stated) <= 1e-9 * max(abs(stated), abs(seg.lr_end), 1e-300):
        return seg
    if has_params:
        raise DesignError(
            f"lr_end {stated!r} disagrees with the {seg.shape} parameters, which end at "
            f"{seg.lr_end!r}; drop lr_end or the parameters",
            f"{where}.lr_end",
        )
    try:
        return seg.replace(lr_end=float(stated), where=where)
    except DesignError as exc:
        raise DesignError(exc.problem, f"{where}.lr_end") from None


def _no_extra(obj: dict, allowed: tuple[str, ...], where: str) -> None:
    extra = [k for k in obj if k not in allowed]
    if extra:
        raise DesignError(f"unknown key(s) {', '.join(map(repr, extra))}", where)


def load(path: str | os.PathLike) -> Design:
    """Read a design file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(f"not UTF-8 text (byte {exc.start})", str(p)) from None
    except OSError as exc:
        raise DesignError(exc.strerror or str(exc), str(p)) from None
    return loads(text, str(p))


def save(design: Design, path: str | os.PathLike) -> None:
    """Write a design file atomically."""
    write_atomic(path, dumps(design))


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` atomically: a temp file beside it, fsync, then rename over."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    try:
        os.fchmod(fd, _file_mode(p))
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode a plain open() would give: the existing file's, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask

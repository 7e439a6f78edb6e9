"""Bounded reading of run files: sizes checked before reading, zip members checked before inflating."""

from __future__ import annotations

import json
import os
import zipfile
from typing import Any

from ..errors import DesignError

#: The largest config file read (a training config is a few kilobytes).
MAX_BYTES = 16 * 1024 * 1024
#: A zip member inflating beyond this ratio of its compressed size is refused as a zip bomb.
MAX_RATIO = 200


def read_text(path: str) -> str:
    """The file's text (UTF-8), refusing files over MAX_BYTES."""
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise DesignError(f"{size} bytes is too large for a training config (limit {MAX_BYTES})", path)
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(f"not UTF-8 text (byte {exc.start})", path) from None


def read_zip_member(path: str, member: str) -> str:
    """One member of a zip archive as text, refusing oversized or bomb-like members."""
    try:
        with zipfile.ZipFile(path) as z:
            try:
                info = z.getinfo(member)
            except KeyError:
                raise DesignError(f"the archive has no {member} (is it a Keras 3 .keras file?)", path) from None
            if info.file_size > MAX_BYTES:
                raise DesignError(f"{member} declares {info.file_size} bytes (limit {MAX_BYTES})", path)
            if info.compress_size and info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                raise DesignError(
                    f"{member} inflates {info.file_size // max(info.compress_size, 1)}x: refused as a zip bomb",
                    path,
                )
            with z.open(info) as f:
                data = f.read(MAX_BYTES + 1)
    except zipfile.BadZipFile as exc:
        raise DesignError(f"not a valid zip archive ({exc})", path) from None
    if len(data) > MAX_BYTES:
        raise DesignError(f"{member} inflates past {MAX_BYTES} bytes: refused as a zip bomb", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(f"{member} is not UTF-8 text (byte {exc.start})", path) from None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, where: str) -> Any:
    """JSON data; NaN/Infinity and bad syntax refused with line and column."""
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise DesignError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", where) from None
    except ValueError as exc:
        raise DesignError(str(exc), where) from None
    except RecursionError:
        raise DesignError("JSON nested too deeply", where) from None


def parse_yaml(text: str, where: str) -> Any:
    """YAML data through the safe loader: tags that would construct objects are refused."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DesignError(f"YAML refused{place}: {exc.problem or exc}", where) from None
    except yaml.YAMLError as exc:
        raise DesignError(f"YAML refused: {exc}", where) from None

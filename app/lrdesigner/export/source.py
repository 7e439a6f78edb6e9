"""Building Python source from data: literals, identifiers and docstring text, all quoted safely.

Nothing a design contains is ever pasted into code: strings become literals whose value is
checked to round-trip, names are checked with `str.isidentifier` and `keyword.iskeyword`.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import unicodedata
from typing import Any

from ..schedule.errors import DesignError

INDENT = "    "


def string_literal(text: str) -> str:
    """A double-quoted Python literal equal to `text`."""
    lit = json.dumps(text, ensure_ascii=False)
    try:
        if ast.literal_eval(lit) == text and lit.isprintable():
            return lit
    except (SyntaxError, ValueError):
        pass
    return ascii(text)


def literal(value: Any, level: int = 0) -> str:
    """Python source for JSON-like data, laid out as `ruff format` lays it out (one item per line)."""
    pad, inner = INDENT * level, INDENT * (level + 1)
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        text = repr(float(value))
        if text in ("inf", "-inf", "nan"):
            raise DesignError(f"cannot export the non-finite number {text}", "export")
        return text
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{string_literal(str(k))}: {literal(v, level + 1)},\n" for k, v in value.items()]
        return "{\n" + "".join(items) + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{literal(v, level + 1)},\n" for v in value]
        return "[\n" + "".join(items) + pad + "]"
    raise DesignError(f"cannot export a value of type {type(value).__name__}", "export")


def _flat(value: Any) -> str:
    """`value` as one line of source, as `ruff format` writes a collection that fits."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{string_literal(str(k))}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return literal(value)


def _split_string(text: str, level: int, used: int, width: int) -> str:
    """A string too long for its line as a parenthesized literal on lines of its own,
    split after spaces into pieces that fit (implicit concatenation)."""
    flat = string_literal(text)
    inner = INDENT * (level + 1)
    room = width - len(inner)
    if len(flat) + used <= width or room < 20:
        return flat
    pieces, current = [], ""
    for word in text.split(" "):
        candidate = word if not current else current + " " + word
        if current and len(string_literal(candidate + " ")) > room:
            pieces.append(current + " ")
            current = word
        else:
            current = candidate
    pieces.append(current)
    return "(\n" + "".join(f"{inner}{string_literal(p)}\n" for p in pieces) + INDENT * level + ")"


def compact_literal(value: Any, level: int = 0, used: int = 0, width: int = 88) -> str:
    """Python source for JSON-like data laid out as `ruff format` lays it out: a collection
    stays on one line when it fits in `width` (`used` columns of that line are taken by what
    precedes and follows it), else one item per line."""
    if isinstance(value, str):
        return _split_string(value, level, used, width)
    flat = _flat(value)
    if not isinstance(value, (dict, list, tuple)) or not value or len(flat) + used <= width:
        return flat
    pad, inner = INDENT * level, INDENT * (level + 1)
    if isinstance(value, dict):
        rows = []
        for k, v in value.items():
            key = f"{string_literal(str(k))}: "
            rows.append(f"{inner}{key}{compact_literal(v, level + 1, len(inner) + len(key) + 1, width)},\n")
        return "{\n" + "".join(rows) + pad + "}"
    rows = [f"{inner}{compact_literal(v, level + 1, len(inner) + 1, width)},\n" for v in value]
    return "[\n" + "".join(rows) + pad + "]"


def check_identifier(name: str, what: str = "class name") -> str:
    """`name` when it is a usable Python identifier, else a DesignError."""
    if (
        not isinstance(name, str)
        or not name.isidentifier()
        or keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name.startswith("__")
    ):
        raise DesignError(
            f"{name!r} is not a valid Python identifier (letters, digits and _, not a "
            "keyword, not starting with a digit)",
            what,
        )
    return name


def class_name_for(design_name: str, fallback: str = "DesignedSchedule") -> str:
    """A CamelCase class name derived from a design's name (ASCII letters and digits only)."""
    text = unicodedata.normalize("NFKD", design_name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or not name[0].isalpha():
        name = fallback if not name else "Schedule" + name
    if not name.endswith(("Schedule", "Scheduler", "LR")):
        name += "Schedule"
    return check_identifier(name[:80])


def docstring_text(text: str, limit: int = 80) -> str:
    """`text` reduced to characters that are inert inside a docstring (no quotes, backslashes or
    line breaks), for naming a design in a docstring or comment. The exact text stays in the data."""
    out = []
    for ch in text:
        if ch in "\"'\\`" or not ch.isprintable() or unicodedata.category(ch) in ("Zl", "Zp", "Cf"):
            ch = " "
        out.append(ch)
    cleaned = " ".join("".join(out).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 3].rstrip() + "..."
    return cleaned or "untitled"

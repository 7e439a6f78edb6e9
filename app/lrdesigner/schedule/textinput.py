"""Numbers and parameters as people type them ("1,000", "5e-4", "power=2"), checked with clear messages."""

from __future__ import annotations

import json
import math
import re

from .errors import DesignError

MAX_STEPS = 2**62
_ECHO = 24  # characters of the user's text repeated in a message


def echo(text: str) -> str:
    """The user's text, quoted and shortened for a message."""
    text = text.strip()
    return repr(text if len(text) <= _ECHO else text[: _ECHO - 1] + "…")


def _clean(text: str) -> str:
    return text.strip().replace("_", "").replace(" ", "")


def parse_steps(text: str, what: str = "steps", minimum: int = 1) -> int:
    """A whole number of steps: `25000`, `25,000`, `2.5e4`; refuses fractions, inf, nan, overflow."""
    raw = _clean(text)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", "")
    if not raw:
        raise DesignError("enter a whole number of steps", what)
    try:
        value = int(raw)
    except ValueError:
        try:
            number = float(raw)
        except ValueError:
            raise DesignError(f"{echo(text)} is not a number", what) from None
        if not math.isfinite(number):
            raise DesignError(f"{echo(text)} is not a finite number of steps", what) from None
        if number != math.floor(number):
            raise DesignError(f"{echo(text)} is not a whole number of steps", what) from None
        value = int(number)
    if value < minimum:
        raise DesignError(
            f"must be at least {minimum:,}, got {value:,}"
            if abs(value) < 1e15
            else f"must be at least {minimum:,}",
            what,
        )
    if value > MAX_STEPS:
        raise DesignError(f"must be at most 2**62 ({MAX_STEPS:,.3g}) steps", what)
    return value


def parse_lr(text: str, what: str = "LR") -> float:
    """A learning rate: a finite number >= 0 (`5e-4`, `0.0005`); refuses inf, nan and overflow."""
    from .design import MAX_LR

    raw = _clean(text)
    if not raw:
        raise DesignError("enter a learning rate", what)
    try:
        value = float(raw)
    except ValueError:
        raise DesignError(f"{echo(text)} is not a number", what) from None
    if math.isnan(value):
        raise DesignError("a learning rate must be a number (got nan)", what)
    if not math.isfinite(value) or value > MAX_LR:
        raise DesignError(f"{echo(text)} is too large: a learning rate is at most {MAX_LR:g}", what)
    if value < 0 or math.copysign(1.0, value) < 0:  # -0 is refused as -1 is
        raise DesignError(f"a learning rate cannot be negative (got {echo(text)})", what)
    return value


def parse_params(text: str) -> dict:
    """`power=2, mode="triangular"` -> {"power": 2, "mode": "triangular"} (values as JSON, else text)."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, raw = part.partition("=")
        if not sep or not key.strip():
            raise DesignError(f"expected name=value, got {echo(part)}", "parameters")
        raw = raw.strip()
        try:
            value = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            value = raw.strip("'\"")
        if isinstance(value, float) and not math.isfinite(value):
            raise DesignError(f"{echo(raw)} is not a finite number", f"parameters.{key.strip()}")
        if isinstance(value, str) and raw.lower() in ("inf", "-inf", "nan", "infinity", "-infinity"):
            raise DesignError(f"{echo(raw)} is not a finite number", f"parameters.{key.strip()}")
        name = key.strip()
        if name in out:
            raise DesignError(
                f"{name} is given twice ({name}={out[name]!r} and {echo(part)})", f"parameters.{name}"
            )
        out[name] = value
    return out


def parse_knot(text: str) -> tuple[int, float]:
    """`step, LR` as typed in the exact-value dialog: `30000, 5e-4`, `30,000, 5e-4`, `30000 5e-4`
    or `30,000; 5e-4`."""
    raw = text.strip()
    if ";" in raw:
        parts = raw.split(";")
    elif re.search(r"\s", raw):
        parts = [p.rstrip(",") for p in raw.split()]
    else:
        head, sep, tail = raw.rpartition(",")
        parts = [head, tail] if sep else [raw]
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) != 2:
        raise DesignError(f"expected 'step, LR', got {echo(text)}", "knot")
    return parse_steps(parts[0], "step", minimum=0), parse_lr(parts[1])

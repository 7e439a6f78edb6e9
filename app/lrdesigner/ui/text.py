"""Text as the window shows it: names are limited when typed and elided where they are shown."""

from __future__ import annotations

#: The longest name a design or a layer takes.
MAX_NAME = 200
#: How much of a name a title, a legend row or a dialog shows.
SHOWN = 60


def elide(text: str, limit: int = SHOWN) -> str:
    """`text` cut in the middle to at most `limit` characters ("a very … name")."""
    text = " ".join(str(text).split())  # no line breaks or runs of blanks in one line of text
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head) :]}"


def name_problem(name: str, what: str = "name") -> str:
    """Why a typed name is refused ("" when it is fine)."""
    if not str(name).strip():
        return f"{what}: a name cannot be empty"
    if len(name) > MAX_NAME:
        return f"{what}: a name is at most {MAX_NAME} characters (this one has {len(name):,})"
    return ""

"""The JSON Schema of the design format, shipped with the package, and its name in exports."""

from __future__ import annotations

import json
from importlib import resources

#: The schema's identifier: what an exported JSON config names as its "$schema".
SCHEMA_ID = "urn:lrdesigner:schema:design:1"
SCHEMA_FILE = "design-1.schema.json"


def schema_text() -> str:
    """The schema file's text."""
    return resources.files(__package__).joinpath("schema", SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict:
    """The design format's JSON Schema."""
    return json.loads(schema_text())


def with_schema(design_json: str) -> str:
    """A design file's text with "$schema" as its first key."""
    data = json.loads(design_json)
    return json.dumps({"$schema": SCHEMA_ID, **data}, indent=2, allow_nan=False) + "\n"

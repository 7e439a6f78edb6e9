"""The JSON Schema of the design format, shipped with the package, and its name in exports.

The segment's shapes come from the shape registry: each shape gives its variant
(`Shape.schema()`). The file in the package is that schema written out
(`python -m lrdesigner.export.jsonschema --write`); a test keeps it current.
"""

from __future__ import annotations

import json
import sys
from importlib import resources

from ..schedule.shapes import SHAPES

#: The schema's identifier: what an exported JSON config names as its "$schema".
SCHEMA_ID = "urn:lrdesigner:schema:design:1"
SCHEMA_FILE = "design-1.schema.json"


def _shipped() -> str:
    return resources.files(__package__).joinpath("schema", SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict:
    """The design format's JSON Schema, with every registered shape."""
    out = json.loads(_shipped())
    segment = out["$defs"]["segment"]
    segment["properties"]["shape"]["enum"] = list(SHAPES)
    segment["oneOf"] = [shape.schema() for shape in SHAPES.values()]
    return out


def schema_text() -> str:
    """The schema as the package ships it (the text of `schema()`)."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def with_schema(design_json: str) -> str:
    """A design file's text with "$schema" as its first key."""
    data = json.loads(design_json)
    return json.dumps({"$schema": SCHEMA_ID, **data}, indent=2, allow_nan=False) + "\n"


def main(argv: list[str]) -> int:
    """`--write`: write the schema file in the package; otherwise print the schema."""
    if argv == ["--write"]:
        text = schema_text()
        target = resources.files(__package__).joinpath("schema", SCHEMA_FILE)
        with open(str(target), "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The JSON config names its JSON Schema, the schema ships with the package and documents every
field and shape, and the plain Python export reads the JSON without LR Designer."""

import json
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest
from lrdesigner.export import ExportOptions, export
from lrdesigner.export.jsonschema import SCHEMA_ID, schema
from lrdesigner.schedule import designfile
from lrdesigner.schedule.design import AFTER_END
from lrdesigner.schedule.plateau import PlateauPolicy
from lrdesigner.schedule.presets import PRESETS
from lrdesigner.schedule.shapes import SHAPES


def test_the_exported_json_names_its_schema_and_loads_back():
    design = PRESETS["hf.warmup_stable_decay"].build().replace(plateau=PlateauPolicy())
    text = export(design, "json")
    data = json.loads(text)
    assert next(iter(data)) == "$schema" and data["$schema"] == SCHEMA_ID == schema()["$id"]
    assert designfile.loads(text) == design


def test_the_schema_documents_every_field_shape_and_parameter():
    s = schema()
    assert set(s["properties"]) == {"$schema", *designfile.to_dict(PRESETS["noam"].build())}
    assert s["properties"]["after_end"]["enum"] == list(AFTER_END)
    variants = {v["title"]: v for v in s["$defs"]["segment"]["oneOf"]}
    assert set(variants) == set(SHAPES)
    for name, shape in SHAPES.items():
        documented = variants[name]["properties"]["params"]["properties"]
        assert set(documented) == {p.name for p in shape.params}, name
        assert all(p["description"] for p in documented.values()), name
        assert "Formula" in variants[name]["description"] and "lr =" in variants[name]["description"], name
    assert set(s["$defs"]["plateau"]["properties"]) == set(PlateauPolicy.__dataclass_fields__)


def test_every_preset_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema())
    jsonschema.Draft202012Validator.check_schema(schema())
    for i, preset in enumerate(PRESETS.values()):
        design = preset.build()
        if i % 2:
            design = design.replace(plateau=PlateauPolicy(semantics="torch"))
        errors = [e.message for e in validator.iter_errors(json.loads(export(design, "json")))]
        assert not errors, (preset.name, errors[:3])
    broken = json.loads(export(PRESETS["noam"].build(), "json"))
    broken["segments"][0]["params"]["speed"] = 1
    assert list(validator.iter_errors(broken))


def test_the_plain_python_export_reads_the_json_without_lrdesigner(tmp_path):
    """The README's recipe, in an isolated interpreter where LR Designer cannot be imported."""
    design = PRESETS["hf.cosine"].build(num_warmup_steps=500, num_training_steps=5000)
    (tmp_path / "schedule.json").write_text(export(design, "json"), encoding="utf-8")
    # A module exported once with every shape reads any design's JSON.
    every = ExportOptions(all_shapes=True)
    (tmp_path / "lr_schedule.py").write_text(export(PRESETS["noam"].build(), "python", options=every), "utf-8")
    script = (
        "import json, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from lr_schedule import make_schedule\n"
        "with open(sys.argv[1] + '/schedule.json') as f:\n"
        "    lr_at = make_schedule(json.load(f))\n"
        "print(json.dumps([lr_at(s) for s in range(0, 6000, 7)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    np.testing.assert_array_equal(json.loads(out.stdout), design.evaluate(np.arange(0, 6000, 7)))


def test_the_schema_file_is_package_data():
    from importlib import resources

    path = resources.files("lrdesigner.export").joinpath("schema", "design-1.schema.json")
    assert json.loads(path.read_text(encoding="utf-8"))["$id"] == SCHEMA_ID


def test_the_shipped_schema_file_is_the_registry_s_schema():
    """The file is `schema()` written out: python -m lrdesigner.export.jsonschema --write."""
    from lrdesigner.export.jsonschema import schema_text

    path = resources.files("lrdesigner.export").joinpath("schema", "design-1.schema.json")
    assert path.read_text(encoding="utf-8") == schema_text()

"""A shape added through the registry alone, from a module of its own outside the package, shows
up in the export lists, the JSON Schema, the preset form and every export target."""

import importlib.util
import json
import sys
import textwrap

import numpy as np
import pytest
from lrdesigner.export import TARGETS, ExportOptions, export
from lrdesigner.export.curve import every_shape
from lrdesigner.export.jsonschema import schema
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import PRESETS
from lrdesigner.schedule.shapes import SHAPES, register, unregister

from tests.export.helpers import verify_in_process

NEEDS = {"python": "numpy", "torch": "torch", "optax": "jax", "keras": "keras", "tf-keras": "tf_keras"}

MODULE = '''
"""Smoothstep: 1 - (3c^2 - 2c^3) from the start knot to the end knot."""

import numpy as np

from lrdesigner.schedule.shapes import Param, ProfileShape, ShapePreset, Templates
from lrdesigner.schedule.shapes.profile import PHASE

ARRAY = """
def _smoothstep_wave(phase, ops, _params):
    inside = ops.minimum(ops.maximum(phase, 0.0), 1.0)
    return 1.0 - inside * inside * (3.0 - 2.0 * inside)


def _smoothstep(segment, ops):
    return _profile(segment, ops, _smoothstep_wave)
"""

KERAS = """
def _smoothstep_wave(phase, _params):
    inside = ops.where(phase > 0.0, ops.where(phase < 1.0, phase, 1.0), 0.0)
    return 1.0 - inside * inside * (3.0 - 2.0 * inside)


def smoothstep(segment, steps_in):
    return _along_wave(segment, steps_in, _smoothstep_wave)
"""


def design(total_steps, lr):
    return {"segments": [{"shape": "smoothstep", "steps": total_steps, "lr_start": lr, "lr_end": 0.0}]}


class Smoothstep(ProfileShape):
    """An S-shaped decay."""

    name, label = "smoothstep", "Smoothstep"
    wave = "g(theta) = 1 - (3 c^2 - 2 c^3), c = min(max(theta, 0), 1)."
    templates = Templates(array=ARRAY, keras=KERAS)
    params = PHASE
    presets = (
        ShapePreset(
            "example.smoothstep",
            "A smoothstep decay to 0.",
            "holds 0",
            (
                Param("total_steps", int, 1000, "Training length.", minimum=1),
                Param("lr", float, 1e-3, "Peak LR.", minimum=0.0),
            ),
            design,
        ),
    )

    def g(self, theta, seg):
        inside = np.clip(theta, 0.0, 1.0) if isinstance(theta, np.ndarray) else min(max(theta, 0.0), 1.0)
        return 1.0 - inside * inside * (3.0 - 2.0 * inside)


SHAPE = Smoothstep()
'''


@pytest.fixture
def smoothstep(tmp_path):
    """The shape module written to a folder of its own, imported, and its SHAPE registered."""
    path = tmp_path / "smoothstep_shape.py"
    path.write_text(textwrap.dedent(MODULE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("smoothstep_shape", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["smoothstep_shape"] = module
    spec.loader.exec_module(module)
    assert "smoothstep" not in SHAPES
    register(module.SHAPE)
    yield module.SHAPE
    unregister("smoothstep")
    PRESETS.pop("example.smoothstep", None)
    sys.modules.pop("smoothstep_shape", None)


def _design():
    return PRESETS["example.smoothstep"].build(total_steps=1200, lr=2e-3)


def test_the_shape_evaluates_as_its_formula(smoothstep):
    design = _design()
    steps = np.arange(1300)
    c = np.minimum(steps / 1200, 1.0)
    np.testing.assert_allclose(
        design.evaluate(steps), 2e-3 * (1 - (3 * c**2 - 2 * c**3)), rtol=1e-12, atol=1e-18
    )


def test_export_lists_and_the_schema_have_it(smoothstep):
    assert "smoothstep" in every_shape()
    for target in ("python", "torch", "optax"):
        assert "def _smoothstep(" in export(_design(), target, options=ExportOptions(all_shapes=True))
    for target in ("keras", "tf-keras"):
        assert "def smoothstep(" in export(_design(), target, options=ExportOptions(all_shapes=True))
    s = schema()
    assert "smoothstep" in s["$defs"]["segment"]["properties"]["shape"]["enum"]
    variant = {v["title"]: v for v in s["$defs"]["segment"]["oneOf"]}["smoothstep"]
    assert set(variant["properties"]["params"]["properties"]) == {"phase_start", "phase_end"}
    assert variant["description"].startswith("An S-shaped decay. Formula")
    jsonschema = pytest.importorskip("jsonschema")
    assert not list(jsonschema.Draft202012Validator(s).iter_errors(json.loads(export(_design(), "json"))))


def test_the_preset_form_offers_it(smoothstep, qtbot):
    from lrdesigner.ui.dialogs.preset import PresetDialog

    dialog = PresetDialog(None, "example.smoothstep")
    qtbot.addWidget(dialog)
    names = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
    assert "example.smoothstep" in names
    assert list(dialog.editors) == ["total_steps", "lr"]
    dialog.editors["total_steps"].setValue(1200)
    dialog.editors["lr"].setText("2e-3")
    dialog.try_accept()
    assert dialog.design is not None and dialog.design.segments[0].shape == "smoothstep"
    assert dialog.design.segments == _design().segments


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_target_exports_it(smoothstep, tmp_path, target):
    design = _design()
    if target == "json":
        assert designfile.loads(export(design, "json")) == design
        return
    pytest.importorskip(NEEDS[target])
    report = verify_in_process(tmp_path, design, target, n=100)
    if target in ("python", "torch"):
        assert all(c.max_abs == 0.0 for c in report.checks)


def test_an_unregistered_shape_is_gone(smoothstep):
    unregister("smoothstep")
    assert "smoothstep" not in SHAPES and "smoothstep" not in every_shape()
    assert "smoothstep" not in schema()["$defs"]["segment"]["properties"]["shape"]["enum"]

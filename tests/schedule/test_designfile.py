"""Design files: exact round trip, strict validation, atomic writes, no code execution."""

import json

import pytest
from hypothesis import given, settings
from lrdesigner.schedule import DesignError, designfile
from lrdesigner.schedule.plateau import PlateauPolicy
from lrdesigner.schedule.presets import PRESETS

from tests.schedule.strategies import designs


@given(designs())
@settings(max_examples=100, deadline=None)
def test_round_trip_is_exact(design):
    assert designfile.loads(designfile.dumps(design)) == design


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_round_trips_through_a_file(tmp_path, name):
    d = PRESETS[name].build()
    d = d.replace(plateau=PlateauPolicy(semantics="torch", patience=3))
    path = tmp_path / "d.json"
    designfile.save(d, path)
    assert designfile.load(path) == d
    assert [p.name for p in tmp_path.iterdir()] == ["d.json"]  # no temp file left behind


def _doc(**changes):
    doc = {
        "format": "lrdesigner.design",
        "version": 1,
        "name": "x",
        "segments": [{"shape": "linear", "steps": 10, "lr_start": 0.0, "lr_end": 1e-3}],
    }
    doc.update(changes)
    return json.dumps(doc)


@pytest.mark.parametrize(
    "text,place,problem",
    [
        ("{", "d.json", "not valid JSON"),
        ("[1]", "$", "expected a JSON object"),
        (_doc(version=2), "$.version", "unsupported version 2"),
        (_doc(format="other"), "$.format", "format"),
        (_doc(segments=[]), "$.segments", "non-empty"),
        (_doc(segments=[{"shape": "linear", "steps": 0, "lr_start": 0.0}]), "$.segments[0].steps", ">= 1"),
        (
            _doc(segments=[{"shape": "cosine", "steps": 5, "lr_start": 1.0, "params": {"exponent": "x"}}]),
            "$.segments[0].params.exponent",
            "expected a number",
        ),
        (
            _doc(segments=[{"shape": "spline", "steps": 5, "lr_start": 1.0}]),
            "$.segments[0].shape",
            "unknown shape",
        ),
        (_doc(extra=1), "$", "unknown key"),
        (_doc(after_end="loop"), "$.after_end", "must be one of"),
        (_doc(plateau={"factor": 2.0}), "$.plateau.factor", "[0, 1)"),
        ('{"format": "lrdesigner.design", "version": 1, "x": NaN}', "d.json", "NaN is not allowed"),
    ],
)
def test_bad_files_name_the_place_and_the_problem(text, place, problem):
    with pytest.raises(DesignError) as err:
        designfile.loads(text, "d.json")
    assert place in str(err.value) and problem in str(err.value)


def test_loading_never_runs_code(tmp_path):
    marker = tmp_path / "pwned"
    hostile = _doc(
        name=f"__import__('os').system('touch {marker}')", description='"""; import os; os.system("x")'
    )
    d = designfile.loads(hostile)
    assert d.name.startswith("__import__") and not marker.exists()

"""REX (Chen, Wolfe and Kyrillidis 2022): the shape follows the paper's formula at every step, the
preset follows pytorch_optimizer's REXScheduler, and every export target reproduces it in its
real framework."""

import json

import numpy as np
import pytest
from lrdesigner.export import TARGETS, export
from lrdesigner.export.jsonschema import schema
from lrdesigner.schedule import designfile
from lrdesigner.schedule.design import Design
from lrdesigner.schedule.metrics import metrics
from lrdesigner.schedule.presets import PRESETS
from lrdesigner.schedule.segment import Segment

from tests.conftest import assert_schedule_close, stepped_lrs
from tests.export.helpers import verify_in_process

#: The framework each target's check imports (the plain-Python target needs only NumPy).
NEEDS = {"python": "numpy", "torch": "torch", "optax": "jax", "keras": "keras", "tf-keras": "tf_keras"}


def paper(t, total, lr0, lr_end=0.0):
    """The paper's profile, written from its definition: lr0 * (1 - z) / (0.5 + 0.5 * (1 - z))."""
    z = np.asarray(t, dtype=np.float64) / total
    return lr_end + (lr0 - lr_end) * (1.0 - z) / (0.5 + 0.5 * (1.0 - z))


def rex_design(total=10_000, lr0=3e-4, lr_end=0.0, after_end="hold"):
    return Design((Segment.create("rex", total, lr0, lr_end),), after_end=after_end)


@pytest.mark.parametrize("total", [1, 2, 3, 7, 1000, 123_457])
def test_the_shape_is_the_papers_formula_at_every_step(total):
    steps = np.arange(total + 1)
    design = rex_design(total, 3e-4)
    assert_schedule_close(steps, design.evaluate(steps), paper(steps, total, 3e-4), 1e-14, "rex")
    assert design.lr_at(0) == 3e-4 and design.lr_at(total) == 0.0
    # The scalar path agrees with the array path.
    picks = np.unique(np.linspace(0, total, 50).astype(np.int64))
    np.testing.assert_allclose([design.lr_at(int(s)) for s in picks], design.evaluate(picks), rtol=1e-15)


def test_between_two_knots_and_past_the_end():
    steps = np.arange(0, 5001)
    design = rex_design(4000, 1e-3, 1e-5, after_end="continue")
    expected = np.where(steps <= 4000, paper(np.minimum(steps, 4000), 4000, 1e-3, 1e-5), 1e-5)
    assert_schedule_close(steps, design.evaluate(steps), expected, 1e-14, "rex with a floor, continued")
    # Halfway the paper's profile is 2/3 of the way up: above linear (1/2) and cosine (1/2).
    assert design.lr_at(2000) == pytest.approx(1e-5 + (1e-3 - 1e-5) * 2 / 3, rel=1e-14)


def test_area_has_its_closed_form():
    design = rex_design(100_000, 1.0)
    brute = float(np.sum(paper(np.arange(100_000), 100_000, 1.0)))
    assert metrics(design).lr_area == pytest.approx(brute, rel=1e-9)


def test_a_cut_piece_continues_the_same_curve():
    from lrdesigner.schedule.compose import window

    seg = Segment.create("rex", 1000, 2e-3, 1e-4)
    part = window(seg, 300, 500)
    u = np.arange(500)
    np.testing.assert_allclose(part.kind.values(u, part), seg.kind.values(u + 300, seg), rtol=1e-12, atol=0)


def test_the_design_file_and_schema_know_it():
    design = rex_design(5000, 5e-4)
    assert designfile.loads(designfile.dumps(design)) == design
    variants = {v["title"]: v for v in schema()["$defs"]["segment"]["oneOf"]}
    assert "rex" in variants and "(1 - c) / (0.5 + 0.5 * (1 - c))" in variants["rex"]["description"]
    jsonschema = pytest.importorskip("jsonschema")
    errors = list(jsonschema.Draft202012Validator(schema()).iter_errors(json.loads(export(design, "json"))))
    assert not errors


def test_the_preset_is_pytorch_optimizers_rex_scheduler():
    """pytorch_optimizer 4.1.0: update 0 runs at min_lr, update n at the formula, min_lr from
    total_steps on."""
    preset = PRESETS["pytorch_optimizer.REXScheduler"]
    args = {"total_steps": 500, "max_lr": 2e-3, "min_lr": 1e-5}
    design = preset.build(**args)
    steps = np.arange(520)
    formula = np.where(steps < 500, paper(np.minimum(steps, 500), 500, 2e-3, 1e-5), 1e-5)
    formula[0] = 1e-5
    assert_schedule_close(steps, design.evaluate(steps), formula, 1e-14, "preset vs its formula")
    pytest.importorskip("torch")
    rex = pytest.importorskip("pytorch_optimizer").REXScheduler
    ref = stepped_lrs(lambda opt: rex(opt, total_steps=500, max_lr=2e-3, min_lr=1e-5), 2e-3, 519)
    assert_schedule_close(steps, design.evaluate(steps), ref, 1e-12, "pytorch_optimizer.REXScheduler")


@pytest.mark.parametrize("target", [t for t in TARGETS if t != "json"])
def test_every_target_reproduces_rex_in_its_framework(tmp_path, target):
    pytest.importorskip(NEEDS[target])
    designs = [
        rex_design(3000, 5e-4),
        Design(
            (Segment.create("linear", 200, 0.0, 1e-3), Segment.create("rex", 2800, 1e-3, 2e-5)),
            after_end="continue",
        ),
        PRESETS["pytorch_optimizer.REXScheduler"].build(total_steps=2500, max_lr=1e-3, min_lr=1e-6),
    ]
    for design in designs:
        report = verify_in_process(tmp_path, design, target, n=200)
        if target in ("python", "torch"):
            assert all(c.max_abs == 0.0 for c in report.checks)  # the design's float64 values exactly


def test_the_json_target_round_trips_it():
    design = PRESETS["pytorch_optimizer.REXScheduler"].build(total_steps=2500, max_lr=1e-3)
    assert designfile.loads(export(design, "json")) == design

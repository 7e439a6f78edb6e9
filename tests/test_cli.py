"""The command line as a user runs it: a real subprocess, real files."""

import json
import subprocess
import sys

import numpy as np
import pytest
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset


def run(*args, stdin=None):
    p = subprocess.run(
        [sys.executable, "-m", "lrdesigner.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return p.returncode, p.stdout, p.stderr


def test_version():
    rc, out, _ = run("--version")
    assert rc == 0 and out.startswith("lrdesigner ")


def test_preset_list_shows_every_preset_with_defaults():
    rc, out, _ = run("preset", "--list")
    assert rc == 0
    for name in (
        "noam",
        "keras.CosineDecay",
        "torch.OneCycleLR",
        "hf.warmup_stable_decay",
        "optax.exponential_decay",
        "timm.cosine",
    ):
        assert f"\n{name}\n" in "\n" + out
    assert "--set warmup_steps=4000" in out


def test_preset_then_eval_round_trip(tmp_path):
    path = tmp_path / "noam.json"
    rc, _, err = run(
        "preset",
        "noam",
        "--set",
        "warmup_steps=100",
        "--set",
        "total_steps=1000",
        "--name",
        "my noam",
        "-o",
        str(path),
    )
    assert rc == 0, err
    d = designfile.load(path)
    assert d.name == "my noam" and d.total_steps == 1000
    rc, out, _ = run("eval", str(path), "--range", "0:1000:7")
    lines = out.splitlines()
    assert lines[0] == "step,lr"
    steps = np.array([int(r.split(",")[0]) for r in lines[1:]])
    lrs = np.array([float(r.split(",")[1]) for r in lines[1:]])
    np.testing.assert_array_equal(steps, np.arange(0, 1000, 7))
    np.testing.assert_array_equal(lrs, d.evaluate(steps))  # repr keeps full precision


def test_eval_json_from_stdin():
    text = designfile.dumps(get_preset("constant").build(lr=0.5, total_steps=10))
    rc, out, _ = run("eval", "-", "--steps", "0,9,100", "--format", "json", stdin=text)
    assert rc == 0 and json.loads(out) == {"steps": [0, 9, 100], "lr": [0.5, 0.5, 0.5]}


def test_preset_values_parse_as_json_lists_and_bools(tmp_path):
    path = tmp_path / "p.json"
    rc, _, err = run(
        "preset",
        "keras.PiecewiseConstantDecay",
        "--set",
        "boundaries=[10,20]",
        "--set",
        "values=[0.1,0.01,0.001]",
        "--set",
        "total_steps=30",
        "-o",
        str(path),
    )
    assert rc == 0, err
    d = designfile.load(path)
    assert [d.lr_at(s) for s in (10, 11, 20, 21)] == [0.1, 0.01, 0.01, 0.001]


@pytest.mark.parametrize(
    "args,message",
    [
        (("preset", "noma"), "unknown preset 'noma'; did you mean noam"),
        (("preset", "noam", "--set", "d_model=wide"), "noam.d_model: expected a number"),
        (("preset", "noam", "--set", "depth=3"), "unknown parameter(s) depth"),
        (("eval", "missing.json", "--steps", "1"), "missing.json: No such file"),
        (("eval", "-", "--range", "5"), "--range: expected START:STOP"),
    ],
)
def test_errors_are_one_clear_line_and_exit_2(args, message):
    rc, out, err = run(*args, stdin="")
    assert rc == 2 and message in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_check_exit_codes(tmp_path):
    good = tmp_path / "good.json"
    designfile.save(get_preset("noam").build(), good)
    rc, out, _ = run("check", str(good))
    assert rc == 0 and "[zero-start]" in out and "[warmup-short]" in out
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "lrdesigner.design", "version": 1, "segments": [{"shape": "linear", '
        '"steps": 10, "lr_start": -1}]}'
    )
    rc, _, err = run("check", str(bad))
    assert rc == 2 and "$.segments[0].lr_start" in err


def test_plateau_on_a_constant_design_matches_keras_semantics(tmp_path):
    path = tmp_path / "c.json"
    designfile.save(get_preset("constant").build(lr=0.1, total_steps=10_000), path)
    metric = tmp_path / "m.txt"
    metric.write_text("\n".join(["1.0", "0.9"] + ["0.95"] * 6) + "\n")
    rc, out, err = run(
        "plateau",
        str(path),
        "--metric",
        str(metric),
        "--every",
        "100",
        "--patience",
        "2",
        "--factor",
        "0.5",
        "--min-lr",
        "0.03",
    )
    assert rc == 0, err
    rows = [r.split(",") for r in out.splitlines()[1:]]
    assert out.splitlines()[0] == "epoch,step,metric,multiplier,lr"
    lrs = [float(r[4]) for r in rows]
    f32 = lambda x: float(np.float32(x))  # noqa: E731  (Keras keeps the LR in a float32 variable)
    assert lrs == [f32(0.1)] * 3 + [f32(f32(0.1) * 0.5)] * 2 + [f32(0.03)] * 3
    assert [int(r[1]) for r in rows] == list(range(100, 900, 100))

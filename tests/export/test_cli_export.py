"""`lrdesigner export` and `lrdesigner verify` as a user runs them."""

import json
import os
import runpy
import subprocess
import sys

import numpy as np
import pytest
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset


def run(*args, env=None, cwd=None):
    p = subprocess.run(
        [sys.executable, "-m", "lrdesigner.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def wsd(tmp_path):
    path = tmp_path / "wsd.json"
    design = get_preset("hf.warmup_stable_decay").build(
        num_training_steps=30000, num_warmup_steps=1000, num_decay_steps=6000, decay_type="1-sqrt"
    )
    designfile.save(design.replace(name="WSD run 7"), path)
    return path, design


def test_export_python_to_a_file_reproduces_the_design(tmp_path, wsd):
    path, design = wsd
    out = tmp_path / "schedule.py"
    rc, _, err = run("export", str(path), "--target", "python", "-o", str(out))
    assert rc == 0, err
    lr_at = runpy.run_path(str(out))["make_schedule"]()
    steps = range(0, 31000, 37)
    assert [lr_at(s) for s in steps] == [design.lr_at(s) for s in steps]


def test_export_json_is_the_design_file(wsd):
    path, design = wsd
    rc, out, _ = run("export", str(path), "--target", "json")
    assert rc == 0 and designfile.loads(out) == design.replace(name="WSD run 7")


def test_export_class_name(wsd):
    path, _ = wsd
    rc, out, _ = run("export", str(path), "--target", "torch", "--class-name", "WSDScheduler")
    assert rc == 0 and "class WSDScheduler(LRScheduler):" in out
    rc, out, err = run("export", str(path), "--target", "keras", "--class-name", "not valid")
    assert rc == 2 and out == ""
    assert err.strip() == (
        "lrdesigner export: error: --class-name: 'not valid' is not a valid Python "
        "identifier (letters, digits and _, not a keyword, not starting with a digit)"
    )


def test_export_bad_design_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "lrdesigner.design", "version": 1, "segments": [{"shape": "cosine"}]}')
    rc, out, err = run("export", str(bad), "--target", "keras")
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert str(bad) in err and "segments[0]" in err


@pytest.mark.parametrize("target", ["python", "torch", "keras", "optax"])
def test_verify_passes(wsd, target):
    pytest.importorskip({"python": "numpy", "torch": "torch", "keras": "keras", "optax": "jax"}[target])
    path, _ = wsd
    rc, out, err = run("verify", str(path), "--target", target, "--steps", "300")
    assert rc == 0, out + err
    assert out.startswith(f"WSD run 7: {target} (")
    assert "FAIL" not in out and " ok" in out


def test_verify_reports_a_wrong_export_with_exit_1(wsd, monkeypatch, capsys):
    from lrdesigner import cli
    from lrdesigner.export import verify as verify_module

    path, _ = wsd
    real = verify_module.export

    def off_by_one(design, target, class_name=None, options=None):  # switches one step late
        return real(design, target, class_name, options).replace('"steps": 1000,', '"steps": 1001,', 1)

    monkeypatch.setattr(verify_module, "export", off_by_one)
    rc = cli.main(["verify", str(path), "--target", "python", "--steps", "50"])
    out = capsys.readouterr().out
    assert rc == 1 and "FAIL" in out


def test_verify_without_the_framework_exits_3(tmp_path, wsd):
    path, _ = wsd
    blocker = tmp_path / "blocked"
    (blocker / "jax").mkdir(parents=True)
    (blocker / "jax" / "__init__.py").write_text("raise ImportError('No module named jax')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker), *sys.path])}
    rc, out, err = run("verify", str(path), "--target", "optax", env=env)
    assert rc == 3 and out == ""
    assert err.strip() == "lrdesigner verify: optax: the framework is not installed here (No module named jax)"


def test_verify_checks_the_documented_steps(wsd):
    from lrdesigner.export.verify import sample_steps

    _, design = wsd
    steps = set(sample_steps(design, 100))
    for s in (
        0,
        999,
        1000,
        1001,
        design.total_steps - 1,
        design.total_steps,
        design.total_steps + 1,
        2**24 + 1,
        2**31 - 1,
    ):
        assert s in steps
    assert len(steps) > 100
    assert np.all(np.diff(sorted(steps)) > 0)


def run_driver_by_path(job, env=None):
    """Run a verify job as the export window does: the driver by file path, isolated (-I: no
    PYTHONPATH, no user site), so nothing of LR Designer is importable."""
    proc = subprocess.run(
        [sys.executable, "-I", *job.argv], capture_output=True, text=True, timeout=300, env=env
    )
    return proc


@pytest.mark.parametrize("target", ["python", "torch"])
def test_driver_runs_by_file_path_without_lrdesigner(tmp_path, wsd, target):
    pytest.importorskip({"python": "numpy", "torch": "torch"}[target])
    from lrdesigner.export.verify import finish, prepare

    _, design = wsd
    job = prepare(design, target, str(tmp_path), n=100)
    proc = run_driver_by_path(job)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["status"] == "ok"
    outcome = finish(job, proc.returncode, proc.stdout, proc.stderr)
    assert outcome.verdict == "pass"
    assert outcome.steps_checked >= 100 and outcome.largest_error == 0.0
    assert set(outcome.as_dict()) == {"verdict", "steps_checked", "largest_error", "message"}


def test_driver_reports_a_design_edited_after_export(tmp_path, wsd):
    from lrdesigner.export.verify import finish, prepare

    _, design = wsd
    job = prepare(design, "python", str(tmp_path), n=100)
    edited = design.replace(
        segments=(design.segments[0].replace(lr_end=design.segments[0].lr_end * 1.01), *design.segments[1:])
    )
    proc = run_driver_by_path(job)
    outcome = finish(
        type(job)(edited, job.target, job.steps, job.argv), proc.returncode, proc.stdout, proc.stderr
    )
    assert outcome.verdict == "fail" and outcome.largest_error > 1e-3


def test_driver_says_framework_not_installed(tmp_path, wsd):
    from lrdesigner.export.verify import finish, prepare

    _, design = wsd
    job = prepare(design, "optax", str(tmp_path), n=10)
    blocker = tmp_path / "blocked"
    (blocker / "jax").mkdir(parents=True)
    (blocker / "jax" / "__init__.py").write_text("raise ImportError('No module named jax')\n")
    # -I ignores PYTHONPATH: put the blocker first on the path through the driver's own folder instead.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, runpy; sys.path.insert(0, sys.argv[1]); "
            "sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')",
            str(blocker),
            *job.argv,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3
    assert json.loads(proc.stdout.strip().splitlines()[-1])["status"] == "framework-missing"
    outcome = finish(job, proc.returncode, proc.stdout, proc.stderr)
    assert outcome.verdict == "framework not installed"
    assert outcome.message == "optax: the framework is not installed here (No module named jax)"


def test_export_options_from_the_command_line(tmp_path, wsd):
    path, _ = wsd
    out = tmp_path / "train_schedule.py"
    rc, _, err = run("export", str(path), "--target", "keras", "-o", str(out), "--all-shapes", "--float32")
    assert rc == 0, err
    text = out.read_text()
    assert "from train_schedule import make_schedule" in text
    assert "def cyclic(segment, steps_in)" in text and 'compute_dtype="float32"' in text


def test_verify_json_for_programs(wsd):
    path, _ = wsd
    rc, out, err = run("verify", str(path), "--target", "python", "--steps", "50", "--json")
    assert rc == 0, err
    result = json.loads(out)
    assert result["verdict"] == "pass" and result["steps_checked"] > 50 and result["largest_error"] == 0.0

"""An export target is one registration: a toy target registered from a test, with its own
renderer and runner script, is a command-line choice and is verified like the built-in ones."""

import textwrap

import pytest
from lrdesigner import cli
from lrdesigner.export import TARGETS, export
from lrdesigner.export.driver import FrameworkMissing
from lrdesigner.export.targets import TARGETS as REGISTRY
from lrdesigner.export.targets import Target, register
from lrdesigner.export.verify import prepare, verifiable, verify
from lrdesigner.schedule import designfile
from lrdesigner.schedule.presets import get_preset

RUNNER = """
def require():
    {require}


def run(module, steps, walk):
    lr_at = module.make_schedule()
    return "toy 1.0", {{"lr_at": [lr_at(s) for s in steps]}}
"""


def render_toy(design, options, class_name, module):
    from lrdesigner.export.python_target import render

    return render(design, module=module)


@pytest.fixture
def toy_target(tmp_path):
    def add(require="pass"):
        runner = tmp_path / "toy_runner.py"
        runner.write_text(textwrap.dedent(RUNNER.format(require=require)))
        register(Target("toy", "Toy schedule", render_toy, driver=str(runner), exact=True))
        return str(runner)

    yield add
    REGISTRY.pop("toy", None)


@pytest.fixture
def design():
    return get_preset("hf.cosine").build(num_training_steps=2000, num_warmup_steps=100)


def test_a_registered_target_is_a_command_line_choice_and_is_verified(tmp_path, toy_target, design, capsys):
    runner = toy_target()
    assert "toy" in TARGETS and "toy" in verifiable()
    parser = cli.build_parser()
    assert parser.parse_args(["export", "d.json", "--target", "toy"]).target == "toy"
    assert parser.parse_args(["verify", "d.json", "--target", "toy"]).target == "toy"

    assert "def make_schedule" in export(design, "toy")
    job = prepare(design, "toy", str(tmp_path), n=50)
    assert job.argv[1] == runner and job.argv[-1] == "toy"

    report = verify(design, "toy", n=200)
    assert report.ok and report.exact and report.version == "toy 1.0"
    assert [c.name for c in report.checks] == ["lr_at"] and report.checks[0].count > 100

    path = tmp_path / "design.json"
    designfile.save(design, path)
    assert cli.main(["verify", str(path), "--target", "toy", "--steps", "50"]) == 0
    assert "toy (toy 1.0)" in capsys.readouterr().out


def test_a_registered_target_without_its_framework_says_so(toy_target, design):
    toy_target(require="raise ImportError('No module named toyframework')")
    with pytest.raises(FrameworkMissing, match="toy: the framework is not installed here"):
        verify(design, "toy", n=20)


def test_a_target_without_a_runner_is_not_verifiable(toy_target):
    register(Target("toy", "Toy schedule", render_toy))
    assert "toy" in TARGETS and "toy" not in verifiable()
    parser = cli.build_parser()
    assert parser.parse_args(["export", "d.json", "--target", "toy"]).target == "toy"
    with pytest.raises(SystemExit):
        parser.parse_args(["verify", "d.json", "--target", "toy"])

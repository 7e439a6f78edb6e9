"""Text in a design is data: hostile strings cannot change what an exported module does."""

import ast
import shutil
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lrdesigner.export import TARGETS, export
from lrdesigner.schedule import Design, Segment, designfile
from lrdesigner.schedule.errors import DesignError

from tests.export.helpers import write_export

HOSTILE = [
    '"""',
    "'''",
    "\\",
    '\\"""',
    "\n",
    "\r\n",
    "\x00",
    "\x0c",
    "\u2028",
    "\u0085",
    "__import__('os').system('touch PWNED')",
    '"); import os; os.system("touch PWNED"); ("',
    '"""\nimport os\nos.system("touch PWNED")\n"""',
    "{DESIGN}",
    "{}",
    "%s",
    "# comment\n",
    "\N{RIGHT-TO-LEFT OVERRIDE}",
    "ünïcödé 名前 🚀",
    "\\N{BULLET}",
    "\\x41",
    "\t",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join), st.text(max_size=30)
)

DEFINED = {
    "python": {"DESIGN", "make_schedule", "make_numpy_schedule"},
    "torch": {"DESIGN", "make_schedule", "DesignedScheduler"},
    "optax": {"DESIGN", "make_schedule"},
    "keras": {"DESIGN", "SHAPES", "DesignedSchedule", "make_schedule"},
    "tf-keras": {"DESIGN", "SHAPES", "DesignedSchedule", "make_schedule"},
}
SHAPE_FUNCTIONS = {
    "constant",
    "linear",
    "cosine",
    "polynomial",
    "one_minus_sqrt",
    "sqrt_warmup",
    "exponential",
    "staircase",
    "inverse_power",
    "cyclic",
    "cosine_restarts",
}


def top_level_names(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Try):  # the tf-keras import fallback
            names.update(top_level_names(ast.Module(body=node.body, type_ignores=[])))
        elif isinstance(node, ast.If):  # Keras 3: functions from the backend's array library
            assert ast.unparse(node.test).startswith("keras.backend.backend() =="), ast.unparse(node.test)
            for branch in (node.body, node.orelse):
                names.update(top_level_names(ast.Module(body=branch, type_ignores=[])))
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            names.update(t.id for t in node.targets[0].elts)
        elif isinstance(node, ast.Expr) and ast.unparse(node).startswith(
            "keras.utils.get_custom_objects().setdefault("
        ):
            pass  # tf-keras: the legacy H5 alias of the class
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            raise AssertionError(f"unexpected top-level statement: {ast.dump(node)[:200]}")
    return names


def design_with(name, description):
    segs = (Segment.create("linear", 10, 0.0, 1e-3), Segment.create("cosine", 90, 1e-3, 1e-5))
    return Design(segs, name=name, description=description)


@pytest.mark.parametrize("target", [t for t in TARGETS if t != "json"])
@given(name=hostile_text, description=hostile_text)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_hostile_text_stays_data(tmp_path, target, name, description):
    design = design_with(name, description)
    source = export(design, target)
    tree = ast.parse(source)
    names = top_level_names(tree)
    assert DEFINED[target] <= names
    public = {n for n in names if not n.startswith("_")}
    allowed = (
        DEFINED[target]
        | SHAPE_FUNCTIONS
        | {
            "math",
            "bisect",
            "operator",
            "struct",
            "warnings",
            "SimpleNamespace",
            "keras",
            "ops",
            "tf",
            "jax",
            "jnp",
            "LRScheduler",
            "PLATEAU",
            "Plateau",
            "cos",
            "floor",
        }
    )
    extra = {n for n in public - allowed if not n.endswith(("Schedule", "PlateauCallback"))}
    assert not extra, extra
    # The embedded data holds the exact strings.
    data = next(
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "DESIGN"
    )
    assert data["name"] == name and data["description"] == description
    # The docstring is one literal: nothing a name contains can close it.
    doc = ast.get_docstring(tree)
    assert doc is not None and doc.startswith("Learning-rate schedule")


@given(name=hostile_text, description=hostile_text)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_hostile_python_export_runs_without_side_effects(tmp_path, name, description):
    design = design_with(name, description)
    path, _ = write_export(tmp_path, design, "python")
    run_dir = tmp_path / "run"
    run_dir.mkdir(exist_ok=True)
    script = (
        f"import runpy; ns = runpy.run_path({str(path)!r}); f = ns['make_schedule'](); "
        "print(repr([f(s) for s in (0, 5, 10, 50, 99, 100, 1000)]))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=run_dir, check=True
    )
    assert list(run_dir.iterdir()) == []  # no file appeared
    assert eval(out.stdout) == [design.lr_at(s) for s in (0, 5, 10, 50, 99, 100, 1000)]  # noqa: S307 - our own repr
    back = designfile.loads(export(design, "json"))
    assert back == design


@pytest.mark.parametrize("bad", ["1abc", "class", "my-schedule", "a b", "", "__init__", "match", "x\n"])
def test_invalid_class_names_are_refused(bad):
    with pytest.raises(DesignError, match="not a valid Python identifier"):
        export(design_with("ok", ""), "keras", class_name=bad)


@pytest.mark.parametrize(
    "target, expected",
    [("keras", "DesignedSchedule"), ("tf-keras", "DesignedSchedule"), ("torch", "DesignedScheduler")],
)
def test_class_names_never_follow_the_design_name(target, expected):
    first = export(design_with("warmup + cosine", ""), target)
    renamed = export(design_with("run 7 (longer warmup)", "edited"), target)
    for source in (first, renamed):
        assert f"class {expected}(" in source
        assert "class WarmupCosine" not in source and "Run7" not in source
    chosen = export(design_with("anything", ""), target, class_name="MyLR")
    assert "class MyLR(" in chosen and f"class {expected}(" not in chosen


@pytest.mark.parametrize(
    "text, problem",
    [
        ("MySchedule", None),
        ("", "Enter a class name."),
        ("1abc", "A class name cannot start with a digit."),
        ("my-schedule", "Use only letters, digits and _ (no spaces or other signs)."),
        ("a b", "Use only letters, digits and _ (no spaces or other signs)."),
        ("class", "'class' is a Python keyword."),
        ("match", "'match' is a Python keyword."),
        ("__init__", "A class name cannot start with two underscores."),
    ],
)
def test_live_class_name_validation_speaks_plainly(text, problem):
    from lrdesigner.export import class_name_problem

    assert class_name_problem(text, "keras") == problem
    assert class_name_problem(text, "json") is None  # no class to name


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the dev extra")
@pytest.mark.parametrize("target", [t for t in TARGETS if t != "json"])
def test_generated_code_is_ruff_clean_and_formatted(tmp_path, target):
    from lrdesigner.export import ExportOptions
    from lrdesigner.schedule.defaults import default_design
    from lrdesigner.schedule.plateau import PlateauPolicy
    from lrdesigner.schedule.presets import PRESETS

    paths = []
    designs = [default_design()] + [preset.build() for preset in PRESETS.values()]
    for i, design in enumerate(designs):
        for policy in (None, PlateauPolicy(semantics=("keras", "tf.keras", "torch")[i % 3])):
            paths.append(str(write_export(tmp_path, design.replace(plateau=policy), target)[0]))
    every_shape = ExportOptions(all_shapes=True, float32=True, module_name="train_schedule")
    path = tmp_path / "every_shape.py"
    path.write_text(export(designs[0].replace(plateau=PlateauPolicy()), target, options=every_shape))
    paths.append(str(path))
    check = subprocess.run(
        ["ruff", "check", "--isolated", "--select", "E,F,W,B,I,ARG,UP,SIM", *paths],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run(["ruff", "format", "--isolated", "--check", *paths], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:] + fmt.stderr[-2000:]


def test_numpy_variant_matches_evaluate(tmp_path):
    from lrdesigner.export.driver import load_module
    from lrdesigner.schedule.presets import PRESETS

    for preset in PRESETS.values():
        design = preset.build()
        path, name = write_export(tmp_path, design, "python")
        lr = load_module(str(path), name).make_numpy_schedule()
        steps = np.unique(np.concatenate([np.arange(0, design.total_steps + 50, 97), np.array(design.starts)]))
        np.testing.assert_array_equal(lr(steps), design.evaluate(steps), err_msg=preset.name)


def test_usage_lines_name_the_saved_module_and_one_optimizer(tmp_path):
    from lrdesigner.export import ExportOptions, module_name_for
    from lrdesigner.schedule.defaults import default_design
    from lrdesigner.schedule.plateau import PlateauPolicy

    design = default_design().replace(plateau=PlateauPolicy(semantics="torch"))
    module = module_name_for(tmp_path / "train_schedule.py")
    assert module == "train_schedule" and module_name_for("my-schedule.py") == "lr_schedule"
    for target in ("keras", "tf-keras", "torch", "optax", "python"):
        source = export(design, target, options=ExportOptions(module_name=module))
        assert "from train_schedule import " in source, target
        words = source.replace("(", " ").replace("`", " ").split()
        optimizers = {word for word in words if word.endswith(("Adam", "AdamW", "adamw"))}
        one_optimizer = {"keras.optimizers.AdamW", "torch.optim.AdamW", "optax.adamw"}
        assert optimizers <= one_optimizer, (target, optimizers)
    assert "Keras" not in export(design, "torch")


def test_the_default_keras_export_is_short_and_reads_only_what_it_uses():
    from lrdesigner.schedule.defaults import default_design

    source = export(default_design(), "keras")
    assert len(source.splitlines()) <= 105
    # A design that neither bends nor splits its cosine exports none of that arithmetic.
    for unused in ("k_decay", "exponent", "phase_start", "_along_wave", "steps_per_epoch"):
        assert unused not in source, unused
    assert "lambda" not in source


@pytest.mark.parametrize("target", ["keras", "tf-keras", "torch", "optax", "python"])
def test_exports_use_names_a_reader_can_follow(target):
    import ast

    from lrdesigner.export import ExportOptions
    from lrdesigner.schedule.defaults import default_design

    source = export(default_design(), target, options=ExportOptions(all_shapes=True))
    tree = ast.parse(source)
    # `{k: v for k, v in ...}` is the idiom; names a reader must carry are what count.
    idiom = {
        id(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.comprehension)
        for name in ast.walk(node.target)
    }
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in idiom:
            names.add(node.id)
    cryptic = {name for name in names if len(name.lstrip("_")) == 1 or name in {"seg", "lo", "frac"}}
    assert not cryptic, sorted(cryptic)

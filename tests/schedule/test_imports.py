"""The schedule core's import structure: no frameworks, nothing else of the package, no circles."""

import ast
import pathlib
import subprocess
import sys

import lrdesigner.schedule

ROOT = pathlib.Path(lrdesigner.schedule.__file__).parent

CODE = """
import json, sys, tempfile, zipfile, os
class Block:
    def find_spec(self, name, path=None, target=None):
        top = name.split('.')[0]
        if top in ('PySide6', 'pyqtgraph', 'tensorflow', 'keras', 'tf_keras', 'torch', 'jax', 'optax',
                   'transformers', 'timm') or name.split('.')[:2] in (['lrdesigner', 'ui'],
                   ['lrdesigner', 'logs'], ['lrdesigner', 'export'], ['lrdesigner', 'cli']):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import lrdesigner.schedule, lrdesigner.schedule.presets, lrdesigner.schedule.compose
import lrdesigner.schedule.compare, lrdesigner.schedule.edits, lrdesigner.schedule.runconfig
from lrdesigner.schedule.runconfig import load_run_schedule
d = tempfile.mkdtemp()
path = os.path.join(d, 'model.keras')
opt = {'class_name': 'Adam', 'config': {'learning_rate': {'module': 'keras.optimizers.schedules',
       'class_name': 'ExponentialDecay', 'config': {'initial_learning_rate': 0.1, 'decay_steps': 10,
       'decay_rate': 0.5, 'staircase': True, 'name': 'e'}, 'registered_name': None}}}
with zipfile.ZipFile(path, 'w') as z:
    z.writestr('config.json', json.dumps({'class_name': 'Sequential', 'compile_config': {'optimizer': opt}}))
run = load_run_schedule(path, total_steps=30)
assert run.design.lr_at(10) == 0.05, run.design.lr_at(10)
print('ok')
"""


def test_schedule_imports_no_framework_and_nothing_else_of_the_package():
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


def _imports(path: pathlib.Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            out.add("." * node.level + (node.module or ""))
    return out


def test_shapes_do_not_import_the_segment_module():
    for path in sorted((ROOT / "shapes").glob("*.py")):
        assert not any(m.endswith("segment") for m in _imports(path)), path.name


def test_segment_imports_the_shape_registry_at_module_level():
    tree = ast.parse((ROOT / "segment.py").read_text())
    top = {("." * n.level + (n.module or "")) for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert ".shapes.registry" in top
    nested = [
        n
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef)
        for n in ast.walk(f)
        if isinstance(n, (ast.Import, ast.ImportFrom))
    ]
    assert not nested

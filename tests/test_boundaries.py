"""The core never imports Qt or TensorFlow."""

import subprocess
import sys

CODE = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'tensorflow', 'keras', 'torch', 'jax'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import lrdesigner.schedule, lrdesigner.schedule.presets, lrdesigner.schedule.advice
import lrdesigner.schedule.designfile, lrdesigner.schedule.plateau, lrdesigner.schedule.envelope
import lrdesigner.cli
import lrdesigner.export, lrdesigner.export.verify, lrdesigner.export.driver
from lrdesigner.export import TARGETS, export
from lrdesigner.schedule.defaults import default_design
for target in TARGETS:
    export(default_design(), target)  # generating code needs no framework
print('ok')
"""


def test_core_imports_without_qt_or_frameworks():
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr

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
import lrdesigner.logs, lrdesigner.logs.follow, lrdesigner.logs.decimate, lrdesigner.logs.events
import tempfile, os
from lrdesigner.logs.records import encode
from tensorboard.compat.proto import event_pb2, summary_pb2
d = tempfile.mkdtemp()
s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=1.0)])
record = encode(event_pb2.Event(step=3, summary=s).SerializeToString())
open(os.path.join(d, "events.out.tfevents.1"), "wb").write(record)
assert lrdesigner.logs.read(d)[0].series["loss"].steps.tolist() == [3]  # read with TensorFlow blocked
from lrdesigner.export import TARGETS, export
from lrdesigner.schedule.defaults import default_design
for target in TARGETS:
    export(default_design(), target)  # generating code needs no framework
print('ok')
"""


def test_core_imports_without_qt_or_frameworks():
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr

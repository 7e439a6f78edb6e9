"""Shared helpers: write an export to disk, run it in-process through the verify driver."""

import itertools
import math

from hypothesis import assume
from hypothesis import strategies as st
from lrdesigner.export import export
from lrdesigner.export.driver import load_module, run
from lrdesigner.export.targets import TARGETS
from lrdesigner.export.verify import report, sample_steps, walk_length
from lrdesigner.schedule.errors import DesignError
from lrdesigner.schedule.presets import get_preset

_ids = itertools.count()


def write_export(tmp_path, design, target, class_name=None):
    """Export `design` to a fresh file under tmp_path; returns (path, module name)."""
    name = f"exported_{next(_ids)}"
    path = tmp_path / f"{name}.py"
    path.write_text(export(design, target, class_name), encoding="utf-8")
    return path, name


def verify_in_process(tmp_path, design, target, n=60):
    """The `verify` comparison, with the framework already imported in this process."""
    # Keras keeps one registered class per name; give each export its own.
    class_name = f"Schedule{next(_ids)}" if target in ("keras", "tf-keras", "torch") else None
    path, name = write_export(tmp_path, design, target, class_name)
    steps = sample_steps(design, n, seed=1)
    version, runs = run(TARGETS[target].driver, load_module(str(path), name), steps, walk_length(design) // 5)
    rep = report(design, target, version, runs, steps)
    failed = [c for c in rep.checks if c.failures]
    assert not failed, f"{target} {version}: {failed}"
    return rep


def _value(draw, p):
    if p.default is None or p.kind == "presets" or draw(st.integers(0, 2)) == 0:
        return p.default
    if p.kind == "bool":
        return draw(st.booleans())
    if p.kind == "str":
        return draw(st.sampled_from(p.choices)) if p.choices else p.default
    if p.kind == "int":
        if p.default == 0:
            return draw(st.sampled_from([0, 0, 10, 500]))
        return max(1, round(p.default * draw(st.floats(0.05, 2.0))))
    if p.kind == "float":
        if p.default == 0:
            return draw(st.sampled_from([0.0, 1e-6]))
        return p.default * draw(st.floats(0.2, 1.5))
    if p.kind == "ints":
        base = draw(st.lists(st.integers(1, 90000), min_size=len(p.default), max_size=len(p.default)))
        return sorted(base)
    return [v * draw(st.floats(0.2, 1.5)) for v in p.default]


@st.composite
def preset_designs(draw, name):
    """Designs from preset `name` with randomly varied parameters (invalid draws rejected)."""
    preset = get_preset(name)
    values = {p.name: _value(draw, p) for p in preset.params}
    try:
        design = preset.build(**values)
    except DesignError:
        assume(False)
    assume(math.isfinite(design.evaluate([0])[0]))
    return design

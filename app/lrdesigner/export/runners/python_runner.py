"""Runs the plain-Python export: its scalar schedule and its NumPy one."""

import sys


def require() -> None:
    """Nothing to install: the scalar schedule is plain Python (NumPy is asked for when used)."""


def run(module, steps: list[int], walk: int):
    lr_at = module.make_schedule()
    runs = {"lr_at": [lr_at(s) for s in steps], "numpy": module.make_numpy_schedule()(steps).tolist()}
    return sys.version.split()[0], runs

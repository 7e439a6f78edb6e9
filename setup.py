"""Build hook: wheels carry the top-level resources/ folder as the package data lrdesigner/_resources.

Everything else is configured in pyproject.toml. Editable installs read resources/ in place
(see lrdesigner.resources).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"
# Scripts that regenerate resources and the README's screenshots stay in the repository.
NOT_SHIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sh", "make_*.py", "screenshots")


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False) or not RESOURCES.is_dir():
            return
        dest = Path(self.build_lib) / "lrdesigner" / "_resources"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(RESOURCES, dest, ignore=NOT_SHIPPED)


setup(cmdclass={"build_py": BuildPyWithResources})

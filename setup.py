"""Build hooks: wheels carry the top-level resources/ folder as the package data lrdesigner/_resources,
and the optional compiled event-file reader.

Everything else is configured in pyproject.toml. Editable installs read resources/ in place
(see lrdesigner.resources).
"""

import shutil
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
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


# Compiled framing and decoding of TensorBoard event files. Optional: where it cannot be built (no C
# compiler), the package reads them with numpy, slower on small files. Built against the limited API
# of Python 3.10 (abi3): one build serves 3.10 and every later Python. Free-threaded Pythons have no
# limited API yet: there it is built for the running version.
LIMITED = not sysconfig.get_config_var("Py_GIL_DISABLED")
NATIVE = Extension(
    "lrdesigner.logs._native",
    ["app/lrdesigner/logs/_native.c"],
    optional=True,
    py_limited_api=LIMITED,
    define_macros=[("Py_LIMITED_API", "0x030A0000")] if LIMITED else [],
)

setup(
    cmdclass={"build_py": BuildPyWithResources},
    ext_modules=[NATIVE],
    options={"bdist_wheel": {"py_limited_api": "cp310"}} if LIMITED else {},
)

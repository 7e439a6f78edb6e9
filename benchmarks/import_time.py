"""What the cold start imports before the window is shown: `python -X importtime` over the same
script `bench_ui.py` times (QApplication, MainWindow, show, first paint), summed by top-level
package, slowest first, with the modules of this project listed one by one.

Run: python benchmarks/import_time.py [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_ui import COLD_SHOWN, launch_env, warm_up  # noqa: E402 - after the path it is found on


def one_run() -> dict[str, int]:
    """Microseconds of each module's own import time, by module name."""
    command = [sys.executable, "-X", "importtime", "-c", COLD_SHOWN]
    out = subprocess.run(command, capture_output=True, text=True, env=launch_env())
    own: dict[str, int] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        own[name] = own.get(name, 0) + int(self_us)
    return own


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="runs; each module's fastest is kept")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="one run")
    args = ap.parse_args()
    if args.quick:
        args.rounds = 1
    warm_up(COLD_SHOWN)  # the modules as a launch after the first finds them: compiled
    runs = [one_run() for _ in range(args.rounds)]
    own = {name: min(run.get(name, 0) for run in runs) for name in set().union(*runs)}
    by_package: dict[str, int] = defaultdict(int)
    for name, us in own.items():
        by_package[name.split(".")[0]] += us
    total = sum(own.values())
    print(f"imports before the first frame: {len(own)} modules, {total / 1e3:.0f} ms "
          f"(each module's fastest of {args.rounds})")
    print(f"  {'package':<28} {'ms':>7}")
    for package, us in sorted(by_package.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {package:<28} {us / 1e3:7.1f}")
    mine = sorted(((us, name) for name, us in own.items() if name.startswith("lrdesigner")), reverse=True)
    slowest = ", ".join(f"{n} {us / 1e3:.1f}" for us, n in mine[:6])
    print(f"  lrdesigner's own modules: {len(mine)}, slowest: {slowest}")
    absent = [p for p in ("pandas", "scipy", "tensorboard", "google", "yaml", "shapely") if p not in by_package]
    print(f"  not imported before the first frame: {', '.join(absent) or 'none of the deferred packages'}")


if __name__ == "__main__":
    main()

"""Where a drag frame's time goes: cProfile over a scripted drag in a real window (a 10M-step
design with 8 library schedules and 3 logs of 10M / 1M / 100k points, as `bench_ui.py`'s hardest
case), each function's own time put in the part of the product it belongs to, in ms per frame.

"Qt paint (C++)" is the time inside the synchronous repaint that no Python function accounts
for: Qt's rasteriser drawing the paths, pixmaps and text that the items hand it.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/profile_drag.py [--alone] [--moves N] [--top N] [--quick]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "app"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_ui import comparison_layers, log_runs, wait_until  # noqa: E402 - after the path it is found on

#: (part, what a function's file or name contains), first match wins.
PARTS = [
    ("metrics", ("metrics",)),
    ("advice", ("advice",)),
    ("panels", ("ui/panels", "ui/dialogs")),
    ("legend", ("legend",)),
    ("axes and grid", ("AxisItem", "axes.py", "side_axes")),
    ("envelope", ("envelope", "_native")),
    ("schedule core (edits, shapes)", ("schedule/", "dataclasses")),
    ("curve simplification", ("shapely",)),
    ("signals", ("SignalInstance",)),
    ("drag (controller)", ("controllers/",)),
    ("models and signals", ("ui/model", "commands.py")),
    ("curve items", ("ui/plot/items.py", "PlotCurveItem", "PlotDataItem", "ScatterPlotItem")),
    ("knots", ("knots.py",)),
    ("canvas", ("ui/plot/canvas.py",)),
    ("pyqtgraph (other)", ("pyqtgraph",)),
    ("numpy", ("numpy",)),
    ("Qt paint (C++)", ("repaint", "paintEvent", "QPainter")),
]


def part_of(func: tuple[str, int, str]) -> str:
    path, _, name = func
    where = f"{path.replace(os.sep, '/')}:{name}"
    for part, needles in PARTS:
        if any(n in where for n in needles):
            return part
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=300)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--alone", action="store_true", help="the design alone (no other layers, no logs)")
    ap.add_argument("--quick", action="store_true", help="60 moves, the top 5 functions")
    args = ap.parse_args()
    if args.quick:
        args.moves, args.top = 60, 5

    from lrdesigner.schedule import Design, Segment
    from lrdesigner.ui.main_window import MainWindow
    from lrdesigner.ui.plot.lines import simplifier_loaded
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    window = MainWindow(check_recovery=False)
    window.resize(1280, 800)
    window.show()
    wait_until(simplifier_loaded)  # loaded after the first frame, as in the window a user sees
    window.view.set_smoothing(0.6, remember=False)
    total = 10_000_000
    warmup = total // 12
    design = Design(
        (Segment.create("linear", warmup, 1e-6, 5e-4), Segment.create("cosine", total - warmup, 5e-4, 1e-5))
    )
    window.doc.replace(design)
    if not args.alone:
        for layer in comparison_layers(total, 8):
            window.layers.add(layer)
        runs = log_runs(total)
        window.log_editor.add_series("bench", runs, [(r.name, t) for r in runs for t in r.series])
    window.canvas.fit()
    app.processEvents()

    canvas = window.canvas
    step0, lr0 = design.knots[1].step, design.knots[1].lr
    hi = design.total_steps

    def drag() -> None:
        canvas.dragStarted.emit([1], 1)
        for i in range(args.moves):
            step = int(step0 + (hi - step0) * 0.3 * i / args.moves)
            canvas.dragMoved.emit(step, lr0 * (1 - 0.3 * i / args.moves))
            canvas.viewport().repaint()

    drag()  # warm caches the same way the timed drag will find them
    canvas.dragFinished.emit(step0, lr0)
    app.processEvents()
    profile = cProfile.Profile()
    profile.enable()
    drag()
    profile.disable()
    canvas.dragFinished.emit(step0, lr0)
    stats = pstats.Stats(profile)
    parts: dict[str, float] = {}
    for func, (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        parts[part_of(func)] = parts.get(part_of(func), 0.0) + tottime
    total_ms = sum(parts.values()) * 1e3 / args.moves
    print(f"drag of knot 1, {args.moves} moves, each followed by a synchronous repaint; "
          f"{len(window.layers)} layers; under cProfile (its overhead included)")
    print(f"  {'part':<30} {'ms/frame':>9} {'share':>6}")
    for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        ms = seconds * 1e3 / args.moves
        print(f"  {part:<30} {ms:9.3f} {ms / total_ms:6.0%}")
    print(f"  {'total':<30} {total_ms:9.3f}")
    others = sorted(((st[2], f) for f, st in stats.stats.items() if part_of(f) == "other"), reverse=True)
    print("  other: " + ", ".join(f"{f[2]} ({t * 1e3 / args.moves:.3f})" for t, f in others[:6]))
    print(f"\ntop {args.top} functions by own time:")
    stats.sort_stats("tottime").print_stats(args.top)
    window.history.setClean()
    window.close()


if __name__ == "__main__":
    main()

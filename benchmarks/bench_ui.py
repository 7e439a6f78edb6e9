"""Editor responsiveness: drag-update latency (handle moved -> curve repainted, offscreen) for
designs of 1e4 and 1e9 steps and a million-cycle cyclic segment; cold start to a shown window
next to `python -c "import tensorflow"`.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COLD = """
import time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from lrdesigner.ui.main_window import MainWindow
w = MainWindow(check_recovery=False)
w.show()
app.processEvents()
w.canvas.viewport().repaint()
print(time.perf_counter() - t0)
"""


def designs():
    from lrdesigner.schedule import Design, Segment

    def warm_cos(total):
        w = max(total // 12, 1)
        return Design(
            (Segment.create("linear", w, 1e-6, 5e-4), Segment.create("cosine", total - w, 5e-4, 1e-5))
        )

    cyclic = Design(
        (
            Segment.create("linear", 10_000, 1e-6, 1e-3),
            Segment.create(
                "cyclic", 4_000_000_000, 1e-4, max_lr=1e-3, step_size_up=2000, step_size_down=2000
            ),  # 1,000,000 cycles
            Segment.create("cosine", 100_000, 1e-4, 1e-6),
        )
    )
    return {
        "1e4 steps": warm_cos(10_000),
        "1e9 steps": warm_cos(1_000_000_000),
        "1M-cycle cyclic (4e9 steps)": cyclic,
    }


def drag_latency(window, design, moves=300):
    from PySide6.QtWidgets import QApplication

    window.doc.replace(design)
    window.canvas.fit()
    QApplication.processEvents()
    knot = 1
    step0, _, lr0 = design.knots[knot]
    hi = design.starts[knot + 1] if knot + 1 < len(design.segments) else design.total_steps
    times = []
    for i in range(moves):
        step = int(step0 + (hi - step0) * 0.3 * (i / moves))
        lr = lr0 * (1 - 0.3 * i / moves)
        t = time.perf_counter()
        window.canvas.knotMoved.emit(knot, step, lr, False)  # what a mouse move emits
        window.canvas.viewport().repaint()  # paint now, synchronously
        times.append(time.perf_counter() - t)
    window.canvas.knotMoved.emit(knot, step, lr, True)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    from lrdesigner.ui.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    window = MainWindow(check_recovery=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print("drag update: handle moved -> curve recomputed from the envelope and repainted (ms)")
    print(f"  {'design':<30} {'p50':>7} {'p95':>7}")
    results = {}
    for name, design in designs().items():
        p50, p95 = drag_latency(window, design)
        results[name] = p95
        print(f"  {name:<30} {p50 * 1e3:7.2f} {p95 * 1e3:7.2f}")
    print(f"  p95 ratio 1e9 / 1e4: {results['1e9 steps'] / results['1e4 steps']:.2f}")
    window.doc.stack.setClean()
    window.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    starts = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, env=env)
        starts.append((time.perf_counter() - t, float(out.stdout.strip().splitlines()[-1])))
    wall, inside = min(starts)
    tf = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, env=env)
        tf.append(time.perf_counter() - t)
    print(
        f"\ncold start to a shown window: {wall:.2f} s (process start to exit; {inside:.2f} s inside "
        f"Python), python -c 'import tensorflow': {min(tf):.2f} s"
    )


if __name__ == "__main__":
    main()

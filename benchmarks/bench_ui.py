"""Editor responsiveness: drag-update latency (handle moved -> curve repainted, offscreen) for
designs of 1e4 and 1e9 steps, a million-cycle cyclic segment, and the design with five other curve
layers visible; cold start to a shown window next to `python -c "import tensorflow"`.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py [--quick]
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


def comparison_layers(total: int, count: int = 5):
    """`count` library schedules (up to 8) over the same steps, as comparison layers."""
    from lrdesigner.schedule.presets import get_preset
    from lrdesigner.ui.model.layers import PALETTE, CurveLayer

    w = max(total // 12, 1)
    presets = {
        "noam": {"warmup_steps": w, "total_steps": total},
        "keras.CosineDecay": {"decay_steps": total - w, "warmup_steps": w, "warmup_target": 5e-4},
        "torch.OneCycleLR": {"total_steps": total},
        "hf.warmup_stable_decay": {"num_warmup_steps": w, "num_decay_steps": total // 5,
                                   "num_training_steps": total},
        "torch.CyclicLR": {"total_steps": total, "step_size_up": max(total // 20, 1)},
        "hf.cosine": {"num_warmup_steps": w, "num_training_steps": total},
        "torch.StepLR": {"total_steps": total, "step_size": max(total // 4, 1)},
        "hf.inverse_sqrt": {"num_warmup_steps": w, "num_training_steps": total},
    }
    layers = []
    for color, (name, args) in zip(PALETTE[1:] + PALETTE[:1], list(presets.items())[:count]):
        layers.append(CurveLayer(name=name, color=color, fixed=get_preset(name).build(**args)))
    return layers


def drag_latency(window, design, moves=300, extra_layers=()):
    from PySide6.QtWidgets import QApplication

    for layer in list(window.layers)[1:]:
        window.layers.remove(layer)
    window.doc.replace(design)
    for layer in extra_layers:
        window.layers.add(layer)
    window.canvas.fit()
    QApplication.processEvents()
    knot = 1
    k = design.knots[knot]
    step0, lr0 = k.step, k.lr
    hi = design.starts[knot + 1] if knot + 1 < len(design.segments) else design.total_steps
    times = []
    window.canvas.dragStarted.emit([knot], knot)
    for i in range(moves):
        step = int(step0 + (hi - step0) * 0.3 * (i / moves))
        lr = lr0 * (1 - 0.3 * i / moves)
        t = time.perf_counter()
        window.canvas.dragMoved.emit(step, lr)  # what a mouse move emits
        window.canvas.viewport().repaint()  # paint now, synchronously
        times.append(time.perf_counter() - t)
    window.canvas.dragFinished.emit(step, lr)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    moves = 40 if quick else 300
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
    cases = [(name, design, ()) for name, design in designs().items()]
    base = designs()["1e4 steps"]
    cases.append(("1e4 steps + 5 curve layers", base, comparison_layers(base.total_steps)))
    big = designs()["1e9 steps"]
    cases.append(("1e9 steps + 5 curve layers", big, comparison_layers(big.total_steps)))
    cases.append(("1e4 steps + 8 curve layers", base, comparison_layers(base.total_steps, 8)))
    cases.append(("1e9 steps + 8 curve layers", big, comparison_layers(big.total_steps, 8)))
    for name, design, extra in cases:
        p50, p95 = drag_latency(window, design, moves, extra)
        results[name] = p95
        print(f"  {name:<30} {p50 * 1e3:7.2f} {p95 * 1e3:7.2f}")
    print(f"  p95 ratio 1e9 / 1e4: {results['1e9 steps'] / results['1e4 steps']:.2f}")
    for n in (5, 8):
        ratio = results[f"1e4 steps + {n} curve layers"] / results["1e4 steps"]
        print(f"  p95 ratio with {n} curve layers / design alone: {ratio:.2f}")
    ratio = results["1e9 steps + 8 curve layers"] / results["1e4 steps + 8 curve layers"]
    print(f"  p95 ratio 1e9 / 1e4 with 8 curve layers: {ratio:.2f}")
    window.doc.stack.setClean()
    window.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TF_CPP_MIN_LOG_LEVEL": "3"}
    starts = []
    rounds = 1 if quick else 3
    for _ in range(rounds):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, env=env)
        starts.append((time.perf_counter() - t, float(out.stdout.strip().splitlines()[-1])))
    wall, inside = min(starts)
    tf = []
    for _ in range(rounds):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, env=env)
        tf.append(time.perf_counter() - t)
    print(
        f"\ncold start to a shown window: {wall:.2f} s (process start to exit; {inside:.2f} s inside "
        f"Python), python -c 'import tensorflow': {min(tf):.2f} s"
    )


if __name__ == "__main__":
    main()

"""Fitting a logged LR series: 100,000 points in at most 1 s, 1,000,000 in at most 5 s.

Each case is a series written the way its writer writes it (the Hugging Face Trainer's lr(k-1) at
step k), fitted by `lrdesigner.logs.fit.fit_series`, next to scipy's `least_squares` fitting the
same library formula with its parameters free (continuous, one convention, from a good start):
the tool one would otherwise reach for, which neither rounds the step arguments to integers nor
checks every point.

Run: python benchmarks/bench_fit.py [--quick]   (--quick: the 100,000-point cases only)
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from lrdesigner.logs.fit import fit_series
from lrdesigner.logs.series import Series
from lrdesigner.schedule.presets import get_preset

TARGET = {100_000: 1.0, 1_000_000: 5.0}


def hf_series(preset: str, n: int, **args) -> tuple[Series, dict]:
    params = {"lr": 3e-4, "num_warmup_steps": n // 20, "num_training_steps": n, **args}
    design = get_preset(preset).build(**params)
    k = np.arange(1, n + 1, dtype=np.int64)
    return Series("learning_rate", "bench", k, design.evaluate(k - 1)), params


def lagged_series(n: int) -> tuple[Series, dict]:
    """hf.linear with scheduler steps skipped (fp16 overflow): the lag grows by one three times."""
    s, params = hf_series("hf.linear", n)
    design = get_preset("hf.linear").build(**params)
    k = s.steps
    lag = 1 + (k > n // 10) + (k > n // 3) + (k > n // 2)
    return Series("learning_rate", "bench", k, design.evaluate(np.maximum(k - lag, 0))), params


def scipy_peer(series: Series, params: dict):
    """least_squares on the cosine-with-warmup formula (lr, warmup, total continuous)."""
    try:
        from scipy.optimize import least_squares
    except ImportError:
        return None
    t = (series.steps - 1).astype(np.float64)
    y = series.values

    def model(p):
        lr, w, total = p
        warm = lr * t / max(w, 1.0)
        prog = np.clip((t - w) / max(total - w, 1.0), 0, None)
        decay = lr * 0.5 * (1 + np.cos(np.pi * prog))
        return np.where(t < w, warm, decay)

    start = np.array([params["lr"] * 1.1, params["num_warmup_steps"] * 0.9, params["num_training_steps"] * 1.1])
    t0 = time.perf_counter()
    least_squares(lambda p: (model(p) - y) / np.maximum(y, 1e-3 * y.max()), start, method="trf")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000-point cases only")
    quick = parser.parse_args().quick
    sizes = [100_000] if quick else [100_000, 1_000_000]
    print(f"{'case':<34} {'points':>9} {'fit':>8} {'target':>7}  {'scipy lsq':>9} {'ratio':>6}  found")
    for n in sizes:
        cases = [("hf.cosine", *hf_series("hf.cosine", n)), ("hf.linear", *hf_series("hf.linear", n)),
                 ("hf.linear, fp16-skipped steps", *lagged_series(n))]
        for name, series, params in cases:
            t0 = time.perf_counter()
            fits = fit_series(series, "hf")
            took = time.perf_counter() - t0
            found = fits[0].summary().split(", logged")[0]
            peer = scipy_peer(series, params) if name == "hf.cosine" else None
            ratio = f"{took / peer:6.2f}" if peer else "     -"
            peer_s = f"{peer:8.3f}s" if peer else "        -"
            ok = "ok" if took <= TARGET[n] else "OVER"
            print(f"{name:<34} {n:>9,} {took:7.3f}s {TARGET[n]:6.1f}s  {peer_s} {ratio}  {ok}: {found}")


if __name__ == "__main__":
    main()

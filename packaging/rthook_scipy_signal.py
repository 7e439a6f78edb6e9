"""Bundle runtime hook: `scipy.signal.lfilter` without the rest of SciPy.

LR Designer uses one SciPy function, `scipy.signal.lfilter` (TensorBoard smoothing), but importing
`scipy.signal` imports most of SciPy (stats, optimize, sparse, linalg ...: 70 MB in a bundle). The
bundle carries only the compiled filter, `scipy/signal/_sigtools`, and this hook registers a
`scipy.signal` module whose `lfilter` calls it exactly as SciPy's own `lfilter` does for a
denominator of two or more coefficients and no initial conditions (the only call LR Designer makes).
"""

import glob
import importlib.util
import os
import sys
import types


def _install() -> None:
    import numpy as np

    found = glob.glob(os.path.join(sys._MEIPASS, "scipy", "signal", "_sigtools.*"))
    if not found:
        return
    spec = importlib.util.spec_from_file_location("scipy.signal._sigtools", found[0])
    sigtools = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sigtools)

    def lfilter(b, a, x, axis=-1, zi=None):
        """scipy.signal.lfilter for a 1-d numerator, a 1-d denominator of length >= 2, zi=None."""
        b, a, x = np.atleast_1d(b), np.atleast_1d(a), np.asarray(x)
        if zi is not None or b.ndim != 1 or a.ndim != 1 or b.size == 0 or a.size < 2:
            raise NotImplementedError("this bundle's scipy.signal.lfilter supports only the IIR "
                                      "filter without initial conditions")
        return sigtools._linear_filter(b, a, x, axis)

    # Only the submodule is registered: `from scipy.signal import lfilter` finds it in sys.modules
    # without importing a `scipy` package, and libraries probing for SciPy still see none.
    signal = types.ModuleType("scipy.signal")
    signal.__path__ = []
    signal.lfilter = lfilter
    signal._sigtools = sigtools
    sys.modules.setdefault("scipy.signal", signal)
    sys.modules.setdefault("scipy.signal._sigtools", sigtools)


_install()

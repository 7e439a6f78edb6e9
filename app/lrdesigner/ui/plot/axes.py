"""The plot's axes: steps or epochs at the bottom, learning rates (linear or log) on the left."""

from __future__ import annotations

import pyqtgraph as pg


def format_step(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:g}B"
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def format_lr(v: float) -> str:
    if v == 0:
        return "0"
    return f"{v:.3g}" if 1e-2 <= abs(v) < 1e3 else f"{v:.2e}".replace("e-0", "e-").replace("e+0", "e")


class Axis(pg.AxisItem):
    """An axis that lays its label out again only when the label's text or style changed:
    pyqtgraph does it on every pen, range and unit-prefix change (about 50 times, 7 ms, while
    the window is built)."""

    _label_html: str | None = None

    def _updateLabel(self) -> None:  # noqa: N802 - pyqtgraph's name
        html = self.labelString()
        if html != self._label_html:
            self._label_html = html
            self.label.setHtml(html)
        self._adjustSize()
        self.picture = None
        self.update()


class StepAxis(Axis):
    """Steps, or epochs when `steps_per_epoch` is set (the plot itself stays in steps)."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.steps_per_epoch: int | None = None

    def set_steps_per_epoch(self, spe: int | None) -> None:
        if spe != self.steps_per_epoch:
            self.steps_per_epoch = spe
            self.setLabel("epoch" if spe else "step")
            self.picture = None
            self.update()

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - Qt naming
        spe = self.steps_per_epoch
        if not spe:
            return super().tickValues(minVal, maxVal, size)
        ticks = super().tickValues(minVal / spe, maxVal / spe, size)
        return [(spacing * spe, [v * spe for v in values]) for spacing, values in ticks]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        spe = self.steps_per_epoch or 1
        return [format_step(v / spe) for v in values]


class LRAxis(Axis):
    """Learning rates in compact scientific notation; in log mode the values are log10(LR)."""

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.log = False

    def set_log(self, on: bool) -> None:
        self.log = on
        self.picture = None
        self.update()

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        if self.log:
            return [format_lr(10.0**v) for v in values]
        return [format_lr(v) for v in values]

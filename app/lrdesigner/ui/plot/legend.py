"""The plot's legend: which layers it lists, and where the view places it."""

from __future__ import annotations

import pyqtgraph as pg

from ..model.layers import Layer

#: Legend rows before "… and N more".
LEGEND_ROWS = 8

#: Where each legend place anchors the legend: (x, y) of the corner (0 left/top, 1 right/bottom),
#: and its offset from that corner in pixels. "auto" is the top right.
LEGEND_CORNERS = {
    "auto": ((1, 0), (-10, 10)),
    "top-right": ((1, 0), (-10, 10)),
    "top-left": ((0, 0), (10, 10)),
    "bottom-right": ((1, 1), (-10, -10)),
    "bottom-left": ((0, 1), (10, -10)),
}


def show_legend(legend: pg.LegendItem, shown: list[Layer], items: dict, place: str) -> None:
    """List the drawn layers of `shown` (visible, in order) at `place` (a ViewState legend place),
    once there is more than the design to tell apart."""
    legend.clear()
    shown = [layer for layer in shown if layer.drawn and layer.id in items]
    if len(shown) < 2 or place == "hidden":
        legend.hide()
        return
    corner, offset = LEGEND_CORNERS[place]
    legend.anchor(itemPos=corner, parentPos=corner, offset=offset)
    for layer in shown[:LEGEND_ROWS]:
        legend.addItem(items[layer.id], f"{layer.name} (design)" if layer.is_design else layer.name)
    if len(shown) > LEGEND_ROWS:  # a row without a sample says where the rest are listed
        more = len(shown) - LEGEND_ROWS
        legend.addItem(pg.PlotDataItem(pen=None), f"… and {more} more in the Layers panel")
    legend.show()

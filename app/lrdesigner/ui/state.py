"""What is on screen, as JSON: for scripts that drive the window and for checks (format version 1)."""

from __future__ import annotations

import math

from .main_window import MainWindow
from .model.layers import LogLayer, PlateauLayer

VERSION = 1


def window_state(window: MainWindow) -> dict:
    """The window's state dump (see the README's "State dump" section)."""
    canvas = window.canvas
    vb = canvas.plotItem.vb
    (x0, x1), (y0, y1) = vb.viewRange()
    spe = canvas.step_axis.steps_per_epoch
    geo = window.geometry()
    design = window.doc.shown
    knots = []
    if window.layers.design_layer.visible:
        for k in design.knots:
            x, y = canvas.knot_window_pos(k.index, window)
            knots.append({"index": k.index, "step": k.step, "lr": k.lr, "x": x, "y": y})
    layers = []
    for layer in window.layers:
        item = canvas.items.get(layer.id)
        vertices = item.vertices if item is not None and layer.visible else 0
        entry = {
            "id": layer.id,
            "name": layer.name,
            "kind": layer.kind,
            "visible": layer.visible,
            "axis": layer.axis,
            "color": layer.color,
            "line": layer.line,
            "points": vertices,
            "vertices": vertices,
        }
        if isinstance(layer, LogLayer):
            entry.update(
                points=len(layer.series),
                run=layer.series.run,
                tag=layer.series.tag,
                offset=layer.offset,
                follow=layer.follow,
                writer=layer.writer,
            )
            if layer.is_lr:
                entry["comparison"] = window.log_editor.comparison_text(layer)
        elif isinstance(layer, PlateauLayer):
            entry["cuts"] = [{"step": c.step, "lr": c.new_lr} for c in layer.result.cuts]
            entry["monitor"] = layer.monitor
        elif layer.problem:  # a comparison that cannot be read
            entry["problem"] = layer.problem
        layers.append(entry)
    view = canvas.view
    to_lr = (lambda v: 10.0**v) if canvas.log_y else (lambda v: v)
    stack = window.history
    return {
        "format": "lrdesigner.state",
        "version": VERSION,
        "title": window.windowTitle().replace("[*]", "*" if window.isWindowModified() else ""),
        "window": {"x": geo.x(), "y": geo.y(), "width": geo.width(), "height": geo.height()},
        "layers": layers,
        "knots": knots,
        "selected_knot": window.editor.selection.knot,
        "x_axis": {
            "label": "epoch" if spe else "step",
            "unit": "epoch" if spe else "step",
            "range": [x0 / spe, x1 / spe] if spe else [x0, x1],
        },
        "y_axis": {
            "label": "learning rate",
            "scale": "log" if canvas.log_y else "linear",
            "range": [_finite(to_lr(y0)), _finite(to_lr(y1))],
        },
        "metrics": list(window.panel.metrics.rows),
        "advice": [
            {"id": a.id, "severity": a.severity, "message": a.message, "step": a.step}
            for a in window.panel.advice.items
        ],
        "undo": {
            "texts": [stack.text(i) for i in range(stack.count())],
            "index": stack.index(),
            "clean": stack.isClean(),
        },
        "view": {
            "log_scale": window.view.log_scale,
            "epochs": bool(spe),
            "dark": window.view.dark,
            "smoothing": view.smoothing,
            "loss_log": view.loss_log,
            "legend": view.legend,
        },
        "right_axis": {
            "label": canvas.right_axis.labelText,
            "visible": canvas.right_axis.isVisible(),
            "scale": "log" if view.loss_log else "linear",
            "range": [float(v) for v in canvas.loss_vb.viewRange()[1]],
        },
        "status": window.statusBar().currentMessage(),
        "legend": _legend(window),
        "background": canvas.backgroundBrush().color().name(),
        "menus": _menus(window),
        "panels": _panels(window),
    }


def _legend(window: MainWindow) -> dict | None:
    """The legend's rectangle in window pixels, or None when it is hidden."""
    canvas = window.canvas
    if not canvas.legend.isVisible():
        return None
    scene = canvas.legend.mapRectToScene(canvas.legend.boundingRect())
    top_left = canvas.mapTo(window, canvas.mapFromScene(scene.topLeft()))
    return {
        "x": top_left.x(),
        "y": top_left.y(),
        "width": round(scene.width()),
        "height": round(scene.height()),
    }


def _menus(window: MainWindow) -> list[dict]:
    """Each menu's title and the ids of the actions in it, in order (a submenu by its title)."""

    def ids(menu) -> list[str]:
        out = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                out.append({"menu": action.menu().title().replace("&", ""), "actions": ids(action.menu())})
            else:
                out.append(action.objectName() or action.text().replace("&", ""))
        return out

    return [
        {"title": a.menu().title().replace("&", ""), "actions": ids(a.menu())}
        for a in window.menuBar().actions()
        if a.menu() is not None
    ]


def _panels(window: MainWindow) -> list[dict]:
    """Each side panel's place in window pixels and whether it can be scrolled into view."""
    side = window.panel
    out = []
    for name, box in side.boxes.items():
        corner = box.mapTo(window, box.rect().topLeft())
        out.append(
            {
                "name": name,
                "x": corner.x(),
                "y": corner.y(),
                "width": box.width(),
                "height": box.height(),
                "reachable": side.reachable(name),
            }
        )
    return out


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None

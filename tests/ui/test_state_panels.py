"""The state dump says where the legend is, the plot's background, each menu's actions and each
side panel's place; at 800x500 every panel can still be scrolled into view."""

from lrdesigner.ui.state import window_state
from PySide6.QtWidgets import QApplication

from .conftest import make_window


def test_the_state_names_legend_background_menus_and_panels(window):
    window.layer_editor.add_preset("noam")
    QApplication.processEvents()
    state = window_state(window)
    legend = state["legend"]
    assert legend is not None and legend["width"] > 20 and legend["height"] > 10
    canvas_box = window.canvas.geometry()
    assert canvas_box.contains(legend["x"], legend["y"])
    assert state["background"] == "#ffffff"
    menus = {m["title"]: m["actions"] for m in state["menus"]}
    assert list(menus) == ["File", "Edit", "View", "Logs", "Layers", "Help"]
    assert menus["Edit"][:2] == ["edit.undo", "edit.redo"]
    legend_menu = next(a for a in menus["View"] if isinstance(a, dict))
    assert legend_menu["menu"] == "Legend" and "view.legend.hidden" in legend_menu["actions"]
    window.actions["view.legend.hidden"].trigger()
    window.actions["view.dark"].setChecked(True)
    state = window_state(window)
    assert state["legend"] is None and state["background"] == "#1e1f24"
    window.actions["view.dark"].setChecked(False)


def test_at_800_by_500_every_panel_can_be_scrolled_into_view(qtbot, tmp_path):
    window = make_window(qtbot, size=(800, 500))
    path = tmp_path / "m.csv"
    path.write_text("step,loss,lr\n" + "".join(f"{s},{1 / (1 + s)!r},1e-3\n" for s in range(0, 2000, 100)))
    from lrdesigner.logs import read

    runs = read(str(path))
    window.log_editor.add_series(str(path), runs, [(runs[0].name, "loss")])
    QApplication.processEvents()
    panels = {p["name"]: p for p in window_state(window)["panels"]}
    assert set(panels) == {"Layers", "Logs", "Design", "Segments", "Metrics", "Advice"}
    assert all(p["reachable"] for p in panels.values()), panels
    assert all(p["height"] >= 40 for p in panels.values())
    side = window.panel
    side.ensureWidgetVisible(side.boxes["Advice"])
    QApplication.processEvents()
    advice = side.boxes["Advice"]
    top = advice.mapTo(side.viewport(), advice.rect().topLeft()).y()
    assert 0 <= top < side.viewport().height()  # scrolled into view

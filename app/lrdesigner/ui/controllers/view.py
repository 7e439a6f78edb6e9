"""The View menu: log-scale LR, epochs on the x axis, the palette, fit and zoom. The choices live in
the ViewState model (the plot redraws from it); this controller keeps the actions ticked, the
design's steps per epoch in the view and the palette applied."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication, QMenu

from ...view_keys import LEGEND_PLACES
from .. import actions, palette
from ..blocked import blocked
from ..model.document import Document
from ..model.view_state import ViewState


class ViewController(QObject):
    def __init__(self, doc: Document, view: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc, self.view = doc, view
        self.canvas = None  # the plot, once `connect_views` has run
        self._palette_dark: bool | None = None  # the palette applied to the application
        self.actions = actions.build(
            self,
            {
                "view.log_scale": lambda on: view.set("log_scale", on),
                "view.epochs": lambda on: view.set("epochs", on),
                "view.dark": lambda on: view.set("dark", on),
                "view.fit": lambda: self.canvas.fit(),
                "view.zoom_in": lambda: self.canvas.zoom_steps(0.5),
                "view.zoom_out": lambda: self.canvas.zoom_steps(2),
            },
        )
        legend = actions.build(
            self,
            {
                f"view.legend.{place}": (lambda on, p=place: on and view.set("legend", p))
                for place in LEGEND_PLACES
            },
        )
        self.actions.update(legend)
        group = QActionGroup(self)
        self.legend_menu = QMenu("&Legend")
        for action in legend.values():
            group.addAction(action)
            self.legend_menu.addAction(action)
        view.changed.connect(lambda _key: self.apply())
        doc.designChanged.connect(lambda _design: self._sync_epochs())

    def connect_views(self, canvas) -> None:
        self.canvas = canvas
        canvas.set_colors(self.view.dark)
        self.apply()

    def apply(self) -> None:
        """Show the view state: the actions ticked, the palette, log scale and epochs on the plot."""
        for key, name in (("view.log_scale", "log_scale"), ("view.dark", "dark")):
            with blocked(self.actions[key]):
                self.actions[key].setChecked(getattr(self.view, name))
        # Not blocked: the exclusive group unticks the others (setting the same place is a no-op).
        self.actions[f"view.legend.{self.view.legend}"].setChecked(True)
        if self._palette_dark != self.view.dark:
            self._palette_dark = self.view.dark
            palette.apply(QApplication.instance(), self.view.dark)
        if self.canvas is not None and self.canvas.dark != self.view.dark:
            self.canvas.set_colors(self.view.dark)
        self._sync_epochs()

    def _sync_epochs(self) -> None:
        """The epoch axis shows epochs only while the design has steps per epoch."""
        spe = self.doc.design.steps_per_epoch
        action = self.actions["view.epochs"]
        action.setEnabled(spe is not None)
        with blocked(action):
            action.setChecked(self.view.epochs and spe is not None)
        self.view.set_steps_per_epoch(spe)  # the step axis and epoch-indexed logs follow it

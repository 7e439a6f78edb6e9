"""The main window: it builds the models, the views and the controllers, and connects them. What
the window does lives in the controllers; what it shows lives in the models."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QSplitter, QUndoView

from ..schedule.defaults import default_design
from ..schedule.design import Design
from . import actions, menus
from .controllers.editing import DesignEditor
from .controllers.export import ExportController
from .controllers.files import FilesController
from .controllers.help import HelpController
from .controllers.layers import LAYER_MENU, LayerEditor
from .controllers.logs import LogEditor
from .controllers.prompts import Prompts
from .controllers.view import ViewController
from .icon import app_icon
from .model.document import Document
from .model.history import History
from .model.layers import LayerList
from .model.logs import Logs
from .model.session import Session
from .model.view_state import ViewState
from .panels.side import SidePanel
from .plot.canvas import Canvas
from .text import elide


class MainWindow(QMainWindow):
    def __init__(self, design: Design | None = None, path: str = "", check_recovery: bool = True) -> None:
        super().__init__()
        self.resize(1280, 800)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(640, 400)
        self.setAcceptDrops(True)
        # Models.
        self.doc = Document(design or default_design(), path, self)
        self.history = History(self)
        self.layers = LayerList(self.doc, self)
        self.logs = Logs(self)
        self.view = ViewState(parent=self)
        self.session = Session()
        # Views.
        self.canvas = Canvas(self.layers, self.view)
        self.panel = SidePanel(self.layers, self.view)
        self._build_layout()
        # Controllers.
        self.prompts = Prompts(self, self.statusBar())
        self.editor = DesignEditor(self.doc, self.history, self.prompts, self)
        self.layer_editor = LayerEditor(self.doc, self.history, self.layers, self.prompts, self)
        self.log_editor = LogEditor(
            self.doc, self.history, self.layers, self.logs, self.session, self.prompts, self.layer_editor, self
        )
        self.log_fit = self.log_editor.fit
        self.files = FilesController(
            self.doc, self.history, self.layers, self.view, self.session, self.prompts,
            self.editor, self.layer_editor, self.log_editor, self,
        )  # fmt: skip
        self.exporter = ExportController(self.doc, self.view, self.session, self.prompts, self)
        self.view_controller = ViewController(self.doc, self.view, self)
        self.help = HelpController(self.prompts, self)
        self._connect()
        self.canvas.fit()
        self._update_title()
        self.prompts.say("Drag a knot; right-click the plot for more", 4000)
        if check_recovery:
            QTimer.singleShot(0, self.files.offer_recovery)

    def _build_layout(self) -> None:
        split = QSplitter()
        split.addWidget(self.canvas)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        split.setSizes([780, 500])
        self.setCentralWidget(split)
        self.history_view = QUndoView(self.history)
        self.history_view.setEmptyLabel("Opened")
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("history")
        self.history_dock.setWidget(self.history_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()

    def _connect(self) -> None:
        quit_action = actions.build(self, {"file.quit": self.close})
        self.actions = actions.gather(
            quit_action, self.editor.actions, self.layer_editor.actions, self.log_editor.actions,
            self.files.actions, self.exporter.actions, self.view_controller.actions, self.help.actions,
        )  # fmt: skip
        history = self.history_dock.toggleViewAction()
        extra = {
            "recent": self.files.recent_menu,
            "legend": self.view_controller.legend_menu,
            "history": history,
        }
        menus.build(self.menuBar(), self.actions, extra)
        self.editor.menu_extras = [self.actions["view.fit"]]
        self.panel.layers.menu_actions = [None if k is None else self.actions[k] for k in LAYER_MENU[:12]] + [
            None,
            self.actions["view.difference"],
        ]
        self.editor.connect_views(self.canvas, self.panel)
        self.layer_editor.connect_views(self.canvas, self.panel, QMenu(self))
        self.log_editor.connect_views(self.canvas, self.panel)
        self.files.connect_views(self.canvas)
        self.exporter.connect_views(self.canvas)
        self.view_controller.connect_views(self.canvas)
        doc, panel = self.doc, self.panel
        self.panel.advice.locate.connect(self.canvas.locate)
        for signal in (doc.designChanged, doc.pathChanged, self.history.cleanChanged):
            signal.connect(self._update_title)
        panel.metrics.show_layers(self.layers)

    def _update_title(self, *_args) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else elide(self.doc.design.name) + " (unsaved)"
        self.setWindowTitle(f"{name}[*] — LR Designer")
        self.setWindowModified(self.doc.modified)

    def dragEnterEvent(self, ev):  # noqa: N802
        if ev.mimeData().hasUrls() and any(u.isLocalFile() for u in ev.mimeData().urls()):
            ev.acceptProposedAction()

    def dropEvent(self, ev):  # noqa: N802
        """A design or workspace replaces the document; logs (files or folders) are drawn over it."""
        for url in ev.mimeData().urls():
            if url.isLocalFile():
                self.files.open_path(url.toLocalFile())
                ev.acceptProposedAction()

    def closeEvent(self, ev):  # noqa: N802
        if not self.files.maybe_save():
            ev.ignore()
            return
        self.files.closed()
        self.log_editor.stop_all()
        ev.accept()

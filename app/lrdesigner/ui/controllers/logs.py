"""Logs: open a file or folder in a worker, pick series, draw them as layers, follow them as they
grow, compare a logged LR with the design, simulate plateau cuts on a validation series, make a
design from a logged LR, and the advice from the logs shown."""

from __future__ import annotations

import os
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog

from ...logs import compare_lr, guess_writer, is_lr_tag
from ...logs.advice import Logged, check_series
from ...logs.alignment import is_epoch_indexed
from ...schedule.errors import DesignError
from ...schedule.plateau import PlateauPolicy
from ...schedule.textinput import parse_steps
from .. import actions
from ..blocked import blocked
from ..commands import SetLogOffset
from ..model.document import Document
from ..model.history import History
from ..model.layers import Layer, LayerList, LogLayer, PlateauLayer
from ..model.logs import Logs
from ..model.session import Session
from .layers import LayerEditor
from .log_fit import LogFitEditor, fit_problem
from .prompts import Prompts
from .workers import LogFollower, LogReader


class LogEditor(QObject):
    """Log intents -> log and plateau layers. `message(text)` goes to the status bar."""

    message = Signal(str)
    opened = Signal(str)  # a log finished loading (its path)

    def __init__(
        self,
        doc: Document,
        history: History,
        layers: LayerList,
        logs: Logs,
        session: Session,
        prompts: Prompts,
        layer_editor: LayerEditor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc, self.history, self.layers, self.logs = doc, history, layers, logs
        self.session, self.prompts = session, prompts
        self.canvas = self.panel = None  # the views, once `connect_views` has run
        self.fit = LogFitEditor(doc, layer_editor, prompts, self)
        current = lambda: self.layers.current  # noqa: E731 - the layer each action applies to
        self.actions = actions.build(
            self,
            {
                "logs.open_file": lambda: self.open_dialog(folder=False),
                "logs.open_folder": lambda: self.open_dialog(folder=True),
                "logs.follow": lambda on: self.set_follow(current(), on),
                "logs.plateau": lambda: self.simulate_plateau(current()),
                "logs.make_design": lambda: self.fit.make_design(current()),
            },
        )
        self.message.connect(lambda text: prompts.say(text, 10000))
        logs.updated.connect(self._logs_updated)
        self.fit.message.connect(lambda text: prompts.say(text, 20000))
        layers.currentChanged.connect(self._current_changed)
        layers.removed.connect(
            lambda layer: self.set_follow(layer, False) if layer.can_follow and layer.follow else None
        )
        self.readers: list[LogReader] = []
        self.followers: dict[str, LogFollower] = {}  # path -> follower (while a layer of it follows)
        self.failures: list[str] = []  # every log that could not be read, as reported
        self.pick = None  # tests and scripts: (path, runs, warnings) -> list of (run, tag), or None
        self._batch = 0  # > 0 while several layers change at once (the advice is refreshed after)
        # The log advice is the shown log layers': it follows them being added, removed, hidden,
        # shown, moved or followed; plateau cuts follow the design and the series they were cut on.
        self.layers.inserted.connect(self._log_layer_changed)
        self.layers.removed.connect(self._log_layer_changed)
        self.layers.changed.connect(self._log_layer_changed)
        self.layers.dataChanged.connect(self._log_data_changed)
        self.doc.designChanged.connect(lambda _design: self._replan_plateaus(self.layers.plateaus()))

    # ---- the views and the current layer ------------------------------------------------------
    def connect_views(self, canvas, panel) -> None:
        """The Logs box edits the current log; the advice box shows the design's and the logs' advice."""
        self.canvas, self.panel = canvas, panel
        logs = panel.logs
        logs.offsetEdited.connect(
            lambda text: logs.show_offset_problem(self.set_offset(self.layers.current, text))
        )
        logs.offsetChosen.connect(lambda steps: self.shift(self.layers.current, steps))
        logs.followChanged.connect(lambda on: self.set_follow(self.layers.current, on))
        self.fit.adopted.connect(self._adopted)
        self.doc.designChanged.connect(lambda _design: (self.refresh_advice(), self._show_current()))
        # A log's points changed (a followed file): the box shows them. The design's own changes
        # reach it as committed designs, not with every drag move.
        self.layers.dataChanged.connect(
            lambda layer: self._show_current() if layer is self.layers.current and not layer.is_design else None
        )
        self.layers.inserted.connect(lambda layer: logs.show() if isinstance(layer, LogLayer) else None)
        self.refresh_advice()
        self._show_current()

    def _show_current(self) -> None:
        if self.panel is not None:
            layer = self.layers.current
            self.panel.logs.show_layer(layer, *self.comparison(layer))

    def _current_changed(self, layer: Layer) -> None:
        """Which log actions the current layer allows (a disabled action's tip says why)."""
        follow, plateau, make = (self.actions[k] for k in ("logs.follow", "logs.plateau", "logs.make_design"))
        follow.setEnabled(layer.can_follow)
        plateau.setEnabled(layer.can_simulate_plateau)
        with blocked(follow):
            follow.setChecked(layer.can_follow and layer.follow)
        problem = fit_problem(layer)
        make.setEnabled(not problem)
        make.setToolTip(problem or actions.SPECS["logs.make_design"].tip)
        self._show_current()

    def _adopted(self, layer) -> None:
        """The log's fit is the design: the design and the log shown whole (not the old design,
        which may be far longer), the log current (the Logs box compares them)."""
        if layer in list(self.layers):
            self.canvas.fit([self.layers.design_layer, layer])
            self.layers.set_current(layer)
        else:
            self.canvas.fit([self.layers.design_layer])

    # ---- opening -------------------------------------------------------------------------
    def open_dialog(self, folder: bool = False) -> None:
        start = self.session.last_dir()
        if folder:
            path = self.prompts.ask_folder("Open log folder", start)
        else:
            from ...logs.formats import file_dialog_filter  # the readers, once a log is opened

            path = self.prompts.ask_open_path("Open log file", start, file_dialog_filter())
        if path:
            self.open(path)

    def open(self, path: str, pick=None, lead: str = "") -> LogReader:
        """Read `path` in a worker thread with a progress dialog (Cancel stops the reader);
        then ask which series to draw (`pick` answers instead of the dialog). `lead` starts the
        status message once it is drawn (what opened it)."""
        reader = LogReader(path, self)
        self.readers.append(reader)
        progress = QProgressDialog(
            f"Reading {os.path.basename(path) or path} ...", "Cancel", 0, 1000, self.prompts.parent
        )
        progress.setWindowTitle("Open log")
        progress.setMinimumDuration(400)
        progress.setAutoClose(True)
        progress.canceled.connect(reader.cancel)
        progress.canceled.connect(lambda: self.message.emit(f"reading {path} cancelled"))
        reader.progress.connect(lambda done, total: progress.setValue(int(1000 * done / total) if total else 0))
        reader.finished.connect(lambda p, runs: self._read_done(reader, progress, p, runs, pick, lead))
        reader.failed.connect(lambda p, text: self._read_failed(reader, progress, p, text))
        reader.stopped.connect(lambda _p: self._read_stopped(reader, progress))
        self.progress = progress
        reader.start()
        return reader

    def _read_done(self, reader: LogReader, progress, path: str, runs, pick, lead: str = "") -> None:
        progress.reset()
        self._forget(reader)
        if not reader.cancelled:
            self._loaded(path, runs, pick, lead)

    def _read_failed(self, reader: LogReader, progress, path: str, text: str) -> None:
        progress.reset()
        self._forget(reader)
        self._failed(path, text)

    def _read_stopped(self, reader: LogReader, progress) -> None:
        progress.reset()
        self._forget(reader)

    def _forget(self, reader: LogReader) -> None:
        if reader in self.readers:
            self.readers.remove(reader)

    def _failed(self, path: str, text: str) -> None:
        self.failures.append(text)
        self.prompts.warn("Open log", text)
        self.session.remember(path, drop=True)

    def _loaded(self, path: str, runs, pick=None, lead: str = "") -> None:
        warnings = list(getattr(runs, "warnings", []))
        for run in runs:
            warnings += [f"{run.name}: {w}" for w in run.warnings]
        chooser = pick or self.pick
        if chooser is not None:
            pairs = chooser(path, runs, warnings)
        else:
            from ..dialogs.log_import import SeriesDialog

            dialog = SeriesDialog(self.prompts.parent, path, runs, warnings)
            if not dialog.exec():
                return
            pairs = dialog.chosen()
        added = self.add_series(path, runs, pairs)
        self.session.remember(path)
        note = f" ({len(warnings)} note(s): {warnings[0]})" if warnings else ""
        spe = self.doc.design.steps_per_epoch
        unplaced = [layer for layer in added if is_epoch_indexed(layer.series, layer.writer)]
        if unplaced and not spe:
            note += f"; {len(unplaced)} series count epochs: set the design's steps per epoch to place them"
        self.message.emit(f"{lead + '; ' if lead else ''}opened {path}: {len(pairs)} series{note}")
        self.opened.emit(path)

    def add_series(self, path: str, runs, pairs) -> list[LogLayer]:
        """Draw the (run, tag) `pairs` of `runs`, read from `path`; the runs go to the Logs model."""
        path = os.path.abspath(path)
        self.logs.put(path, runs)
        by_name = {run.name: run for run in runs}
        added = []
        with self._batched():
            for run_name, tag in pairs:
                run = by_name.get(run_name)
                series = self.logs.series(path, run_name, tag)
                if run is None or series is None:
                    continue
                layer = LogLayer(
                    name=f"{run_name}/{tag}",
                    color=self.layers.next_color(),
                    series=series,
                    writer=getattr(run, "writer", "") or guess_writer(run),
                    path=path,
                    axis="lr" if is_lr_tag(tag) else "right",
                    run_lr=self.logs.lr_of(path, run_name),
                )
                added.append(self.layers.add(layer))
        self.refresh_advice()
        return added

    # ---- the selected log ----------------------------------------------------------------------
    def comparison(self, layer) -> tuple[str, int | None]:
        """How a logged LR compares with the design ("" for other series), and the step offset
        under which it would follow the design exactly (None when there is none to offer)."""
        if layer is None or not layer.can_fit:
            return "", None
        try:
            result = compare_lr(
                layer.series, self.doc.design, self.doc.design.steps_per_epoch, layer.offset, layer.writer
            )
        except ValueError as exc:
            return str(exc), None
        return f"{layer.name}: {result.message()}", getattr(result, "suggested_offset", None)

    def comparison_text(self, layer) -> str:
        """How a logged LR compares with the design ("" for other series)."""
        return self.comparison(layer)[0]

    def set_offset(self, layer, text: str) -> str:
        """Shift a log layer by the typed steps; returns why the text was refused ("" if it was not)."""
        if not isinstance(layer, LogLayer):
            return ""
        try:
            offset = 0 if not text.strip() else parse_steps(text, "step offset", minimum=-(2**62))
        except DesignError as exc:
            self.message.emit(str(exc))
            return str(exc)
        self.shift(layer, offset)
        return ""

    def shift(self, layer, offset: int) -> None:
        """Draw a log layer `offset` steps from where it was logged (one undo step)."""
        if not isinstance(layer, LogLayer):
            return
        if offset != layer.offset:
            self.history.push(SetLogOffset(self.layers, layer, offset, self._placed))
        self.message.emit(f"{layer.name}: drawn {offset:+,} steps from where it was logged")

    def _placed(self, _layer) -> None:
        """A log moved on the step axis: the loss axis follows it (the advice and plateau cuts
        follow its dataChanged)."""
        if self.canvas is not None:
            self.canvas.fit_loss()

    def set_follow(self, layer, on: bool) -> None:
        """Follow the layer's file as it grows (one reader per file, however many layers follow it)."""
        if layer is None or not layer.can_follow:
            return
        layer.follow = on
        self._sync_follower(layer.path)
        if layer is self.layers.current:  # the menu's tick and the Logs box's checkbox agree
            self._current_changed(layer)
        self.message.emit(f"{'following' if on else 'stopped following'} {layer.name}")

    def _sync_follower(self, path: str) -> None:
        wanted = any(layer.follow and layer.path == path for layer in self.layers.logs())
        follower = self.followers.get(path)
        if wanted and follower is None:
            follower = LogFollower(path, 1.0, self)
            follower.updated.connect(lambda updates: self.logs.merge(path, updates))
            follower.failed.connect(self.message.emit)
            self.followers[path] = follower
            follower.start()
        elif not wanted and follower is not None:
            self.followers.pop(path)
            follower.stop()
            follower.updated.disconnect()  # points it read before it stopped are not merged
            follower.failed.disconnect()
            follower.deleteLater()  # its thread touches no Qt object: it ends on its own

    def _logs_updated(self, path: str, keys: set) -> None:
        """New points in the Logs model: every layer of that file draws them (the model is the
        one home of its series)."""
        changed = False
        with self._batched():
            for layer in self.layers.logs():
                if layer.path != path:
                    continue
                if layer.run_lr is not None and (layer.run, layer.run_lr.tag) in keys:
                    layer.run_lr = self.logs.lr_of(path, layer.run)
                    changed = True
                if (layer.run, layer.tag) in keys:
                    layer.series = self.logs.series(path, layer.run, layer.tag)
                    self.layers.dataChanged.emit(layer)
                    changed = True
        if self.canvas is not None:
            self.canvas.fit_loss()
        if changed:
            self.refresh_advice()

    def stop_all(self) -> None:
        for follower in self.followers.values():
            follower.stop()
        self.followers.clear()
        for reader in self.readers:
            reader.cancel()

    # ---- plateau -------------------------------------------------------------------------------
    def simulate_plateau(self, layer) -> PlateauLayer | None:
        """ReduceLROnPlateau (the design's policy, else Keras's defaults) on a logged metric."""
        if layer is None or not layer.can_simulate_plateau:
            self.message.emit("select a logged validation series (e.g. val_loss) first")
            return None
        design = self.doc.design
        result = self._plateau(layer, design)
        if isinstance(result, str):
            self.message.emit(result)
            return None
        plateau = PlateauLayer(
            name=f"plateau on {layer.name}",
            color=self.layers.next_color(),
            design=design,
            result=result,
            monitor=layer.name,
            monitored=layer,
        )
        self.layers.add(plateau)
        cuts = ", ".join(f"step {c.step:,}: {c.old_lr:.3g} -> {c.new_lr:.3g}" for c in result.cuts[:4])
        self.message.emit(f"{len(result.cuts)} cut(s){': ' + cuts if cuts else ''}")
        return plateau

    @staticmethod
    def _plateau(layer: LogLayer, design):
        """The plateau simulation of `design` on the log layer's series as drawn, or why there is none."""
        from ...workspace import simulate_on_series

        policy = design.plateau or PlateauPolicy(monitor=layer.tag)
        try:
            return simulate_on_series(layer.series, layer.writer, layer.offset, design, policy)
        except (ValueError, DesignError) as exc:
            return str(exc)

    def _replan_plateaus(self, plateaus: list[PlateauLayer]) -> None:
        """Simulate the plateau cuts again on the design as it is now; a plateau layer that can no
        longer be simulated (its series cannot be placed on this design) is removed, and the
        status bar says why."""
        design = self.doc.design
        for plateau in plateaus:
            if plateau.monitored is None:
                continue
            result = self._plateau(plateau.monitored, design)
            if isinstance(result, str):
                self.layers.remove(plateau)
                self.message.emit(f"removed {plateau.name}: {result}")
                continue
            plateau.design, plateau.result = design, result
            self.layers.dataChanged.emit(plateau)

    # ---- advice --------------------------------------------------------------------------------
    def log_advice(self) -> list:
        """Advice from the log layers shown (a hidden or removed layer gives none)."""
        design = self.doc.design
        shown = [
            Logged(layer.series, layer.writer, layer.offset, layer.run_lr)
            for layer in self.layers.logs()
            if layer.visible
        ]
        try:
            return check_series(design, shown, design.steps_per_epoch)
        except (ValueError, DesignError):
            return []

    def refresh_advice(self) -> None:
        if self.panel is not None:
            self.panel.advice.show_design(self.doc.design, self.log_advice())

    @contextmanager
    def _batched(self):
        """Layer signals inside do not refresh the advice (the caller refreshes it once after)."""
        self._batch += 1
        try:
            yield
        finally:
            self._batch -= 1

    def _log_layer_changed(self, layer: Layer) -> None:
        """A layer was added, removed, restyled, hidden or shown."""
        if isinstance(layer, LogLayer) and not self._batch:
            self.refresh_advice()

    def _log_data_changed(self, layer: Layer) -> None:
        """A log's points or place changed: its advice and the plateau cuts simulated on it."""
        if not isinstance(layer, LogLayer):
            return
        self._replan_plateaus([p for p in self.layers.plateaus() if p.monitored is layer])
        if not self._batch:
            self.refresh_advice()

"""Files: designs, workspaces, recent files, the example, the schedule a run used, autosave and
recovery."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox

from ...schedule import designfile
from ...schedule.defaults import default_design
from ...schedule.design import Design
from ...schedule.errors import DesignError
from ...schedule.plateau import PlateauPolicy
from .. import actions
from ..dialogs.preset import PresetDialog
from ..model.document import Document
from ..model.history import History
from ..model.layers import (
    CurveLayer,
    LayerList,
    LogLayer,
    MissingLayer,
    PlateauLayer,
    SnapshotLayer,
    curve_layer,
)
from ..model.session import Session, discard, short_names
from ..model.view_state import ViewState
from .editing import DesignEditor
from .layers import LayerEditor
from .logs import LogEditor
from .prompts import Prompts

if TYPE_CHECKING:
    from ... import workspace

AUTOSAVE_MS = 30_000


def _looks_like_design(path: str) -> bool:
    """A design file declares its format in its first bytes; anything else is tried as a log."""
    if os.path.isdir(path):
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return True  # let the design reader say what is wrong
    return designfile.FORMAT.encode() in head or (path.endswith(".json") and b'"segments"' in head)


RUN_CONFIG_SUFFIXES = (".keras", ".yaml", ".yml", ".json", ".bin", ".pkl", ".pickle", ".pt", ".pth")
NOT_A_RUN_CONFIG = "not a Keras schedule or model config"


def _maybe_run_config(path: str) -> bool:
    """A saved model or training configuration may hold the schedule a run used."""
    return os.path.isfile(path) and path.lower().endswith(RUN_CONFIG_SUFFIXES)


class FilesController(QObject):
    """File intents -> the document, the layers and the session (recent files, recovery)."""

    def __init__(
        self,
        doc: Document,
        history: History,
        layers: LayerList,
        view: ViewState,
        session: Session,
        prompts: Prompts,
        editor: DesignEditor,
        layer_editor: LayerEditor,
        log_editor: LogEditor,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc, self.history, self.layers, self.view = doc, history, layers, view
        self.session, self.prompts = session, prompts
        self.editor, self.layer_editor, self.log_editor = editor, layer_editor, log_editor
        self.canvas = None  # the plot, once `connect_views` has run
        self.workspace_pending: set[str] = set()  # log files of the workspace still being read
        self.unsaved_layers: list[str] = []  # what the last saved workspace left out
        self._ws_order: dict[str, int] = {}
        self._plateau_series: dict = {}
        self.actions = actions.build(
            self,
            {
                "file.new": self.new,
                "file.new_from_preset": self.new_from_preset,
                "file.open": self.open_dialog,
                "file.save": self.save,
                "file.save_as": self.save_as,
                "file.open_example": self.open_example,
                "file.open_workspace": self.open_workspace_dialog,
                "file.save_workspace": self.save_workspace_dialog,
            },
        )
        self.recent_menu = QMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._refresh_recent)
        self._refresh_recent()
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()

    def connect_views(self, canvas) -> None:
        self.canvas = canvas

    def ask_open_path(self) -> str:
        return self.prompts.ask_open_path(
            "Open design", self.session.last_dir(), "Designs (*.json);;All files (*)"
        )

    def ask_save_path(self) -> str:
        start = self.doc.path or os.path.join(self.session.last_dir(), self.doc.design.name + ".json")
        return self.prompts.ask_save_path("Save design", start, "Designs (*.json)")

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.doc.modified:
            return True
        answer = self.prompts.ask_unsaved(self.doc.design.name)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _replace(self, design: Design, path: str = "") -> None:
        self.editor.drag = None
        self.editor.selection.select_knot(None)
        self.history.clear()
        self.doc.replace(design, path)
        self.history.setClean()
        self.canvas.fit()

    def new(self) -> None:
        if self.maybe_save():
            self._replace(default_design())

    def new_from_preset(self) -> None:
        if not self.maybe_save():
            return
        dialog = PresetDialog(self.prompts.parent)
        if not dialog.exec():
            return
        self._replace(dialog.design)

    def open_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a design or a workspace file (told apart by content)."""
        from ... import workspace

        if workspace.looks_like_workspace(path):
            return self.open_workspace(path)
        if not _looks_like_design(path):
            if _maybe_run_config(path):
                imported = self.import_run_schedule(path)
                if imported is not None:
                    return imported
            self.log_editor.open(path)  # a training log: drawn over the design
            return True
        if not self.maybe_save():
            return False
        try:
            design = designfile.load(path)
        except (DesignError, OSError) as exc:
            self.prompts.warn("Open design", str(exc))
            self.session.remember(path, drop=True)
            return False
        self._replace(design, os.path.abspath(path))
        self.session.remember(path)
        return True

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        if not path.endswith(".json"):
            path += ".json"
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            designfile.save(self.doc.design, path)
        except OSError as exc:
            self.prompts.warn("Save design", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.mark_saved(os.path.abspath(path))
        self.history.setClean()
        self.session.remember(path)
        self.session.clear_recovery()
        self.prompts.say(f"saved {path}", 4000)
        return True

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.session.recent()
        for path, name in zip(files, short_names(files)):
            self.recent_menu.addAction(name, lambda p=path: self.open_path(p)).setToolTip(path)
        self.recent_menu.setEnabled(bool(files))

    # ---- the example --------------------------------------------------------------------------
    def open_example_design(self) -> bool:
        """The example design alone, unsaved."""
        from ... import resources

        design_path = resources.example_run() / "design.json"
        try:
            design = designfile.load(design_path)
        except DesignError:
            self.prompts.warn("Open example", f"the example is not installed ({design_path})")
            return False
        if not self.maybe_save():
            return False
        self._replace(design)  # unsaved: Save asks where, never over the installed example
        return True

    def open_example(self) -> bool:
        """The example design (a small Transformer's Noam schedule) with its real training logs."""
        from ... import resources
        from ...logs import catalog
        from ..dialogs.log_import import default_pick

        if not self.open_example_design():
            return False
        logs = resources.example_logs()
        if logs.is_dir():
            self.log_editor.open(
                str(logs), pick=lambda p, runs, w: [(i.run, i.tag) for i in catalog(runs) if default_pick(i)]
            )
        return True

    # ---- the schedule a run used -------------------------------------------------------------
    def import_run_schedule(self, path: str, steps_per_epoch: int | None = None) -> bool | None:
        """Open the schedule inside a .keras model, a Keras config, Hugging Face training arguments
        or a timm args.yaml as the design (nothing is executed). None: the file is none of these."""
        from ...schedule.runconfig import load_run_schedule

        try:
            # Only the steps per epoch given for this run: the open design's belong to another run.
            run = load_run_schedule(path, steps_per_epoch=steps_per_epoch)
        except DesignError as exc:
            text = str(exc)
            if NOT_A_RUN_CONFIG in text and path.lower().endswith(".json"):
                return None  # a JSON log (trainer_state.json, metrics.json ...)
            if "steps per epoch" in text.lower() or "steps_per_epoch" in text:
                spe = self.prompts.ask_steps_per_epoch(path, self.doc.design.steps_per_epoch)
                if spe:
                    return self.import_run_schedule(path, spe)
            self.prompts.warn("Open", text)
            return False
        if not self.maybe_save():
            return False
        design = run.design
        if steps_per_epoch and design.steps_per_epoch is None:
            design = design.replace(steps_per_epoch=steps_per_epoch)  # epoch logs are placed with it
        self._replace(design)
        self.session.remember(path)
        groups = self._add_run_groups(run)
        notes = list(run.notes)
        if groups:
            notes.append(f"other LR groups as comparisons: {', '.join(groups)}")
        notes_text = f" ({'; '.join(notes)})" if notes else ""
        text = f"opened the schedule of {os.path.basename(path)}{notes_text}"
        self.prompts.say(text, 12000)
        log = getattr(run, "log", None)
        if log:
            self._open_run_log(log, text)
        return True

    def _add_run_groups(self, run) -> list[str]:
        """The run's other parameter groups (Ultralytics' bias group ...) as comparison layers
        named after their LR tag; those following the design are left out."""
        added = []
        for tag, design in getattr(run, "groups", {}).items():
            if design.replace(name=run.design.name) != run.design:
                self.layer_editor.add_design(design, {"snapshot": True}, tag)
                added.append(tag)
        return added

    def _open_run_log(self, log: str, lead: str) -> None:
        """The log beside a run's settings, drawn over its design: its LRs and losses (what the
        series picker checks at first)."""
        from ...logs import catalog
        from ..dialogs.log_import import default_pick

        self.log_editor.open(
            log, pick=lambda p, runs, w: [(i.run, i.tag) for i in catalog(runs) if default_pick(i)], lead=lead
        )

    # ---- workspaces ------------------------------------------------------------------------
    def current_workspace(self) -> workspace.Workspace:
        from ... import workspace

        specs: list[workspace.AnySpec] = []
        logs = [layer for layer in self.layers.after_design() if isinstance(layer, LogLayer)]
        self.unsaved_layers = []
        for layer in self.layers.after_design():
            style = {"color": layer.color, "visible": layer.visible, "line": layer.line}
            if isinstance(layer, LogLayer):
                ref = workspace.SeriesRef(layer.path, layer.run, layer.tag, layer.offset)
                specs.append(workspace.LogSpec(layer.name, ref, follow=layer.follow, **style))
            elif isinstance(layer, PlateauLayer):
                spec = self._plateau_spec(layer, logs)
                if spec is None:
                    self.unsaved_layers.append(layer.name)
                else:
                    specs.append(spec)
            elif isinstance(layer, MissingLayer) and "saved" in layer.source:
                # A log the workspace named that could not be read: kept as it was saved.
                saved = layer.source["saved"]
                specs.append(type(saved)(**{**vars(saved), "name": layer.name, **style}))
            elif isinstance(layer, (CurveLayer, MissingLayer)):
                source = dict(layer.source)
                if isinstance(layer, SnapshotLayer):
                    source = {"design": designfile.to_dict(layer.design)}
                specs.append(workspace.LayerSpec(layer.name, source, **style))
        view = {"log_scale": self.view.log_scale, "epochs": self.view.epochs, "dark": self.view.dark}
        if any(spec.kind != "compare" for spec in specs):
            view[workspace.SMOOTHING] = self.view.smoothing
            view[workspace.LOSS_LOG] = self.view.loss_log
        if self.view.legend != "auto":
            view[workspace.LEGEND] = self.view.legend
        return workspace.Workspace(self.doc.design, self.doc.path, specs, view)

    def _plateau_spec(self, layer: PlateauLayer, logs: list[LogLayer]) -> workspace.PlateauSpec | None:
        """Plateau cuts as saved: the series they were simulated on (kept from the workspace they
        came from, else the open log they name) and the policy."""
        from ... import workspace

        log = layer.monitored
        ref = self._plateau_series.get(layer.id)
        if log is not None and log in logs:
            ref = workspace.SeriesRef(log.path, log.run, log.tag, log.offset)
        if ref is None:
            log = next((lg for lg in logs if lg.name == layer.monitor), None) or next(
                (lg for lg in logs if f"{lg.run}/{lg.tag}" == layer.monitor), None
            )
            if log is None or layer.design is None:
                return None
            ref = workspace.SeriesRef(log.path, log.run, log.tag, log.offset)
        policy = layer.design.plateau or PlateauPolicy(monitor=ref.tag)
        return workspace.PlateauSpec(layer.name, ref, policy, layer.color, layer.visible, layer.line)

    def save_workspace(self, path: str) -> bool:
        from ... import workspace

        try:
            workspace.save(self.current_workspace(), path)
        except (OSError, ValueError) as exc:
            self.prompts.warn("Save workspace", f"{path}: {getattr(exc, 'strerror', None) or exc}")
            return False
        self.session.remember(path)
        note = ""
        if self.unsaved_layers:
            note = f"; left out {', '.join(self.unsaved_layers)}: the series it was simulated on is not open"
        self.prompts.say(f"saved workspace {path}{note}", 10000)
        return True

    def open_workspace(self, path: str) -> bool:
        """Open a workspace; a bad file changes nothing, a missing referenced file becomes a
        "missing" layer. Logs are read in the background (`workspace_pending` names those still
        being read) and take their saved places among the layers."""
        from ... import workspace

        try:
            ws = workspace.load(path)
        except DesignError as exc:
            self.prompts.warn("Open workspace", str(exc))
            self.session.remember(path, drop=True)
            return False
        if not self.maybe_save():
            return False
        for layer in list(self.layers.after_design()):
            if isinstance(layer, LogLayer) and layer.follow:
                self.log_editor.set_follow(layer, False)
            self.layers.remove(layer)
        self._replace(ws.design, ws.design_path if ws.design_path and os.path.isfile(ws.design_path) else "")
        if self.doc.path and designfile.load(self.doc.path) != ws.design:
            self.doc.forget_path()  # the workspace holds a newer version than the file
        self._ws_order = {}
        self._plateau_series = {}
        self.workspace_pending = set()
        by_file: dict[str, list[tuple[int, workspace.AnySpec]]] = {}
        missing = []
        for order, spec in enumerate(ws.layers):
            if isinstance(spec, (workspace.LogSpec, workspace.PlateauSpec)):
                by_file.setdefault(spec.series.path, []).append((order, spec))
                continue
            source = spec.source
            if spec.design is None:
                layer = MissingLayer(
                    name=spec.name,
                    color=spec.color or "#999999",
                    source=source,
                    problem=spec.problem,
                    visible=spec.visible,
                )
                missing.append(spec.problem)
            else:
                if "design" in source:
                    source = {"snapshot": True}
                layer = curve_layer(
                    source,
                    name=spec.name,
                    color=spec.color or self.layers.next_color(),
                    visible=spec.visible,
                    line=spec.line,
                    fixed=spec.design,
                )
            self._ws_order[layer.id] = order
            self.layers.add(layer)
        for key, value in ws.view.items():
            self.view.set(key, value, remember=False)
        for log_path, entries in by_file.items():
            if not os.path.exists(log_path):
                problem = f"log file {log_path} is gone"
                missing.append(problem)
                self._missing_logs(entries, problem)
            else:
                self._open_workspace_log(log_path, entries)
        self.canvas.fit()
        self.session.remember(path)
        logs_gone = [p for p in missing if p.startswith("log file")]
        if logs_gone:
            self.prompts.warn(
                "Open workspace", f"{path}: {'; '.join(logs_gone)}. The rest of the workspace is open."
            )
        note = f"; {len(missing)} layer(s) missing: {missing[0]}" if missing else ""
        self.prompts.say(f"opened workspace {path}{note}", 10000)
        return True

    def _missing_logs(self, entries, problem: str) -> None:
        """Log and plateau layers whose series cannot be read: shown as missing, saved as they were."""
        for order, spec in entries:
            layer = MissingLayer(
                name=spec.name,
                color=spec.color or "#999999",
                source={"saved": spec},
                problem=problem,
                visible=spec.visible,
            )
            self._ws_order[layer.id] = order
            self.layers.add(layer)
        self._restore_order()

    def _open_workspace_log(self, path: str, entries) -> None:
        """Read a log the workspace names in the background; its layers then get their saved
        names, styles, offsets, follow and plateau cuts."""
        read: dict = {}
        before = {layer.id for layer in self.layers}
        pairs = [(spec.series.run, spec.series.tag) for _order, spec in entries if spec.kind == "log"]

        def pick(_path, runs, _warnings):
            read["runs"] = runs
            return pairs

        def opened(opened_path: str) -> None:
            if opened_path != path or path not in self.workspace_pending:
                return
            self.log_editor.opened.disconnect(opened)
            self.workspace_pending.discard(path)
            added = [
                layer
                for layer in self.layers.after_design()
                if isinstance(layer, LogLayer) and layer.id not in before and layer.path == path
            ]
            self._restore_log_layers(path, entries, added, read.get("runs") or [])

        def failed(_path: str, text: str) -> None:
            if path in self.workspace_pending:
                self.workspace_pending.discard(path)
                self.log_editor.opened.disconnect(opened)
                self._missing_logs(entries, text)

        self.workspace_pending.add(path)
        self.log_editor.opened.connect(opened)
        reader = self.log_editor.open(path, pick=pick)
        reader.failed.connect(failed)
        reader.stopped.connect(lambda p: failed(p, f"reading {p} cancelled"))

    def _restore_log_layers(self, path: str, entries, added: list[LogLayer], runs) -> None:
        from ... import workspace
        from ...logs import guess_writer

        gone = []
        for order, spec in entries:
            ref = spec.series
            if spec.kind == "log":
                layer = next((lg for lg in added if (lg.run, lg.tag) == (ref.run, ref.tag)), None)
                if layer is None:
                    gone.append((order, spec))
                    continue
                added.remove(layer)
                self._ws_order[layer.id] = order
                self.layers.update(
                    layer,
                    name=spec.name,
                    color=spec.color or layer.color,
                    visible=spec.visible,
                    line=spec.line,
                    offset=ref.offset,
                )
                self.layers.dataChanged.emit(layer)
                if spec.follow:
                    self.log_editor.set_follow(layer, True)
                continue
            run = next((r for r in runs if r.name == ref.run), None)
            series = run.series.get(ref.tag) if run is not None else None
            if series is None:
                gone.append((order, spec))
                continue
            writer = getattr(run, "writer", "") or guess_writer(run)
            try:
                result = workspace.simulate_on_series(series, writer, ref.offset, self.doc.design, spec.policy)
            except (ValueError, DesignError) as exc:
                self._missing_logs([(order, spec)], str(exc))
                continue
            plateau = PlateauLayer(
                name=spec.name,
                color=spec.color or self.layers.next_color(),
                visible=spec.visible,
                line=spec.line,
                design=self.doc.design,
                result=result,
                monitor=f"{ref.run}/{ref.tag}",
            )
            monitored = next(
                (
                    lg
                    for lg in self.layers.after_design()
                    if isinstance(lg, LogLayer)
                    and lg.path == path
                    and (lg.run, lg.tag, lg.offset) == (ref.run, ref.tag, ref.offset)
                ),
                None,
            )
            if monitored is not None:
                plateau.monitored = monitored  # the cuts follow the design and that series
            self._ws_order[plateau.id] = order
            self._plateau_series[plateau.id] = ref
            self.layers.add(plateau)
        for order, spec in gone:
            problem = f"{spec.series.run}/{spec.series.tag} is not in {path}"
            self._missing_logs([(order, spec)], problem)
            self.prompts.say(problem, 10000)
        self._restore_order()
        self.canvas.fit_loss()
        self.log_editor.refresh_advice()

    def _restore_order(self) -> None:
        """The workspace's layers in their saved order (layers added since come after them)."""
        placed = sorted(
            (layer for layer in self.layers.after_design() if layer.id in self._ws_order),
            key=lambda layer: self._ws_order[layer.id],
        )
        for index, layer in enumerate(placed, start=1):
            if self.layers.index(layer) != index:
                self.layers.move(layer, index)

    def open_workspace_dialog(self) -> None:
        filters = "Workspaces (*.lrworkspace.json *.json);;All files (*)"
        path = self.prompts.ask_open_path("Open workspace", self.session.last_dir(), filters)
        if path:
            self.open_workspace(path)

    def save_workspace_dialog(self) -> None:
        start = os.path.join(self.session.last_dir(), self.doc.design.name + ".lrworkspace.json")
        path = self.prompts.ask_save_path("Save workspace", start, "Workspaces (*.lrworkspace.json)")
        if path:
            if not path.endswith(".json"):
                path += ".lrworkspace.json"
            self.save_workspace(path)

    # ---- autosave and recovery ---------------------------------------------------------
    def write_recovery(self) -> None:
        if not self.doc.modified:
            return
        try:
            self.session.write_recovery(self.doc.design, self.doc.path)
        except OSError as exc:
            self.prompts.say(f"autosave failed: {exc.strerror or exc}", 10000)

    def offer_recovery(self) -> bool:
        restored = False
        for found in self.session.orphans():
            if not restored and self.prompts.ask_restore(found.when):
                self.doc.replace(self.doc.design, found.source)
                self.editor.commit(found.design, "Restore autosaved design")
                self.canvas.fit()
                restored = True
            discard(found.path)
        return restored

    def closed(self) -> None:
        """The window closed normally: nothing to recover next time."""
        self.session.clear_recovery()
        self.autosave.stop()

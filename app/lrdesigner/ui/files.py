"""The window's files: designs, workspaces, recent files, dropped files and plot export."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from .. import workspace
from ..schedule import designfile
from ..schedule.defaults import default_design
from ..schedule.design import Design
from ..schedule.errors import DesignError
from ..schedule.plateau import PlateauPolicy
from .dialogs.preset import PresetDialog
from .model.layers import CurveLayer, LogLayer, MissingLayer, PlateauLayer


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


class FilesMixin:
    """File handling of the MainWindow (it provides doc, layers, canvas, session, view, editor)."""

    #: Log files of the workspace being opened that are still being read.
    workspace_pending: frozenset[str] | set[str] = frozenset()
    #: Layers the last saved workspace left out (plateau cuts whose series is not open).
    unsaved_layers: list[str] = []

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel for unsaved changes (tests replace this)."""
        return QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.doc.design.name!r}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def ask_restore(self, when: str) -> bool:
        """Whether to restore the recovered design (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "Recover unsaved work",
            f"LR Designer did not close normally. Restore the design autosaved {when}?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_open_path(self) -> str:
        return QFileDialog.getOpenFileName(
            self, "Open design", self.session.last_dir(), "Designs (*.json);;All files (*)"
        )[0]

    def ask_save_path(self) -> str:
        start = self.doc.path or os.path.join(self.session.last_dir(), self.doc.design.name + ".json")
        return QFileDialog.getSaveFileName(self, "Save design", start, "Designs (*.json)")[0]

    def warn(self, title: str, text: str) -> None:
        self.statusBar().showMessage(text, 10000)
        if not os.environ.get("LRDESIGNER_NO_DIALOGS"):
            QMessageBox.warning(self, title, text)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document."""
        if not self.doc.modified:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _replace(self, design: Design, path: str = "") -> None:
        self.editor.drag = None
        self.editor.selection.select_knot(None)
        self.doc.replace(design, path)
        self.canvas.fit()

    def new(self) -> None:
        if self.maybe_save():
            self._replace(default_design())

    def new_from_preset(self) -> None:
        if not self.maybe_save():
            return
        dialog = PresetDialog(self)
        if not dialog.exec():
            return
        self._replace(dialog.design)

    def open_dialog(self) -> None:
        path = self.ask_open_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a design or a workspace file (told apart by content)."""
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
            self.warn("Open design", str(exc))
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
            self.warn("Save design", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.mark_saved(os.path.abspath(path))
        self.session.remember(path)
        self.session.clear_recovery()
        self.statusBar().showMessage(f"saved {path}", 4000)
        return True

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        files = self.session.recent()
        for p in files:
            self.recent_menu.addAction(os.path.basename(p), lambda p=p: self.open_path(p)).setToolTip(p)
        self.recent_menu.setEnabled(bool(files))

    def dragEnterEvent(self, ev):  # noqa: N802
        if ev.mimeData().hasUrls() and any(u.isLocalFile() for u in ev.mimeData().urls()):
            ev.acceptProposedAction()

    def dropEvent(self, ev):  # noqa: N802
        """A design or workspace replaces the document; logs (files or folders) are drawn over it."""
        for url in ev.mimeData().urls():
            if url.isLocalFile():
                self.open_path(url.toLocalFile())
                ev.acceptProposedAction()

    # ---- the example --------------------------------------------------------------------------
    def open_example_design(self) -> bool:
        """The example design alone, unsaved."""
        from .. import resources

        design_path = resources.example_run() / "design.json"
        try:
            design = designfile.load(design_path)
        except DesignError:
            self.warn("Open example", f"the example is not installed ({design_path})")
            return False
        if not self.maybe_save():
            return False
        self._replace(design)  # unsaved: Save asks where, never over the installed example
        return True

    def open_example(self) -> bool:
        """The example design (a small Transformer's Noam schedule) with its real training logs."""
        from .. import resources
        from ..logs import catalog
        from .dialogs.log_import import default_pick

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
        from ..schedule.runconfig import load_run_schedule

        try:
            run = load_run_schedule(path, steps_per_epoch=steps_per_epoch or self.doc.design.steps_per_epoch)
        except DesignError as exc:
            text = str(exc)
            if NOT_A_RUN_CONFIG in text and path.lower().endswith(".json"):
                return None  # a JSON log (trainer_state.json, metrics.json ...)
            if "steps per epoch" in text.lower() or "steps_per_epoch" in text:
                spe = self.ask_steps_per_epoch(path)
                if spe:
                    return self.import_run_schedule(path, spe)
            self.warn("Open", text)
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
        self.statusBar().showMessage(text, 12000)
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
        from ..logs import catalog
        from .dialogs.log_import import default_pick

        self.log_editor.open(
            log, pick=lambda p, runs, w: [(i.run, i.tag) for i in catalog(runs) if default_pick(i)], lead=lead
        )

    def ask_steps_per_epoch(self, path: str) -> int | None:
        """The run counts epochs: how many optimizer steps make one (tests replace this)."""
        if os.environ.get("LRDESIGNER_NO_DIALOGS"):
            return None
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getInt(
            self,
            "Steps per epoch",
            f"{os.path.basename(path)} counts epochs. Optimizer steps per epoch:",
            1000,
            1,
            2**31 - 1,
        )
        return value if ok else None

    # ---- workspaces ------------------------------------------------------------------------
    def current_workspace(self) -> workspace.Workspace:
        specs: list[workspace.AnySpec] = []
        logs = [layer for layer in self._after_design() if isinstance(layer, LogLayer)]
        self.unsaved_layers = []
        for layer in self._after_design():
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
                if source.get("snapshot") and isinstance(layer, CurveLayer):
                    source = {"design": designfile.to_dict(layer.design)}
                specs.append(workspace.LayerSpec(layer.name, source, **style))
        view = {"log_scale": self.view.log_scale, "epochs": self.view.epochs, "dark": self.view.dark}
        if any(spec.kind != "compare" for spec in specs):
            view[workspace.SMOOTHING] = self.view.smoothing
        return workspace.Workspace(self.doc.design, self.doc.path, specs, view)

    def _after_design(self) -> list:
        """Every layer but the design: comparisons, logs and plateau results, in order."""
        after = getattr(self.layers, "after_design", None)
        return after() if after is not None else self.layers.comparisons()

    def _plateau_spec(self, layer: PlateauLayer, logs: list[LogLayer]) -> workspace.PlateauSpec | None:
        """Plateau cuts as saved: the series they were simulated on (kept from the workspace they
        came from, else the open log they name) and the policy."""
        log = getattr(layer, "monitored", None)
        ref = getattr(self, "_plateau_series", {}).get(layer.id)
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
        try:
            workspace.save(self.current_workspace(), path)
        except (OSError, ValueError) as exc:
            self.warn("Save workspace", f"{path}: {getattr(exc, 'strerror', None) or exc}")
            return False
        self.session.remember(path)
        note = ""
        if self.unsaved_layers:
            note = f"; left out {', '.join(self.unsaved_layers)}: the series it was simulated on is not open"
        self.statusBar().showMessage(f"saved workspace {path}{note}", 10000)
        return True

    def open_workspace(self, path: str) -> bool:
        """Open a workspace; a bad file changes nothing, a missing referenced file becomes a
        "missing" layer. Logs are read in the background (`workspace_pending` names those still
        being read) and take their saved places among the layers."""
        try:
            ws = workspace.load(path)
        except DesignError as exc:
            self.warn("Open workspace", str(exc))
            self.session.remember(path, drop=True)
            return False
        if not self.maybe_save():
            return False
        for layer in list(self._after_design()):
            if isinstance(layer, LogLayer) and layer.follow:
                self.log_editor.set_follow(layer, False)
            self.layers.remove(layer)
        self._replace(ws.design, ws.design_path if ws.design_path and os.path.isfile(ws.design_path) else "")
        if self.doc.path and designfile.load(self.doc.path) != ws.design:
            self.doc.path = ""  # the workspace holds a newer version than the file
            self._update_title()
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
                layer = CurveLayer(
                    name=spec.name,
                    color=spec.color or self.layers.next_color(),
                    visible=spec.visible,
                    line=spec.line,
                    fixed=spec.design,
                    source=source,
                )
            self._ws_order[layer.id] = order
            self.layers.add(layer)
        for key, value in ws.view.items():
            if key == workspace.SMOOTHING:
                self.view.set_smoothing(value, remember=False)
            else:
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
            self.warn("Open workspace", f"{path}: {'; '.join(logs_gone)}. The rest of the workspace is open.")
        note = f"; {len(missing)} layer(s) missing: {missing[0]}" if missing else ""
        self.statusBar().showMessage(f"opened workspace {path}{note}", 10000)
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
                for layer in self._after_design()
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
        from ..logs import guess_writer

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
                    for lg in self._after_design()
                    if isinstance(lg, LogLayer)
                    and lg.path == path
                    and (lg.run, lg.tag, lg.offset) == (ref.run, ref.tag, ref.offset)
                ),
                None,
            )
            if monitored is not None and hasattr(plateau, "monitored"):
                plateau.monitored = monitored  # the cuts follow the design and that series
            self._ws_order[plateau.id] = order
            self._plateau_series[plateau.id] = ref
            self.layers.add(plateau)
        for order, spec in gone:
            problem = f"{spec.series.run}/{spec.series.tag} is not in {path}"
            self._missing_logs([(order, spec)], problem)
            self.statusBar().showMessage(problem, 10000)
        self._restore_order()
        self.canvas.fit_loss()
        self.log_editor.refresh_advice()

    def _restore_order(self) -> None:
        """The workspace's layers in their saved order (layers added since come after them)."""
        placed = sorted(
            (layer for layer in self._after_design() if layer.id in self._ws_order),
            key=lambda layer: self._ws_order[layer.id],
        )
        for index, layer in enumerate(placed, start=1):
            if self.layers.index(layer) != index:
                self.layers.move(layer, index)

    def open_workspace_dialog(self) -> None:
        path = QFileDialog.getOpenFileName(
            self,
            "Open workspace",
            self.session.last_dir(),
            "Workspaces (*.lrworkspace.json *.json);;All files (*)",
        )[0]
        if path:
            self.open_workspace(path)

    def save_workspace_dialog(self) -> None:
        start = os.path.join(self.session.last_dir(), self.doc.design.name + ".lrworkspace.json")
        path = QFileDialog.getSaveFileName(self, "Save workspace", start, "Workspaces (*.lrworkspace.json)")[0]
        if path:
            if not path.endswith(".json"):
                path += ".lrworkspace.json"
            self.save_workspace(path)

    # ---- the plot as an image ------------------------------------------------------------------
    def export_plot(self, path: str, width: int | None = None) -> bool:
        from .plot.render import export_plot

        try:
            export_plot(self.canvas, path, width)
        except (OSError, ValueError) as exc:
            self.warn("Export plot", f"{path}: {exc}")
            return False
        self.statusBar().showMessage(f"plot saved to {path}", 4000)
        return True

    def export_plot_dialog(self) -> None:
        start = os.path.join(self.session.last_dir(), self.doc.design.name + ".png")
        path, _ = QFileDialog.getSaveFileName(
            self, "Export plot", start, "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if path:
            if not path.lower().endswith((".png", ".svg")):
                path += ".png"
            self.export_plot(path)

    def copy_plot(self) -> None:
        QApplication.clipboard().setImage(self.canvas.grab().toImage())
        self.statusBar().showMessage("plot copied to the clipboard", 3000)

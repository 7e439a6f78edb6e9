"""Making a design from a logged LR: the fit runs in a worker thread (a busy dialog with Cancel),
then the schedule found replaces the design in one undo step, the old design kept beside it."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog

from ...logs import Series
from ...logs.alignment import is_epoch_indexed
from ...schedule.errors import DesignError
from ..model.document import Document
from ..model.layers import LogLayer
from .layers import LayerEditor
from .prompts import Prompts
from .workers import Worker


class SeriesFitter(Worker):
    """Fits one series in a worker thread: `finished(list of logs.fit.Fit)` or `failed(message)`;
    after `cancel()` the result is dropped (the fit itself cannot be interrupted)."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, series: Series, writer: str, steps_per_epoch: int | None, parent=None) -> None:
        super().__init__("log-fit", parent)
        self.series, self.writer, self.steps_per_epoch = series, writer, steps_per_epoch
        from ...logs.fit import fit_series  # the fitting families, once a fit is asked for

        self._fit = fit_series

    def _run(self) -> None:
        try:
            fits = self._fit(self.series, self.writer, self.steps_per_epoch)
        except (ValueError, DesignError, MemoryError) as exc:
            self.report("failed", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a fault in the fit must not leave the busy dialog up
            self.report("failed", f"the fit failed ({type(exc).__name__}: {exc})")
            return
        if not self.cancelled:
            self.report("finished", fits)


def fit_problem(layer) -> str:
    """Why `layer` cannot become a design ("" when it can)."""
    if not isinstance(layer, LogLayer):
        return "select a logged learning rate (a log layer on the LR axis) first"
    if not layer.is_lr:
        return f"{layer.name} is not a learning rate: only a logged LR can be made into a design"
    return ""


def series_as_drawn(layer: LogLayer, steps_per_epoch: int | None) -> tuple[Series, str]:
    """The layer's series with its step offset in its steps, so the fit reproduces the points where
    they are drawn; and a note when the offset cannot be applied (part of an epoch)."""
    series, offset = layer.series, layer.offset
    if not offset:
        return series, ""
    if is_epoch_indexed(series, layer.writer):
        if not steps_per_epoch or offset % steps_per_epoch:
            return series, f"the step offset {offset:+,} is not a whole number of epochs: fitted as logged"
        offset //= steps_per_epoch
    return dataclasses.replace(series, steps=series.steps + offset, wall_times=None), ""


class LogFitEditor(QObject):
    """The action "Make a design from this log". `message(text)` goes to the status bar;
    `adopted(log layer)` once its fit is the design."""

    message = Signal(str)
    adopted = Signal(object)

    def __init__(self, doc: Document, layer_editor: LayerEditor, prompts: Prompts, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.layer_editor, self.prompts = doc, layer_editor, prompts
        self.fitters: list[SeriesFitter] = []

    def make_design(self, layer) -> SeriesFitter | None:
        """Fit the logged LR where it is drawn (its writer's placement, the design's steps per
        epoch, its step offset) in a worker; the result becomes the design."""
        problem = fit_problem(layer)
        spe = self.doc.design.steps_per_epoch
        if not problem and is_epoch_indexed(layer.series, layer.writer) and not spe:
            problem = f"{layer.name} counts epochs: set the design's steps per epoch first"
        if problem:
            self.message.emit(problem)
            return None
        series, note = series_as_drawn(layer, spe)
        fitter = SeriesFitter(series, layer.writer, spe, self)
        self.fitters.append(fitter)
        progress = QProgressDialog(f"Fitting {layer.name} ...", "Cancel", 0, 0, self.prompts.parent)
        progress.setWindowTitle("Make a design from a log")
        progress.setMinimumDuration(400)
        progress.setAutoClose(True)
        progress.canceled.connect(fitter.cancel)
        progress.canceled.connect(lambda: self._forget(fitter, progress))  # its result is dropped
        progress.canceled.connect(lambda: self.message.emit(f"fitting {layer.name} cancelled"))
        fitter.finished.connect(lambda fits: self._fitted(fitter, progress, layer, fits, note))
        fitter.failed.connect(lambda text: self._failed(fitter, progress, layer, text))
        self.progress = progress
        fitter.start()
        return fitter

    def _forget(self, fitter: SeriesFitter, progress: QProgressDialog) -> None:
        if fitter not in self.fitters:
            return
        self.fitters.remove(fitter)
        progress.reset()
        progress.deleteLater()
        fitter.deleteLater()  # its thread touches no Qt object: it ends on its own

    def _failed(self, fitter: SeriesFitter, progress: QProgressDialog, layer, text: str) -> None:
        self._forget(fitter, progress)
        self.message.emit(f"{layer.name}: no design made: {text}")

    def _fitted(self, fitter: SeriesFitter, progress: QProgressDialog, layer, fits: list, note: str) -> None:
        self._forget(fitter, progress)
        if fitter.cancelled:
            return
        fit = fits[-1]  # runs appended into one file: the last one is the run as it ended
        design = fit.design
        if fit.recognized is None:
            design = design.replace(name=f"fitted to {layer.name}")
        current = self.doc.design
        notes = [n for n in (note, *fit.notes) if n]
        found = f"{layer.name}: {fit.summary()}" + (f"; {notes[0]}" if notes else "")
        if design.replace(name=current.name, steps_per_epoch=current.steps_per_epoch) == current:
            self.message.emit(f"{found}; the design is that schedule already")
            self.adopted.emit(layer)
            return
        self.layer_editor.adopt(design, f"Make a design from {layer.name!r}")
        self.message.emit(found)
        self.adopted.emit(layer)

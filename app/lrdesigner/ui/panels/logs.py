"""The logs controls: TensorBoard's smoothing and the loss axis scale (view choices, kept in the
ViewState), and the selected log's offset, Follow toggle and how its logged LR compares with the
design (with the step offset under which it would follow the design, when there is one)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QSlider

from ..model.layers import LogLayer
from ..model.view_state import ViewState

OFFSET_HELP = "Steps added to the selected log's x (a run resumed from a checkpoint)"


class LogsPanel(QGroupBox):
    """Emits `smoothingChanged(weight)`, `lossLogChanged(on)`, `offsetEdited(text)`,
    `offsetChosen(steps)` (the suggested offset taken) and `followChanged(on)`; shows what it is
    given. With a `view`, the smoothing slider and the scale box set the view's choices and follow
    them (the signals then only tell)."""

    smoothingChanged = Signal(float)
    lossLogChanged = Signal(bool)
    offsetEdited = Signal(str)
    offsetChosen = Signal(int)
    followChanged = Signal(bool)

    def __init__(self, view: ViewState | None = None, parent=None) -> None:
        super().__init__("Logs", parent)
        self.view = view
        form = QFormLayout(self)
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 999)
        self.smoothing.setToolTip("TensorBoard's smoothing: exponential moving average with debiasing")
        self.smoothing_label = QLabel("0")
        self.loss_log = QCheckBox("log scale")
        self.offset = QLineEdit()
        self.offset.setPlaceholderText("0")
        self.offset.setToolTip(OFFSET_HELP)
        self.follow = QCheckBox("follow the file as it grows")
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.comparison.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shift = QPushButton()
        self.shift.setToolTip("Set the step offset under which this run follows the design exactly")
        self._suggested: int | None = None
        form.addRow("Smoothing", self.smoothing)
        form.addRow("", self.smoothing_label)
        form.addRow("Right axis", self.loss_log)
        form.addRow("Step offset", self.offset)
        form.addRow("", self.follow)
        form.addRow(self.comparison)
        form.addRow(self.shift)
        self.smoothing.valueChanged.connect(self._smoothing_moved)
        self.loss_log.toggled.connect(self._loss_log_toggled)
        self.offset.editingFinished.connect(lambda: self.offsetEdited.emit(self.offset.text()))
        self.follow.toggled.connect(self.followChanged)
        self.shift.clicked.connect(
            lambda: self._suggested is not None and self.offsetChosen.emit(self._suggested)
        )
        self.show_layer(None, "")
        if view is not None:
            self._view_changed("smoothing")
            self._view_changed("loss_log")
            view.changed.connect(self._view_changed)

    def _view_changed(self, key: str) -> None:
        if key == "smoothing":
            self.set_smoothing(self.view.smoothing)
        elif key == "loss_log":
            with QSignalBlocker(self.loss_log):
                self.loss_log.setChecked(self.view.loss_log)

    def _smoothing_moved(self, value: int) -> None:
        self.smoothing_label.setText(f"{value / 1000:.3f}")
        if self.view is not None:
            self.view.set_smoothing(value / 1000)
        self.smoothingChanged.emit(value / 1000)

    def _loss_log_toggled(self, on: bool) -> None:
        if self.view is not None:
            self.view.set("loss_log", on)
        self.lossLogChanged.emit(on)

    def set_smoothing(self, weight: float) -> None:
        """Show `weight` on the slider (without telling anyone)."""
        with QSignalBlocker(self.smoothing):
            self.smoothing.setValue(int(round(weight * 1000)))
        self.smoothing_label.setText(f"{weight:.3f}")

    def show_offset_problem(self, problem: str) -> None:
        """Mark the typed offset as refused (`problem` says why), or clear the mark ("")."""
        self.offset.setStyleSheet("QLineEdit { border: 1px solid #d55e00; }" if problem else "")
        self.offset.setToolTip(problem or OFFSET_HELP)

    def show_layer(self, layer, comparison: str, suggested_offset: int | None = None) -> None:
        """The selected log layer's offset, Follow state and LR comparison (None: no log selected);
        `suggested_offset`: the offset under which its LR follows the design, offered as a button."""
        enabled = isinstance(layer, LogLayer)
        for w in (self.offset, self.follow):
            w.setEnabled(enabled)
        with QSignalBlocker(self.offset), QSignalBlocker(self.follow):
            self.offset.setText(f"{layer.offset:,}" if enabled and layer.offset else "")
            self.follow.setChecked(bool(enabled and layer.follow))
        self.show_offset_problem("")
        self.comparison.setText(comparison)
        self._suggested = suggested_offset if enabled and suggested_offset != layer.offset else None
        if self._suggested is not None:
            self.shift.setText(f"Shift by {self._suggested - layer.offset:+,} steps")
        self.shift.setVisible(self._suggested is not None)

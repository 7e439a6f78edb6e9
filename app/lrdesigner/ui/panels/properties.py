"""The design's own properties: name, description, total steps, steps per epoch, after the end."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit

from ...schedule.design import AFTER_END, AFTER_END_HELP, Design
from ..wheel import ScrollSafeComboBox


def plateau_text(policy) -> str:
    """A plateau policy as the settings that differ from the defaults (empty: no policy)."""
    if policy is None:
        return ""
    from dataclasses import fields

    from ...schedule.plateau import PlateauPolicy

    default = PlateauPolicy()
    parts = [
        f"{f.name}={getattr(policy, f.name)!r}"
        for f in fields(policy)
        if getattr(policy, f.name) != getattr(default, f.name)
    ]
    return ", ".join(parts).replace("'", "") or "monitor=val_loss"


class PropertiesForm(QGroupBox):
    """Emits `edited(field, value)`; steps per epoch and the plateau policy travel as the typed
    text. A refused text stays in its field, marked, so a typo can be fixed where it is."""

    edited = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__("Design", parent)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.total = QLabel()
        self.spe = QLineEdit()
        self.spe.setPlaceholderText("not set")
        self.spe.setToolTip(
            "Optimizer steps per epoch: enables the epoch axis and plateau evaluation (empty: not set)"
        )
        self.after = ScrollSafeComboBox()
        for value in AFTER_END:
            self.after.addItem(value)
            self.after.setItemData(self.after.count() - 1, AFTER_END_HELP[value], 3)  # tooltip role
        self.after.setToolTip("What the LR does after the last step")
        self.plateau = QLineEdit()
        self.plateau.setPlaceholderText("none (e.g. monitor=val_loss, factor=0.5, patience=5)")
        self.plateau.setToolTip(
            "ReduceLROnPlateau on top of the schedule: exported as a callback, simulated on "
            "logs. Settings: semantics (keras, tf.keras, torch), monitor, mode, factor, "
            "patience, min_delta, threshold_mode, cooldown, min_lr, every"
        )
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        form.addRow("Total steps", self.total)
        form.addRow("Steps per epoch", self.spe)
        form.addRow("After the end", self.after)
        form.addRow("Plateau", self.plateau)
        self._sent: QLineEdit | None = None  # the field whose text was sent last
        for field, edit in (
            ("name", self.name),
            ("description", self.description),
            ("steps_per_epoch", self.spe),
            ("plateau", self.plateau),
        ):
            edit.setProperty("help", edit.toolTip())
            edit.editingFinished.connect(lambda field=field, edit=edit: self._send(field, edit))
        self.after.currentTextChanged.connect(lambda v: self.edited.emit("after_end", v))

    def _send(self, field: str, edit: QLineEdit) -> None:
        self._sent = edit
        self.edited.emit(field, edit.text())

    def show_problem(self, text: str) -> None:
        """Mark the field last sent as refused (`text` says why), or clear the mark ("")."""
        edit, self._sent = self._sent, None
        if edit is not None:
            self._mark(edit, text)

    @staticmethod
    def _mark(edit: QLineEdit, problem: str) -> None:
        edit.setStyleSheet("QLineEdit { border: 1px solid #d55e00; }" if problem else "")
        edit.setToolTip(problem or edit.property("help"))

    def show_design(self, d: Design) -> None:
        widgets = (self.name, self.description, self.spe, self.after, self.plateau)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.name.setText(d.name)
        self.description.setText(d.description)
        self.total.setText(f"{d.total_steps:,}")
        self.spe.setText(f"{d.steps_per_epoch:,}" if d.steps_per_epoch else "")
        self.after.setCurrentText(d.after_end)
        self.plateau.setText(plateau_text(d.plateau))
        for edit in (self.name, self.description, self.spe, self.plateau):
            self._mark(edit, "")
        del blockers

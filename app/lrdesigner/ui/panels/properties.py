"""The design's own properties: name, description, total steps, steps per epoch, after the end."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit

from ...schedule.design import AFTER_END, AFTER_END_HELP, Design


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
    """Emits `edited(field, value)`; steps per epoch travels as the typed text."""

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
        self.after = QComboBox()
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
        self.name.editingFinished.connect(lambda: self.edited.emit("name", self.name.text()))
        self.description.editingFinished.connect(
            lambda: self.edited.emit("description", self.description.text())
        )
        self.spe.editingFinished.connect(lambda: self.edited.emit("steps_per_epoch", self.spe.text()))
        self.after.currentTextChanged.connect(lambda v: self.edited.emit("after_end", v))
        self.plateau.editingFinished.connect(lambda: self.edited.emit("plateau", self.plateau.text()))

    def show_design(self, d: Design) -> None:
        widgets = (self.name, self.description, self.spe, self.after, self.plateau)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.name.setText(d.name)
        self.description.setText(d.description)
        self.total.setText(f"{d.total_steps:,}")
        self.spe.setText(f"{d.steps_per_epoch:,}" if d.steps_per_epoch else "")
        self.after.setCurrentText(d.after_end)
        self.plateau.setText(plateau_text(d.plateau))
        del blockers

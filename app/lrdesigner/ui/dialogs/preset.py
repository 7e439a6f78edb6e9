"""Dialogs: a preset's parameters, generated from the preset's parameter list."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ...schedule.design import Design
from ...schedule.errors import DesignError
from ...schedule.presets import PRESETS
from ...schedule.presets.registry import Preset


class PresetDialog(QDialog):
    """Pick a preset and set its parameters (defaults filled in, help as tooltips)."""

    def __init__(self, parent=None, name: str = "noam") -> None:
        super().__init__(parent)
        self.setWindowTitle("New from preset")
        layout = QVBoxLayout(self)
        self.choice = QComboBox()
        self.choice.addItems(list(PRESETS))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.form = QFormLayout()
        layout.addWidget(self.choice)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.editors: dict[str, object] = {}
        self.design: Design | None = None
        self.choice.currentTextChanged.connect(self._build)
        self.choice.setCurrentText(name)
        self._build(self.choice.currentText())

    @property
    def preset(self) -> Preset:
        return PRESETS[self.choice.currentText()]

    def _build(self, name: str) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        preset = PRESETS[name]
        self.summary.setText(f"{preset.summary}\nAfter the end: {preset.after_end}")
        for p in preset.params:
            if p.kind == "bool":
                w = QCheckBox()
                w.setChecked(bool(p.default))
            elif p.kind == "str" and p.choices:
                w = QComboBox()
                w.addItems(list(p.choices))
                w.setCurrentText(p.default)
            elif p.kind == "int" and p.default is not None:
                w = QSpinBox()
                w.setRange(0, 2**31 - 1)
                w.setValue(int(p.default))
            elif p.kind == "float" and p.default is not None:
                w = QDoubleSpinBox()
                w.setDecimals(12)
                w.setRange(0.0, 1e9)
                w.setValue(float(p.default))
            elif p.default is None:  # optional: empty means "not given"
                w = QLineEdit()
                w.setPlaceholderText("optional")
            else:  # lists: JSON text
                w = QLineEdit(json.dumps(p.default))
            w.setToolTip(p.help)
            label = QLabel(p.name)
            label.setToolTip(p.help)
            self.form.addRow(label, w)
            self.editors[p.name] = w
        self.error.clear()
        self.layout().activate()
        self.adjustSize()
        QTimer.singleShot(0, self.adjustSize)  # again once the new rows' labels have wrapped

    def try_accept(self) -> None:
        """Build the design; a refused parameter keeps the dialog open with the reason."""
        try:
            self.design = self.preset.build(**self.values())
        except (DesignError, ValueError, TypeError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def values(self) -> dict:
        out = {}
        for name, w in self.editors.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[name] = w.currentText()
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                out[name] = w.value()
            else:
                text = w.text().strip()
                try:
                    out[name] = json.loads(text) if text else None
                except json.JSONDecodeError:
                    out[name] = text
        return out

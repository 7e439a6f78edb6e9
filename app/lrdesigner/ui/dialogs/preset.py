"""Dialogs: a preset's parameters, generated from the preset's parameter list."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
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
from ..wheel import ScrollSafeComboBox, ScrollSafeSpinBox


class PresetDialog(QDialog):
    """Pick a preset (the list filtered as you type a name or a library) and set its parameters
    (defaults filled in, help as tooltips)."""

    def __init__(
        self,
        parent=None,
        name: str = "noam",
        title: str = "New from preset",
        initial: dict | None = None,
        fit=None,
    ) -> None:
        """`initial`: values for preset `name`; `fit(preset name) -> values` pre-fills the others
        (the design's length and peak, for comparisons)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.initial = (name, dict(initial)) if initial else None
        self.fit = fit
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter: a name or a library (hf, torch, keras, optax, timm ...)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.choice = QComboBox()
        self.choice.addItems(list(PRESETS))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.form = QFormLayout()
        layout.addWidget(self.search)
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

    def filter(self, text: str) -> list[str]:
        """Offer only the presets whose name holds every word typed (case ignored); the current
        one stays chosen if it matches, else the first that does. Returns the names offered."""
        words = text.lower().split()
        names = [n for n in PRESETS if all(w in n.lower() for w in words)]
        current = self.choice.currentText()
        if names == [self.choice.itemText(i) for i in range(self.choice.count())]:
            return names
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItems(names)
        self.choice.setCurrentText(current if current in names else (names[0] if names else ""))
        self.choice.blockSignals(False)
        if names and self.choice.currentText() != current:
            self._build(self.choice.currentText())
        self.error.setText("" if names else f"no preset matches {text.strip()!r}")
        return names

    @property
    def preset(self) -> Preset:
        return PRESETS[self.choice.currentText()]

    def _build(self, name: str) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        preset = PRESETS[name]
        self.summary.setText(f"{preset.summary}\nAfter the end: {preset.after_end}")
        if self.initial and self.initial[0] == name:
            given = self.initial[1]
        else:
            given = self.fit(name) if self.fit else {}
        for p in preset.params:
            value = given.get(p.name, p.default)
            if p.kind == "bool":
                w = QCheckBox()
                w.setChecked(bool(value))
            elif p.kind == "str" and p.choices:
                w = ScrollSafeComboBox()
                w.addItems(list(p.choices))
                w.setCurrentText(value)
            elif p.kind == "int" and value is not None and 0 <= value < 2**31:
                w = ScrollSafeSpinBox()
                w.setRange(0, 2**31 - 1)
                w.setGroupSeparatorShown(True)
                w.setValue(int(value))
            elif value is None:  # optional: empty means "not given"
                w = QLineEdit()
                w.setPlaceholderText("optional")
            else:  # floats as typed (5e-4), lists as JSON
                w = QLineEdit(repr(float(value)) if p.kind == "float" else json.dumps(value))
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
        except (DesignError, ValueError, TypeError, OverflowError) as exc:
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
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            else:
                text = w.text().strip()
                try:
                    out[name] = json.loads(text) if text else None
                except json.JSONDecodeError:
                    out[name] = text
        return out

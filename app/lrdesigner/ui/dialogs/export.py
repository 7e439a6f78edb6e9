"""Export code: pick a target and its options, see the exact file, copy or save it, and verify it
in a Python that has the framework (run in the background, never freezing the window)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile

from PySide6.QtCore import QProcess, QProcessEnvironment, QRegularExpression, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ...export import (
    ExportOptions,
    class_name_problem,
    export_source,
    file_suffix,
    get_target,
    module_name_for,
    target_labels,
)
from ...export import verify as verification
from ...schedule import designfile
from ...schedule.design import Design
from ..model.session import settings

PYTHON_KEYWORDS = (
    "False",
    "None",
    "True",
    "and",
    "as",
    "assert",
    "class",
    "def",
    "elif",
    "else",
    "except",
    "finally",
    "for",
    "from",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "try",
    "while",
    "with",
    "yield",
)


class CodeHighlighter(QSyntaxHighlighter):
    """Keywords, strings, numbers and comments of Python (and JSON) in the preview."""

    def __init__(self, document, dark: bool = False) -> None:
        super().__init__(document)
        colors = {
            "keyword": "#c678dd" if dark else "#8700af",
            "string": "#98c379" if dark else "#0b7a0b",
            "number": "#d19a66" if dark else "#a05a00",
            "comment": "#7f848e" if dark else "#7a7a7a",
        }
        self.rules = []
        for kind, pattern in (
            ("keyword", r"\b(" + "|".join(PYTHON_KEYWORDS) + r")\b"),
            ("number", r"\b[0-9][0-9_]*(\.[0-9]*)?([eE][-+]?[0-9]+)?\b"),
            ("string", r"\"[^\"\\n]*\"|'[^'\\n]*'"),
            ("comment", r"#[^\n]*"),
        ):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colors[kind]))
            if kind == "keyword":
                fmt.setFontWeight(QFont.Weight.Bold)
            self.rules.append((QRegularExpression(pattern), fmt))
        self.muted = False

    def set_muted(self, muted: bool) -> None:
        """No colours while muted: the text takes the (greyed out) editor's own colour."""
        if muted != self.muted:
            self.muted = muted
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        if self.muted:
            return
        for regex, fmt in self.rules:
            matches = regex.globalMatch(text)
            while matches.hasNext():
                m = matches.next()
                self.setFormat(m.capturedStart(), m.capturedLength(), fmt)
        # Docstrings: from an opening triple quote to the closing one, across lines.
        string_fmt = self.rules[2][1]
        start = 0 if self.previousBlockState() == 1 else text.find('"""')
        self.setCurrentBlockState(0)
        while start >= 0:
            skip = 0 if self.previousBlockState() == 1 and start == 0 else 3
            end = text.find('"""', start + skip)
            if end < 0:
                self.setCurrentBlockState(1)
                self.setFormat(start, len(text) - start, string_fmt)
                return
            self.setFormat(start, end + 3 - start, string_fmt)
            start = text.find('"""', end + 3)


def interpreters() -> list[str]:
    """Pythons that may have the framework: the one running LR Designer (unless it is a frozen
    bundle), python3 and python on PATH, and the ones the user picked before."""
    found = []
    if not getattr(sys, "frozen", False) and sys.executable:
        found.append(sys.executable)
    for name in ("python3", "python"):
        path = shutil.which(name)
        if path:
            found.append(path)
    found += [str(p) for p in (settings().value("export/interpreters") or []) if p and os.path.isfile(str(p))]
    out, seen = [], set()
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


class ExportDialog(QDialog):
    """The export window. Tests drive `target`, the option widgets, `save_to`, `verify_with`."""

    def __init__(self, parent, design: Design, dark: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {design.name}")
        self.resize(920, 680)
        self.design = design
        self.saved_path = ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.target = QComboBox()
        for key, label in target_labels().items():
            self.target.addItem(label, key)
        self.class_name = QLineEdit()
        self.class_name.setToolTip(
            "The class the code defines (and registers for loading saved models). It stays "
            "the same when the design is renamed, so old checkpoints keep loading."
        )
        self.class_error = QLabel()
        self.class_error.setStyleSheet("color: #c0392b")
        self.float32 = QCheckBox("compute in float32 (TPUs and hardware without float64)")
        self.plateau = QCheckBox("include the plateau callback")
        self.all_shapes = QCheckBox("include every shape (saved models using any shape load)")
        form.addRow("Target", self.target)
        form.addRow("Class name", self.class_name)
        form.addRow("", self.class_error)
        form.addRow("", self.float32)
        form.addRow("", self.plateau)
        form.addRow("", self.all_shapes)
        layout.addLayout(form)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = CodeHighlighter(self.preview.document(), dark)
        layout.addWidget(self.preview, stretch=1)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Copy")
        self.save_button = QPushButton("Save...")
        self.interpreter = QComboBox()
        self.interpreter.setEditable(False)
        self.interpreter.setToolTip("The Python that runs the check: it needs the framework installed")
        self.pick_button = QPushButton("Other Python...")
        self.verify_button = QPushButton("Verify")
        self.cancel_button = QPushButton("Cancel verification")
        self.close_button = QPushButton("Close")
        for w in (self.copy_button, self.save_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Verify with"))
        for w in (
            self.interpreter,
            self.pick_button,
            self.verify_button,
            self.cancel_button,
            self.close_button,
        ):
            buttons.addWidget(w)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.progress)
        layout.addWidget(self.verdict)
        for path in interpreters():
            self.interpreter.addItem(path)
        self.process: QProcess | None = None
        self.job = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        last = self.target.findData(str(settings().value("export/target", "")))
        if last >= 0:  # the target chosen last time
            self.target.setCurrentIndex(last)
        self.target.currentIndexChanged.connect(self._target_changed)
        self.target.currentIndexChanged.connect(
            lambda _i: settings().setValue("export/target", self.target_key)
        )
        self.class_name.textChanged.connect(self.refresh)
        for box in (self.float32, self.plateau, self.all_shapes):
            box.toggled.connect(self.refresh)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.save_dialog)
        self.pick_button.clicked.connect(self.pick_interpreter)
        self.verify_button.clicked.connect(lambda: self.verify_with(self.interpreter.currentText()))
        self.cancel_button.clicked.connect(self.cancel_verification)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.setEnabled(False)
        self._target_changed()

    # ---- options and preview --------------------------------------------------------------
    @property
    def target_key(self) -> str:
        return self.target.currentData()

    @property
    def verifiable(self) -> bool:
        """Whether the selected target's code can be run and checked."""
        return get_target(self.target_key).driver is not None

    def set_design(self, design: Design) -> None:
        """Follow the document: the preview is always the design as it is now."""
        self.design = design
        self._target_changed()

    def set_target(self, key: str) -> None:
        self.target.setCurrentIndex(self.target.findData(key))

    def _target_changed(self) -> None:
        target = get_target(self.target_key)
        self.class_name.setEnabled(target.class_name is not None)
        self.class_name.setPlaceholderText(target.class_name or "no class in this target")
        self.float32.setEnabled(target.float32)
        self.plateau.setEnabled(self.design.plateau is not None and target.code)
        self.plateau.setChecked(self.design.plateau is not None)
        self.all_shapes.setEnabled(target.code)
        self.verify_button.setEnabled(self.verifiable)
        self.refresh()

    def options(self, module_name: str | None = None) -> ExportOptions:
        name = self.class_name.text().strip() if self.class_name.isEnabled() else ""
        return ExportOptions(
            class_name=name or None,
            module_name=module_name,
            float32=self.float32.isChecked(),
            plateau=self.plateau.isChecked(),
            all_shapes=self.all_shapes.isChecked(),
        )

    def problem(self) -> str | None:
        text = self.class_name.text().strip()
        if self.class_name.isEnabled() and text:
            return class_name_problem(text, self.target_key)
        return None

    def text(self, module_name: str | None = None) -> str:
        return export_source(self.design, self.target_key, self.options(module_name))

    def shown_text(self) -> str:
        """The code the preview shows: the selected target, named for the file saved last."""
        return self.text(module_name_for(self.saved_path) if self.saved_path else None)

    def refresh(self) -> None:
        problem = self.problem()
        self.class_error.setText(problem or "")
        for w in (self.copy_button, self.save_button, self.verify_button):
            w.setEnabled(problem is None and (w is not self.verify_button or self.verifiable))
        # While the name is refused the preview is greyed out: it is not the file Copy or Save
        # would give.
        self.preview.setEnabled(problem is None)
        self.highlighter.set_muted(problem is not None)
        if problem is None:
            bar = self.preview.verticalScrollBar().value()
            self.preview.setPlainText(self.shown_text())
            self.preview.verticalScrollBar().setValue(bar)

    # ---- copy and save ---------------------------------------------------------------------
    def copy(self) -> None:
        QApplication.clipboard().setText(self.preview.toPlainText())
        self.verdict.setText("copied to the clipboard")

    def _folder_key(self) -> str:
        return "export/folder/" + re.sub(r"[^A-Za-z0-9_.-]", "_", self.design.name)[:80]

    def save_dialog(self) -> None:
        folder = str(
            settings().value(self._folder_key(), "") or settings().value("last_dir", os.path.expanduser("~"))
        )
        suffix = file_suffix(self.target_key)
        start = os.path.join(folder, "lr_schedule" + suffix)
        path = QFileDialog.getSaveFileName(self, "Save exported code", start, f"*{suffix}")[0]
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the file atomically; Python files name their own module in the usage line."""
        module = module_name_for(path) if path.endswith(".py") else None
        try:
            designfile.write_atomic(path, self.text(module))
        except OSError as exc:
            self.verdict.setText(f"could not save {path}: {exc.strerror or exc}")
            return False
        self.saved_path = path
        settings().setValue(self._folder_key(), os.path.dirname(os.path.abspath(path)))
        self.refresh()
        self.verdict.setText(f"saved {path}" + (f" (import it as `{module}`)" if module else ""))
        return True

    # ---- verification ----------------------------------------------------------------------
    def pick_interpreter(self) -> None:
        path = QFileDialog.getOpenFileName(self, "A Python with the framework installed", "/usr/bin")[0]
        if path:
            self.add_interpreter(path)

    def add_interpreter(self, path: str) -> None:
        stored = [str(p) for p in (settings().value("export/interpreters") or [])]
        if path not in stored:
            settings().setValue("export/interpreters", [path, *stored][:8])
        if self.interpreter.findText(path) < 0:
            self.interpreter.insertItem(0, path)
        self.interpreter.setCurrentText(path)

    def verify_with(self, python: str, steps: int = 1000) -> None:
        """Run the exported code in `python` (a QProcess: the window stays responsive)."""
        if self.process is not None or not self.verifiable:
            return
        if not python:
            self.verdict.setText(
                "No Python found: pick one that has the framework installed (Other Python...)."
            )
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="lrdesigner-verify-")
        # Exactly the code the preview shows for the selected target: a file saved earlier (maybe
        # for another target, maybe edited since) is not what this check is about.
        self.job = verification.prepare(
            self.design, self.target_key, self._tmp.name, steps, 0, self.options(), source=self.shown_text()
        )
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("TF_CPP_MIN_LOG_LEVEL", "3")
        process.setProcessEnvironment(env)
        process.setWorkingDirectory(self._tmp.name)
        process.finished.connect(self._verified)
        process.errorOccurred.connect(self._process_error)
        self.process = process
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.verify_button.setEnabled(False)
        self.verdict.setText(f"checking {len(self.job.steps):,} steps in {python} ...")
        process.start(python, ["-I", *self.job.argv])

    def _process_error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart and self.process is not None:
            self._done(f"Could not start {self.process.program()}: is it a Python interpreter?")

    def _verified(self, code: int, _status) -> None:
        process = self.process
        if process is None:
            return
        stdout = bytes(process.readAllStandardOutput()).decode(errors="replace")
        stderr = bytes(process.readAllStandardError()).decode(errors="replace")
        outcome = verification.finish(self.job, code, stdout, stderr)
        if outcome.verdict == "pass":
            text = (
                f"Verified: the exported code reproduces the design at all {outcome.steps_checked:,} steps "
                f"checked (largest relative error {outcome.largest_error:.2g}; {outcome.message})."
            )
        elif outcome.verdict == "fail":
            text = (
                f"Does not match: largest relative error {outcome.largest_error:.3g} over "
                f"{outcome.steps_checked:,} steps ({outcome.message})."
            )
        elif outcome.verdict == "framework not installed":
            text = (
                f"That Python does not have the framework this export needs ({outcome.message}). Pick "
                "another one with Other Python..., or install it there."
            )
        else:
            text = f"The exported code failed to run: {outcome.message}"
        self.outcome = outcome
        self._done(text)

    def cancel_verification(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            process.kill()
            process.waitForFinished(2000)
            self._done("Verification cancelled.")

    def _done(self, text: str) -> None:
        self.process = None
        self.progress.hide()
        self.cancel_button.setEnabled(False)
        self.verify_button.setEnabled(self.problem() is None)
        self.verdict.setText(text)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def reject(self) -> None:
        self.cancel_verification()
        super().reject()

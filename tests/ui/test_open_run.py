"""File -> Open (and drop) on a saved Keras model or training arguments opens the schedule that
run used as the design; nothing in the file is executed."""

import json
import pickle

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent


def test_open_a_keras_model_file_opens_its_schedule(window, tmp_path):
    keras = pytest.importorskip("keras")
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=5000, alpha=0.1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
    path = tmp_path / "model.keras"
    model.save(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(
        QDropEvent(
            QPointF(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    design = window.doc.design
    steps = np.arange(0, 5000, 37)
    expected = np.array([float(schedule(int(s))) for s in steps])
    np.testing.assert_allclose(design.evaluate(steps), expected, rtol=2e-6)
    assert "model.keras" in window.statusBar().currentMessage()


def test_training_arguments_ask_for_steps_per_epoch(window, tmp_path, monkeypatch):
    args = {
        "learning_rate": 3e-4,
        "lr_scheduler_type": "cosine",
        "warmup_steps": 100,
        "max_steps": -1,
        "num_train_epochs": 3,
    }
    path = tmp_path / "training_args.json"
    path.write_text(json.dumps(args))
    asked = []
    monkeypatch.setattr(window.prompts, "ask_steps_per_epoch", lambda p, suggested=None: asked.append(p) or 500)
    assert window.files.open_path(str(path))
    assert asked and window.doc.design.total_steps == 1500
    assert window.doc.design.lr_at(100) == pytest.approx(3e-4)


def test_a_pickle_is_refused_and_nothing_changes(window, tmp_path):
    window.editor.split_at(30000)
    before = window.doc.design
    path = tmp_path / "training_args.bin"
    path.write_bytes(pickle.dumps({"learning_rate": 1.0}))
    assert not window.files.open_path(str(path))
    assert window.doc.design == before and "pickle" in window.statusBar().currentMessage().lower()


def test_a_json_log_still_opens_as_a_log(window, tmp_path):
    state = {"log_history": [{"step": s, "loss": 1.0 / s, "learning_rate": 1e-3} for s in range(1, 50)]}
    path = tmp_path / "trainer_state.json"
    path.write_text(json.dumps(state))
    window.log_editor.pick = lambda p, runs, w: [(r.name, t) for r in runs for t in r.series]
    assert window.files.open_path(str(path))
    for reader in list(window.log_editor.readers):
        reader.wait(30)
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    assert {layer.tag for layer in window.layers if layer.kind == "log"} >= {"loss", "learning_rate"}

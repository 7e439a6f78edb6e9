"""Real trainers running an exported schedule, each in its own process, writing their logs.

`run_writer(kind, folder, design)` writes the design's export next to the logs, trains a tiny
model with it for `design.total_steps` updates and saves the console output as `console.log`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

STEPS_PER_EPOCH = 4

HF = """
import os, sys, torch
sys.path.insert(0, OUT)
from transformers import Trainer, TrainingArguments
import exported
class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.lin = torch.nn.Linear(3, 1)
    def forward(self, x, labels=None):
        y = self.lin(x)
        return {"loss": torch.nn.functional.mse_loss(y, labels), "logits": y}
g = torch.Generator().manual_seed(0)
X = torch.randn(4 * STEPS, 3, generator=g)
data = [{"x": X[i], "labels": X[i].sum(0, keepdim=True)} for i in range(len(X))]
model = Tiny()
opt = torch.optim.AdamW(model.parameters(), lr=1.0)
args = TrainingArguments(OUT, max_steps=STEPS, per_device_train_batch_size=4, logging_steps=1,
                         report_to=["tensorboard"], save_strategy="no", use_cpu=True)
t = Trainer(model=model, args=args, train_dataset=data, optimizers=(opt, exported.make_schedule(opt)))
t.train()
t.state.save_to_json(os.path.join(OUT, "trainer_state.json"))
"""

LIGHTNING = """
import sys, torch
sys.path.insert(0, OUT)
import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger, TensorBoardLogger
import exported
class M(L.LightningModule):
    def __init__(self):
        super().__init__(); self.lin = torch.nn.Linear(3, 1)
    def training_step(self, batch, i):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.lin(x), y)
        self.log("train_loss", loss)
        return loss
    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=1.0)
        schedule = {"scheduler": exported.make_schedule(opt), "interval": "step"}
        return {"optimizer": opt, "lr_scheduler": schedule}
g = torch.Generator().manual_seed(0)
X = torch.randn(4 * SPE, 3, generator=g)
dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, X.sum(1, keepdim=True)), batch_size=4)
t = L.Trainer(max_steps=STEPS, log_every_n_steps=1, logger=[CSVLogger(OUT), TensorBoardLogger(OUT, name="tb")],
              callbacks=[LearningRateMonitor(logging_interval="step")], enable_checkpointing=False,
              enable_progress_bar=False, enable_model_summary=False, accelerator="cpu")
t.fit(M(), dl)
"""

KERAS = """
import os, sys
import numpy as np, keras
sys.path.insert(0, OUT)
import exported
x = np.random.default_rng(0).normal(size=(4 * SPE, 3)).astype("float32")
y = x.sum(1, keepdims=True)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(exported.DesignedSchedule()), loss="mse")
model.fit(x, y, batch_size=4, epochs=STEPS // SPE, verbose=2, validation_data=(x, y),
          callbacks=[keras.callbacks.TensorBoard(os.path.join(OUT, "tb"))])
"""

KERAS_PER_EPOCH = """
import os
import numpy as np, keras
x = np.random.default_rng(0).normal(size=(4 * SPE, 3)).astype("float32")
y = x.sum(1, keepdims=True)
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse")
per_epoch = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 1e-3 * 0.5 ** epoch)
model.fit(x, y, batch_size=4, epochs=STEPS // SPE, verbose=2, validation_data=(x, y),
          callbacks=[per_epoch, keras.callbacks.CSVLogger(os.path.join(OUT, "training.log"))])
"""

SCRIPTS = {
    "hf": (HF, "torch", ("transformers", "accelerate", "torch")),
    "lightning": (LIGHTNING, "torch", ("lightning", "torch")),
    "keras": (KERAS, "keras", ("keras", "tensorflow")),
    "keras-per-epoch": (KERAS_PER_EPOCH, None, ("keras", "tensorflow")),
}


def run_writer(kind: str, folder, design) -> str:
    """Train with `design` under writer `kind`; the folder holding its logs. Skips when the
    framework is not installed."""
    script, target, needs = SCRIPTS[kind]
    for module in needs:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    out = str(folder)
    os.makedirs(out, exist_ok=True)
    if target is not None:
        from lrdesigner.export import export

        with open(os.path.join(out, "exported.py"), "w") as f:
            f.write(export(design, target))
    code = f"OUT = {out!r}\nSTEPS = {design.total_steps}\nSPE = {STEPS_PER_EPOCH}\n" + textwrap.dedent(script)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}
    log = os.path.join(out, "console.log")
    with open(log, "w") as console:  # as `python train.py > console.log 2>&1` saves it
        p = subprocess.run(
            [sys.executable, "-c", code], stdout=console, stderr=subprocess.STDOUT, env=env, timeout=600
        )
    if p.returncode:
        with open(log, errors="replace") as f:
            raise AssertionError(f"{kind} training failed:\n{f.read()[-3000:]}")
    if target is not None:
        os.remove(os.path.join(out, "exported.py"))
    return out

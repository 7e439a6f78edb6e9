"""The exported PyTorch scheduler inside the Hugging Face Trainer and PyTorch Lightning, as their
users wire it: gradient accumulation, checkpoint resumes, and plateau cuts reported from Lightning's
validation hook."""

import numpy as np
import pytest
from lrdesigner.schedule import Design, Segment
from lrdesigner.schedule.plateau import PlateauPolicy, simulate_plateau

from tests.export.helpers import write_export

torch = pytest.importorskip("torch")

DESIGN = Design(
    (Segment.create("linear", 10, 0.0, 1e-2), Segment.create("cosine", 40, 1e-2, 1e-4)), name="frameworks"
)


def load(tmp_path, design):
    from lrdesigner.export.driver import load_module

    path, name = write_export(tmp_path, design, "torch")
    return load_module(str(path), name)


class Regression(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)

    def forward(self, x, labels=None):
        out = self.linear(x)
        return {"loss": torch.nn.functional.mse_loss(out, labels), "logits": out}


class Rows(torch.utils.data.Dataset):
    def __len__(self):
        return 64

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        x = torch.randn(4, generator=g)
        return {"x": x, "labels": x.sum(dim=0, keepdim=True)}


def test_hf_trainer_with_gradient_accumulation_and_resume(tmp_path):
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("accelerate")
    mod = load(tmp_path, DESIGN)

    def trainer(max_steps):
        torch.manual_seed(0)
        model = Regression()
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
        args = transformers.TrainingArguments(
            output_dir=str(tmp_path / "out"),
            per_device_train_batch_size=4,
            gradient_accumulation_steps=2,
            max_steps=max_steps,
            logging_steps=1,
            save_steps=12,
            save_strategy="steps",
            report_to=[],
            use_cpu=True,
            disable_tqdm=True,
            seed=0,
        )
        return transformers.Trainer(
            model=model, args=args, train_dataset=Rows(), optimizers=(opt, mod.make_schedule(opt))
        )

    first = trainer(12)
    first.train()
    logged = {e["step"]: e["learning_rate"] for e in first.state.log_history if "learning_rate" in e}
    # The Trainer logs at step n (1-based) the LR that update used: lr(n - 1).
    assert logged == {n: DESIGN.lr_at(n - 1) for n in range(1, 13)}
    second = trainer(30)
    second.train(resume_from_checkpoint=str(tmp_path / "out" / "checkpoint-12"))
    sched = second.lr_scheduler
    assert sched.last_epoch == 30
    assert second.optimizer.param_groups[0]["lr"] == DESIGN.lr_at(30)
    logged = {e["step"]: e["learning_rate"] for e in second.state.log_history if "learning_rate" in e}
    assert {n: logged[n] for n in range(13, 31)} == {n: DESIGN.lr_at(n - 1) for n in range(13, 31)}


def lightning_run(tmp_path, mod, values, epochs, ckpt_path=None):
    """Fit a LightningModule wired as the export's docstring says; validation losses are scripted."""
    pl = pytest.importorskip("lightning.pytorch")

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = torch.nn.Linear(4, 1)
            self.seen = []  # (global step, LR) at every training step

        def training_step(self, batch, _index):
            self.seen.append((self.global_step, self.trainer.optimizers[0].param_groups[0]["lr"]))
            return torch.nn.functional.mse_loss(self.net(batch["x"]), batch["labels"])

        def validation_step(self, batch, _index):
            self.log("val_loss", values[self.current_epoch])

        def configure_optimizers(self):
            optimizer = torch.optim.AdamW(self.parameters(), lr=1e-3)
            scheduler = mod.make_schedule(optimizer)
            return [optimizer], [{"scheduler": scheduler, "interval": "step"}]

        def on_validation_epoch_end(self):
            if not self.trainer.sanity_checking:
                scheduler = self.lr_schedulers()
                scheduler.report(self.trainer.callback_metrics["val_loss"])

    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(Rows(), batch_size=8)
    module = Module()
    trainer = pl.Trainer(
        max_epochs=epochs,
        default_root_dir=str(tmp_path),
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        num_sanity_val_steps=2,
    )
    trainer.fit(module, loader, loader, ckpt_path=ckpt_path)
    return module, trainer


def test_lightning_step_interval_plateau_and_resume(tmp_path):
    pytest.importorskip("lightning")
    policy = PlateauPolicy(semantics="torch", factor=0.5, patience=1, min_delta=0.0)
    design = DESIGN.replace(plateau=policy, steps_per_epoch=8)
    mod = load(tmp_path, design)
    values = [1.0, 0.8, 0.8, 0.8, 0.8, 0.8]
    module, trainer = lightning_run(tmp_path, mod, values, 3)
    trainer.save_checkpoint(str(tmp_path / "mid.ckpt"))
    resumed, _ = lightning_run(tmp_path, mod, values, 6, ckpt_path=str(tmp_path / "mid.ckpt"))
    steps = np.array([s for s, _ in module.seen + resumed.seen])
    lrs = np.array([lr for _, lr in module.seen + resumed.seen])
    np.testing.assert_array_equal(steps, np.arange(48))
    sim = simulate_plateau(values, policy, design)
    # A report from the sanity check would shift these (the first a whole epoch early).
    assert [c.step for c in sim.cuts] == [32, 48]
    multiplier = np.ones(48)
    for cut in sim.cuts:
        multiplier[cut.step :] = cut.new_lr / design.lr_at(cut.step)
    np.testing.assert_allclose(lrs, design.evaluate(steps) * multiplier, rtol=1e-12)

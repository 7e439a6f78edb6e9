#!/usr/bin/env bash
# Write the example designs with LR Designer's own presets (run from anywhere, LR Designer installed).
set -euo pipefail
cd "$(dirname "$0")"
lrd() { "${PYTHON:-python3}" -m lrdesigner.cli "$@"; }

# Attention Is All You Need's schedule as tensor2tensor's transformer_base trains it: d_model 512,
# 8,000 warmup steps, 100k steps (with Adam beta_1 0.9, beta_2 0.98, epsilon 1e-9).
lrd preset noam --set d_model=512 --set warmup_steps=8000 --set total_steps=100000 \
    --name "Transformer base (Noam, d_model 512, 8k warmup; Adam beta_2 0.98)" -o noam-transformer-base.json

# Linear warmup from 1e-6 over 8% of training to 5e-4, cosine to 2% of the peak (Keras CosineDecay).
lrd preset keras.CosineDecay --set initial_learning_rate=1e-6 --set warmup_target=5e-4 \
    --set warmup_steps=8000 --set decay_steps=92000 --set alpha=0.02 \
    --name "Warmup + cosine (Keras CosineDecay)" -o warmup-cosine.json

# Warmup-stable-decay with a 1-sqrt cooldown over the last 20% (Hugging Face warmup_stable_decay).
lrd preset hf.warmup_stable_decay --set lr=3e-4 --set num_warmup_steps=2000 --set num_decay_steps=20000 \
    --set num_training_steps=100000 --set decay_type='"1-sqrt"' \
    --name "WSD: warmup, stable, 1-sqrt cooldown (Hugging Face)" -o wsd.json

# One-cycle for SGD training (PyTorch OneCycleLR defaults: 30% rising, cosine anneal), 100k steps.
lrd preset torch.OneCycleLR --set max_lr=0.01 --set total_steps=100000 \
    --name "One-cycle (PyTorch OneCycleLR)" -o one-cycle.json

# A workspace: the Transformer schedule with the three others laid over it for comparison.
"${PYTHON:-python3}" - <<'PY'
from lrdesigner import workspace
from lrdesigner.schedule import designfile

layers = [workspace.LayerSpec(name=designfile.load(name).name, source={"file": name}, line=line)
          for name, line in (("warmup-cosine.json", "solid"), ("wsd.json", "dash"), ("one-cycle.json", "dot"))]
ws = workspace.Workspace(design=designfile.load("noam-transformer-base.json"),
                         design_path="noam-transformer-base.json", layers=layers, view={"log_scale": True})
workspace.save(ws, "../schedules.workspace.json")
PY

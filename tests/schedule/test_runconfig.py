"""Importing the schedule a run used: real files made by Keras, transformers and timm, and hostile ones."""

import json
import zipfile

import numpy as np
import pytest
import yaml
from lrdesigner.schedule import DesignError, designfile
from lrdesigner.schedule.presets import get_preset
from lrdesigner.schedule.runconfig import load_run_schedule

from tests.conftest import assert_schedule_close, stepped_lrs

KERAS_SCHEDULES = {
    "CosineDecay": dict(
        initial_learning_rate=1e-3, decay_steps=300, alpha=0.1, warmup_target=2e-3, warmup_steps=40
    ),
    "ExponentialDecay": dict(initial_learning_rate=1e-3, decay_steps=37, decay_rate=0.8, staircase=True),
    "PiecewiseConstantDecay": dict(boundaries=[50, 120], values=[1e-3, 5e-4, 1e-4]),
    "PolynomialDecay": dict(
        initial_learning_rate=1e-3, decay_steps=90, end_learning_rate=1e-5, power=2.0, cycle=True
    ),
    "InverseTimeDecay": dict(initial_learning_rate=1e-3, decay_steps=20, decay_rate=0.5),
    "CosineDecayRestarts": dict(
        initial_learning_rate=1e-3, first_decay_steps=30, t_mul=2.0, m_mul=0.8, alpha=0.05
    ),
}


def _keras_values(schedule, steps):
    import tensorflow as tf

    fn = tf.function(lambda s: schedule(s), input_signature=[tf.TensorSpec([], tf.int64)])
    return np.array([float(fn(tf.constant(int(s), tf.int64))) for s in steps])


@pytest.mark.parametrize("name", sorted(KERAS_SCHEDULES))
def test_saved_keras_model_gives_the_schedule_it_trained_with(tmp_path, name):
    keras = pytest.importorskip("keras")
    schedule = getattr(keras.optimizers.schedules, name)(**KERAS_SCHEDULES[name])
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(schedule), loss="mse")
    path = tmp_path / "model.keras"
    model.save(path)
    run = load_run_schedule(path, total_steps=400)
    assert run.source == "keras-model" and name in run.notes[0]
    steps = np.arange(401)
    assert_schedule_close(
        steps,
        run.design.evaluate(steps),
        _keras_values(schedule, steps),
        1e-6,
        f"{name} (Keras {keras.__version__})",
    )


@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
def test_serialized_schedule_configs_of_keras_3_and_tf_keras(tmp_path, flavour):
    lib = pytest.importorskip(flavour)
    S = lib.optimizers.schedules
    schedule = S.CosineDecay(1e-3, 200, alpha=0.05)
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(S.serialize(schedule)))
    run = load_run_schedule(path)
    steps = np.arange(260)
    assert run.source == "keras-schedule" and run.design.total_steps == 200
    assert_schedule_close(steps, run.design.evaluate(steps), _keras_values(schedule, steps), 1e-6, flavour)


def test_lrdesigner_export_config_gives_the_exact_design_and_notes_the_multiplier(tmp_path):
    design = get_preset("hf.warmup_stable_decay").build(num_training_steps=5000, num_decay_steps=800)
    data = designfile.to_dict(design)
    data.pop("plateau")
    config = {
        "module": None,
        "class_name": "WsdSchedule",
        "registered_name": "lrdesigner>WsdSchedule",
        "config": {"design": data, "compute_dtype": "float64", "multiplier": 0.1, "name": "wsd"},
    }
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(config))
    run = load_run_schedule(path)
    assert run.design.segments == design.segments and run.design.after_end == design.after_end
    assert any("multiplier is 0.1" in n for n in run.notes)


def test_unknown_schedule_class_is_named(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"class_name": "MyWarmup", "config": {"peak": 1e-3}, "registered_name": "custom>MyWarmup"})
    )
    with pytest.raises(DesignError, match="'custom>MyWarmup' is not a built-in Keras schedule"):
        load_run_schedule(path)


HF_CASES = [
    dict(lr_scheduler_type="linear", warmup_steps=30, max_steps=300),
    dict(lr_scheduler_type="cosine", warmup_steps=0.1, max_steps=250),  # a float below 1 is a ratio
    dict(
        lr_scheduler_type="cosine_with_min_lr",
        warmup_steps=20,
        max_steps=200,
        lr_scheduler_kwargs={"min_lr_rate": 0.1},
    ),
    dict(
        lr_scheduler_type="warmup_stable_decay",
        warmup_steps=25,
        max_steps=300,
        lr_scheduler_kwargs={"num_decay_steps": 100, "decay_type": "1-sqrt", "min_lr_ratio": 0.05},
    ),
    dict(
        lr_scheduler_type="polynomial",
        warmup_steps=10,
        num_train_epochs=3,
        lr_scheduler_kwargs={"power": 2.0, "lr_end": 1e-6},
    ),
]


@pytest.mark.parametrize("case", HF_CASES, ids=[c["lr_scheduler_type"] for c in HF_CASES])
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_hf_training_arguments(tmp_path, case, fmt):
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    args = transformers.TrainingArguments(
        output_dir=str(tmp_path / "out"), learning_rate=3e-4, report_to=[], **case
    )
    text = args.to_json_string()
    path = tmp_path / f"args.{fmt}"
    path.write_text(text if fmt == "json" else yaml.safe_dump(json.loads(text)))
    run = load_run_schedule(path, steps_per_epoch=70)
    n = args.max_steps if args.max_steps > 0 else 210
    warmup = args.get_warmup_steps(n)

    def make(opt):
        return transformers.get_scheduler(
            args.lr_scheduler_type,
            opt,
            num_warmup_steps=warmup,
            num_training_steps=n,
            scheduler_specific_kwargs=args.lr_scheduler_kwargs or None,
        )

    steps = np.arange(n + 1)
    assert run.design.total_steps == n
    assert_schedule_close(
        steps,
        run.design.evaluate(steps),
        stepped_lrs(make, 3e-4, n),
        1e-9,
        f"{case} (transformers {transformers.__version__})",
    )


def test_hf_epochs_without_steps_per_epoch_asks_for_them(tmp_path):
    path = tmp_path / "args.json"
    path.write_text(
        json.dumps(
            {"learning_rate": 1e-4, "lr_scheduler_type": "linear", "max_steps": -1, "num_train_epochs": 3}
        )
    )
    with pytest.raises(DesignError, match="steps per epoch"):
        load_run_schedule(path)


TIMM_CASES = [
    dict(sched="cosine", epochs=60, warmup_epochs=5, warmup_lr=1e-5, min_lr=1e-5, cooldown_epochs=3),
    dict(sched="cosine", epochs=40, warmup_epochs=3, warmup_prefix=True, lr_cycle_limit=2, lr_cycle_decay=0.5),
    dict(sched="tanh", epochs=50, warmup_epochs=4, min_lr=1e-6),
    dict(sched="step", epochs=50, decay_epochs=12, decay_rate=0.5, warmup_epochs=2),
    dict(sched="multistep", epochs=60, decay_milestones=[20, 40], decay_rate=0.3, warmup_epochs=0),
    dict(sched="poly", epochs=45, decay_rate=2.0, warmup_epochs=5),
]


@pytest.mark.parametrize("case", TIMM_CASES, ids=[f"{c['sched']}{i}" for i, c in enumerate(TIMM_CASES)])
def test_timm_args_yaml(tmp_path, case):
    pytest.importorskip("torch")
    from tests.schedule.test_presets_timm import _timm_cosine

    _timm_cosine()
    import argparse

    import torch
    from timm.scheduler.scheduler_factory import create_scheduler_v2, scheduler_kwargs

    data = {"lr": 0.05, "lr_noise": None, "sched_on_updates": False, **case}
    path = tmp_path / "args.yaml"
    path.write_text(yaml.safe_dump(data))
    run = load_run_schedule(path)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.05)
    sched, num_epochs = create_scheduler_v2(opt, **scheduler_kwargs(argparse.Namespace(**data)))
    ref = []
    for epoch in range(num_epochs + 5):
        sched.step(epoch)
        ref.append(opt.param_groups[0]["lr"])
    steps = np.arange(num_epochs + 5)
    # A tanh cycle ends above min_lr: the design keeps one more epoch to show the drop to it.
    assert run.design.total_steps == num_epochs + (case["sched"] == "tanh")
    assert_schedule_close(steps, run.design.evaluate(steps), np.array(ref), 1e-9, f"timm {case}")


def test_zip_bomb_keras_file_is_refused(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", b"{" + b" " * (64 * 1024 * 1024) + b"}")
    with pytest.raises(DesignError, match="zip bomb|too large|declares") as info:
        load_run_schedule(path)
    assert "config.json" in str(info.value) and str(path) in str(info.value)


def test_pickled_training_args_are_refused_unopened(tmp_path):
    path = tmp_path / "training_args.bin"
    path.write_bytes(b"\x80\x04\x95 this would be a pickle")
    with pytest.raises(DesignError, match="is a pickle.*to_json_string"):
        load_run_schedule(path)
    other = tmp_path / "args.json"
    other.write_bytes(b"\x80\x04\x95\x00")
    with pytest.raises(DesignError, match="pickle"):
        load_run_schedule(other)


def test_yaml_tags_that_construct_objects_are_refused(tmp_path):
    path = tmp_path / "args.yaml"
    path.write_text("sched: cosine\nepochs: 10\nlr: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(DesignError, match="YAML refused at line 3"):
        load_run_schedule(path)


@pytest.mark.parametrize("steps,match", [(10**30, "2\\*\\*62"), (-5, ">= 1"), (0, ">= 1")])
def test_huge_or_negative_step_counts_are_refused_with_their_place(tmp_path, steps, match):
    path = tmp_path / "schedule.json"
    path.write_text(
        json.dumps(
            {
                "class_name": "CosineDecay",
                "config": {
                    "initial_learning_rate": 1e-3,
                    "decay_steps": steps,
                    "alpha": 0.0,
                    "name": "c",
                    "warmup_target": None,
                    "warmup_steps": 0,
                },
            }
        )
    )
    with pytest.raises(DesignError, match=match) as info:
        load_run_schedule(path)
    assert str(path) in str(info.value)


def test_not_a_run_config_says_what_it_looked_for(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(DesignError, match="lr_scheduler_type or sched key, and no lr0 key"):
        load_run_schedule(path)
    bad = tmp_path / "y.json"
    bad.write_text('{"a": NaN}')
    with pytest.raises(DesignError, match="NaN"):
        load_run_schedule(bad)


def test_cli_import_writes_a_design(tmp_path, capsys):
    from lrdesigner.cli import main

    path = tmp_path / "args.json"
    path.write_text(
        json.dumps({"learning_rate": 1e-4, "lr_scheduler_type": "cosine", "warmup_steps": 10, "max_steps": 100})
    )
    out = tmp_path / "d.json"
    assert main(["import", str(path), "-o", str(out)]) == 0
    design = designfile.load(out)
    assert design.total_steps == 100 and design.lr_at(10) == pytest.approx(1e-4)
    assert main(["import", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_hf_arguments_name_the_trainer_state_beside_them(tmp_path):
    from lrdesigner.schedule.runconfig import load_run_schedule

    args = tmp_path / "training_args.json"
    args.write_text(
        json.dumps({"learning_rate": 2e-4, "lr_scheduler_type": "cosine", "max_steps": 500, "warmup_steps": 50})
    )
    assert load_run_schedule(args).log is None
    (tmp_path / "trainer_state.json").write_text(json.dumps({"log_history": []}))
    run = load_run_schedule(args)
    assert run.log == str(tmp_path / "trainer_state.json")
    assert run.design.total_steps == 500

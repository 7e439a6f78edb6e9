"""CSV (Keras, Lightning, W&B, generic), trainer_state.json, JSON lines and MLflow logs."""

import json

import numpy as np
import pytest
from lrdesigner.logs import LogError, read


def series(runs, run=None):
    if run is None:
        assert len(runs) == 1
        return runs[0].series
    return {r.name: r for r in runs}[run].series


def test_keras_csvlogger_from_a_real_fit(tmp_path):
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(0).normal(size=(40, 2)).astype("float32")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    path = tmp_path / "training.log"
    model.fit(
        x, x[:, :1], epochs=4, validation_split=0.25, verbose=0, callbacks=[keras.callbacks.CSVLogger(path)]
    )
    s = series(read(path))
    assert {"loss", "val_loss"} <= set(s)
    assert s["loss"].x_kind == "epoch"
    np.testing.assert_array_equal(s["loss"].steps, [0, 1, 2, 3])
    np.testing.assert_array_equal(s["loss"].step_axis(10), [10, 20, 30, 40])
    assert open(path).readline().startswith("epoch,")


def test_keras_csv_na_and_nonfinite_tokens_are_kept(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("epoch,loss,val_loss\n0,1.5,NA\n1,nan,Infinity\n2,-inf,\n3,0.5,0.25\n")
    s = series(read(p))
    np.testing.assert_array_equal(s["loss"].values, [1.5, np.nan, -np.inf, 0.5])
    np.testing.assert_array_equal(s["val_loss"].values, [np.nan, np.inf, np.nan, 0.25])
    assert s["val_loss"].nonfinite_count == 3


def test_lightning_sparse_rows(tmp_path):
    p = tmp_path / "lightning_logs" / "version_0" / "metrics.csv"
    p.parent.mkdir(parents=True)
    p.write_text(
        "epoch,lr-AdamW,step,train_loss_epoch,train_loss_step,val_loss\n"
        "0,0.001,0,,2.5,\n0,,49,,2.1,\n0,,99,,nan,\n0,,99,,,1.9\n0,,99,2.2,,\n1,0.0009,100,,1.7,\n"
    )
    runs = read(tmp_path / "lightning_logs")
    s = series(runs, "version_0")
    np.testing.assert_array_equal(s["train_loss_step"].steps, [0, 49, 99, 100])
    np.testing.assert_array_equal(s["train_loss_step"].values, [2.5, 2.1, np.nan, 1.7])  # explicit nan kept
    np.testing.assert_array_equal(s["val_loss"].steps, [99])
    np.testing.assert_array_equal(s["lr-AdamW"].values, [0.001, 0.0009])
    assert "epoch" not in s


def test_wandb_export_with_min_max_and_two_runs(tmp_path):
    p = tmp_path / "wandb_export.csv"
    p.write_text(
        '"Step","run-1 - train/loss","run-1 - train/loss__MIN","run-1 - train/loss__MAX","run-2 - train/loss"\n'
        '"0","2.5","2.4","2.6",""\n"10","2.0","1.9","2.1","2.2"\n"20","1.5","1.4","1.6","1.8"\n'
    )
    runs = read(p)
    one, two = series(runs, "run-1"), series(runs, "run-2")
    assert set(one) == {"train/loss", "train/loss__MIN", "train/loss__MAX"}
    np.testing.assert_array_equal(one["train/loss__MIN"].values, [2.4, 1.9, 1.4])
    np.testing.assert_array_equal(two["train/loss"].steps, [10, 20])


def test_generic_tsv_picks_the_step_column_and_skips_text(tmp_path):
    p = tmp_path / "log.tsv"
    p.write_text("time\titeration\tloss\tphase\n2024-01-01\t1\t0.5\ttrain\n2024-01-02\t2\t0.4\ttrain\n")
    runs = read(p)
    s = series(runs)
    assert set(s) == {"loss"}
    np.testing.assert_array_equal(s["loss"].steps, [1, 2])
    assert any("phase" in w for w in runs[0].warnings)


@pytest.mark.parametrize(
    "text, place",
    [
        ("step,loss\n1,0.5\n2,abc\n3,0.4\n", "line 3"),
        ("step,loss\n1,0.5\n2.5,0.3\n", "line 3"),
        ("step,loss\n1,0.5\nx,0.3\n", "line 3"),
        ("loss,acc\n1,2\n", "line 1"),
    ],
)
def test_csv_errors_name_the_line(tmp_path, text, place):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(LogError) as err:
        read(p)
    assert str(p) in str(err.value) and place in str(err.value)


def test_csv_encodings_and_long_lines(tmp_path):
    p = tmp_path / "utf16.csv"
    p.write_text("step,loss\n1,0.5\n", encoding="utf-16")
    assert series(read(p))["loss"].values.tolist() == [0.5]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("step,lösung\n1,0.5\n".encode("latin-1"))
    with pytest.raises(LogError, match="not UTF-8"):
        read(latin)
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "step," + ",".join(f"m{i}" for i in range(3000)) + "\n1," + ",".join("0.5" for _ in range(3000)) + "\n"
    )
    assert len(series(read(wide))) == 3000
    huge = tmp_path / "huge.csv"
    huge.write_text("step,note\n1," + "x" * 2_000_000 + "\n")
    with pytest.raises(LogError, match="no numeric metric columns"):
        read(huge)


def test_hf_trainer_state(tmp_path):
    p = tmp_path / "checkpoint-500" / "trainer_state.json"
    p.parent.mkdir()
    history = [
        {"epoch": 0.1, "grad_norm": 1.5, "learning_rate": 1e-5, "loss": 2.3, "step": 10},
        {"epoch": 0.2, "grad_norm": float("nan"), "learning_rate": 2e-5, "loss": 2.1, "step": 20},
        {"epoch": 0.2, "eval_loss": 2.0, "eval_runtime": 1.5, "step": 20},
        {"epoch": 1.0, "step": 100, "total_flos": 1e12, "train_loss": 1.9, "train_runtime": 50.0},
    ]
    p.write_text(json.dumps({"global_step": 100, "log_history": history}))
    s = series(read(tmp_path))
    np.testing.assert_array_equal(s["loss"].steps, [10, 20])
    np.testing.assert_array_equal(s["eval_loss"].steps, [20])
    assert s["grad_norm"].nonfinite_count == 1
    np.testing.assert_array_equal(s["epoch"].values, [0.1, 0.2, 0.2, 1.0])
    bad = tmp_path / "bad" / "trainer_state.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"log_history": [{"loss": 1.0, "step": "ten"}]}))
    with pytest.raises(LogError, match=r"\$\.log_history\[0\]\.step"):
        read(bad)


def test_json_lines_detectron2_and_fairseq(tmp_path):
    d2 = tmp_path / "metrics.json"
    d2.write_text(
        "\n".join(
            json.dumps({"iteration": i, "total_loss": 1 / (i + 1), "lr": 0.01, "eta_seconds": 5})
            for i in range(0, 100, 20)
        )
        + "\n"
    )
    s = series(read(d2))
    np.testing.assert_array_equal(s["total_loss"].steps, [0, 20, 40, 60, 80])
    fs = tmp_path / "train.jsonl"
    fs.write_text(
        '{"epoch": "1", "loss": "3.2", "lr": "0.0005", "num_updates": "100"}\n'
        '{"epoch": "2", "loss": "2.9", "lr": "0.0004", "num_updates": "200"}\n'
    )
    s = series(read(fs))
    np.testing.assert_array_equal(s["loss"].steps, [100, 200])  # num_updates beats epoch
    np.testing.assert_array_equal(s["loss"].values, [3.2, 2.9])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"step": 1, "loss": 0.5}\n{"step": 2, "loss": "oops"}\n{"step": 3, "loss": 0.4}\n')
    with pytest.raises(LogError, match="line 2"):
        read(bad)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"step": 1, "loss": 0.5}\n{"step": 2, "loss": 0.4\n{"step": 3}\n')
    with pytest.raises(LogError, match="line 2"):
        read(broken)
    partial = tmp_path / "partial.jsonl"
    partial.write_text('{"step": 1, "loss": 0.5}\n{"step": 2, "lo')  # still being written
    assert series(read(partial))["loss"].steps.tolist() == [1]


def test_mlflow_file_store(tmp_path):
    run = tmp_path / "mlruns" / "0" / "abc123"
    (run / "metrics" / "train").mkdir(parents=True)
    (run / "meta.yaml").write_text("run_id: abc123\nrun_name: brave-fox-7\n")
    (run / "metrics" / "train" / "loss").write_text(
        "1700000000000 2.5 0\n1700000001000 nan 1\n1700000002000 2.0 2\n"
    )
    (run / "metrics" / "lr").write_text("1700000000000 0.001 0\n")
    runs = read(tmp_path / "mlruns")
    s = series(runs, "brave-fox-7")
    np.testing.assert_array_equal(s["train/loss"].steps, [0, 1, 2])
    assert s["train/loss"].nonfinite_count == 1
    assert s["train/loss"].wall_times[0] == 1.7e9
    assert series(read(run / "metrics" / "lr"))["lr"].values.tolist() == [0.001]
    (run / "metrics" / "lr").write_text("1700000000000 0.001 0\n17000 oops 1\n")
    with pytest.raises(LogError, match="line 2"):
        read(tmp_path / "mlruns")

"""Logs written by other projects (the folder named by LRDESIGNER_REAL_LOGS, see its SOURCES.md):
every series equals what TensorBoard's data server shows, or what pandas/json read."""

import json
import os
import shutil

import numpy as np
import pytest
from lrdesigner.logs import LogError, read
from lrdesigner.logs.follow import Follower

from tests.logs.tb_server import DataServer, server_binary

REAL = os.environ.get("LRDESIGNER_REAL_LOGS")
pytestmark = [
    pytest.mark.skipif(not REAL or not os.path.isdir(REAL), reason="LRDESIGNER_REAL_LOGS not set"),
    pytest.mark.usefixtures("event_reader"),
]


def real(*parts):
    return os.path.join(REAL, *parts)


def by_name(runs):
    return {r.name: r for r in runs}


TB_FOLDERS = [
    "tf1-wanghoppe-tempo",
    "tf1-fletcher-tensorflow-zoo",
    "tf2-odapi-tfodcourse",
    "keras-tbcallback-churn",
    "lightning-tb-lstm",
    "lightning-tb-nafdqn",
    "detectron2-balloon",
    "detectron2-mine",
    "torch-runs-ndf-mnist",
    "raytune-tbx-soccer",
]


@pytest.mark.skipif(server_binary() is None, reason="tensorboard-data-server is not installed")
@pytest.mark.parametrize("folder", TB_FOLDERS)
def test_event_files_equal_tensorboards_data_server(folder):
    with DataServer(real(folder)) as server:
        ref = server.scalars()
    assert ref
    runs = by_name(r for r in read(real(folder)) if os.path.isdir(r.path))
    for run_name, tags in ref.items():
        run = runs[folder if run_name == "." else run_name]
        assert sorted(run.series) == sorted(tags), run_name
        for tag, (steps, values, walls) in tags.items():
            s = run.series[tag]
            np.testing.assert_array_equal(s.steps, steps, err_msg=f"{run_name} {tag}")
            np.testing.assert_array_equal(s.values, values, err_msg=f"{run_name} {tag}")
            np.testing.assert_array_equal(s.wall_times, walls, err_msg=f"{run_name} {tag}")


def test_restarted_tf1_run_keeps_what_tensorboard_keeps():
    """SessionLog START at 8457 and 8458 (two restarts) drop nothing; steps the restarted job
    logs again replace the earlier points (the later point of a repeated step stays)."""
    s = by_name(read(real("tf1-wanghoppe-tempo")))["training"].series["global_step/sec"]
    assert len(s) == 2315
    assert np.all(np.diff(s.steps) > 0)
    assert {8447, 8457, 8467, 8468} <= set(s.steps.tolist())


def test_ray_tune_result_json_lines_and_progress_csv(tmp_path):
    import pandas as pd

    runs = by_name(read(real("raytune-tbx-soccer")))
    assert {"raytune-tbx-soccer", "progress.csv", "result.json"} <= set(runs)
    rows = [json.loads(line) for line in open(real("raytune-tbx-soccer", "result.json"))]
    result = runs["result.json"].series
    for key in ("episode_reward_mean", "timesteps_total", "time_this_iter_s"):
        np.testing.assert_array_equal(result[key].steps, [r["training_iteration"] for r in rows])
        np.testing.assert_array_equal(result[key].values, [r[key] for r in rows])
    learner = "info/learner/default_policy/learner_stats/cur_lr"
    assert learner in result  # nested objects flattened as Ray names them
    df = pd.read_csv(real("raytune-tbx-soccer", "progress.csv"))
    progress = runs["progress.csv"].series
    for key in ("episode_reward_mean", learner):
        np.testing.assert_array_equal(progress[key].steps, df["training_iteration"])
        np.testing.assert_array_equal(progress[key].values, df[key])
    jsonl = tmp_path / "result.jsonl"
    shutil.copy(real("raytune-tbx-soccer", "result.json"), jsonl)
    values = read(jsonl)[0].series["episode_reward_mean"].values
    assert values.tolist() == [r["episode_reward_mean"] for r in rows]


def test_lightning_csv_cut_mid_line_is_read_up_to_its_last_complete_line(tmp_path):
    import pandas as pd

    src = real("lightning-csv-slm", "lightning_logs", "version_0", "metrics.csv")
    full = open(src, "rb").read()
    last = full.rstrip(b"\r\n").rsplit(b"\n", 1)[1]
    cut_at = len(full.rstrip(b"\r\n")) - len(last) + last.index(b".") + 6  # inside a number
    path = tmp_path / "version_0" / "metrics.csv"
    path.parent.mkdir()
    path.write_bytes(full[:cut_at])
    follower = Follower(str(path))
    seen = {u.tag: u.series for u in follower.poll()}
    run = read(path)[0]
    df = pd.read_csv(src)
    lines = len(df)
    for tag, s in run.series.items():
        col = df[tag].iloc[: lines - 1]
        present = col.notna().to_numpy()
        np.testing.assert_array_equal(s.values, col[present], err_msg=tag)
        np.testing.assert_array_equal(s.steps, df["step"].iloc[: lines - 1][present], err_msg=tag)
        np.testing.assert_array_equal(seen[tag].values, s.values)
    assert any("incomplete" in w for w in run.warnings)
    path.write_bytes(full)  # the line is finished: now it is data, and the follower sends it once
    updates = follower.poll()
    complete = read(path)[0]
    for u in updates:
        assert not u.replaced
        assert u.series.steps.tolist() == complete.series[u.tag].steps[len(seen[u.tag]) :].tolist()
    assert any(len(u.series) for u in updates)


def test_folder_with_a_git_lfs_pointer_reads_the_rest():
    runs = read(real("hf-whisper-tiny"))
    assert [r.name for r in runs] == ["hf-whisper-tiny"]
    assert "loss" in runs[0].series
    (warning,) = runs.warnings
    assert "events.out.tfevents.1671085786" in warning and "Git LFS pointer" in warning
    run_dir = real("hf-whisper-tiny", "runs", "Dec15_07-29-26_ficino")
    pointer = os.path.join(run_dir, "events.out.tfevents.1671085786.ficino.1546868.0")
    with pytest.raises(LogError, match="Git LFS pointer") as err:
        read(pointer)
    assert pointer in str(err.value)


@pytest.mark.parametrize("folder", ["keras-csv-mnist", "keras-csv-tomato"])
def test_a_folder_holding_only_a_keras_csv(folder):
    import pandas as pd

    (run,) = read(real(folder))
    df = pd.read_csv(real(folder, "training_log.csv"))
    assert run.name == "training_log.csv"
    for col in df.columns[1:]:
        s = run.series[col]
        assert s.x_kind == "epoch"
        np.testing.assert_array_equal(s.steps, df["epoch"])
        np.testing.assert_array_equal(s.values, df[col])


def test_other_formats_beside_event_files_are_runs_too():
    names = {r.name: r for r in read(real("detectron2-balloon"))}
    assert set(names) == {"output", "output/metrics.json"}
    rows = [json.loads(line) for line in open(real("detectron2-balloon", "output", "metrics.json"))]
    loss = names["output/metrics.json"].series["total_loss"]
    np.testing.assert_array_equal(loss.steps, [r["iteration"] for r in rows if "total_loss" in r])
    np.testing.assert_array_equal(loss.values, [r["total_loss"] for r in rows if "total_loss" in r])
    assert "total_loss" in names["output"].series


def test_trainer_state_files_equal_their_json():
    for rel in ("hf-whisper-ja/trainer_state.json", "hf-trainer-state-viz/trainer_state.json"):
        history = json.load(open(real(rel)))["log_history"]
        (run,) = read(real(rel))
        for tag, s in run.series.items():
            rows = [h for h in history if tag in h]
            np.testing.assert_array_equal(s.steps, [h["step"] for h in rows], err_msg=tag)
            np.testing.assert_array_equal(s.values, [float(h[tag]) for h in rows], err_msg=tag)


def test_wandb_run_file_names_the_package_it_needs():
    path = real("wandb-offline-vst", "wandb", "run-20230329_014608-tdnogiww", "run-tdnogiww.wandb")
    try:
        import wandb  # noqa: F401
    except ImportError:
        with pytest.raises(LogError, match="needs the wandb package: pip install wandb") as err:
            read(path)
        assert path in str(err.value)
        with pytest.raises(LogError, match="needs the wandb package"):
            read(real("wandb-offline-vst"))  # its output.log holds no metrics: nothing else to read
    else:
        (run,) = read(path)
        assert run.series


def test_every_real_file_reads_or_says_why():
    """Each of the files on its own: runs, or a LogError naming the file (never another error)."""
    count = 0
    for dirpath, _, files in os.walk(REAL):
        for f in files:
            if f == "SOURCES.md":
                continue
            path = os.path.join(dirpath, f)
            count += 1
            try:
                runs = read(path)
            except LogError as exc:
                assert path in str(exc) or os.path.dirname(path) in str(exc)
                continue
            assert runs
    assert count == 77

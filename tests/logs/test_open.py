"""Opening a log as the window does: progress, cancel, and the runs x tags table."""

import numpy as np
import pytest
from lrdesigner.logs import Cancelled, catalog, read
from lrdesigner.logs.records import encode


def _event_file(path, steps, tag="loss"):
    from tensorboard.compat.proto import event_pb2, summary_pb2

    recs = []
    for step in range(steps):
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=1.0 / (step + 1))])
        recs.append(encode(event_pb2.Event(wall_time=1.0 + step, step=step, summary=s).SerializeToString()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(recs))


def test_progress_reaches_the_total_and_cancel_stops(tmp_path, monkeypatch):
    import lrdesigner.logs.events as events

    monkeypatch.setattr(events, "CHUNK", 64 << 10)  # several chunks per file: several reports
    _event_file(tmp_path / "a" / "events.out.tfevents.1", 20_000)
    _event_file(tmp_path / "b" / "events.out.tfevents.1", 20_000, tag="lr")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "log.csv").write_text("epoch,loss\n0,1.0\n1,0.5\n")
    seen = []
    runs = read(tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert [r.name for r in runs] == ["a", "b", "c/log.csv"]
    total = sum(f.stat().st_size for f in tmp_path.rglob("*") if f.is_file())
    assert len(seen) > 4 and seen[-1] == (total, total)
    assert all(b[0] >= a[0] for a, b in zip(seen, seen[1:]))  # never goes back
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        read(tmp_path, progress=lambda *a: None, cancelled=cancelled)


def test_catalog_lists_runs_by_tags_with_axes(tmp_path):
    p = tmp_path / "training_log.csv"
    p.write_text("epoch,learning_rate,loss,val_loss\n0,0.001,1.0,nan\n1,0.0005,0.5,0.6\n")
    rows = {r.tag: r for r in catalog(read(p))}
    assert rows["learning_rate"].axis == "lr" and rows["loss"].axis == "metric"
    assert rows["val_loss"].nonfinite == 1 and rows["loss"].points == 2
    assert rows["loss"].needs_steps_per_epoch and rows["loss"].x_kind == "epoch"
    assert (rows["loss"].first, rows["loss"].last) == (0, 1)
    assert rows["loss"].writer == "keras-csv"
    np.testing.assert_array_equal(read(p)[0].series["loss"].steps, [0, 1])


def test_the_file_dialog_filter_comes_from_the_format_registry(tmp_path):
    """Every registered format with file patterns is offered, and a format registered later joins."""
    from lrdesigner.logs import FORMATS, LogFormat, file_dialog_filter
    from lrdesigner.logs.formats import register

    text = file_dialog_filter()
    rows = text.split(";;")
    assert rows[0].startswith("Training logs (") and rows[-1] == "All files (*)"
    for pattern in ("*.tfevents*", "*.csv", "trainer_state.json", "*.jsonl", "*.log", "*.wandb"):
        assert pattern in rows[0]
    register(LogFormat("example", "Example logs", ("*.example",), lambda path, name, tick, skip: []))
    try:
        assert "Example logs (*.example)" in file_dialog_filter().split(";;")
        assert "*.example" in file_dialog_filter().split(";;")[0]
    finally:
        FORMATS.pop("example")

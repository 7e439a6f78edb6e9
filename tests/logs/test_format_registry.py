"""A log format is one registration: a toy format registered from a test, with its own file
extension, sniff and reader, is opened, offered by the file dialog and found in folders."""

import numpy as np
import pytest
from lrdesigner.logs import FORMATS, LogFormat, LogRun, Series, file_dialog_filter, guess_writer, read
from lrdesigner.logs.detect import find_sources, sniff_file
from lrdesigner.logs.formats import NAME, TEXT, WriterRule, by_content, by_name, register, sniffs


def read_toy(path, name, tick, skip_bad):
    """A toy log: one `step value` pair per line after a `TOY` line."""
    lines = open(path, encoding="utf-8").read().split("\n")[1:]
    pairs = np.array([[float(x) for x in line.split()] for line in lines if line.strip()])
    series = Series("toy_lr", name or "toy", pairs[:, 0].astype(np.int64), pairs[:, 1])
    return [LogRun(name or "toy", path, {"toy_lr": series})]


@pytest.fixture
def toy_format():
    register(
        LogFormat(
            "toy",
            "Toy logs",
            ("*.toy",),
            read_toy,
            sniffs=(by_name(NAME + 50, lambda path: path.endswith(".toy")),),
            writers=(WriterRule(5, lambda run: "lightning"),),
        )
    )
    yield
    FORMATS.pop("toy")


def write_toy(path):
    path.write_text("TOY\n0 0.1\n10 0.05\n")
    return path


def test_a_registered_format_is_read_offered_and_found_in_folders(tmp_path, toy_format):
    (tmp_path / "run1").mkdir()
    toy = write_toy(tmp_path / "run1" / "lr.toy")
    (tmp_path / "notes.yaml").write_text("not a log\n")

    runs = read(str(toy))
    assert [r.name for r in runs] == ["toy"]
    np.testing.assert_array_equal(runs[0].series["toy_lr"].steps, [0, 10])
    assert runs[0].writer == "lightning"  # the format's own writer rule

    rows = file_dialog_filter().split(";;")
    assert "Toy logs (*.toy)" in rows and "*.toy" in rows[0]

    assert [(s.name, s.fmt) for s in find_sources(str(tmp_path))] == [("run1/lr.toy", "toy")]
    assert [r.series["toy_lr"].values.tolist() for r in read(str(tmp_path))] == [[0.1, 0.05]]


def test_a_format_found_by_content_takes_its_place_among_the_priorities(tmp_path):
    """A content sniff placed before JSON's claims files that start with `{` too."""
    path = tmp_path / "odd.jsonl"
    path.write_text('{"step": 0, "lr": 1}\n')
    assert sniff_file(str(path)) == "jsonl"
    register(
        LogFormat(
            "braces", "Braces", (), read_toy, sniffs=(by_content(TEXT + 5, lambda p, head: b'"lr"' in head),)
        )
    )
    try:
        assert sniff_file(str(path)) == "braces"
    finally:
        FORMATS.pop("braces")
    assert sniff_file(str(path)) == "jsonl"


def test_unregistering_a_format_removes_its_sniffs_and_writer_rules(toy_format):
    assert any(fmt == "toy" for _, fmt in sniffs())
    run = LogRun("r", "", {"loss": Series("loss", "r", np.array([0]), np.array([1.0]))})
    assert guess_writer(run, "toy") == "lightning"
    FORMATS.pop("toy")
    assert not any(fmt == "toy" for _, fmt in sniffs())
    assert guess_writer(run, "toy") == ""
    FORMATS["toy"] = LogFormat("toy", "Toy", (), read_toy)  # for the fixture's teardown


def test_priorities_keep_file_names_before_content():
    with pytest.raises(ValueError, match="before content"):
        by_name(TEXT, lambda path: True)
    with pytest.raises(ValueError, match="after file-name"):
        by_content(NAME, lambda path, head: True)
    order = [s.priority for s, _ in sniffs()]
    assert order == sorted(order)
    first_content = next(i for i, (s, _) in enumerate(sniffs()) if s.reads_head)
    assert all(s.reads_head for s, _ in sniffs()[first_content:])

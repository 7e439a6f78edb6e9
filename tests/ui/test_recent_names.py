"""Open recent names each file with just enough of its path to tell it from the others."""

from lrdesigner.ui.model.session import short_names


def test_two_files_of_one_name_show_their_folders(tmp_path, window):
    paths = []
    for run in ("run-a", "run-b"):
        (tmp_path / run).mkdir()
        path = tmp_path / run / "trainer_state.json"
        path.write_text('{"log_history": [{"step": 1, "loss": 1.0, "learning_rate": 0.001}]}')
        paths.append(str(path))
    design = tmp_path / "d.json"
    window.files._replace(window.doc.design)
    window.files._write(str(design))
    for path in paths:
        window.session.remember(path)
    window.files._refresh_recent()
    names = sorted(a.text() for a in window.files.recent_menu.actions())
    assert names == ["d.json", "run-a/trainer_state.json", "run-b/trainer_state.json"]
    tips = {a.text(): a.toolTip() for a in window.files.recent_menu.actions()}
    assert tips["run-a/trainer_state.json"] == paths[0]


def test_short_names_grow_only_where_they_clash():
    names = short_names(["/x/a/b/log.csv", "/x/c/b/log.csv", "/x/other.csv", "/y/d/log.csv"])
    assert names == ["a/b/log.csv", "c/b/log.csv", "other.csv", "d/log.csv"]

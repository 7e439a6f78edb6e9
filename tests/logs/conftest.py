import pytest
from lrdesigner.logs import records


@pytest.fixture(params=["compiled", "numpy"])
def event_reader(request, monkeypatch):
    """Each test that uses this runs with both event-file readers: the compiled one (where it was
    built) and numpy's, which the package uses where it could not be."""
    if request.param == "compiled" and records.native is None:
        pytest.skip("the compiled event reader was not built here (no C compiler when installing)")
    if request.param == "numpy":
        monkeypatch.setattr(records, "native", None)
    return request.param

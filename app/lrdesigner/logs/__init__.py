"""Training logs: readers for every supported format, smoothing, following, decimation,
placement on the design's step axis, LR-vs-design comparison and log advice.

No Qt and no TensorFlow: event files are decoded with tensorboard's protobuf definitions.
"""

import importlib
from typing import TYPE_CHECKING

#: Where each name lives: a name is imported with its module when first used, so that opening the
#: window (which reads no log yet) does not import every reader.
_HOME = {
    "check_logs": "advice",
    "LRComparison": "alignment",
    "Placement": "alignment",
    "compare_lr": "alignment",
    "guess_writer": "alignment",
    "is_lr_tag": "alignment",
    "place": "alignment",
    "SeriesInfo": "catalog",
    "catalog": "catalog",
    "LogSet": "detect",
    "read": "detect",
    "Cancelled": "errors",
    "LogError": "errors",
    "Follower": "follow",
    "Update": "follow",
    "FORMATS": "formats",
    "LogFormat": "formats",
    "file_dialog_filter": "formats",
    "LogRun": "series",
    "Series": "series",
    "smooth": "smoothing",
}


def __getattr__(name: str):
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .advice import check_logs
    from .alignment import LRComparison, Placement, compare_lr, guess_writer, is_lr_tag, place
    from .catalog import SeriesInfo, catalog
    from .detect import LogSet, read
    from .errors import Cancelled, LogError
    from .follow import Follower, Update
    from .formats import FORMATS, LogFormat, file_dialog_filter
    from .series import LogRun, Series
    from .smoothing import smooth

__all__ = [
    "Cancelled",
    "FORMATS",
    "Follower",
    "LRComparison",
    "LogFormat",
    "LogError",
    "LogRun",
    "LogSet",
    "Placement",
    "Series",
    "SeriesInfo",
    "Update",
    "catalog",
    "check_logs",
    "compare_lr",
    "file_dialog_filter",
    "guess_writer",
    "is_lr_tag",
    "place",
    "read",
    "smooth",
]

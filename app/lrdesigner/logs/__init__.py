"""Training logs: readers for every supported format, smoothing, following, decimation,
placement on the design's step axis, LR-vs-design comparison and log advice.

No Qt and no TensorFlow: event files are decoded with tensorboard's protobuf definitions.
"""

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

"""Training logs: readers for every supported format, smoothing, following, decimation.

No Qt and no TensorFlow: event files are decoded with tensorboard's protobuf definitions.
"""

from .detect import read
from .errors import LogError
from .series import LogRun, Series
from .smoothing import smooth

__all__ = ["LogError", "LogRun", "Series", "read", "smooth"]

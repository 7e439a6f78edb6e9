"""The schedule model: segments, designs, evaluation, analysis and files. NumPy only."""

from .design import AFTER_END, Design
from .errors import DesignError, EditError
from .segment import Segment
from .shapes import SHAPES, get_shape

__all__ = ["AFTER_END", "SHAPES", "Design", "DesignError", "EditError", "Segment", "get_shape"]

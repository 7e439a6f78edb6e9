"""LR Designer: design, check and export learning-rate schedules."""

__version__ = "0.1.0"

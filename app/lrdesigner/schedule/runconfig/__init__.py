"""Read the schedule a training run used from its saved files, without executing anything."""

from .detect import RunSchedule, load_run_schedule

__all__ = ["RunSchedule", "load_run_schedule"]

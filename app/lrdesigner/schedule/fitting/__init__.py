"""Recovering the schedule behind logged LR points: library families first, else segments."""

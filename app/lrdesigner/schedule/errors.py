"""Errors raised by the schedule core."""

from __future__ import annotations


class DesignError(ValueError):
    """A design, segment or parameter is invalid; `where` names the place (a JSON-path-like string)."""

    def __init__(self, message: str, where: str = "") -> None:
        where = where.lstrip(".")
        self.where = where
        self.problem = message
        super().__init__(f"{where}: {message}" if where else message)


class EditError(DesignError):
    """An edit cannot be applied to the design as asked."""

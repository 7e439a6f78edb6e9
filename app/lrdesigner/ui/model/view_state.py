"""Every view choice, in one place: the LR and right-hand axes' scales, epochs on the x axis, the
dark palette, the logs' smoothing, where the legend goes, and the steps per epoch the views show
and place epoch-indexed logs with. The views read it and redraw when it changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from ...view_keys import LEGEND_PLACES
from .session import settings


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _weight(value: Any) -> float:
    return min(max(float(value), 0.0), 0.999)


def _legend(value: Any) -> str:
    value = str(value)
    if value not in LEGEND_PLACES:
        raise ValueError(f"legend place {value!r}: one of {', '.join(LEGEND_PLACES)}")
    return value


def _steps_per_epoch(value: Any) -> int | None:
    if value in (None, "", 0):
        return None
    value = int(value)
    if value < 1:
        raise ValueError(f"steps per epoch {value}: at least 1")
    return value


#: Each field: (how a value is checked and converted, its default, remembered between launches).
#: Steps per epoch comes from the design, so it is not remembered.
FIELDS: dict[str, tuple[Callable[[Any], Any], Any, bool]] = {
    "log_scale": (_flag, False, True),  # a logarithmic LR axis
    "epochs": (_flag, False, True),  # a wish: epochs are shown only while steps_per_epoch is set
    "dark": (_flag, False, True),
    "smoothing": (_weight, 0.6, True),  # TensorBoard's smoothing weight for logged losses
    "loss_log": (_flag, False, True),  # a logarithmic right-hand (loss and metric) axis
    "legend": (_legend, "auto", True),
    "steps_per_epoch": (_steps_per_epoch, None, False),
}


class MemoryStore:
    """A settings store that remembers nothing past its life (a plot rendered without a window)."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def value(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def setValue(self, key: str, value: Any) -> None:  # noqa: N802 (QSettings' name)
        self._values[key] = value


class ViewState(QObject):
    """The user's view choices, each an attribute named as in FIELDS; `changed(field)` after one
    changes. Change them with `set`."""

    changed = Signal(str)  # the field that changed
    log_scale: bool
    epochs: bool
    dark: bool
    smoothing: float
    loss_log: bool
    legend: str
    steps_per_epoch: int | None

    def __init__(self, store: QSettings | MemoryStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store if store is not None else settings()
        for key, (convert, default, remembered) in FIELDS.items():
            value = default
            if remembered:
                try:
                    value = convert(self._store.value(f"view/{key}", default))
                except (TypeError, ValueError):
                    value = default
            setattr(self, key, value)

    @classmethod
    def transient(cls, parent: QObject | None = None) -> ViewState:
        """The default choices, remembered nowhere (for a plot without a window)."""
        return cls(MemoryStore(), parent)

    def set(self, key: str, value: Any, remember: bool = True) -> None:
        """Change one choice (ValueError for a value it cannot take); `remember`: for the next
        launch too (a workspace's choices are not)."""
        convert, _default, remembered = FIELDS[key]
        value = convert(value)
        if remember and remembered:
            self._store.setValue(f"view/{key}", value)
        if getattr(self, key) != value:
            setattr(self, key, value)
            self.changed.emit(key)

    def set_smoothing(self, weight: float, remember: bool = True) -> None:
        """TensorBoard's smoothing weight for logged series (0 to 0.999)."""
        self.set("smoothing", weight, remember)

    def set_steps_per_epoch(self, spe: int | None) -> None:
        """The steps per epoch the views show and place epoch-indexed logs with (the design's)."""
        self.set("steps_per_epoch", spe)

    @property
    def epoch_axis(self) -> int | None:
        """The steps per epoch the x axis counts in: set only while epochs are wished and known."""
        return self.steps_per_epoch if self.epochs else None

"""View choices (log scale, epochs on the x axis, dark palette), remembered between launches."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from .session import settings

FIELDS = ("log_scale", "epochs", "dark")


class ViewState(QObject):
    """The user's view choices. `epochs` is a wish: the axis shows epochs only while the design
    has steps per epoch."""

    changed = Signal(str)  # the field that changed

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store if store is not None else settings()
        self.log_scale = self._read("log_scale")
        self.epochs = self._read("epochs")
        self.dark = self._read("dark")
        try:
            self.smoothing = min(max(float(self._store.value("view/smoothing", 0.6)), 0.0), 0.999)
        except (TypeError, ValueError):
            self.smoothing = 0.6

    def set_smoothing(self, weight: float, remember: bool = True) -> None:
        """TensorBoard's smoothing weight for logged series (0 to 0.999)."""
        weight = min(max(float(weight), 0.0), 0.999)
        if remember:
            self._store.setValue("view/smoothing", weight)
        if weight != self.smoothing:
            self.smoothing = weight
            self.changed.emit("smoothing")

    def _read(self, key: str) -> bool:
        value = self._store.value(f"view/{key}", False)
        return value is True or str(value).lower() in ("true", "1")

    def set(self, key: str, value: bool, remember: bool = True) -> None:
        assert key in FIELDS
        value = bool(value)
        if remember:
            self._store.setValue(f"view/{key}", value)
        if getattr(self, key) != value:
            setattr(self, key, value)
            self.changed.emit(key)

"""Other people's saves as one Qt signal, throttled: open lists refresh without a restart.

:class:`~ib_desktop.storage.listening.ChangeListener` calls back in its own thread; the callback
only emits a signal, which Qt queues to this object's (the GUI) thread. There the changes are
collected for ``delay_ms`` and announced once as :attr:`LiveRefresh.changed` with the pupils
concerned (``None`` in the set: anything may have changed), so thirty teachers saving in the
same second cost one refresh, not thirty.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ib_desktop.storage.listening import Change, ChangeListener, listener_for

#: How long changes are gathered before the screens read again.
DELAY_MS = 400


class LiveRefresh(QObject):
    """Listens while it lives (on PostgreSQL); does nothing on SQLite."""

    changed = Signal(object)  # frozenset[int | None]: the pupils whose data changed
    _arrived = Signal(object)  # a Change, from the listener's thread

    def __init__(self, engine: Any, parent: QObject | None = None, delay_ms: int = DELAY_MS):
        super().__init__(parent)
        self._pending: set[int | None] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._on_arrived)
        self.listener: ChangeListener | None = listener_for(engine, self._arrived.emit)
        if self.listener is not None:
            self.listener.start()

    @property
    def active(self) -> bool:
        """True when there is a server to listen to."""
        return self.listener is not None

    def stop(self) -> None:
        """Stop listening (the window closes, or another database is opened)."""
        self._timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    @Slot(object)
    def _on_arrived(self, change: Change) -> None:
        self._pending.add(change.pupil_id)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        pending, self._pending = frozenset(self._pending), set()
        if pending:
            self.changed.emit(pending)

"""The pupil list's own widgets: the quick filter, the table and the background schedule job."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView

from ib_desktop.ui.context import AppContext


class SearchField(QLineEdit):
    """The quick filter: Down goes to the list, Escape clears."""

    downPressed = Signal()  # noqa: N815

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Down moves into the list; Escape empties the field (and only then the dialog's)."""
        if event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class PupilTableView(QTableView):
    """The list itself: typing a letter starts the quick filter, Escape goes back to it."""

    typed = Signal(str)
    escapePressed = Signal()  # noqa: N815

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """Type-ahead would scan every row; send the letters to the quick filter instead."""
        self.typed.emit(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Escape goes back to the quick filter."""
        if event.key() == Qt.Key.Key_Escape:
            self.escapePressed.emit()
            return
        super().keyPressEvent(event)


class ScheduleSignals(QObject):
    """Carries the schedule engine's answer from the worker thread back to the page."""

    done = Signal(int, object)  # generation, {pupil id: Moment}
    failed = Signal(int, str)


class ScheduleJob(QRunnable):
    """Asks the schedule engine for every pupil's next evaluation, off the GUI thread."""

    def __init__(self, ctx: AppContext, generation: int, signals: ScheduleSignals) -> None:
        super().__init__()
        self._ctx = ctx
        self._generation = generation
        self._signals = signals

    def run(self) -> None:
        """Run in the pool with its own short session."""
        try:
            from ib_desktop.services.pupil.listing import next_evaluations

            with self._ctx.db.session() as s:
                due = next_evaluations(s, self._ctx.school_id, today=self._ctx.today())
        except Exception as exc:  # the list still works without the column
            self._emit(self._signals.failed, str(exc))
            return
        self._emit(self._signals.done, due)

    def _emit(self, signal: Any, answer: Any) -> None:
        """Hand the answer over; when the page closed meanwhile (the app quit), nobody waits."""
        try:
            signal.emit(self._generation, answer)
        except RuntimeError:  # "Signal source has been deleted"
            return

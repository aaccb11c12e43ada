"""Autosave: an editor saves a few seconds after the user stops typing, and when the window
loses the focus (the user goes to another window or program).

The save goes through the editor's own save path (the same as Ctrl+S), so the rules stay the
same: invalid input is not saved and its message stays beside the field (the recovery store
keeps the typing), a conflict shows the conflict dialog and stops autosaving until the user
saves by hand, and the document's status is what the form holds (a concept stays a concept).
Each user may turn autosave off (QSettings ``editor/autosave``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Slot
from PySide6.QtWidgets import QApplication, QWidget

SETTING = "editor/autosave"
#: Milliseconds without typing before the editor saves.
DELAY_MS = 3000


def autosave_enabled() -> bool:
    """The user's choice (on unless turned off)."""
    value = QSettings().value(SETTING, True)
    return value not in (False, "false", "0", 0)


def set_autosave_enabled(on: bool) -> None:
    """Turn autosave on or off for this user."""
    QSettings().setValue(SETTING, bool(on))


class Autosaver(QObject):
    """Calls ``save()`` after a pause in typing, or when the window loses the focus.

    ``can_save()`` says whether there is anything to save (changed, not read-only). ``save()``
    returns True when it saved; a conflict is reported with :meth:`stop`.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        save: Callable[[], bool],
        can_save: Callable[[], bool],
        delay_ms: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._save = save
        self._can_save = can_save
        self.enabled = autosave_enabled()
        self.stopped = False
        self._running = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS if delay_ms is None else delay_ms)
        self.timer.timeout.connect(self.run)
        window.installEventFilter(self)

    def set_delay(self, ms: int) -> None:
        """Wait this long after the last keystroke (tests use a short delay)."""
        self.timer.setInterval(ms)

    def edited(self) -> None:
        """The user changed something: save after the pause."""
        if self.enabled and not self.stopped:
            self.timer.start()

    def stop(self) -> None:
        """After a conflict: no more autosaving until :meth:`resume` (a save by hand)."""
        self.stopped = True
        self.timer.stop()

    def resume(self) -> None:
        """The user saved by hand: autosave goes on (from the next change)."""
        self.stopped = False
        self.timer.stop()

    @contextmanager
    def held(self) -> Iterator[None]:
        """No autosave while this runs (a save by hand, with its dialogs)."""
        was, self._running = self._running, True
        try:
            yield
        finally:
            self._running = was

    @Slot()
    def run(self) -> bool:
        """Save now when there is something to save; True when saved."""
        self.timer.stop()
        if self._running or not self.enabled or self.stopped or not self._can_save():
            return False
        if QApplication.activeModalWidget() is not None:
            self.timer.start()  # a dialog is open (the goal picker, a question): later
            return False
        self._running = True
        try:
            return self._save()
        finally:
            self._running = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The window loses the focus: save what is pending once it is clear where it went."""
        if (
            obj is self.window
            and event.type() == QEvent.Type.WindowDeactivate
            and self.timer.isActive()
            and not self._running
            and self._can_save()  # changed when the focus went, not by what comes after
        ):
            QTimer.singleShot(0, self._after_deactivate)
        return False

    @Slot()
    def _after_deactivate(self) -> None:
        """To another program or another window: save. To a dialog of this window: not now."""
        if not self.timer.isActive() or QApplication.activeModalWidget() is not None:
            return
        widget = QApplication.activeWindow()
        while widget is not None:
            if widget is self.window:
                return  # still here, or a dialog of this window
            widget = widget.parentWidget()
        self.run()

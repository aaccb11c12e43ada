"""Backups in a worker thread: a progress dialog for the ones the user waits for, and the
automatic backup at opening and every day, so the window never stops responding."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QApplication,
    QProgressDialog,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop import backup as bk

log = logging.getLogger(__name__)


#: How often a running app looks whether the daily backup is due.
CHECK_INTERVAL_MS = 60 * 60 * 1000


class _Job(QObject):
    """Runs one function in a worker thread and reports back with signals."""

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.progress.emit)
        except Exception as exc:  # noqa: BLE001 - handed to the main thread as it is
            self.failed.emit(exc)
        else:
            self.finished.emit(result)


class _Waiter(QObject):
    """Lives in the main thread and receives the job's signals there (queued)."""

    def __init__(self, loop: QEventLoop, dialog: QProgressDialog | None) -> None:
        super().__init__()
        self.loop = loop
        self.dialog = dialog
        self.outcome: dict[str, Any] = {}

    @Slot(object)
    def on_finished(self, result: object) -> None:
        self.outcome["result"] = result
        self.loop.quit()

    @Slot(object)
    def on_failed(self, exc: object) -> None:
        self.outcome["error"] = exc
        self.loop.quit()

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        if self.dialog is not None and total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total - 1) if done < total else total - 1)


def run_with_progress(
    parent: QWidget | None, label: str, fn: Callable[[Callable[[int, int], None]], Any]
) -> Any:
    """Run ``fn(progress)`` in a worker thread behind a progress dialog; its result, or its error.

    The call returns only when the work is done, so callers read like ordinary code, while the
    event loop keeps the window painted.
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)
    dialog.show()
    loop = QEventLoop()
    waiter = _Waiter(loop, dialog)
    thread = QThread()
    job = _Job(fn)
    job.moveToThread(thread)
    job.finished.connect(waiter.on_finished)
    job.failed.connect(waiter.on_failed)
    job.progress.connect(waiter.on_progress)
    thread.started.connect(job.run)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        thread.start()
        loop.exec()
    finally:
        thread.quit()
        thread.wait()
        QApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()
    if "error" in waiter.outcome:
        raise waiter.outcome["error"]
    return waiter.outcome.get("result")


#: Worker threads of automatic backups that may still run: (thread, job) by id.
_THREADS: dict[int, tuple[QThread, QObject]] = {}


def _wait_for_all_threads() -> None:
    """At quit: let every automatic backup finish (a half one is never kept anyway)."""
    for thread, _job in list(_THREADS.values()):
        thread.quit()
        thread.wait()
    _THREADS.clear()


class BackgroundBackup(QObject):
    """Makes automatic backups in a worker thread while the app runs.

    One backup when the database has been opened, then every hour a look whether the newest
    automatic backup is a day old. Problems are shown once per run of failures, not every hour.
    """

    finished = Signal(object)  # BackupInfo
    failed = Signal(str)

    def __init__(
        self, ctx: Any, parent: QObject | None = None, *, interval_ms: int = CHECK_INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._thread: QThread | None = None
        self._job: _Job | None = None
        self._warned = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timer)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)
            if not getattr(app, "_ib_backup_threads_guard", False):
                app.aboutToQuit.connect(_wait_for_all_threads)
                app._ib_backup_threads_guard = True  # type: ignore[attr-defined]

    def start(self) -> None:
        """Back up now (in the background) and start the daily check."""
        self.timer.start()
        self.backup_now()

    def is_running(self) -> bool:
        """A backup is being made."""
        return self._thread is not None

    def backup_now(self) -> bool:
        """Start an automatic backup unless one is running; False when none was started."""
        if self._thread is not None or self.ctx.db.path is None:
            return False
        path = self.ctx.db.path
        # The thread has no Qt parent and is kept in _THREADS: when the window (and this object)
        # goes away during a backup, the thread still ends on its own instead of being destroyed
        # while it runs, which would abort the program.
        self._thread = QThread()
        self._job = _Job(lambda _progress: bk.make_backup(path, reason=bk.AUTO))
        self._job.moveToThread(self._thread)
        _THREADS[id(self._thread)] = (self._thread, self._job)
        self._job.finished.connect(self._thread.quit)
        self._job.failed.connect(self._thread.quit)
        self._job.finished.connect(self._on_finished)
        self._job.failed.connect(self._on_failed)
        self._thread.started.connect(self._job.run)
        self._thread.start()
        return True

    @Slot()
    def wait(self) -> None:
        """Let a running backup finish (the app is quitting)."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()

    @Slot()
    def _on_timer(self) -> None:
        try:
            due = bk.backup_due(self.ctx.db)
        except bk.BackupError:
            return
        if due:
            self.backup_now()

    def _done(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            _THREADS.pop(id(self._thread), None)
        self._thread, self._job = None, None

    @Slot(object)
    def _on_finished(self, info: object) -> None:
        self._done()
        self._warned = False
        self.finished.emit(info)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self._done()
        log.warning("Automatische back-up mislukt: %s", exc)
        message = (
            str(exc)
            if isinstance(exc, bk.DatabaseError)
            else QCoreApplication.translate("backup", "Onverwachte fout: %s") % exc
        )
        if not self._warned:
            self._warned = True
            self.failed.emit(message)

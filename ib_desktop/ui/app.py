"""Starting the GUI: the Qt application, opening the database safely, the first run."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ib_desktop import APP_NAME, APP_SLUG, __version__
from ib_desktop.bulk import gc_paused

if TYPE_CHECKING:
    from sqlalchemy import URL

    from ib_desktop.storage import Database

#: Loaded when first needed, so that the start stays fast; tested beside the main window's
#: registry (tests/ui/test_main_window_registry.py).
RECOVER_DAMAGED = "ib_desktop.ui.backup:recover_damaged"
RUN_FIRST_RUN = "ib_desktop.ui.first_run:run_first_run"
AFTER_OPEN = "ib_desktop.ui.backup:after_open"
CONTINUE_FIRST_RUN = "ib_desktop.ui.first_run:continue_first_run"
LAZY_SYMBOLS = (RECOVER_DAMAGED, RUN_FIRST_RUN, AFTER_OPEN, CONTINUE_FIRST_RUN)

#: Texts of Qt's own dialogs that Qt's Dutch translation (qtbase_nl) lacks: Qt 6 added the
#: mnemonic "&" to these labels and the shipped translation still has the old source text.
QT_DUTCH_GAPS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestands&type:",
}


class _QtDutchGaps(QTranslator):
    """Fills the few holes in qtbase_nl; everything else comes from Qt's own translation."""

    def translate(  # noqa: D102 - Qt override
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) lets Qt ask the next translator; "" would blank the text.
        return QT_DUTCH_GAPS.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802, D102 - Qt override
        return False


def ensure_application() -> QApplication:
    """The QApplication, created once with the app's name and the Dutch locale."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_SLUG)
        QCoreApplication.setApplicationName(APP_SLUG)
        app = QApplication(sys.argv[:1])
        app.setApplicationDisplayName(APP_NAME)
        app.setApplicationVersion(__version__)
        app.setWindowIcon(application_icon())
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    if not getattr(app, "_ib_translator", None):
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # Qt's own dialogs (file dialogs, message box buttons) speak Dutch too.
        if translator.load(QLocale(), "qtbase", "_", path):
            app.installTranslator(translator)
        gaps = _QtDutchGaps(app)
        app.installTranslator(gaps)  # asked first; answers only for the texts it knows
        app._ib_translator = translator  # type: ignore[attr-defined]
        app._ib_translator_gaps = gaps  # type: ignore[attr-defined]
    return app  # type: ignore[return-value]


def application_icon() -> QIcon:
    """The app's icon in every rendered size (packaging/make_icons.py draws them from the SVG)."""
    from ib_desktop.resources import list_names, resource_path

    icon = QIcon()
    for name in list_names("icons", suffix=".png"):
        icon.addFile(str(resource_path("icons", name)))
    return icon


def open_database_interactively(
    database: str | None,
    parent: QWidget | None = None,
    *,
    claim: Callable[[str | None], None] | None = None,
    before_message: Callable[[], None] | None = None,
) -> Database | None:
    """Open the database; on a problem explain it in Dutch and offer to choose another file.

    ``claim(target)`` runs before each file is opened (opening may write: an upgrade, the
    planner's statistics); it raises :class:`~ib_desktop.storage.DatabaseLockedError` when
    another window of the app has that file open. ``before_message()`` runs before a refusal
    is shown (start-up takes the first paint's rows away).
    """
    from ib_desktop.database import open_database
    from ib_desktop.storage import DatabaseError
    from ib_desktop.storage.keys import PasswordNeededError

    target = database
    while True:
        try:
            if claim is not None:
                claim(target)
            return open_database(target, check_integrity=True)
        except PasswordNeededError as exc:
            # An encrypted file: the password dialog, then the same file again.
            from ib_desktop.ui.widgets.password_dialog import PasswordDialog

            if before_message is not None:
                before_message()
            if PasswordDialog.unlock(exc.path, parent):
                continue
            return None
        except DatabaseError as exc:
            if before_message is not None:
                before_message()
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(APP_NAME)
            box.setText(QCoreApplication.translate("app", "De database kan niet worden geopend."))
            box.setInformativeText(str(exc))
            choose = box.addButton(
                QCoreApplication.translate("app", "Ander bestand kiezen…"),
                QMessageBox.ButtonRole.AcceptRole,
            )
            restore = None
            from ib_desktop.storage import DamagedDatabaseError

            if isinstance(exc, DamagedDatabaseError):
                restore = box.addButton(
                    QCoreApplication.translate("app", "Back-up terugzetten…"),
                    QMessageBox.ButtonRole.ActionRole,
                )
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            clicked = box.clickedButton()
            if restore is not None and clicked is restore:
                from ib_desktop.ui.main_window import load_symbol

                recover = load_symbol(RECOVER_DAMAGED)
                if recover is not None and recover(target, parent):
                    continue
                return None
            if clicked is not choose:
                return None
            path, _ = QFileDialog.getOpenFileName(
                parent,
                QCoreApplication.translate("app", "Database kiezen"),
                str(Path.home()),
                QCoreApplication.translate(
                    "app", "IB Desktop-database (*.sqlite *.db);;Alle bestanden (*)"
                ),
            )
            if not path:
                return None
            target = path


def choose_school(db: Database, parent: QWidget | None = None) -> int | None:
    """The school to show; on an empty database the first-run wizard makes one."""
    from ib_desktop.services.school import get_school
    from ib_desktop.ui.main_window import load_symbol

    with db.session() as s:
        school = get_school(s)
        if school is not None:
            return school.id
    wizard = load_symbol(RUN_FIRST_RUN)
    if wizard is None:
        QMessageBox.warning(
            parent,
            APP_NAME,
            QCoreApplication.translate("app", "Deze database bevat nog geen school."),
        )
        return None
    return wizard(db, parent)


def preload() -> None:
    """Import what the full open needs (SQLAlchemy, the models, their mappers): slow, and
    safe in a worker thread, where it leaves the window responsive. Nothing is opened here.
    """
    import sqlalchemy.orm

    import ib_desktop.models  # noqa: F401 - loaded for the open that follows
    import ib_desktop.services.pupil.listing  # noqa: F401
    import ib_desktop.services.school  # noqa: F401
    import ib_desktop.storage  # noqa: F401

    sqlalchemy.orm.configure_mappers()  # what the first query would otherwise do


class _PreloadSignals(QObject):
    done = Signal()


class _Preload(QRunnable):
    """Runs :func:`preload` in the pool; the full open itself follows on the GUI thread."""

    def __init__(self, signals: _PreloadSignals) -> None:
        super().__init__()
        self._signals = signals

    def run(self) -> None:  # noqa: D102 - QRunnable
        # An error here is met again, and explained, by the open on the GUI thread.
        with contextlib.suppress(Exception):
            preload()
        self._signals.done.emit()


class Startup(QObject):
    """The way from an empty window to a working app, one step per turn of the event loop.

    1. The main window shows at once, as an empty shell: nothing of SQLAlchemy is loaded yet,
       so it appears about as fast as a bare Qt window.
    2. The database is opened with every check that protects it (already open in another
       window, not ours, from a newer version, read-only, damaged), all of them before
       anything is written; then the school is chosen and the first page is filled.
       When the pupil list is the first page and the file is plainly ours (see
       :mod:`ib_desktop.quick_list`), its rows are read first with ``sqlite3``, read-only
       (an encrypted file's after the password dialog, with ``sqlcipher3`` and the key),
       and painted before SQLAlchemy loads (in a worker thread); the full, checked open then
       replaces them, or takes them away again before it explains a refusal. Until then the
       actions that need the database wait under a visible "Bezig met laden…".
       What is slow to compute on that page (the schedule behind "volgende evaluatie" and the
       home screen's cards) follows from a worker thread with its own session, under a visible
       "bezig…".
    3. Only after that page has been painted: the backup made on every open (in a worker
       thread), the hook that explains uncaught database errors in Dutch, and the offer of
       edits a crash left behind. None of them guards the data against this start: the
       backup before a schema upgrade is made inside step 2, before the upgrade.
    """

    ready = Signal()  # the first page is filled and painted: the user can work
    painted = Signal()  # the first page shows its rows (perhaps the quick ones): before ready
    failed = Signal(int)  # the start ended without a working window; the exit code

    def __init__(self, database: str | None = None, parent: QObject | None = None) -> None:
        """Show the window and queue the next step."""
        super().__init__(parent)
        # Loading SQLAlchemy and the models makes some hundred thousand objects, none of them
        # garbage; the cyclic collector walked them all again and again (a tenth of the start).
        # It is held off until the first page has been painted (see ib_desktop/bulk.py).
        self._gc_pause = ExitStack()
        self._gc_pause.enter_context(gc_paused())
        from ib_desktop.ui.main_window import MainWindow

        self.database = database
        self.code = 0
        self.db: Database | None = None
        self.lock: Any = None
        self.locked_path: Path | None = None
        self.ctx: Any = None
        self.deferred_started = False
        self.first_run = False
        self.quick: Any = None  # the first paint's rows (ib_desktop.quick_list.QuickList)
        self.window = MainWindow(None)
        self.window.show()
        QTimer.singleShot(0, self._first_paint)

    @Slot()
    def _first_paint(self) -> None:
        """Show the pupil list from a quick read when that is safe; else open as always."""
        quick = None
        if (
            os.environ.get("IB_DESKTOP_QUICK_LIST", "1") != "0"
            and self.window.current_page_key() == "leerlingen"
        ):
            from datetime import date

            from ib_desktop.quick_list import password_wanted, quick_pupil_list

            locked = password_wanted(self.database)
            if locked is not None:
                # An encrypted file: the password first, then its rows through the same quick
                # read (with the key now unlocked in memory) as a plain file's.
                from ib_desktop.ui.widgets.password_dialog import PasswordDialog

                if not PasswordDialog.unlock(locked, self.window):
                    self._fail()
                    return
            quick = quick_pupil_list(self.database, today=date.today())
        if quick is None:
            self._open()
            return
        self.quick = quick
        self.lock, self.locked_path = quick.lock, quick.path
        self.window.show_preview("leerlingen", quick.data)
        QTimer.singleShot(0, self._on_quick_paint)  # after the paint the rows have queued

    @Slot()
    def _on_quick_paint(self) -> None:
        self.painted.emit()
        if self.window.ctx is not None or not self.window.isVisible():
            return
        self._preload_signals = _PreloadSignals(self)
        self._preload_signals.done.connect(self._on_preloaded)
        pool = QThreadPool(self.window)  # Startup.close() waits for it
        pool.setMaxThreadCount(1)
        pool.start(_Preload(self._preload_signals))

    @Slot()
    def _on_preloaded(self) -> None:
        if self.window.isVisible() and self.window.ctx is None:
            self._open()

    @Slot()
    def _open(self) -> None:
        from ib_desktop.storage import DatabaseLockedError

        server = _server_needing_login(self.database)
        try:
            if server is not None:  # the person's own login and password open it
                from ib_desktop.ui.login import log_in_to_server

                db = self.db = log_in_to_server(server, self.window)
            else:
                # Claimed before it is opened: opening may already write to the file.
                self._claim(self.database)
                db = open_database_interactively(
                    self.database, self.window, claim=self._claim,
                    before_message=self.window.drop_preview,
                )  # fmt: skip
            if db is not None:
                self.db = db
                self._claim(str(db.path) if db.path is not None else db.url)
        except DatabaseLockedError as exc:
            self.window.drop_preview()
            QMessageBox.critical(self.window, APP_NAME, str(exc))
            self._fail()
            return
        if db is None:
            self._fail()
            return
        from ib_desktop.services.school import get_school

        with db.session() as s:
            self.first_run = get_school(s) is None
        if self.first_run:
            self.window.drop_preview()
        school_id = choose_school(db, self.window)
        if school_id is None:
            self._fail()
            return
        access = _account_of(db, self.window)
        if access is False:  # stopped at the login, or too many wrong passwords
            self._fail()
            return
        from ib_desktop.ui.context import AppContext

        self.ctx = AppContext(db=db, school_id=school_id, access=access)
        self.window.attach(self.ctx)
        # A zero timer runs after the paint the filled page has queued.
        QTimer.singleShot(0, self._on_first_paint)

    @Slot()
    def _on_first_paint(self) -> None:
        self._gc_pause.close()
        if self.quick is None:
            self.painted.emit()
        self.ready.emit()
        if self.ctx is None or self.window.ctx is None:
            return  # the benchmark quit, or the window closed meanwhile
        QTimer.singleShot(0, self._start_deferred)

    @Slot()
    def _start_deferred(self) -> None:
        """What start-up does once the user can see and use the first page."""
        from ib_desktop.ui.main_window import load_symbol

        if self.deferred_started or self.ctx is None or not self.window.isVisible():
            return
        self.deferred_started = True
        on_open = load_symbol(AFTER_OPEN)
        if on_open is not None:
            on_open(self.ctx, self.window)
        if self.first_run:  # the wizard's last page said where to go next
            follow = load_symbol(CONTINUE_FIRST_RUN)
            if follow is not None:
                ctx, window = self.ctx, self.window
                QTimer.singleShot(0, lambda: follow(ctx, window))

    def _claim(self, database: str | URL | None) -> None:
        """Hold the instance lock of this database file (and let go of an earlier one).

        A file in a folder that does not exist yet is claimed once ``open_database`` has made
        the folder; a database on a server needs no lock.
        """
        from ib_desktop.storage import instance_lock, resolve_url, sqlite_path

        path = sqlite_path(resolve_url(database))
        if path is None or path == self.locked_path or not path.parent.is_dir():
            return
        lock = instance_lock(path)
        if self.lock is not None:
            self.lock.release()
        self.lock, self.locked_path = lock, path

    def _fail(self) -> None:
        self._gc_pause.close()
        self.window.drop_preview()
        self.code = 1
        self.window.close()
        self.failed.emit(self.code)

    def close(self) -> int:
        """Let running background work end, close the database and release it; the exit code.

        Work that was only queued (a timer that had not fired) is not started any more.
        """
        self._gc_pause.close()
        for pool in self.window.findChildren(QThreadPool):
            pool.clear()
            pool.waitForDone()
        if self.db is not None:
            self.db.dispose()
            self.db = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
            self.locked_path = None
        return self.code


def _server_needing_login(database: str | None) -> Any:
    """The URL of a server database opened without a password (the person logs in), or None."""
    from ib_desktop.services.accounts import needs_login
    from ib_desktop.storage import DatabaseError, resolve_url

    try:
        url = resolve_url(database)
    except DatabaseError:
        return None  # the normal open explains it
    return url if needs_login(url) else None


def _account_of(db: Database, parent: QWidget) -> Any:
    """The logged-in account; None without accounts; False when the login was given up.

    On PostgreSQL the connection already is the person (the server checked the password);
    on SQLite with accounts the login dialog asks now, before any pupil is shown.
    """
    if db.engine.dialect.name == "postgresql":
        from ib_desktop.services.accounts import access_of_connection

        with db.session() as s:
            return access_of_connection(s)
    from ib_desktop.ui.login import log_in_to_file

    return log_in_to_file(db, parent)


def _benchmark_mark(window: QWidget, app: QApplication) -> None:
    """Start-up benchmark: paint the window now, print the moment, and quit.

    ``benchmarks/run.py`` times a bare Qt window the same way, from the moment it started the
    process until this line.
    """
    window.repaint()
    print(f"IB_DESKTOP_READY {time.monotonic():.6f}", flush=True)
    app.quit()


def run_gui(database: str | None = None) -> int:
    """Start the app (see :class:`Startup`); returns the process exit code.

    ``IB_DESKTOP_QUIT_AFTER`` is for the start-up benchmark: "shown" quits once the empty
    window is painted, "loaded" once the first page shows its rows (the quick ones when
    start-up could read them, see :class:`Startup`), "ready" once the database is attached
    and the full page painted. ``IB_DESKTOP_QUICK_LIST=0`` turns the quick rows off (to
    compare).
    """
    app = ensure_application()
    quit_after = os.environ.get("IB_DESKTOP_QUIT_AFTER", "")
    if quit_after == "shown":
        from ib_desktop.ui.main_window import MainWindow

        window = MainWindow(None)
        window.show()
        QTimer.singleShot(0, lambda: _benchmark_mark(window, app))
        app.exec()
        return 0
    startup = Startup(database)
    if quit_after == "loaded":
        startup.painted.connect(lambda: _benchmark_mark(startup.window, app))
    elif quit_after == "ready":
        startup.ready.connect(lambda: _benchmark_mark(startup.window, app))
    app.exec()
    return startup.close()

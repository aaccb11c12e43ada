"""Starting the GUI: the Qt application, opening the database safely, the first run."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ib_desktop import APP_NAME, APP_SLUG, __version__

if TYPE_CHECKING:
    from ib_desktop.storage import Database


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


def open_database_interactively(database: str | None, parent: QWidget | None = None) -> Database | None:
    """Open the database; on a problem explain it in Dutch and offer to choose another file."""
    from ib_desktop.storage import DatabaseError, open_database

    target = database
    while True:
        try:
            return open_database(target, check_integrity=True)
        except DatabaseError as exc:
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

                recover = load_symbol("ib_desktop.ui.backup:recover_damaged")
                if recover is not None and recover(target, parent):
                    continue
                return None
            if clicked is not choose:
                return None
            path, _ = QFileDialog.getOpenFileName(
                parent,
                QCoreApplication.translate("app", "Database kiezen"),
                str(Path.home()),
                QCoreApplication.translate("app", "IB Desktop-database (*.sqlite *.db);;Alle bestanden (*)"),
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
    wizard = load_symbol("ib_desktop.ui.first_run:run_first_run")
    if wizard is None:
        QMessageBox.warning(parent, APP_NAME, "Deze database bevat nog geen school.")
        return None
    return wizard(db, parent)


def run_gui(database: str | None = None) -> int:
    """Start the app; returns the process exit code.

    The main window is shown first, as an empty shell; the database is opened right after, in
    the event loop, so the user sees the window as fast as a bare Qt program would show one.
    """
    from PySide6.QtCore import QTimer

    from ib_desktop.ui.main_window import MainWindow, load_symbol

    app = ensure_application()
    window = MainWindow(None)
    window.show()
    state: dict[str, object] = {"code": 0}
    quit_after = os.environ.get("IB_DESKTOP_QUIT_AFTER", "")
    if quit_after == "shown":
        QTimer.singleShot(0, app.quit)  # start-up benchmark: the window is on screen

    def start() -> None:
        if quit_after == "shown":
            return
        from ib_desktop.storage import DatabaseLockedError, instance_lock

        db = open_database_interactively(database, window)
        if db is None:
            state["code"] = 1
            window.close()
            return
        try:
            state["lock"] = instance_lock(db)
        except DatabaseLockedError as exc:
            QMessageBox.critical(window, APP_NAME, str(exc))
            state["code"] = 1
            window.close()
            return
        state["db"] = db
        with db.session() as s:
            from ib_desktop.services.school import get_school

            state["first_run"] = get_school(s) is None
        school_id = choose_school(db, window)
        if school_id is None:
            state["code"] = 1
            window.close()
            return
        from ib_desktop.ui.context import AppContext

        ctx = AppContext(db=db, school_id=school_id)
        window.attach(ctx)
        if quit_after == "loaded":
            QTimer.singleShot(0, app.quit)  # start-up benchmark: the pupil list is filled
            return
        on_open = load_symbol("ib_desktop.ui.backup:after_open")
        if on_open is not None:
            on_open(ctx, window)
        if state.get("first_run"):  # the wizard's last page said where to go next
            follow = load_symbol("ib_desktop.ui.first_run:continue_first_run")
            if follow is not None:
                QTimer.singleShot(0, lambda: follow(ctx, window))

    QTimer.singleShot(0, start)
    app.exec()
    db = state.get("db")
    if db is not None:
        db.dispose()  # type: ignore[attr-defined]
    lock = state.get("lock")
    if lock is not None:
        lock.release()  # type: ignore[attr-defined]
    return int(state["code"])  # type: ignore[call-overload]

"""The menu actions and what runs on open: make a backup, restore one (asking first, saying in
Dutch what happened), recover a damaged database, the automatic backup after opening."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop import backup as bk
from ib_desktop.ui.backup.progress import BackgroundBackup, run_with_progress
from ib_desktop.ui.backup.restore_dialog import RestoreDialog
from ib_desktop.ui.backup.texts import describe_counts, moment

log = logging.getLogger(__name__)


def confirm_restore(parent: QWidget | None, info: bk.BackupInfo) -> bool:
    """Ask before anything is replaced, saying what is kept."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("backup", "Back-up terugzetten"),
        QCoreApplication.translate(
            "backup",
            "De back-up van %s (%s) terugzetten?\n\n"
            "De huidige database wordt eerst als back-up bewaard, zodat u dit ongedaan kunt "
            "maken. Wat na deze back-up is ingevoerd, staat daarna niet meer in de database.",
        )
        % (moment(info.created), describe_counts(info)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


# ---------------------------------------------------------------------------- menu actions
def _server_message(parent: QWidget | None) -> None:
    QMessageBox.information(
        parent,
        APP_NAME,
        QCoreApplication.translate(
            "backup",
            "Deze database staat op een databaseserver. Back-ups daarvan maakt de beheerder van "
            "de server; IB Desktop maakt alleen back-ups van een database-bestand.",
        ),
    )


def make_backup_interactively(
    ctx: Any, parent: QWidget | None, folder: Path | None = None
) -> bk.BackupInfo | None:
    """Make a backup with a progress dialog and say how it went; the backup, or None."""
    if ctx.db.path is None:
        _server_message(parent)
        return None
    path = ctx.db.path
    try:
        info = run_with_progress(
            parent,
            QCoreApplication.translate("backup", "Back-up maken en controleren…"),
            lambda progress: bk.make_backup(path, folder, reason=bk.MANUAL, progress=progress),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up maken"),
            QCoreApplication.translate("backup", "De back-up is niet gemaakt.\n\n%s") % exc,
        )
        return None
    except Exception as exc:  # noqa: BLE001 - never a crash for the user
        log.exception("Back-up mislukt")
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up maken"),
            QCoreApplication.translate("backup", "De back-up is niet gemaakt: %s") % exc,
        )
        return None
    QMessageBox.information(
        parent,
        QCoreApplication.translate("backup", "Back-up maken"),
        QCoreApplication.translate(
            "backup", "De back-up is gemaakt en gecontroleerd:\n%s\n\nin %s\n(%s, %s)"
        )
        % (info.path.name, info.path.parent, bk.format_size(info.size), describe_counts(info)),
    )
    return info


def backup_action(ctx: Any, nav: Any, parent: QWidget | None) -> None:
    """Bestand > Back-up maken (Ctrl+B)."""
    make_backup_interactively(ctx, parent)
    _refresh_settings_tabs(parent)


def _close_open_windows(nav: Any) -> bool:
    """Close pupil files and editors first (each may ask about unsaved changes)."""
    return all(window.close() for window in list(getattr(nav, "open_windows", lambda: [])()))


def restore_chosen(ctx: Any, nav: Any, parent: QWidget | None, info: bk.BackupInfo) -> bool:
    """Restore ``info`` into the open database after confirmation; True when done."""
    if not confirm_restore(parent, info):
        return False
    if not _close_open_windows(nav):
        QMessageBox.information(
            parent,
            APP_NAME,
            QCoreApplication.translate(
                "backup", "Sluit eerst de geopende dossiers en documenten; er is niets teruggezet."
            ),
        )
        return False
    background = getattr(nav, "_background_backup", None)
    if isinstance(background, BackgroundBackup):
        background.wait()  # an automatic backup still reading the file finishes first
    ctx.db.dispose()
    try:
        result = run_with_progress(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten…"),
            # The app already holds the instance lock of its database.
            lambda _p: bk.restore_backup(info.path, ctx.db, lock_held=True),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten"),
            QCoreApplication.translate("backup", "Er is niets teruggezet.\n\n%s") % exc,
        )
        return False
    except Exception as exc:  # noqa: BLE001 - never a crash for the user
        log.exception("Terugzetten mislukt")
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten"),
            QCoreApplication.translate("backup", "Het terugzetten is mislukt: %s") % exc,
        )
        return False
    try:
        _upgrade_if_older(ctx)
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten"),
            QCoreApplication.translate(
                "backup",
                "De back-up is teruggezet, maar kon niet worden bijgewerkt naar deze versie.\n\n%s",
            )
            % exc,
        )
        return False
    _reattach(ctx, nav)
    text = QCoreApplication.translate(
        "backup", "De back-up is teruggezet en gecontroleerd: %d leerlingen, %d documenten."
    ) % (
        result.counts.pupils,
        result.counts.documents,
    )
    if result.safety_backup is not None:
        text += (
            "\n\n"
            + QCoreApplication.translate(
                "backup", "De database van vóór het terugzetten is bewaard als:\n%s"
            )
            % result.safety_backup.name
        )
    QMessageBox.information(
        parent, QCoreApplication.translate("backup", "Back-up terugzetten"), text
    )
    return True


def _upgrade_if_older(ctx: Any) -> None:
    """A backup made by an older version gets the current schema (with a backup first)."""
    from ib_desktop.database import open_database

    ctx.db.dispose()
    open_database(ctx.db.url).dispose()


def _reattach(ctx: Any, nav: Any) -> None:
    """The engine reconnects to the restored file by itself; the screens reload what they show."""
    from ib_desktop.services.school import get_school

    with ctx.db.session() as s:
        school = get_school(s, ctx.school_id) or get_school(s)
        if school is not None:
            ctx.school_id = school.id
    attach = getattr(nav, "attach", None)
    if callable(attach):
        attach(ctx)
    notify = getattr(nav, "notify_changed", None)
    if callable(notify):
        notify()


def restore_action(ctx: Any, nav: Any, parent: QWidget | None) -> None:
    """Bestand > Back-up terugzetten…"""
    if ctx.db.path is None:
        _server_message(parent)
        return
    info = RestoreDialog.choose(parent, bk.backup_folder(), ctx.db.path.stem)
    if info is not None:
        restore_chosen(ctx, nav, parent, info)
        _refresh_settings_tabs(parent)


def _refresh_settings_tabs(parent: QWidget | None) -> None:
    if parent is None:
        return
    from ib_desktop.ui.backup.settings_tab import BackupSettingsTab  # the tab uses these actions

    for tab in parent.findChildren(BackupSettingsTab):
        tab.reload()


# ---------------------------------------------------------------------------- a damaged database
def _ask_recover(
    parent: QWidget | None, target: Path, info: bk.BackupInfo | None, folder: Path
) -> str:
    """ "newest", "choose" or "cancel"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("backup", "Beschadigde database"))
    box.setText(
        QCoreApplication.translate("backup", "De database '%s' is beschadigd.") % target.name
    )
    keep = (
        QCoreApplication.translate(
            "backup",
            "Het beschadigde bestand wordt niet overschreven: het wordt opzij gezet als "
            "'%s.beschadigd-…' en bewaard.",
        )
        % target.stem
    )
    newest = None
    if info is not None:
        box.setInformativeText(
            QCoreApplication.translate(
                "backup",
                "De nieuwste goede back-up is van %s (%s). Wat daarna is ingevoerd, zit niet "
                "in de back-up.",
            )
            % (moment(info.created), describe_counts(info))
            + "\n\n"
            + keep
        )
        newest = box.addButton(
            QCoreApplication.translate("backup", "Deze back-up terugzetten"),
            QMessageBox.ButtonRole.AcceptRole,
        )
    else:
        box.setInformativeText(
            QCoreApplication.translate(
                "backup",
                "In de back-upmap %s is geen goede back-up gevonden. Kies een back-up uit een "
                "andere map.",
            )
            % folder
            + "\n\n"
            + keep
        )
    choose = box.addButton(
        QCoreApplication.translate("backup", "Andere back-up kiezen…"),
        QMessageBox.ButtonRole.ActionRole,
    )
    box.addButton(
        QCoreApplication.translate("backup", "Annuleren"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(newest or choose)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if newest is not None and clicked is newest:
        return "newest"
    if clicked is choose:
        return "choose"
    return "cancel"


def recover_damaged(target: Any, parent: QWidget | None) -> bool:
    """Offer the newest good backup for a damaged database; True when one was put back.

    Called by the start-up code before the database is open. The damaged file is moved aside,
    never overwritten.
    """
    try:
        path = bk.database_file(target)
    except bk.BackupNotPossibleError:
        _server_message(parent)
        return False
    folder = bk.backup_folder()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        newest = bk.newest_good_backup(folder, stem=path.stem)
    finally:
        QApplication.restoreOverrideCursor()
    answer = _ask_recover(parent, path, newest, folder)
    if answer == "cancel":
        return False
    chosen = (
        newest
        if answer == "newest"
        else RestoreDialog.choose(parent, folder, path.stem, damaged=True)
    )
    if chosen is None:
        return False
    try:
        result = run_with_progress(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten…"),
            lambda _p: bk.restore_backup(chosen.path, path, damaged=True),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent,
            QCoreApplication.translate("backup", "Back-up terugzetten"),
            QCoreApplication.translate("backup", "Er is niets teruggezet.\n\n%s") % exc,
        )
        return False
    aside = result.moved_aside[0].name if result.moved_aside else ""
    text = QCoreApplication.translate(
        "backup", "De back-up van %s is teruggezet: %d leerlingen, %d documenten."
    ) % (moment(chosen.created), result.counts.pupils, result.counts.documents)
    if aside:
        text += (
            "\n\n"
            + QCoreApplication.translate("backup", "Het beschadigde bestand is bewaard als %s.")
            % aside
        )
    QMessageBox.information(
        parent, QCoreApplication.translate("backup", "Back-up terugzetten"), text
    )
    return True


# ---------------------------------------------------------------------------- on open
def install_database_error_hook() -> None:
    """Show a Dutch message for a database error that no screen caught (e.g. a full disk).

    Every save is one transaction, so such an error means the save was rolled back and the
    earlier ones are intact: the user must hear it, not find out later. Other errors go on to the
    previous hook unchanged.
    """
    previous = sys.excepthook
    if getattr(previous, "_ib_database_errors", False):
        return

    from ib_desktop.permissions import NotAllowed

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if isinstance(exc, NotAllowed) and QApplication.instance() is not None:
            # The account's role may not do this (issue 18): a sentence, nothing was saved.
            QMessageBox.warning(QApplication.activeWindow(), APP_NAME, str(exc))
            return
        if isinstance(exc, bk.DatabaseError) and QApplication.instance() is not None:
            log.warning("Databasefout zonder afhandeling: %s", exc)
            QMessageBox.critical(QApplication.activeWindow(), APP_NAME, str(exc))
            return
        previous(exc_type, exc, tb)

    hook._ib_database_errors = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def after_open(ctx: Any, window: QWidget) -> BackgroundBackup | None:
    """After the main window shows: automatic backups in the background, and crash leftovers.

    The start-up backup runs in a worker thread so the window is usable at once; a timer keeps
    a backup at least daily while the app runs. Unsaved edits a crash left behind are offered.
    """
    install_database_error_hook()
    scheduler: BackgroundBackup | None = None
    if ctx.db.path is not None:
        # The app holds the database's lock now: what a killed restore left beside it goes.
        # (A killed backup's copy goes with the backup below, once no other one is writing.)
        bk.clean_restore_leftovers(ctx.db.path)
        scheduler = BackgroundBackup(ctx, window)
        window._background_backup = scheduler  # type: ignore[attr-defined]

        def on_finished(info: object) -> None:
            if isinstance(info, bk.BackupInfo):
                bar = getattr(window, "statusBar", None)
                if callable(bar):
                    bar().showMessage(
                        QCoreApplication.translate("backup", "Automatische back-up gemaakt: %s")
                        % info.path.name,
                        8000,
                    )
                _refresh_settings_tabs(window)

        def on_failed(message: str) -> None:
            QMessageBox.warning(
                window,
                QCoreApplication.translate("backup", "Automatische back-up"),
                QCoreApplication.translate(
                    "backup",
                    "Er kon geen automatische back-up worden gemaakt.\n\n%s\n\n"
                    "U kunt gewoon doorwerken; kies in Instellingen > Back-ups een andere map "
                    "of maak later een back-up met Ctrl+B.",
                )
                % message,
            )

        scheduler.finished.connect(on_finished)
        scheduler.failed.connect(on_failed)
        scheduler.start()

    def offer() -> None:
        from ib_desktop.ui.recovery import offer_recovered

        try:
            offer_recovered(ctx, window, window)
        except Exception:  # noqa: BLE001 - a broken recovery store must not stop the app
            log.exception("Herstelde wijzigingen konden niet worden aangeboden")

    QTimer.singleShot(0, offer)
    return scheduler

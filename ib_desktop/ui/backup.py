"""Backups in the GUI: menu actions, the restore dialog, the settings tab, what runs on open.

The work itself is done by :mod:`ib_desktop.backup` (no Qt); this module shows progress, asks
before anything is replaced and says in Dutch what happened. Backups run in a worker thread, so
neither the start-up nor the daily backup makes the window stop responding.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QDesktopServices, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop import backup as bk
from ib_desktop.dates import long_date
from ib_desktop.ui.widgets.window_size import size_window

log = logging.getLogger(__name__)

#: How often a running app looks whether the daily backup is due.
CHECK_INTERVAL_MS = 60 * 60 * 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate("backup", text)


def moment(created: datetime) -> str:
    """ "17 november 2026, 14:05"."""
    return f"{long_date(created.date())}, {created:%H:%M}"


def describe_counts(info: bk.BackupInfo) -> str:
    """ "122 leerlingen, 59 documenten" (or that the backup could not be counted)."""
    if info.counts is None:
        return _tr("aantallen onbekend")
    return _tr("%d leerlingen, %d documenten") % (info.counts.pupils, info.counts.documents)


# ---------------------------------------------------------------------------- worker threads
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
            str(exc) if isinstance(exc, bk.DatabaseError) else _tr("Onverwachte fout: %s") % exc
        )
        if not self._warned:
            self._warned = True
            self.failed.emit(message)


# ---------------------------------------------------------------------------- the table of backups
class BackupTableModel(QAbstractTableModel):
    """The backups of a database: date, kind, size, pupils, documents."""

    DATE, KIND, SIZE, PUPILS, DOCUMENTS = range(5)
    HEADERS = ("Datum", "Soort", "Grootte", "Leerlingen", "Documenten")
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[bk.BackupInfo] = []

    def set_backups(self, backups: list[bk.BackupInfo]) -> None:
        """Show these backups."""
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def backups(self) -> list[bk.BackupInfo]:
        """The backups shown."""
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("BackupTableModel", self.HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        info = self._rows[index.row()]
        col = index.column()
        if role == self.ROW_ROLE:
            return info
        if role == self.SORT_ROLE:
            # Qt compares numbers and text, not Python datetimes: the moment sorts as a timestamp.
            return {
                self.DATE: info.created.timestamp(),
                self.KIND: info.kind,
                self.SIZE: info.size,
                self.PUPILS: info.pupils if info.pupils is not None else -1,
                self.DOCUMENTS: info.documents if info.documents is not None else -1,
            }[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.DATE:
                return moment(info.created)
            if col == self.KIND:
                return info.kind
            if col == self.SIZE:
                return bk.format_size(info.size)
            value = info.pupils if col == self.PUPILS else info.documents
            return "?" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.SIZE,
            self.PUPILS,
            self.DOCUMENTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = str(info.path)
            return f"{tip}\n{info.problem}" if info.problem else tip
        if role == Qt.ItemDataRole.ForegroundRole and info.problem:
            return QColor("#b00020")
        return None


def make_backup_view(
    parent: QWidget | None = None,
) -> tuple[QTableView, BackupTableModel, QSortFilterProxyModel]:
    """A sortable table of backups, newest first, one row selected at a time."""
    model = BackupTableModel(parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(BackupTableModel.SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(BackupTableModel.DATE, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(BackupTableModel.DATE, QHeaderView.ResizeMode.Stretch)
    for col in (
        BackupTableModel.KIND,
        BackupTableModel.SIZE,
        BackupTableModel.PUPILS,
        BackupTableModel.DOCUMENTS,
    ):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    view.setAccessibleName(QCoreApplication.translate("backup", "Back-ups"))
    return view, model, proxy


def selected_backup(view: QTableView) -> bk.BackupInfo | None:
    """The backup of the selected row."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    return rows[0].data(BackupTableModel.ROW_ROLE)


def load_backups(folder: Path, stem: str) -> list[bk.BackupInfo]:
    """The backups of ``stem`` with their counts, under a wait cursor (a share can be slow)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return bk.list_backups(folder, stem=stem)
    finally:
        QApplication.restoreOverrideCursor()


# ---------------------------------------------------------------------------- the restore dialog
class RestoreDialog(QDialog):
    """Choose the backup to put back; lists date, kind, size, pupils and documents."""

    def __init__(
        self, folder: Path, stem: str, parent: QWidget | None = None, *, damaged: bool = False
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.stem = stem
        self.chosen: bk.BackupInfo | None = None
        self.setWindowTitle(self.tr("Back-up terugzetten"))
        size_window(self, "backup.RestoreDialog", 760, 440)
        intro = QLabel(
            self.tr(
                "Kies de back-up die u wilt terugzetten. De huidige database wordt eerst zelf als "
                "back-up bewaard, zodat u het terugzetten ongedaan kunt maken. Wat na de gekozen "
                "back-up is ingevoerd, staat daarna niet meer in de database."
            )
            if not damaged
            else self.tr(
                "Kies de back-up die u wilt terugzetten. De beschadigde database wordt niet "
                "overschreven maar opzij gezet en bewaard."
            )
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.view, self.model, self.proxy = make_backup_view(self)
        self.empty_label = QLabel(self.tr("Er zijn nog geen back-ups in deze map."))
        self.empty_label.setStyleSheet("color: palette(mid);")
        self.other_button = QPushButton(self.tr("Ander bestand…"))
        self.other_button.setAutoDefault(False)
        self.other_button.setToolTip(
            self.tr("Een back-up uit een andere map kiezen, bijvoorbeeld van een USB-stick")
        )
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(
            self.tr("Terugzetten…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore)
        self.other_button.clicked.connect(self._on_other)
        self.view.doubleClicked.connect(lambda _i: self._on_restore())
        bottom = QHBoxLayout()
        bottom.addWidget(self.other_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.folder_label)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.empty_label)
        lay.addLayout(bottom)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.reload()
        self.view.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Start in the list, so arrow keys choose and Enter restores."""
        super().showEvent(event)
        QTimer.singleShot(0, self.view.setFocus)

    def reload(self) -> None:
        """Read the backup folder again."""
        self.folder_label.setText(self.tr("Back-upmap: %s") % self.folder)
        self.model.set_backups(load_backups(self.folder, self.stem))
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.proxy.rowCount() > 0:
            self.view.selectRow(0)
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        self.restore_button.setEnabled(selected_backup(self.view) is not None)

    @Slot()
    def _on_restore(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Deze back-up kan niet worden gebruikt: %s")
                % (info.problem or self.tr("onleesbaar")),
            )
            return
        self.chosen = info
        self.accept()

    @Slot()
    def _on_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Back-up kiezen"),
            str(self.folder),
            self.tr("IB Desktop-back-up (*.sqlite *.db);;Alle bestanden (*)"),
        )
        if not path:
            return
        chosen = Path(path)
        info = bk.describe(chosen)
        if info is None:
            try:
                counts = bk.read_counts(chosen)
                problem = None
            except Exception as exc:  # noqa: BLE001 - shown to the user
                counts, problem = None, str(exc)
            stat = chosen.stat()
            info = bk.BackupInfo(
                chosen,
                datetime.fromtimestamp(stat.st_mtime),
                bk.MANUAL,
                stat.st_size,
                counts,
                problem,
            )
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Dit bestand is geen bruikbare back-up van IB Desktop: %s")
                % (info.problem or self.tr("onleesbaar")),
            )
            return
        self.chosen = info
        self.accept()

    @classmethod
    def choose(
        cls, parent: QWidget | None, folder: Path, stem: str, *, damaged: bool = False
    ) -> bk.BackupInfo | None:
        """Run the dialog; the chosen backup, or None."""
        dialog = cls(folder, stem, parent, damaged=damaged)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.chosen
            return None
        finally:
            dialog.deleteLater()


def confirm_restore(parent: QWidget | None, info: bk.BackupInfo) -> bool:
    """Ask before anything is replaced, saying what is kept."""
    answer = QMessageBox.question(
        parent,
        _tr("Back-up terugzetten"),
        _tr(
            "De back-up van %s (%s) terugzetten?\n\n"
            "De huidige database wordt eerst als back-up bewaard, zodat u dit ongedaan kunt "
            "maken. Wat na deze back-up is ingevoerd, staat daarna niet meer in de database."
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
        _tr(
            "Deze database staat op een PostgreSQL-server. Back-ups daarvan maakt de beheerder "
            "van de server (de IT-partner van het schoolbestuur), met pg_dump of de back-ups van "
            "de server zelf. IB Desktop maakt en herstelt alleen back-ups van een "
            "database-bestand."
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
            _tr("Back-up maken en controleren…"),
            lambda progress: bk.make_backup(path, folder, reason=bk.MANUAL, progress=progress),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent, _tr("Back-up maken"), _tr("De back-up is niet gemaakt.\n\n%s") % exc
        )
        return None
    except Exception as exc:  # noqa: BLE001 - never a crash for the user
        log.exception("Back-up mislukt")
        QMessageBox.critical(
            parent, _tr("Back-up maken"), _tr("De back-up is niet gemaakt: %s") % exc
        )
        return None
    QMessageBox.information(
        parent,
        _tr("Back-up maken"),
        _tr("De back-up is gemaakt en gecontroleerd:\n%s\n\nin %s\n(%s, %s)")
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
            _tr("Sluit eerst de geopende dossiers en documenten; er is niets teruggezet."),
        )
        return False
    background = getattr(nav, "_background_backup", None)
    if isinstance(background, BackgroundBackup):
        background.wait()  # an automatic backup still reading the file finishes first
    ctx.db.dispose()
    try:
        result = run_with_progress(
            parent,
            _tr("Back-up terugzetten…"),
            # The app already holds the instance lock of its database.
            lambda _p: bk.restore_backup(info.path, ctx.db, lock_held=True),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent, _tr("Back-up terugzetten"), _tr("Er is niets teruggezet.\n\n%s") % exc
        )
        return False
    except Exception as exc:  # noqa: BLE001 - never a crash for the user
        log.exception("Terugzetten mislukt")
        QMessageBox.critical(
            parent, _tr("Back-up terugzetten"), _tr("Het terugzetten is mislukt: %s") % exc
        )
        return False
    try:
        _upgrade_if_older(ctx)
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent,
            _tr("Back-up terugzetten"),
            _tr("De back-up is teruggezet, maar kon niet worden bijgewerkt naar deze versie.\n\n%s")
            % exc,
        )
        return False
    _reattach(ctx, nav)
    text = _tr("De back-up is teruggezet en gecontroleerd: %d leerlingen, %d documenten.") % (
        result.counts.pupils,
        result.counts.documents,
    )
    if result.safety_backup is not None:
        text += (
            "\n\n"
            + _tr("De database van vóór het terugzetten is bewaard als:\n%s")
            % result.safety_backup.name
        )
    QMessageBox.information(parent, _tr("Back-up terugzetten"), text)
    return True


def _upgrade_if_older(ctx: Any) -> None:
    """A backup made by an older version gets the current schema (with a backup first)."""
    from ib_desktop.storage import open_database

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
    for tab in parent.findChildren(BackupSettingsTab):
        tab.reload()


# ---------------------------------------------------------------------------- a damaged database
def _ask_recover(
    parent: QWidget | None, target: Path, info: bk.BackupInfo | None, folder: Path
) -> str:
    """ "newest", "choose" or "cancel"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Beschadigde database"))
    box.setText(_tr("De database '%s' is beschadigd.") % target.name)
    keep = (
        _tr(
            "Het beschadigde bestand wordt niet overschreven: het wordt opzij gezet als "
            "'%s.beschadigd-…' en bewaard."
        )
        % target.stem
    )
    newest = None
    if info is not None:
        box.setInformativeText(
            _tr(
                "De nieuwste goede back-up is van %s (%s). Wat daarna is ingevoerd, zit niet "
                "in de back-up."
            )
            % (moment(info.created), describe_counts(info))
            + "\n\n"
            + keep
        )
        newest = box.addButton(_tr("Deze back-up terugzetten"), QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            _tr(
                "In de back-upmap %s is geen goede back-up gevonden. Kies een back-up uit een "
                "andere map."
            )
            % folder
            + "\n\n"
            + keep
        )
    choose = box.addButton(_tr("Andere back-up kiezen…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_tr("Annuleren"), QMessageBox.ButtonRole.RejectRole)
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
            _tr("Back-up terugzetten…"),
            lambda _p: bk.restore_backup(chosen.path, path, damaged=True),
        )
    except bk.DatabaseError as exc:
        QMessageBox.critical(
            parent, _tr("Back-up terugzetten"), _tr("Er is niets teruggezet.\n\n%s") % exc
        )
        return False
    aside = result.moved_aside[0].name if result.moved_aside else ""
    QMessageBox.information(
        parent,
        _tr("Back-up terugzetten"),
        _tr("De back-up van %s is teruggezet: %d leerlingen, %d documenten.") % (
            moment(chosen.created), result.counts.pupils, result.counts.documents,
        )
        + ("\n\n" + _tr("Het beschadigde bestand is bewaard als %s.") % aside if aside else ""),
    )  # fmt: skip
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

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
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
                        _tr("Automatische back-up gemaakt: %s") % info.path.name, 8000
                    )
                _refresh_settings_tabs(window)

        def on_failed(message: str) -> None:
            QMessageBox.warning(
                window,
                _tr("Automatische back-up"),
                _tr("Er kon geen automatische back-up worden gemaakt.\n\n%s\n\n"
                    "U kunt gewoon doorwerken; kies in Instellingen > Back-ups een andere map "
                    "of maak later een back-up met Ctrl+B.") % message,
            )  # fmt: skip

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


# ---------------------------------------------------------------------------- settings tab
class BackupSettingsTab(QWidget):
    """Instellingen > Back-ups: the folder, the list, and a backup right now."""

    def __init__(self, ctx: Any, nav: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        server = ctx.db.path is None

        folder_box = QGroupBox(self.tr("Back-upmap"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName(self.tr("Back-upmap"))
        self.change_button = QPushButton(self.tr("Wijzigen…"))
        self.default_button = QPushButton(self.tr("Standaardmap"))
        self.open_button = QPushButton(self.tr("Map openen"))
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.change_button)
        row.addWidget(self.default_button)
        row.addWidget(self.open_button)
        hint = QLabel(
            self.tr(
                "Kies bij voorkeur een map buiten deze laptop, zoals een netwerkmap van de school "
                "of een versleutelde USB-stick. IB Desktop maakt een back-up bij het openen en "
                "daarna elke dag, en bewaart de nieuwste van de laatste 7 dagen, 4 weken en 12 "
                "maanden. Back-ups die u zelf maakt blijven bewaard tot u ze verwijdert."
            )
        )
        hint.setWordWrap(True)
        self.space_label = QLabel()
        folder_lay = QVBoxLayout(folder_box)
        folder_lay.addLayout(row)
        folder_lay.addWidget(self.space_label)
        folder_lay.addWidget(hint)

        list_box = QGroupBox(self.tr("Back-ups van deze database"))
        self.view, self.model, self.proxy = make_backup_view(self)
        self.backup_button = QPushButton(self.tr("Nu back-up maken"))
        self.restore_button = QPushButton(self.tr("Terugzetten…"))
        self.delete_button = QPushButton(self.tr("Verwijderen…"))
        self.refresh_button = QPushButton(self.tr("Vernieuwen"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        list_lay = QVBoxLayout(list_box)
        list_lay.addWidget(self.view)
        list_lay.addLayout(buttons)

        self.server_label = QLabel(
            self.tr(
                "Deze database staat op een PostgreSQL-server. Back-ups daarvan maakt de "
                "beheerder van de server (de IT-partner van het schoolbestuur), met pg_dump of de "
                "back-ups van de server zelf. IB Desktop maakt en herstelt alleen back-ups van "
                "een database-bestand."
            )
        )
        self.server_label.setWordWrap(True)
        self.server_label.setVisible(server)

        lay = QVBoxLayout(self)
        lay.addWidget(self.server_label)
        lay.addWidget(folder_box)
        lay.addWidget(list_box, 1)
        folder_box.setEnabled(not server)
        list_box.setEnabled(not server)

        self.change_button.clicked.connect(self._on_change_folder)
        self.default_button.clicked.connect(self._on_default_folder)
        self.open_button.clicked.connect(self._on_open_folder)
        self.backup_button.clicked.connect(self._on_backup)
        self.restore_button.clicked.connect(self._on_restore)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh_button.clicked.connect(self.reload)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, self._on_delete)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        order = [
            self.change_button, self.default_button, self.open_button, self.view,
            self.backup_button, self.restore_button, self.delete_button, self.refresh_button,
        ]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if not server:
            self.reload()
        self._on_selection()

    def reload(self) -> None:
        """Read the folder and the backups again."""
        if self.ctx.db.path is None:
            return
        folder = bk.backup_folder()
        self.folder_edit.setText(str(folder))
        self.default_button.setEnabled(folder != bk.default_backup_folder())
        free = bk.folder_free_space(folder) if folder.is_dir() else None
        if not folder.is_dir() and folder != bk.default_backup_folder():
            self.space_label.setText(
                self.tr(
                    "Deze map is nu niet bereikbaar (is de USB-stick of netwerkmap aangesloten?)."
                )
            )
            self.space_label.setStyleSheet("color: #b00020;")
        else:
            self.space_label.setStyleSheet("")
            self.space_label.setText(
                self.tr("Vrije ruimte: %s") % bk.format_size(free) if free is not None else ""
            )
        self.model.set_backups(load_backups(folder, self.ctx.db.path.stem))
        self._on_selection()

    @Slot()
    def _on_selection(self) -> None:
        has = selected_backup(self.view) is not None
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot()
    def _on_change_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Back-upmap kiezen"), self.folder_edit.text()
        )
        if not chosen:
            return
        try:
            bk.set_backup_folder(Path(chosen))
        except bk.BackupError as exc:
            QMessageBox.warning(self, self.tr("Back-upmap"), str(exc))
            return
        self.reload()

    @Slot()
    def _on_default_folder(self) -> None:
        bk.set_backup_folder(None)
        self.reload()

    @Slot()
    def _on_open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))

    @Slot()
    def _on_backup(self) -> None:
        make_backup_interactively(self.ctx, self)
        self.reload()

    @Slot()
    def _on_restore(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        if info.counts is None:
            QMessageBox.warning(
                self,
                self.tr("Back-up terugzetten"),
                self.tr("Deze back-up kan niet worden gebruikt: %s") % (info.problem or ""),
            )
            return
        restore_chosen(self.ctx, self.nav, self, info)
        self.reload()

    @Slot()
    def _on_delete(self) -> None:
        info = selected_backup(self.view)
        if info is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Back-up verwijderen"),
            self.tr("De back-up van %s (%s) definitief verwijderen?")
            % (moment(info.created), describe_counts(info)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            info.path.unlink()
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Back-up verwijderen"),
                self.tr("Verwijderen lukte niet: %s") % (exc.strerror or exc),
            )
        self.reload()

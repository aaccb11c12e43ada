"""Backups in the GUI: Ctrl+B, the restore dialog, the damaged-database offer, settings, on open."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton, QWidget

from ib_desktop import backup as bk
from ib_desktop.models import Pupil
from ib_desktop.recovery import RecoveryStore
from ib_desktop.storage import file_integrity_problems
from ib_desktop.ui import backup as ui_backup
from ib_desktop.ui.backup import (
    BackgroundBackup,
    BackupSettingsTab,
    BackupTableModel,
    RestoreDialog,
    after_open,
    recover_damaged,
)


def pupils(db) -> int:
    with db.session() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(Pupil))


def wreck(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(data), 4096 * 40), 4096):
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def when_modal(qtbot, action, *, attempts: int = 200) -> list:
    """Run ``action(dialog)`` on the next modal dialog that opens (it would block the test)."""
    done: list = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and not isinstance(widget, ui_backup.QProgressDialog):
            done.append(widget)
            action(widget)
        elif len(done) == 0 and poll.tries < attempts:
            poll.tries += 1
            QTimer.singleShot(20, poll)

    poll.tries = 0
    QTimer.singleShot(0, poll)
    return done


def click_button(box: QWidget, text: str) -> None:
    for button in box.findChildren(QPushButton):
        if button.text().replace("&", "") == text:
            button.click()
            return
    raise AssertionError(
        f"no button {text!r} in {[b.text() for b in box.findChildren(QPushButton)]}"
    )


# ---------------------------------------------------------------------------- Ctrl+B
def test_ctrl_b_makes_a_backup_and_names_the_file(main_window, qtbot, no_dialogs) -> None:
    actions = [
        a
        for a in main_window.menuBar().actions()[0].menu().actions()
        if a.text() == "Back-up maken"
    ]
    assert actions
    assert actions[0].shortcut().toString() == "Ctrl+B"
    actions[0].trigger()
    [made] = bk.list_backups(bk.backup_folder())
    assert made.kind == "handmatig"
    assert made.pupils == pupils(main_window.ctx.db)
    assert made.path.name in no_dialogs["information"][-1]
    assert "gecontroleerd" in no_dialogs["information"][-1]


def test_backup_failure_is_explained_and_leaves_nothing(
    ctx, qtbot, no_dialogs, monkeypatch, tmp_path
) -> None:
    def full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bk.making, "backup_sqlite", full)
    assert ui_backup.make_backup_interactively(ctx, None, tmp_path / "b") is None
    assert "niet genoeg ruimte" in no_dialogs["critical"][-1]
    assert list((tmp_path / "b").iterdir()) == []


def test_server_database_gets_an_explanation(qtbot, no_dialogs) -> None:
    class Db:
        url = "postgresql+psycopg://ib@server/school"
        path = None

    class Ctx:
        db = Db()
        school_id = 1

    ui_backup.backup_action(Ctx(), None, None)
    ui_backup.restore_action(Ctx(), None, None)
    assert len(no_dialogs["information"]) == 2
    assert all("server" in m for m in no_dialogs["information"])
    assert all("pg_dump" in m for m in no_dialogs["information"])
    tab = BackupSettingsTab(Ctx(), None)
    qtbot.addWidget(tab)
    assert not tab.server_label.isHidden()
    assert "pg_dump" in tab.server_label.text()
    assert not tab.backup_button.isEnabled()


# ---------------------------------------------------------------------------- the model
def test_backup_table_model(ctx, qtbot, tmp_path) -> None:
    infos = [
        bk.make_backup(ctx.db, tmp_path, reason=bk.MANUAL, now=datetime(2026, 11, 17, 9, 0)),
        bk.make_backup(ctx.db, tmp_path, reason=bk.AUTO, now=datetime(2026, 11, 18, 14, 5)),
    ]
    model = BackupTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_backups(infos)
    assert model.rowCount() == 2
    assert model.columnCount() == 5
    idx = model.index(1, BackupTableModel.DATE)
    assert model.data(idx) == "18 november 2026, 14:05"
    assert model.data(idx, BackupTableModel.SORT_ROLE) == datetime(2026, 11, 18, 14, 5).timestamp()
    assert model.data(model.index(1, BackupTableModel.KIND)) == "automatisch"
    assert model.data(model.index(0, BackupTableModel.PUPILS)) == str(infos[0].pupils)
    assert (
        model.data(model.index(0, BackupTableModel.PUPILS), BackupTableModel.SORT_ROLE)
        == infos[0].pupils
    )
    assert model.data(idx, BackupTableModel.ROW_ROLE) is infos[1]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Datum"


# ---------------------------------------------------------------------------- restore
def test_restore_dialog_lists_newest_first_and_returns_the_choice(ctx, qtbot, tmp_path) -> None:
    old = bk.make_backup(ctx.db, tmp_path, reason=bk.MANUAL, now=datetime(2026, 11, 1, 9, 0))
    new = bk.make_backup(ctx.db, tmp_path, reason=bk.AUTO, now=datetime(2026, 11, 18, 9, 0))
    dialog = RestoreDialog(tmp_path, ctx.db.path.stem)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.proxy.rowCount() == 2
    assert dialog.proxy.index(0, 0).data(BackupTableModel.ROW_ROLE).path == new.path
    assert dialog.restore_button.isEnabled()
    dialog.view.selectRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == RestoreDialog.DialogCode.Accepted
    assert dialog.chosen.path == old.path
    assert "Back-upmap" in dialog.folder_label.text()


def test_restore_dialog_empty_folder(ctx, qtbot, tmp_path) -> None:
    dialog = RestoreDialog(tmp_path / "leeg", ctx.db.path.stem)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert not dialog.empty_label.isHidden()


def test_restore_from_the_menu_brings_back_the_counts(main_window, qtbot, no_dialogs) -> None:
    ctx = main_window.ctx
    original = pupils(ctx.db)
    bk.make_backup(ctx.db, reason=bk.MANUAL, now=datetime(2026, 11, 17, 9, 0))
    with ctx.db.session() as s:
        for p in s.scalars(sa.select(Pupil).limit(5)).all():
            s.delete(p)
    assert pupils(ctx.db) == original - 5
    changed = []
    main_window.dataChanged.connect(lambda: changed.append(True))
    seen = when_modal(
        qtbot, lambda d: qtbot.mouseClick(d.restore_button, Qt.MouseButton.LeftButton)
    )
    main_window.run_action("ib_desktop.ui.backup:restore_action")
    assert seen
    assert isinstance(seen[0], RestoreDialog)
    assert "eerst als back-up bewaard" in no_dialogs["question"][-1]  # the confirmation
    assert pupils(ctx.db) == original  # the same open Database now reads the restored file
    assert changed  # the screens reload
    assert f"{original} leerlingen" in no_dialogs["information"][-1]
    kinds = sorted(b.kind for b in bk.list_backups(bk.backup_folder(), counts=False))
    assert kinds == ["handmatig", "vóór terugzetten"]


def test_restore_declined_changes_nothing(ctx, qtbot, no_dialogs, monkeypatch) -> None:
    info = bk.make_backup(ctx.db, reason=bk.MANUAL)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    with ctx.db.session() as s:
        s.delete(s.scalars(sa.select(Pupil).limit(1)).one())
    before = pupils(ctx.db)
    assert not ui_backup.restore_chosen(ctx, None, None, info)
    assert pupils(ctx.db) == before
    assert len(bk.list_backups(bk.backup_folder(), counts=False)) == 1


def test_restore_waits_for_windows_that_refuse_to_close(ctx, qtbot, no_dialogs) -> None:
    info = bk.make_backup(ctx.db, reason=bk.MANUAL)

    class Stubborn(QWidget):
        def closeEvent(self, event) -> None:  # noqa: N802 - the user chose "Annuleren"
            event.ignore()

    stubborn = Stubborn()
    qtbot.addWidget(stubborn)
    stubborn.show()

    class Nav:
        def open_windows(self):
            return [stubborn]

    with ctx.db.session() as s:
        s.delete(s.scalars(sa.select(Pupil).limit(1)).one())
    before = pupils(ctx.db)
    assert not ui_backup.restore_chosen(ctx, Nav(), None, info)
    assert pupils(ctx.db) == before
    assert "Sluit eerst" in no_dialogs["information"][-1]


# ---------------------------------------------------------------------------- a damaged database
def test_recover_damaged_offers_the_newest_good_backup(demo_db, qtbot, no_dialogs) -> None:
    good = bk.make_backup(demo_db, reason=bk.AUTO, now=datetime(2026, 11, 18, 8, 0))
    demo_db.dispose()
    path = demo_db.path
    wreck(path)
    wrecked = path.read_bytes()
    texts: list[str] = []

    def answer(box) -> None:
        texts.append(box.text() + box.informativeText())
        click_button(box, "Deze back-up terugzetten")

    when_modal(qtbot, answer)
    assert recover_damaged(str(path), None)
    assert "18 november 2026, 08:00" in texts[0]
    assert "opzij gezet" in texts[0]
    assert file_integrity_problems(path) == []
    [aside] = path.parent.glob("demo.beschadigd-*.sqlite")
    assert aside.read_bytes() == wrecked  # the damaged file is kept, untouched
    assert f"{good.pupils} leerlingen" in no_dialogs["information"][-1]


def test_damaged_database_at_start_is_restored_and_opened(demo_db, qtbot, no_dialogs) -> None:
    """The whole start-up path: the app's message, "Back-up terugzetten…", our offer, then open."""
    from ib_desktop.ui.app import open_database_interactively

    bk.make_backup(demo_db, reason=bk.AUTO, now=datetime(2026, 11, 18, 8, 0))
    expected = pupils(demo_db)
    demo_db.dispose()
    wreck(demo_db.path)
    steps: list[str] = []

    def first(box) -> None:
        steps.append(box.text())
        click_button(box, "Back-up terugzetten…")
        when_modal(qtbot, second)

    def second(box) -> None:
        steps.append(box.text())
        click_button(box, "Deze back-up terugzetten")

    when_modal(qtbot, first)
    db = open_database_interactively(str(demo_db.path))
    assert db is not None
    try:
        assert pupils(db) == expected
    finally:
        db.dispose()
    assert "kan niet worden geopend" in steps[0]
    assert "beschadigd" in steps[1]


def test_recover_damaged_without_backups_says_so(demo_db, qtbot, no_dialogs) -> None:
    demo_db.dispose()
    wreck(demo_db.path)
    texts: list[str] = []

    def cancel(box) -> None:
        texts.append(box.informativeText())
        click_button(box, "Annuleren")

    when_modal(qtbot, cancel)
    assert not recover_damaged(str(demo_db.path), None)
    assert "geen goede back-up" in texts[0]
    assert not list(demo_db.path.parent.glob("*.beschadigd-*"))  # nothing moved when cancelled


def test_newer_database_message_in_the_gui(demo_db, qtbot, monkeypatch) -> None:
    from ib_desktop.ui.app import open_database_interactively

    with demo_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    demo_db.dispose()
    before = demo_db.path.read_bytes()
    shown: list[str] = []

    def close(box) -> None:
        shown.append(box.informativeText())
        box.button(QMessageBox.StandardButton.Close).click()

    when_modal(qtbot, close)
    assert open_database_interactively(str(demo_db.path)) is None
    assert "nieuwere versie" in shown[0]
    assert demo_db.path.read_bytes() == before


# ---------------------------------------------------------------------------- on open
def test_after_open_backs_up_in_the_background_and_offers_recovered_edits(
    main_window, qtbot, monkeypatch
) -> None:
    ctx = main_window.ctx
    RecoveryStore(ctx.db.url).put("pupil:1", "Leerling", {"notes": "half getypt"})
    offered = []
    monkeypatch.setattr(
        "ib_desktop.ui.recovery.offer_recovered", lambda c, n, p: offered.append((c, n))
    )
    scheduler = after_open(ctx, main_window)
    assert isinstance(scheduler, BackgroundBackup)
    with qtbot.waitSignal(scheduler.finished, timeout=20000):
        pass
    [made] = bk.list_backups(bk.backup_folder())
    assert made.kind == "automatisch"
    assert made.pupils == pupils(ctx.db)
    qtbot.waitUntil(lambda: bool(offered), timeout=5000)
    assert offered[0][0] is ctx
    assert scheduler.timer.isActive()
    assert scheduler.timer.interval() <= 60 * 60 * 1000
    assert "Automatische back-up gemaakt" in main_window.statusBar().currentMessage()
    scheduler.timer.stop()


def test_daily_check_backs_up_only_when_due(ctx, qtbot, monkeypatch) -> None:
    scheduler = BackgroundBackup(ctx)
    bk.make_backup(ctx.db, reason=bk.AUTO, now=datetime.now())
    scheduler._on_timer()  # a fresh backup exists: nothing to do
    assert not scheduler.is_running()
    monkeypatch.setattr(bk, "backup_due", lambda *a, **k: True)
    with qtbot.waitSignal(scheduler.finished, timeout=20000):
        scheduler._on_timer()
    assert not scheduler.is_running()


def test_background_failure_warns_once(ctx, qtbot, no_dialogs, monkeypatch, tmp_path) -> None:
    bk.set_backup_folder(tmp_path / "stick")
    (tmp_path / "stick").rmdir()  # the stick is not plugged in
    window = QWidget()
    qtbot.addWidget(window)
    scheduler = after_open(ctx, window)
    qtbot.waitUntil(lambda: bool(no_dialogs["warning"]), timeout=20000)
    assert "niet bereikbaar" in no_dialogs["warning"][0]
    qtbot.waitUntil(lambda: not scheduler.is_running(), timeout=20000)
    assert scheduler.backup_now()  # the next try fails the same way ...
    qtbot.waitUntil(lambda: not scheduler.is_running(), timeout=20000)
    assert len(no_dialogs["warning"]) == 1  # not again and again
    scheduler.timer.stop()


# ---------------------------------------------------------------------------- settings tab
def test_settings_tab_folder_list_and_backup_now(
    ctx, qtbot, no_dialogs, monkeypatch, tmp_path
) -> None:
    tab = BackupSettingsTab(ctx, None)
    qtbot.addWidget(tab)
    tab.show()
    assert tab.folder_edit.text() == str(bk.default_backup_folder())
    assert not tab.default_button.isEnabled()
    nas = tmp_path / "nas"
    nas.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(nas))
    qtbot.mouseClick(tab.change_button, Qt.MouseButton.LeftButton)
    assert bk.backup_folder() == nas.resolve()
    assert tab.folder_edit.text() == str(nas.resolve())
    assert "Vrije ruimte" in tab.space_label.text()
    qtbot.mouseClick(tab.backup_button, Qt.MouseButton.LeftButton)
    assert tab.proxy.rowCount() == 1
    [made] = bk.list_backups(nas)
    assert made.path.name in no_dialogs["information"][-1]
    tab.view.selectRow(0)
    assert tab.delete_button.isEnabled()
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "definitief verwijderen" in no_dialogs["question"][-1]
    assert not made.path.exists()
    assert tab.proxy.rowCount() == 0
    qtbot.mouseClick(tab.default_button, Qt.MouseButton.LeftButton)
    assert bk.backup_folder() == bk.default_backup_folder()


def test_settings_tab_refuses_an_unwritable_folder(
    ctx, qtbot, no_dialogs, monkeypatch, tmp_path
) -> None:
    tab = BackupSettingsTab(ctx, None)
    qtbot.addWidget(tab)

    def refuse(folder, **_k):
        raise bk.BackupError(
            f"In de back-upmap '{folder}' kan niet worden geschreven: de map is alleen-lezen."
        )

    monkeypatch.setattr(bk.folder, "check_folder_writable", refuse)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    qtbot.mouseClick(tab.change_button, Qt.MouseButton.LeftButton)
    assert "alleen-lezen" in no_dialogs["warning"][-1]
    assert bk.backup_folder() == bk.default_backup_folder()


def test_settings_tab_keyboard_order(ctx, qtbot) -> None:
    """Tab walks the folder buttons, then the list, then the list's buttons."""
    tab = BackupSettingsTab(ctx, None)
    qtbot.addWidget(tab)
    tab.show()
    order = []
    widget = tab.change_button
    for _ in range(40):
        if (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisible()
        ):
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is tab.change_button:
            break
    expected = [tab.change_button, tab.open_button, tab.view, tab.backup_button, tab.refresh_button]
    assert [w for w in order if w in expected] == expected  # the others are disabled here


def test_restoring_a_backup_of_an_older_version_upgrades_it(
    ctx, qtbot, no_dialogs, monkeypatch, tmp_path
) -> None:
    """The app goes on with the restored data, so the restored file must get today's schema."""
    import shutil
    import textwrap

    from ib_desktop import storage

    old = bk.make_backup(ctx.db, reason=bk.MANUAL)  # the current head: "older" once 9999 exists
    scripts = tmp_path / "migraties"
    shutil.copytree(storage.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = storage.HEAD_REVISION
    (scripts / "versions" / "9999_test.py").write_text(
        textwrap.dedent(f"""
        import sqlalchemy as sa
        from alembic import op
        revision = "9999"
        down_revision = "{head}"
        branch_labels = None
        depends_on = None
        def upgrade() -> None:
            op.create_table("nieuw", sa.Column("id", sa.Integer, primary_key=True))
    """)
    )
    monkeypatch.setattr(storage.opening, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(storage.opening, "HEAD_REVISION", "9999")
    monkeypatch.setattr(storage.opening, "KNOWN_REVISIONS", storage.KNOWN_REVISIONS | {"9999"})
    assert ui_backup.restore_chosen(ctx, None, None, old)
    assert storage.file_revision(ctx.db.path) == "9999"
    assert pupils(ctx.db) == old.pupils


def test_an_uncaught_full_disk_error_is_shown_in_dutch(qtbot, no_dialogs) -> None:
    """A screen that does not catch the database's error still lets the user know."""
    from ib_desktop.storage import write_error

    ui_backup.install_database_error_hook()
    button = QPushButton("Opslaan")
    qtbot.addWidget(button)

    def save() -> None:
        raise write_error(sqlite3.OperationalError("database or disk is full"))

    button.clicked.connect(save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "schijfruimte" in no_dialogs["critical"][-1]
    assert "eerder hebt opgeslagen is bewaard" in no_dialogs["critical"][-1]


def test_closing_the_window_during_a_background_backup_is_safe(ctx, qtbot) -> None:
    """The window may go away while the worker still copies: the copy finishes, nothing aborts."""
    window = QWidget()
    scheduler = BackgroundBackup(ctx, window)
    assert scheduler.backup_now()
    window.deleteLater()
    qtbot.waitUntil(lambda: bool(bk.list_backups(bk.backup_folder(), counts=False)), timeout=20000)
    ui_backup._wait_for_all_threads()
    [made] = bk.list_backups(bk.backup_folder())
    assert made.kind == "automatisch"
    assert file_integrity_problems(made.path) == []


def test_second_instance_gets_a_message_and_stops(demo_db, qtbot, no_dialogs) -> None:
    """The app started twice on one database: the second says so and leaves the file alone."""
    from ib_desktop.storage import instance_lock
    from ib_desktop.ui import app as app_module

    demo_db.dispose()
    lock = instance_lock(demo_db)  # the first instance
    try:
        assert app_module.run_gui(str(demo_db.path)) == 1
    finally:
        lock.release()
    assert "al geopend" in no_dialogs["critical"][-1]
    assert bk.list_backups(bk.backup_folder(), counts=False) == []  # not even a backup started


# ------------------------------------------------------------------------ a full disk (issue 14)
def _full_beside(target: Path, monkeypatch) -> None:
    """The disk fills up while the restore writes its copy beside the database."""
    import errno

    from ib_desktop import storage

    real = storage.backup_sqlite

    def copy(src, dst, **kw):
        if Path(dst).parent != target.parent:
            return real(src, dst, **kw)
        Path(str(dst) + ".part").write_bytes(b"SQLite format 3\x00" + b"\0" * 40_000)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.sqlite_files, "backup_sqlite", copy)
    monkeypatch.setattr(bk.making, "backup_sqlite", copy)


def test_gui_restore_on_a_full_disk_keeps_the_database_and_says_so(
    ctx, qtbot, no_dialogs, monkeypatch
) -> None:
    info = bk.make_backup(ctx.db, reason=bk.MANUAL)
    with ctx.db.session() as s:
        s.delete(s.scalars(sa.select(Pupil).limit(1)).one())
    before = pupils(ctx.db)
    ctx.db.dispose()
    path = ctx.db.path
    digest = path.read_bytes()
    _full_beside(path, monkeypatch)
    assert not ui_backup.restore_chosen(ctx, None, None, info)
    message = no_dialogs["critical"][-1]
    assert "Er is niets teruggezet" in message
    assert "schijfruimte" in message
    assert "vol" in message
    assert path.read_bytes() == digest
    assert not [p for p in path.parent.iterdir() if "terugzetten" in p.name or ".part" in p.name]
    assert pupils(ctx.db) == before  # the app goes on with the same data


def test_gui_recover_damaged_on_a_full_disk_keeps_the_damaged_file_in_place(
    demo_db, qtbot, no_dialogs, monkeypatch
) -> None:
    bk.make_backup(demo_db, reason=bk.AUTO, now=datetime(2026, 11, 18, 8, 0))
    demo_db.dispose()
    path = demo_db.path
    wreck(path)
    wrecked = path.read_bytes()
    _full_beside(path, monkeypatch)
    when_modal(qtbot, lambda box: click_button(box, "Deze back-up terugzetten"))
    assert not recover_damaged(str(path), None)
    assert "schijfruimte" in no_dialogs["critical"][-1]
    assert path.read_bytes() == wrecked  # still at its path: nothing moved aside
    assert not list(path.parent.glob("demo.beschadigd-*"))


def test_the_next_start_removes_copies_a_killed_restore_and_backup_left(main_window, qtbot) -> None:
    from ib_desktop.storage import staged_restore_path

    ctx = main_window.ctx
    staged = staged_restore_path(ctx.db.path)
    staged.write_bytes(ctx.db.path.read_bytes())  # a restore killed before its swap
    folder = bk.backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / (bk.backup_name("demo", datetime(2026, 11, 17, 9), bk.AUTO) + ".part-check")
    part.write_bytes(ctx.db.path.read_bytes())  # a backup killed before its check
    scheduler = after_open(ctx, main_window)
    assert not staged.exists()
    with qtbot.waitSignal(scheduler.finished, timeout=20000):
        pass
    scheduler.timer.stop()
    assert not part.exists()
    assert [b.kind for b in bk.list_backups(folder, counts=False)] == ["automatisch"]

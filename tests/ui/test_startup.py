"""Start-up: the checks that protect the data first, then the first page, then what can wait.

The app starts as :class:`ib_desktop.ui.app.Startup`: an empty window, then the database with
its checks, the first page filled, and only after that page has been painted the backup-on-open
and the offer of recovered edits. These tests drive that path on real database files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from ib_desktop import backup as bk
from ib_desktop.ui import backup as ui_backup
from ib_desktop.ui.app import Startup, ensure_application
from ib_desktop.ui.dashboard import DashboardPage
from ib_desktop.ui.pupil_list.model import PupilTableModel
from ib_desktop.ui.pupil_list.page import PupilListPage


def wreck(path: Path) -> None:
    """Overwrite a few pages in the second half, as a bad sector would.

    The schema and the revision at the front stay readable: only SQLite's integrity check
    finds this damage, so the test fails when that check is skipped or put off.
    """
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 4096 // 2 * 4096, len(data) - 4096, 4096 * 7):
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def backups() -> list:
    return bk.list_backups(bk.backup_folder(), counts=False)


@pytest.fixture
def database(demo_db) -> Path:
    """The demo school's file, closed, as the app finds it on disk."""
    demo_db.dispose()
    return demo_db.path


@pytest.fixture
def start(qtbot, no_dialogs):
    """Start the app on a file; every started app is closed again at the end of the test."""
    ensure_application()
    started: list[Startup] = []

    def run(path: Path | str) -> Startup:
        startup = Startup(str(path))
        qtbot.addWidget(startup.window)
        started.append(startup)
        return startup

    yield run
    for startup in started:
        startup.window.close()
        startup.close()
    ui_backup._wait_for_all_threads()


def test_the_pupil_list_is_filled_before_the_backup_and_the_schedule(
    database, start, qtbot
) -> None:
    """The list paints first; the backup-on-open and "volgende evaluatie" follow, not lost."""
    QSettings().setValue("main_window/page", "leerlingen")
    startup = start(database)
    at_ready: dict[str, object] = {}

    def on_ready() -> None:
        page = startup.window.page("leerlingen")
        at_ready["rows"] = page.model.rowCount()
        at_ready["schedule_ready"] = page.schedule_ready
        at_ready["busy"] = page.busy_label.isVisible()
        at_ready["deferred_started"] = startup.deferred_started
        at_ready["backups"] = len(backups())

    startup.ready.connect(on_ready)
    assert startup.window.isVisible()  # the empty shell first
    assert startup.window.ctx is None
    qtbot.waitUntil(lambda: bool(at_ready), timeout=20000)
    assert at_ready == {
        "rows": at_ready["rows"],
        "schedule_ready": False,
        "busy": True,
        "deferred_started": False,
        "backups": 0,
    }
    assert at_ready["rows"] > 100

    # What waited still happens: the automatic backup of the opened file ...
    qtbot.waitUntil(lambda: startup.deferred_started, timeout=20000)
    qtbot.waitUntil(lambda: bool(backups()), timeout=20000)
    [made] = bk.list_backups(bk.backup_folder())
    assert made.kind == "automatisch"
    # ... and the next evaluation of every pupil who has one.
    page = startup.window.page("leerlingen")
    assert isinstance(page, PupilListPage)
    page.wait_for_background()
    qtbot.waitUntil(lambda: page.schedule_ready, timeout=20000)
    assert not page.busy_label.isVisible()
    column = [
        page.model.index(r, PupilTableModel.COL_NEXT).data() for r in range(page.model.rowCount())
    ]
    assert any(column)


def test_the_home_screen_paints_before_its_cards_are_computed(database, start, qtbot) -> None:
    startup = start(database)  # no page chosen before: the home screen
    seen: list[tuple[bool, str]] = []
    startup.ready.connect(
        lambda: seen.append(
            (
                startup.window.page("overzicht").loaded,
                startup.window.page("overzicht").subtitle.text(),
            )
        )
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert seen == [(False, "Bezig met berekenen…")]
    page = startup.window.page("overzicht")
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert page.overdue_card.count.text().isdigit()


@pytest.mark.parametrize("problem", ["beschadigd", "nieuwer", "vreemd"])
def test_a_database_that_must_not_be_used_is_refused_before_anything_is_written(
    database, start, qtbot, monkeypatch, problem
) -> None:
    """Damaged, newer or foreign: refused before the window gets any data, the file untouched."""
    import sqlite3

    if problem == "beschadigd":
        wreck(database)
    elif problem == "nieuwer":
        con = sqlite3.connect(database)
        con.execute("UPDATE alembic_version SET version_num = '9999'")
        con.commit()
        con.close()
    else:
        con = sqlite3.connect(database)
        con.execute("DROP TABLE alembic_version")
        con.commit()
        con.close()
    wal = Path(f"{database}-wal")

    def contents() -> tuple[bytes, bytes]:
        # The read-only look may leave an empty write-ahead log beside a WAL file: no data.
        return database.read_bytes(), wal.read_bytes() if wal.exists() else b""

    before = contents()
    shown: list[str] = []

    def refuse(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        return 0  # closed without choosing another file

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    startup = start(database)
    codes: list[int] = []
    startup.failed.connect(codes.append)
    qtbot.waitUntil(lambda: bool(codes), timeout=20000)
    assert codes == [1]
    expected = {"beschadigd": "beschadigd", "nieuwer": "nieuwere versie", "vreemd": "hoort niet"}
    assert expected[problem] in shown[0]
    assert startup.window.ctx is None
    assert startup.window._pages == {}
    assert not startup.window.isVisible()
    assert startup.close() == 1
    assert contents() == before
    assert backups() == []
    assert not startup.deferred_started


def test_a_database_open_in_another_window_is_not_written_to(database, start, qtbot, no_dialogs):
    """The lock is claimed before the file is opened, and opening may write (statistics here)."""
    import sqlite3

    from ib_desktop.storage import instance_lock

    con = sqlite3.connect(database)
    con.execute("DROP TABLE sqlite_stat1")  # an older file: opening it would run ANALYZE
    con.commit()
    con.close()
    wal = Path(f"{database}-wal")
    before = database.read_bytes(), wal.read_bytes() if wal.exists() else b""
    other = instance_lock(database)  # the first window
    try:
        startup = start(database)
        codes: list[int] = []
        startup.failed.connect(codes.append)
        qtbot.waitUntil(lambda: bool(codes), timeout=20000)
    finally:
        other.release()
    assert codes == [1]
    assert "al geopend" in no_dialogs["critical"][-1]
    assert (database.read_bytes(), wal.read_bytes() if wal.exists() else b"") == before
    assert startup.db is None
    assert backups() == []


def test_the_garbage_collector_waits_for_the_first_page_and_then_runs_again(
    database, start, qtbot, monkeypatch
) -> None:
    """Held off while SQLAlchemy and the models load; never left off, also after a failure."""
    import gc

    import ib_desktop.ui.app as app_module

    assert gc.isenabled()
    during: list[bool] = []
    real = app_module.choose_school

    def spy(db, parent=None):
        during.append(gc.isenabled())
        return real(db, parent)

    monkeypatch.setattr(app_module, "choose_school", spy)
    startup = start(database)
    qtbot.waitUntil(lambda: startup.deferred_started, timeout=20000)
    assert during == [False]
    # The home screen's worker may still hold it off for its own bulk read; then it resumes.
    page = startup.window.page("overzicht")
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert gc.isenabled()

    failing = start(database)  # the same file: already open in this "window"
    codes: list[int] = []
    failing.failed.connect(codes.append)
    qtbot.waitUntil(lambda: bool(codes), timeout=20000)
    assert gc.isenabled()

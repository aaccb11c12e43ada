"""The first paint: the pupil list shows from a quick read before the database is attached.

Start-up reads the list with ``ib_desktop.quick_list`` (sqlite3, read-only) and paints it while
SQLAlchemy and the models load; the full, checked open then attaches the database and its rows
replace the quick ones. These tests hold the full open back to look at the window in between,
and check that a file the app must not use never shows a quick list at all.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

import ib_desktop.ui.app as app_module
from ib_desktop.ui.main_window import MainWindow
from ib_desktop.ui.pupil_list.model import PupilTableModel
from ib_desktop.ui.pupil_list.page import PupilListPage
from tests.ui.test_startup import backups, database, start, wreck  # noqa: F401 - fixtures


def contents(path: Path) -> tuple[bytes, bytes]:
    # The read-only look may leave an empty write-ahead log beside a WAL file: no data.
    wal = Path(f"{path}-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture
def held_back(monkeypatch):
    """The full open waits (in its worker thread) until the test lets it go."""
    gate = threading.Event()
    real = app_module.preload

    def slow_preload() -> None:
        gate.wait(30)
        real()

    monkeypatch.setattr(app_module, "preload", slow_preload)
    yield gate
    gate.set()  # never leave the worker waiting


@pytest.fixture
def previews(monkeypatch) -> list[int]:
    """Records every first paint of quick rows (their count)."""
    shown: list[int] = []
    real = MainWindow.show_preview

    def spy(self, key, data):
        page = real(self, key, data)
        if page is not None:
            shown.append(len(data.rows))
        return page

    monkeypatch.setattr(MainWindow, "show_preview", spy)
    return shown


def test_the_list_shows_before_the_database_and_the_full_rows_take_over(
    database, start, qtbot, held_back, previews  # noqa: F811 - fixtures
) -> None:
    QSettings().setValue("main_window/page", "leerlingen")
    startup = start(database)
    window = startup.window
    events: list[str] = []
    startup.painted.connect(lambda: events.append("painted"))
    startup.ready.connect(lambda: events.append("ready"))
    qtbot.waitUntil(lambda: events == ["painted"], timeout=20000)

    # The list is there, from the quick read; the database is not attached yet.
    page = window.preview_page()
    assert isinstance(page, PupilListPage)
    assert page.isVisible()
    assert page.proxy.rowCount() > 50
    assert previews == [page.model.rowCount()]
    assert window.ctx is None
    assert startup.db is None
    assert page.busy_label.isVisible()
    assert page.busy_label.text() == "Bezig met laden…"
    assert window.statusBar().currentMessage() == "Bezig met laden…"
    menu_actions = window._data_actions
    assert menu_actions
    assert not any(a.isEnabled() for a in menu_actions)
    next_column = {
        page.proxy.index(r, PupilTableModel.COL_NEXT).data() for r in range(page.proxy.rowCount())
    }
    assert next_column == {"…"}  # the schedule is not known yet

    # The user can already filter and pick a pupil, but opening waits for the database.
    qtbot.keyClicks(page.search, "an")
    shown = page.shown_pupil_ids()
    assert 0 < len(shown) < page.model.rowCount()
    assert page.select_pupil(shown[1])
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.open_windows() == []
    assert backups() == []

    held_back.set()
    qtbot.waitUntil(lambda: events == ["painted", "ready"], timeout=30000)
    # The same page now shows the full rows, with what the user did kept.
    assert window.ctx is not None
    assert window.page("leerlingen") is page
    assert not page.is_preview
    assert page.search.text() == "an"
    assert page.shown_pupil_ids() == shown
    assert page.current_pupil_id() == shown[1]
    assert all(a.isEnabled() for a in menu_actions)
    assert page.busy_label.text() == "Evaluaties worden berekend…"
    assert "…" not in {
        page.proxy.index(r, PupilTableModel.COL_NEXT).data() for r in range(page.proxy.rowCount())
    }
    assert previews == [page.model.rowCount()]  # painted once, replaced in place
    page.open_current()
    assert len(window.open_windows()) == 1  # now the pupil file opens


def test_a_refusal_after_the_quick_paint_takes_the_list_away_first(
    database, start, qtbot, monkeypatch, previews  # noqa: F811 - fixtures
) -> None:
    """Should the full open refuse the file, the quick rows go before the message shows."""
    from ib_desktop import storage

    def refuse(*args, **kwargs):
        raise storage.DamagedDatabaseError("De database is beschadigd (test).")

    monkeypatch.setattr(storage, "open_database", refuse)
    QSettings().setValue("main_window/page", "leerlingen")
    before = contents(database)
    at_message: list[object] = []

    def exec_(box: QMessageBox) -> int:
        window = box.parent()
        at_message.append((window.preview_page(), window.stack.currentWidget().objectName()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    startup = start(database)
    codes: list[int] = []
    startup.failed.connect(codes.append)
    qtbot.waitUntil(lambda: bool(codes), timeout=30000)
    assert len(previews) == 1  # the quick list was shown ...
    assert at_message == [(None, "placeholder-leerlingen")]  # ... and gone before the message
    assert codes == [1]
    assert startup.window._pages == {}
    assert startup.close() == 1
    assert contents(database) == before
    assert backups() == []


@pytest.mark.parametrize("problem", ["beschadigd", "nieuwer", "vreemd"])
def test_a_file_that_must_not_be_used_never_shows_a_quick_list(
    database, start, qtbot, monkeypatch, previews, problem  # noqa: F811 - fixtures
) -> None:
    import sqlite3

    if problem == "beschadigd":
        wreck(database)
    else:
        con = sqlite3.connect(database)
        if problem == "nieuwer":
            con.execute("UPDATE alembic_version SET version_num = '9999'")
        else:
            con.execute("DROP TABLE alembic_version")
        con.commit()
        con.close()
    QSettings().setValue("main_window/page", "leerlingen")
    before = contents(database)
    shown: list[str] = []

    def refuse(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", refuse)
    startup = start(database)
    codes: list[int] = []
    startup.failed.connect(codes.append)
    qtbot.waitUntil(lambda: bool(codes), timeout=20000)
    assert previews == []
    expected = {"beschadigd": "beschadigd", "nieuwer": "nieuwere versie", "vreemd": "hoort niet"}
    assert expected[problem] in shown[0]
    assert startup.close() == 1
    assert contents(database) == before


def test_postgresql_shows_the_quick_rows_first(pg_url, start, qtbot, previews) -> None:  # noqa: F811
    """Issue 18: a server database paints its list from a read-only psycopg read first."""
    from ib_desktop.demo import generate
    from ib_desktop.storage import open_database
    from tests.conftest import TODAY

    db = open_database(pg_url)
    generate(db, pupils=40, seed=3, today=TODAY)
    db.dispose()
    QSettings().setValue("main_window/page", "leerlingen")
    startup = start(pg_url)
    events: list[str] = []
    startup.painted.connect(lambda: events.append("painted"))
    startup.ready.connect(lambda: events.append("ready"))
    qtbot.waitUntil(lambda: "ready" in events, timeout=30000)
    assert events == ["painted", "ready"]
    assert len(previews) == 1
    assert previews[0] >= 40
    assert startup.lock is None  # a server database takes no instance lock
    assert startup.window.ctx is not None
    assert startup.window.ctx.db.engine.dialect.name == "postgresql"

"""Someone else saves on the shared PostgreSQL database: the open screens show it at once.

The main window listens (LISTEN/NOTIFY, migration 0026) on a connection of its own; a second,
independently opened database (another laptop) renames a pupil. The open pupil list must show
the new name without a restart, keeping what the user typed in the quick filter and the pupil
they selected. On SQLite nothing listens.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from ib_desktop.services import pupil as pf
from ib_desktop.storage import Database, open_database
from tests.conftest import TODAY


@pytest.fixture
def shared(pg_url: str) -> Iterator[Database]:
    """A small demo school on a fresh PostgreSQL database."""
    from ib_desktop.demo import generate
    from ib_desktop.services.school import get_school

    db = open_database(pg_url)
    generate(db, pupils=40, seed=3, today=TODAY)
    with db.session() as s:
        db.school_id = get_school(s).id  # type: ignore[attr-defined]
    yield db
    db.dispose()


@pytest.fixture
def window(shared: Database, qtbot, no_dialogs):
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.main_window import MainWindow

    ensure_application()
    ctx = AppContext(db=shared, school_id=shared.school_id, actor="Test IB-er",
                     today_fn=lambda: TODAY)  # fmt: skip
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show_page("leerlingen")
    win.show()
    # A Python-level wait: Qt's own (waitExposed) can hold the interpreter on a loaded machine,
    # and then not even the test timeout fires.
    qtbot.waitUntil(win.isVisible)
    assert win.live is not None
    assert win.live.listener is not None
    assert win.live.listener.wait_ready(10)
    yield win
    win.close()


def _rename_elsewhere(url: sa.URL, pupil_id: int, first_name: str) -> None:
    other = open_database(url)
    try:
        with other.session() as s:
            file = pf.load_pupil_file(s, pupil_id, today=TODAY)
            data = file.data
            data.first_name = first_name
            pf.update_pupil(s, pupil_id, data, expected_version=file.version, today=TODAY,
                            actor="Collega op een andere laptop")  # fmt: skip
    finally:
        other.dispose()


def _shown_names(page) -> list[str]:
    model = page.proxy
    return [
        " ".join(
            str(model.index(row, col).data() or "") for col in range(model.columnCount())
        )
        for row in range(model.rowCount())
    ]


def test_a_colleagues_save_shows_in_the_open_pupil_list(window, shared, qtbot) -> None:
    page = window.page("leerlingen")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    ids = page.shown_pupil_ids()
    target, selected = ids[0], ids[1]
    with shared.session() as s:
        surname = pf.load_pupil_file(s, target, today=TODAY).data.last_name
    page.select_pupil(selected)
    # The user is typing in the quick filter: the other laptop's save must not wipe it.
    qtbot.keyClicks(page.search, surname[:3])
    typed = page.search.text()
    assert not any("Xanthippe" in name for name in _shown_names(page))

    _rename_elsewhere(shared.url, target, "Xanthippe")

    qtbot.waitUntil(
        lambda: any("Xanthippe" in name for name in _shown_names(page)), timeout=15000
    )
    assert page.search.text() == typed
    if selected in page.shown_pupil_ids():
        assert page.current_pupil_id() == selected


def test_own_saves_are_not_announced_again(window, shared, qtbot) -> None:
    """The window's own pool is known: only other connections' saves count as news."""
    heard: list[object] = []
    window.live.changed.connect(heard.append)
    page = window.page("leerlingen")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    pupil_id, other_id = page.shown_pupil_ids()[:2]
    with shared.session() as s:
        file = pf.load_pupil_file(s, pupil_id, today=TODAY)
        file.data.first_name = "Eigen"
        pf.update_pupil(s, pupil_id, file.data, expected_version=file.version, today=TODAY)
    _rename_elsewhere(shared.url, other_id, "Ander")
    qtbot.waitUntil(lambda: bool(heard), timeout=15000)
    qtbot.wait(600)  # a second announcement would have come within the throttle
    assert heard == [frozenset({other_id})]


def test_a_save_while_the_server_is_away_keeps_the_typed_evaluation(
    window, shared, qtbot, no_dialogs
) -> None:
    """The network goes: the teacher hears it in Dutch, the text stays; later it saves."""
    import socket

    from sqlalchemy.orm import sessionmaker

    from ib_desktop.models import Outcome
    from ib_desktop.services import plans
    from ib_desktop.storage import create_engine
    from tests.ui.test_evaluations import _busiest_teacher, _choose_teacher, _fill_current

    window.show_page("evaluaties")
    page = window.page("evaluaties")
    _choose_teacher(page, _busiest_teacher(window.ctx))
    task = page.form.task
    _fill_current(qtbot, page, "Goed gegaan", Outcome.BEHAALD)
    typed = [b.evaluation_edit.toPlainText() for b in page.form.blocks]

    engine, factory = shared.engine, shared.sessionmaker
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        away = shared.url.set(port=sock.getsockname()[1])  # nothing listens there
    shared.engine = create_engine(away)
    shared.sessionmaker = sessionmaker(shared.engine, expire_on_commit=False)
    try:
        assert page.form.save() is False
    finally:
        shared.engine.dispose()
        shared.engine, shared.sessionmaker = engine, factory
    assert any("De server is niet bereikbaar" in text for text in no_dialogs["warning"])
    assert shared.url.password not in " ".join(no_dialogs["warning"])
    assert [b.evaluation_edit.toPlainText() for b in page.form.blocks] == typed
    assert page.form.is_dirty()

    assert page.form.save() is True  # the server is back: the same text lands
    with shared.session() as s:
        stored = plans.load_evaluation_task(s, task.moment)
    assert [t.evaluation for t in stored.targets] == typed

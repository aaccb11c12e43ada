"""Shared fixtures: a fresh database per test, every path redirected to ``tmp_path``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

# Headless Qt for every test, before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("IB_DESKTOP_USER", "Test IB-er")

#: The date the tests pin "today" to, so that demo data and schedules are reproducible.
TODAY = date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, settings or backups."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("IB_DESKTOP_DATABASE", raising=False)
    # Qt caches where QSettings live; point them at this test's folder and start empty.
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "qsettings"))
    QSettings().clear()
    # Spelling: a fresh shared checker reading this test's word list (the dictionary stays loaded).
    from ib_desktop.ui.widgets import spelling

    monkeypatch.setattr(spelling, "_shared", None)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The admin URL of a PostgreSQL server for this test session.

    ``IB_TEST_PG_URL`` (set by ``.ci/run``) wins; otherwise a throwaway cluster is started when
    PostgreSQL is installed. Without one the PostgreSQL tests are skipped, except under CI, where a
    missing server is a failure: the PostgreSQL run must not quietly disappear.
    """
    from tests import pg_cluster

    url = os.environ.get("IB_TEST_PG_URL")
    if url:
        yield url
        return
    if pg_cluster.find_bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL for these tests: IB_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL is not installed here (set IB_TEST_PG_URL or install postgresql)")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ib-pg-"))
    try:
        url = pg_cluster.start(folder / "cluster")
        yield url
    finally:
        pg_cluster.stop(folder / "cluster")
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty PostgreSQL database, dropped after the test."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(pg_server)
    name = f"ibt_{uuid.uuid4().hex[:12]}"
    conninfo = dict(
        host=admin.host,
        port=admin.port,
        user=admin.username,
        password=admin.password,
        dbname=admin.database or "postgres",
    )
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def today() -> date:
    """The pinned date of the tests."""
    return TODAY


@pytest.fixture
def db(tmp_path: Path) -> Iterator:
    """An empty, migrated database file."""
    from ib_desktop.storage import open_database

    database = open_database(tmp_path / "test.sqlite")
    yield database
    database.dispose()


@pytest.fixture
def school_db(db):
    """A database with one school on the four-level template (and its id as ``school_id``)."""
    from ib_desktop.services.school import create_school

    with db.session() as s:
        school = create_school(
            s, "Basisschool De Test", brin="99ZZ", swv_name="SWV Test", today=TODAY
        )
        db.school_id = school.id  # type: ignore[attr-defined]
    return db


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo school made once per test session; tests copy it."""
    from ib_desktop.demo import generate
    from ib_desktop.storage import backup_sqlite, open_database

    path = tmp_path_factory.mktemp("demo") / "demo-template.sqlite"
    database = open_database(path)
    generate(database, pupils=120, seed=7, today=TODAY)
    database.dispose()
    final = path.with_name("demo.sqlite")
    backup_sqlite(path, final)
    return final


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path):
    """A private copy of the small demo school."""
    import shutil

    from ib_desktop.services.school import get_school
    from ib_desktop.storage import open_database

    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    database = open_database(target)
    with database.session() as s:
        database.school_id = get_school(s).id  # type: ignore[attr-defined]
    yield database
    database.dispose()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Message boxes answer at once and are recorded, so a test never hangs on one."""
    from PySide6.QtWidgets import QMessageBox

    calls: dict[str, list] = {"information": [], "warning": [], "critical": [], "question": []}

    def make(kind: str, answer):
        def fake(parent, title, text, *args, **kwargs):
            calls[kind].append(text)
            return answer

        return fake

    monkeypatch.setattr(
        QMessageBox, "information", make("information", QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(QMessageBox, "warning", make("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", make("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", make("question", QMessageBox.StandardButton.Yes))
    return calls


@pytest.fixture
def ctx(demo_db, qapp):
    """An application context on the demo school, with today pinned."""
    from ib_desktop.ui.app import ensure_application
    from ib_desktop.ui.context import AppContext

    ensure_application()
    return AppContext(
        db=demo_db, school_id=demo_db.school_id, actor="Test IB-er", today_fn=lambda: TODAY
    )


@pytest.fixture
def main_window(ctx, qtbot, no_dialogs):
    """The main window on the demo school."""
    from ib_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    # A Python-level wait: Qt's own (waitExposed, waitActive) can hold the interpreter on a
    # loaded machine, and then not even the test timeout fires; waitUntil polls and gives up.
    qtbot.waitUntil(window.isVisible)
    return window


@pytest.fixture
def model_tester():
    """Attach Qt's QAbstractItemModelTester to a model and keep it alive until the test ends.

    A tester that is created and dropped at once checks nothing after its first look; this one
    watches every change the test makes.
    """
    from PySide6.QtTest import QAbstractItemModelTester

    testers: list[QAbstractItemModelTester] = []

    def attach(model, mode=QAbstractItemModelTester.FailureReportingMode.Fatal):
        tester = QAbstractItemModelTester(model, mode)
        testers.append(tester)
        return tester

    yield attach
    testers.clear()

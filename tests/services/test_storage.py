"""Files a user can point the app at: each gets a clear Dutch message and stays unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop.storage import (
    DamagedDatabaseError,
    DatabaseLockedError,
    NewerDatabaseError,
    NotOurDatabaseError,
    ReadOnlyDatabaseError,
    backup_sqlite,
    instance_lock,
    open_database,
    resolve_url,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_text_file_is_not_our_database(tmp_path: Path) -> None:
    f = tmp_path / "notities.sqlite"
    f.write_text("boodschappen: melk, brood\n")
    before = digest(f)
    with pytest.raises(NotOurDatabaseError, match="geen IB Desktop-database"):
        open_database(f)
    assert digest(f) == before


def test_another_apps_sqlite_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "ander.sqlite"
    con = sqlite3.connect(f)
    con.execute("CREATE TABLE recepten (naam TEXT)")
    con.commit()
    con.close()
    before = digest(f)
    with pytest.raises(NotOurDatabaseError, match="hoort niet bij IB Desktop"):
        open_database(f)
    assert digest(f) == before


def test_newer_version_is_refused(db, tmp_path: Path) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    db.dispose()
    path = tmp_path / "test.sqlite"
    with pytest.raises(NewerDatabaseError, match="nieuwere versie"):
        open_database(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_is_refused(db, tmp_path: Path) -> None:
    db.dispose()
    path = tmp_path / "test.sqlite"
    path.chmod(0o444)
    with pytest.raises(ReadOnlyDatabaseError, match="alleen-lezen"):
        open_database(path)


def test_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked through os.access, so it holds for root too (root ignores file modes)."""
    real_access = os.access
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == folder and mode == os.W_OK else real_access(p, mode),
    )
    with pytest.raises(ReadOnlyDatabaseError, match="alleen-lezen"):
        open_database(folder / "nieuw.sqlite")
    assert not (folder / "nieuw.sqlite").exists()


def test_second_instance_is_refused(db) -> None:
    lock = instance_lock(db)
    try:
        with pytest.raises(DatabaseLockedError, match="al geopend"):
            instance_lock(db)
    finally:
        lock.release()
    instance_lock(db).release()  # free again after the first instance let go


def test_damaged_database_is_refused(demo_template: Path, tmp_path: Path) -> None:
    target = tmp_path / "kapot.sqlite"
    backup_sqlite(demo_template, target)
    data = bytearray(target.read_bytes())
    page = 4096
    for offset in range(page * 5, min(len(data), page * 40), page):
        data[offset + 8 : offset + 200] = b"\xff" * 192  # wreck b-tree pages
    target.write_bytes(bytes(data))
    before = digest(target)
    with pytest.raises((DamagedDatabaseError, NotOurDatabaseError)):
        open_database(target, check_integrity=True)
    assert digest(target) == before


def test_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A URL object, not a string: a path is never pasted into a URL.
    assert resolve_url(tmp_path / "a.sqlite") == sa.URL.create(
        "sqlite", database=str(tmp_path / "a.sqlite")
    )
    assert resolve_url("postgresql+psycopg://ib@localhost/school").get_backend_name() == (
        "postgresql"
    )
    monkeypatch.setenv("IB_DESKTOP_DATABASE", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).database.endswith("env.sqlite")
    monkeypatch.delenv("IB_DESKTOP_DATABASE")
    assert "ib-desktop" in resolve_url(None).database


def test_backup_is_consistent_copy(demo_db, tmp_path: Path) -> None:
    target = backup_sqlite(demo_db.engine, tmp_path / "b" / "kopie.sqlite")
    copy = open_database(target)
    with copy.engine.connect() as c1, demo_db.engine.connect() as c2:
        q = "SELECT count(*) FROM pupils"
        assert c1.exec_driver_sql(q).scalar() == c2.exec_driver_sql(q).scalar() > 0
    copy.dispose()


def _statistics(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return set()
        return {r[0] for r in con.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        con.close()


def test_demo_database_has_planner_statistics(demo_template: Path) -> None:
    # one school: every row has the same school_id, and the planner must know that
    assert {"meetings", "pupils", "short_interventions"} <= _statistics(demo_template)


def test_statistics_are_gathered_once_for_a_file_without_them(
    demo_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "oud.sqlite"
    backup_sqlite(demo_template, path)
    con = sqlite3.connect(path)
    con.execute("DROP TABLE sqlite_stat1")
    con.commit()
    con.close()
    assert _statistics(path) == set()
    before = digest(path)
    readonly = open_database(path, readonly=True)  # a read-only look never writes them
    readonly.dispose()
    assert digest(path) == before
    db = open_database(path)
    db.dispose()
    assert "meetings" in _statistics(path)

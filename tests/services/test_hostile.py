"""Hostile conditions: a full disk, a read-only folder, a second instance, a newer database, a
failing upgrade. Each gets a clear Dutch message and nothing already saved is lost."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from ib_desktop import backup as bk
from ib_desktop import storage
from ib_desktop.database import open_database
from ib_desktop.models import GrowthDocument, GrowthGoal, GrowthPeriod, Pupil
from ib_desktop.storage import (
    DiskFullError,
    MigrationError,
    ReadOnlyDatabaseError,
    file_integrity_problems,
    file_revision,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def save_document(db, pupil_id: int, title: str, text: str = "oefenen " * 50) -> int:
    """One groeidocument with a period and two goals, saved as one unit of work."""
    with db.session() as s:
        doc = GrowthDocument(pupil_id=pupil_id, title=title, areas=["lezen", "rekenen"])
        period = GrowthPeriod(number=1, start_date=date(2026, 9, 1), end_date=date(2026, 11, 1))
        period.goals = [
            GrowthGoal(area=a, position=i, goal=text) for i, a in enumerate(["lezen", "rekenen"])
        ]
        doc.periods.append(period)
        s.add(doc)
        s.flush()
        return doc.id


def document_titles(db) -> dict[str, int]:
    with db.session() as s:
        return {
            d.title: sum(len(p.goals) for p in d.periods)
            for d in s.scalars(sa.select(GrowthDocument)).all()
        }


def first_pupil(db) -> int:
    with db.session() as s:
        return s.scalars(sa.select(Pupil.id).limit(1)).one()


# ---------------------------------------------------------------------------- size-limited folders
@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Mount a small tmpfs (a real full disk); skipped where mounting is not allowed (CI)."""
    mounted: list[Path] = []

    def mount(name: str, size: str, *, read_only: bool = False) -> Path:
        point = tmp_path / name
        point.mkdir()
        opts = f"size={size}" + (",ro" if read_only else "")
        try:
            result = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)],
                capture_output=True, timeout=10,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"mount niet beschikbaar: {exc}")
        if result.returncode != 0:
            pytest.skip(
                f"geen tmpfs te mounten hier: {result.stderr.decode(errors='replace').strip()}"
            )
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_real_full_disk_while_saving_loses_nothing_saved(
    school_db, demo_template, mount_tmpfs
) -> None:
    disk = mount_tmpfs("schijf", "1m")
    shutil.copyfile(demo_template, disk / "school.sqlite")
    db = open_database(disk / "school.sqlite")
    pid = first_pupil(db)
    saved: list[str] = []
    error = None
    for i in range(400):
        try:
            save_document(db, pid, f"doc {i}", text="x" * 20000)
        except DiskFullError as exc:
            error = exc
            break
        saved.append(f"doc {i}")
    assert error is not None, "the 1 MB disk never filled up"
    assert "schijfruimte" in str(error)
    assert "eerder hebt opgeslagen is bewaard" in str(error)
    assert saved  # some saves fitted before the disk was full
    db.dispose()
    # Make room (as the user would) and look: every returned save is complete, nothing half.
    for leftover in disk.glob("*.part*"):
        leftover.unlink()
    reopened = open_database(disk / "school.sqlite", check_integrity=True)
    titles = document_titles(reopened)
    assert all(titles.get(t) == 2 for t in saved)
    assert f"doc {len(saved)}" not in titles
    reopened.dispose()
    assert file_integrity_problems(disk / "school.sqlite") == []


def test_real_full_backup_folder_leaves_no_half_backup(demo_db, mount_tmpfs) -> None:
    folder = mount_tmpfs("usb", "128k")
    before = digest_db = digest(demo_db.path)
    with pytest.raises(bk.BackupError, match="niet genoeg ruimte"):
        bk.make_backup(demo_db, folder, reason=bk.MANUAL)
    assert list(folder.iterdir()) == []
    assert digest(demo_db.path) == before == digest_db


def test_real_read_only_backup_folder(demo_db, mount_tmpfs) -> None:
    folder = mount_tmpfs("alleen-lezen", "1m", read_only=True)
    with pytest.raises(bk.BackupError, match="alleen-lezen"):
        bk.make_backup(demo_db, folder, reason=bk.MANUAL)
    with pytest.raises(bk.BackupError, match="alleen-lezen"):
        bk.set_backup_folder(folder)


# ---------------------------------------------------------------------------- injected errors
def test_injected_full_disk_on_save(demo_db) -> None:
    """SQLite's own page limit raises its real "database or disk is full" halfway a save."""
    pid = first_pupil(demo_db)
    save_document(demo_db, pid, "voor de volle schijf")
    before = document_titles(demo_db)
    with demo_db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    demo_db.dispose()
    listener = lambda dbapi, _rec: dbapi.execute(f"PRAGMA max_page_count = {pages + 1}")  # noqa: E731
    event.listen(demo_db.engine, "connect", listener)
    with pytest.raises(DiskFullError, match="schijfruimte"):
        save_document(demo_db, pid, "past niet", text="y" * 200_000)
    event.remove(demo_db.engine, "connect", listener)
    demo_db.dispose()
    assert document_titles(demo_db) == before  # the failed save left nothing, the rest is there
    assert file_integrity_problems(demo_db.path) == []
    save_document(demo_db, pid, "na het opruimen")  # with room again, saving works
    assert "na het opruimen" in document_titles(demo_db)


def test_injected_read_only_on_save(demo_db) -> None:
    pid = first_pupil(demo_db)
    demo_db.dispose()
    listener = lambda dbapi, _rec: dbapi.execute("PRAGMA query_only = ON")  # noqa: E731
    event.listen(demo_db.engine, "connect", listener)
    with pytest.raises(ReadOnlyDatabaseError, match="alleen-lezen"):
        save_document(demo_db, pid, "mag niet")
    event.remove(demo_db.engine, "connect", listener)
    demo_db.dispose()
    assert "mag niet" not in document_titles(demo_db)


def test_injected_enospc_while_backing_up(demo_db, tmp_path: Path, monkeypatch) -> None:
    """The copy is written but cannot be flushed: no file is left, a Dutch message says why."""
    folder = tmp_path / "b"

    def no_space(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage.sqlite_files, "_fsync_path", no_space)
    with pytest.raises(bk.BackupError, match="niet genoeg ruimte") as info:
        bk.make_backup(demo_db, folder, reason=bk.MANUAL)
    assert "niet gewijzigd" in str(info.value)
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    assert bk.make_backup(demo_db, folder, reason=bk.MANUAL).path.exists()


def test_injected_full_disk_from_sqlite_while_backing_up(
    demo_db, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "b"
    real = storage.backup_sqlite

    def full(src, dst, **kw):
        real(src, dst, **kw)  # the whole copy is written under its temporary name ...
        raise sqlite3.OperationalError("database or disk is full")  # ... then the disk refuses

    monkeypatch.setattr(bk.making, "backup_sqlite", full)
    with pytest.raises(bk.BackupError, match="niet genoeg ruimte"):
        bk.make_backup(demo_db, folder, reason=bk.MANUAL)
    assert list(folder.iterdir()) == []


def test_restore_with_a_full_disk_changes_nothing(demo_db, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "b"
    saved = bk.make_backup(demo_db, folder, reason=bk.MANUAL)
    pid = first_pupil(demo_db)
    save_document(demo_db, pid, "na de back-up")
    demo_db.dispose()
    before = dump(demo_db.path)

    def full(backup: Path, target: Path, **_kw) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bk.restoring, "restore_sqlite", full)
    with pytest.raises(bk.BackupError, match="schijfruimte"):
        bk.restore_backup(saved.path, demo_db.path, folder=folder)
    assert dump(demo_db.path) == before


# ---------------------------------------------------------------------------- schema upgrades
#: The app's own newest revision; the test migrations below come after it.
REAL_HEAD = storage.HEAD_REVISION

FAILING_0002 = textwrap.dedent(
    '''
    """a migration that fails halfway"""
    import sqlalchemy as sa
    from alembic import op

    revision = "9999"
    down_revision = "__HEAD__"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        op.create_table("nieuw", sa.Column("id", sa.Integer, primary_key=True))
        with op.batch_alter_table("pupils") as batch:
            batch.add_column(sa.Column("schoenmaat", sa.Integer, nullable=True))
        op.execute("UPDATE pupils SET notes = 'half bijgewerkt'")
        raise RuntimeError("kapotte migratie")
    '''
)

GOOD_0002 = textwrap.dedent(
    '''
    """a migration that works"""
    import sqlalchemy as sa
    from alembic import op

    revision = "9999"
    down_revision = "__HEAD__"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        op.create_table("nieuw", sa.Column("id", sa.Integer, primary_key=True))
    '''
)


@pytest.fixture
def old_database(demo_db, tmp_path: Path, monkeypatch) -> Callable[[str], Path]:
    """The demo school as a database one revision behind a test migration ``9999``."""
    demo_db.dispose()
    scripts = tmp_path / "migraties"
    shutil.copytree(storage.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))

    def with_migration(source: str) -> Path:
        (scripts / "versions" / "9999_test.py").write_text(source.replace("__HEAD__", REAL_HEAD))
        monkeypatch.setattr(storage.opening, "MIGRATIONS_DIR", scripts)
        monkeypatch.setattr(storage.opening, "HEAD_REVISION", "9999")
        monkeypatch.setattr(storage.opening, "KNOWN_REVISIONS", storage.KNOWN_REVISIONS | {"9999"})
        return demo_db.path

    return with_migration


def test_failed_upgrade_leaves_the_database_exactly_as_it_was(old_database, tmp_path: Path) -> None:
    path = old_database(FAILING_0002)
    before_dump, before_digest = dump(path), digest(path)
    folder = tmp_path / "backups"
    with pytest.raises(MigrationError, match="niets veranderd"):
        open_database(path, backup_dir=folder)
    assert dump(path) == before_dump
    assert digest(path) == before_digest
    assert file_revision(path) == REAL_HEAD
    # The backup made before the upgrade is there, sound, and of the old revision.
    backups = bk.list_backups(folder)
    assert [b.reason for b in backups] == [f"voor-upgrade-{REAL_HEAD}"]
    assert file_integrity_problems(backups[0].path) == []
    assert file_revision(backups[0].path) == REAL_HEAD


def test_upgrade_backs_up_first_into_the_chosen_folder(old_database, tmp_path: Path) -> None:
    path = old_database(GOOD_0002)
    chosen = bk.set_backup_folder(tmp_path / "usb")
    db = open_database(path)
    db.dispose()
    assert file_revision(path) == "9999"
    backups = bk.list_backups(chosen)
    expected = [(f"voor-upgrade-{REAL_HEAD}", "vóór bijwerken")]
    assert [(b.reason, b.kind) for b in backups] == expected
    assert file_revision(backups[0].path) == REAL_HEAD
    assert not list(path.parent.glob("*voor-upgrade*"))  # nothing beside the database


def test_no_upgrade_without_a_backup(old_database, tmp_path: Path, monkeypatch) -> None:
    path = old_database(GOOD_0002)
    before = dump(path)

    def refuse(folder: Path, **_kw: object) -> None:
        raise bk.BackupError(
            f"In de back-upmap '{folder}' kan niet worden geschreven: alleen-lezen."
        )

    monkeypatch.setattr(bk.making, "check_folder_writable", refuse)
    with pytest.raises(MigrationError, match="back-up") as info:
        open_database(path)
    assert "niet gewijzigd" in str(info.value)
    assert dump(path) == before
    assert file_revision(path) == REAL_HEAD


def test_newer_database_is_refused_but_can_be_backed_up(demo_db, tmp_path: Path) -> None:
    with demo_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    demo_db.dispose()
    before = digest(demo_db.path)
    with pytest.raises(storage.NewerDatabaseError, match="nieuwere versie"):
        open_database(demo_db.path, check_integrity=True)
    info = bk.make_backup(demo_db.path, tmp_path / "b", reason=bk.MANUAL)
    assert info.path.exists()
    assert info.counts is None
    assert digest(demo_db.path) == before


def test_write_errors_are_translated() -> None:
    assert isinstance(
        storage.write_error(sqlite3.OperationalError("database or disk is full")), DiskFullError
    )
    assert isinstance(storage.write_error(OSError(28, "No space left on device")), DiskFullError)
    assert isinstance(
        storage.write_error(sqlite3.OperationalError("attempt to write a readonly database")),
        ReadOnlyDatabaseError,
    )
    assert "bezet" in str(storage.write_error(sqlite3.OperationalError("database is locked")))
    assert storage.write_error(sqlite3.OperationalError("no such table: x")) is None


def test_readonly_connections_can_read_a_backup(demo_db, tmp_path: Path) -> None:
    """Listing a backup on a write-protected stick works: no journal switch on read-only files."""
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    os.chmod(saved.path, 0o444)
    ro = open_database(saved.path, readonly=True, migrate=False)
    with ro.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Pupil)) == saved.pupils
    ro.dispose()

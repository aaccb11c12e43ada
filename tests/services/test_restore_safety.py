"""A restore never loses the database: it checks the space, builds a checked copy beside the
database and swaps only a complete copy in. On any failure the database stays at its path, byte for
byte, and the message says what happened (issue 14)."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop import backup as bk
from ib_desktop import storage
from ib_desktop.cli import main
from ib_desktop.models import Pupil
from tests.conftest import TODAY


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pupil_count(path: Path) -> int:
    # Read-write, so that closing removes SQLite's shared-memory file as the app would.
    db = storage.open_database(path)
    try:
        with db.session() as s:
            return s.scalar(sa.select(sa.func.count()).select_from(Pupil))
    finally:
        db.dispose()


def make_school(path: Path, pupils: int = 25) -> Path:
    from ib_desktop.demo import generate

    db = storage.open_database(path)
    generate(db, pupils=pupils, seed=11, today=TODAY)
    db.dispose()
    return path


def delete_pupils(path: Path, n: int) -> None:
    db = storage.open_database(path)
    with db.session() as s:
        for p in s.scalars(sa.select(Pupil).limit(n)).all():
            s.delete(p)
    db.dispose()


def leftovers(folder: Path) -> list[str]:
    """Anything a restore may leave behind by mistake: copies, half copies, moved-aside files."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if "terugzetten" in p.name or "beschadigd" in p.name or ".part" in p.name
    )


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """A small real disk (tmpfs); skipped where mounting is not allowed (not root, CI)."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        try:
            result = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                capture_output=True, timeout=10,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"mount niet beschikbaar: {exc}")
        if result.returncode != 0:
            pytest.skip(f"geen tmpfs: {result.stderr.decode(errors='replace').strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    filler = disk / "vulling.bin"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(0, free - leave))
    return filler


# ---------------------------------------------------------------------------- a real small disk
def test_restore_on_a_nearly_full_disk_keeps_the_database(
    tmp_path: Path, mount_tmpfs, no_terminal, capsys
) -> None:
    """The reported bug: the healthy database was taken for damaged, renamed and lost its place."""
    disk = mount_tmpfs("schijf", "3m")
    school = make_school(disk / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    delete_pupils(school, 3)
    after_edit = pupil_count(school)
    filler = fill(disk, leave=6 * 1024)
    before = digest(school)
    assert main(["restore", str(saved.path), "--yes", "--database", str(school)]) == 2
    err = capsys.readouterr().err
    assert "schijf is te vol" in err
    assert "niets veranderd" in err
    assert "Traceback" not in err
    assert digest(school) == before  # at its path, byte for byte
    assert leftovers(disk) == []  # not moved aside, no half copy
    # With room again the same restore works.
    filler.unlink()
    assert main(["restore", str(saved.path), "--yes", "--database", str(school)]) == 0
    assert pupil_count(school) == saved.pupils != after_edit


def test_restore_of_a_damaged_database_on_a_full_disk_keeps_it_in_place(
    tmp_path: Path, mount_tmpfs
) -> None:
    disk = mount_tmpfs("schijf", "3m")
    school = make_school(disk / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    fill(disk, leave=6 * 1024)
    before = digest(school)
    with pytest.raises(bk.BackupError, match="vol") as info:
        bk.restore_backup(saved.path, school, folder=tmp_path / "b", damaged=True)
    assert "op zijn plaats" in str(info.value)
    assert digest(school) == before
    assert leftovers(disk) == []


# ---------------------------------------------------------------------------- injected, everywhere
def full_beside(target: Path, monkeypatch: pytest.MonkeyPatch, *, after_bytes: int) -> list:
    """The disk fills up while a copy is written beside ``target`` (ENOSPC from the OS)."""
    real = storage.backup_sqlite
    calls: list[Path] = []

    def copy(src, dst, **kw):
        if Path(dst).parent != target.parent:
            return real(src, dst, **kw)
        calls.append(Path(dst))
        part = Path(str(dst) + ".part")
        part.write_bytes(b"SQLite format 3\x00" + b"\0" * after_bytes)  # half written ...
        raise OSError(errno.ENOSPC, "No space left on device", str(part))  # ... then full

    monkeypatch.setattr(storage.sqlite_files, "backup_sqlite", copy)
    monkeypatch.setattr(bk.making, "backup_sqlite", copy)
    return calls


@pytest.mark.parametrize("damaged", [False, True])
def test_injected_full_disk_while_copying_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    delete_pupils(school, 2)
    before = digest(school)
    calls = full_beside(school, monkeypatch, after_bytes=50_000)
    with pytest.raises(bk.BackupError) as info:
        bk.restore_backup(saved.path, school, folder=tmp_path / "b", damaged=damaged)
    message = str(info.value)
    assert "schijfruimte" in message
    assert "vol" in message
    assert "op zijn plaats" in message
    assert calls, "the copy beside the database was never started"
    assert digest(school) == before
    assert leftovers(school.parent) == []


def test_a_read_error_is_no_sign_of_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite cannot even open the file (e.g. no room for its shared-memory file): say so."""
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    real = storage.sqlite_files._connect_readonly

    def refuse(path: Path) -> sqlite3.Connection:
        if Path(path) == school:
            raise sqlite3.OperationalError("disk I/O error")
        return real(path)

    monkeypatch.setattr(storage.sqlite_files, "_connect_readonly", refuse)
    monkeypatch.setattr(
        bk.restoring, "make_backup", lambda *a, **k: pytest.fail("no safety copy needed")
    )
    before = digest(school)
    with pytest.raises(bk.BackupError, match="op zijn plaats") as info:
        bk.restore_backup(saved.path, school, folder=tmp_path / "b")
    assert "kon niet worden gelezen" in str(info.value)
    assert digest(school) == before
    assert leftovers(school.parent) == []


def test_too_little_space_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    before = digest(school)
    monkeypatch.setattr(bk.restoring, "folder_free_space", lambda folder: 4096)
    with pytest.raises(bk.BackupError, match="te vol") as info:
        bk.restore_backup(saved.path, school, folder=tmp_path / "b")
    assert "4,0 kB vrij" in str(info.value)
    assert digest(school) == before
    assert [b.reason for b in bk.list_backups(tmp_path / "b", counts=False)] == [bk.MANUAL]


def test_a_copy_that_does_not_match_the_backup_is_never_swapped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    delete_pupils(school, 1)
    before = digest(school)
    real = bk.read_counts

    def off_by_one(path: Path) -> bk.Counts:
        counts = real(path)
        if path.parent == school.parent:  # the copy beside the database
            return bk.Counts(counts.pupils - 1, counts.interventions, 0, counts.opps)
        return counts

    monkeypatch.setattr(bk.restoring, "read_counts", off_by_one)
    with pytest.raises(bk.BackupError, match="andere aantallen"):
        bk.restore_backup(saved.path, school, folder=tmp_path / "b", damaged=True)
    assert digest(school) == before
    assert leftovers(school.parent) == []


def test_a_failing_swap_puts_the_damaged_database_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    before = digest(school)
    real = storage.sqlite_files.os.replace

    def no_swap(src, dst) -> None:
        if Path(src).name.endswith(".terugzetten"):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(storage.sqlite_files.os, "replace", no_swap)
    with pytest.raises(bk.BackupError, match="op zijn plaats"):
        bk.restore_backup(
            saved.path, school, folder=tmp_path / "b", damaged=True, now=datetime(2026, 11, 18)
        )
    monkeypatch.undo()
    assert digest(school) == before
    assert leftovers(school.parent) == []


def test_restore_replaces_a_database_with_a_log_without_mixing_them(tmp_path: Path) -> None:
    """A write-ahead log beside the old file must not be replayed onto the restored one."""
    school = make_school(tmp_path / "db" / "school.sqlite")
    saved = bk.make_backup(school, tmp_path / "b", reason=bk.MANUAL)
    db = storage.open_database(school)
    with db.session() as s:  # a save that is still in the log while the app is open
        for p in s.scalars(sa.select(Pupil).limit(4)).all():
            s.delete(p)
    result = bk.restore_backup(saved.path, db, folder=tmp_path / "b")
    assert storage.file_integrity_problems(school) == []
    assert pupil_count(school) == saved.pupils
    assert result.safety_backup is not None
    assert bk.describe(result.safety_backup).pupils == saved.pupils - 4  # the log was kept


def test_a_killed_restore_leaves_no_copy_at_the_next_start(tmp_path: Path) -> None:
    school = make_school(tmp_path / "school.sqlite")
    staged = storage.staged_restore_path(school)
    shutil.copyfile(school, staged)  # a restore killed just before its swap
    db = storage.open_database(school, lock=True)
    try:
        assert not staged.exists()
    finally:
        db.dispose()

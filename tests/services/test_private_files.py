"""The database, its backups, the recovery store and the app's folders are the user's alone
(0600 files, 0700 folders on POSIX), and a killed backup leaves no copy of the data behind
(issue 14)."""

from __future__ import annotations

import os
import stat
import threading
from datetime import datetime
from pathlib import Path

import pytest

from ib_desktop import backup as bk
from ib_desktop.recovery import RecoveryStore, default_recovery_dir
from ib_desktop.storage import default_database_path, open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Windows: the user's profile protects")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _open_umask() -> None:
    """A common umask that lets everyone read new files: the app must not rely on a strict one."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_and_its_folder_are_private() -> None:
    path = default_database_path()
    assert not path.parent.exists()
    db = open_database(None)
    try:
        assert db.path == path
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700  # ~/.local/share/ib-desktop
        with db.engine.connect() as conn:  # the journal files SQLite makes while it is open
            conn.exec_driver_sql("SELECT count(*) FROM schools").scalar()
            for extra in ("-wal", "-shm"):
                journal = Path(str(path) + extra)
                assert journal.exists()
                assert mode(journal) == 0o600, extra
    finally:
        db.dispose()


def test_a_database_in_a_new_folder_of_the_users_choice(tmp_path: Path) -> None:
    path = tmp_path / "nieuw" / "map" / "school.sqlite"
    os.chmod(tmp_path, 0o755)
    open_database(path).dispose()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert mode(tmp_path) == 0o755  # a folder that was there is left as the user made it


def test_backups_and_their_folder_are_private(demo_db) -> None:
    info = bk.make_backup(demo_db, reason=bk.MANUAL)
    assert info.path.parent == bk.default_backup_folder()
    assert mode(info.path) == 0o600
    assert mode(info.path.parent) == 0o700


def test_a_restored_database_is_private(demo_db, tmp_path: Path) -> None:
    saved = bk.make_backup(demo_db, tmp_path / "b", reason=bk.MANUAL)
    os.chmod(saved.path, 0o644)  # a copy from a colleague's stick
    result = bk.restore_backup(saved.path, demo_db, folder=tmp_path / "b")
    assert mode(result.target) == 0o600
    assert mode(result.safety_backup) == 0o600


def test_the_recovery_store_is_private(tmp_path: Path) -> None:
    store = RecoveryStore(f"sqlite:///{tmp_path / 'school.sqlite'}")
    store.put("pupil:1", "Sanne Jansen", {"notes": "half getypt"})
    [entry] = store.folder.iterdir()
    assert mode(entry) == 0o600
    assert mode(store.folder) == 0o700
    assert mode(default_recovery_dir()) == 0o700


def test_the_backup_settings_file_is_private(tmp_path: Path) -> None:
    bk.set_backup_folder(tmp_path / "stick")
    assert mode(bk.config_path()) == 0o600
    assert mode(bk.config_path().parent) == 0o700


# ---------------------------------------------------------------------------- killed backups
def leftover(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / (bk.backup_name("demo", datetime(2026, 11, 18, 9), bk.AUTO) + ".part-check")
    part.write_bytes(b"SQLite format 3\x00" + b"leerlingen " * 1000)  # a full copy of the data
    (folder / (part.name + ".part")).write_bytes(b"half")
    return part


def test_a_killed_backups_copy_is_removed_at_the_next_backup(demo_db) -> None:
    folder = bk.default_backup_folder()
    part = leftover(folder)
    bk.make_backup(demo_db)  # what the app does right after it opens a database
    assert not part.exists()
    assert [p.name for p in folder.iterdir() if ".part" in p.name] == []


def test_leftovers_are_cleaned_when_nobody_is_writing(tmp_path: Path) -> None:
    part = leftover(tmp_path / "b")
    removed = bk.clean_leftovers(tmp_path / "b")
    assert part in removed
    assert not list((tmp_path / "b").iterdir())


def test_a_backup_being_written_is_never_taken_for_a_leftover(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    part = leftover(folder)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:  # another backup into the same folder, still busy
        lock = bk.folder_lock(folder)
        with lock:
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        assert bk.clean_leftovers(folder) == []
        assert part.exists()
    finally:
        release.set()
        thread.join()
    assert part in bk.clean_leftovers(folder)


def test_a_backup_waits_for_another_one_in_the_same_folder_then_says_so(
    demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    monkeypatch.setattr(bk.making, "FOLDER_LOCK_WAIT", 0.2)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with bk.folder_lock(folder):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(bk.BackupError, match="al een back-up"):
            bk.make_backup(demo_db, folder)
    finally:
        release.set()
        thread.join()
    assert bk.make_backup(demo_db, folder).path.exists()


def test_the_apps_own_folders_from_an_older_version_are_tightened(demo_db) -> None:
    from ib_desktop.storage import default_data_dir

    data = default_data_dir()
    data.mkdir(parents=True)
    os.chmod(data, 0o755)
    backups = bk.default_backup_folder()
    backups.mkdir()
    os.chmod(backups, 0o755)
    open_database(None).dispose()
    bk.make_backup(demo_db)
    assert mode(data) == 0o700
    assert mode(backups) == 0o700

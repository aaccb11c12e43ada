"""The first paint of an encrypted (SQLCipher) file, and the Argon2id cost of its key slots.

Once the password is known (the environment, or a key unlocked earlier in the process) the quick
reader reads the first rows through ``sqlcipher3`` with the raw key, as it reads a plain file
with ``sqlite3``: read-only, without SQLAlchemy. Without a password, or with a wrong one or a
wrong key, it answers None (the normal path asks or explains) and writes nothing.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from ib_desktop import key_memory, storage
from ib_desktop.quick_list import quick_pupil_list, read_pupil_list
from ib_desktop.storage import keys
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "school-wachtwoord-1"
CHEAP = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(keys, "DEFAULT_PARAMS", CHEAP)
    for name in (keys.PASSWORD_ENV, keys.UNLOCK_ENV):
        monkeypatch.delenv(name, raising=False)
    keys.forget_all()
    yield
    keys.forget_all()


@pytest.fixture
def plain_and_encrypted(demo_db, tmp_path: Path) -> tuple[Path, Path]:
    """The demo school as a plain file and as an encrypted copy, both closed."""
    demo_db.dispose()
    plain = demo_db.path
    encrypted = tmp_path / "versleuteld" / "demo.sqlite"
    encrypted.parent.mkdir()
    encrypted.write_bytes(plain.read_bytes())
    storage.encrypt_file(encrypted, keys.new_key(PASSWORD))
    keys.forget_all()  # as a new process: nothing unlocked, nothing bound
    return plain, encrypted


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file in the database's folder (the file, its key file, any log), by name."""
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def without_lock_and_shm(files: dict[str, bytes]) -> dict[str, bytes]:
    """Without what holds no data: the lock file, SQLite's shared-memory index and an empty
    write-ahead log (a read-only look at a WAL file may leave them, as for a plain file)."""
    return {
        k: v
        for k, v in files.items()
        if not k.endswith((".lock", "-shm")) and not (k.endswith("-wal") and v == b"")
    }


def test_an_encrypted_file_paints_the_same_rows_with_the_password(
    plain_and_encrypted, monkeypatch
) -> None:
    plain, encrypted = plain_and_encrypted
    expected = read_pupil_list(plain, today=TODAY)
    assert expected is not None
    before = snapshot(encrypted)
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    found = quick_pupil_list(str(encrypted), today=TODAY)
    assert found is not None
    try:
        assert (found.school_id, found.data) == expected
        assert len(found.data.rows) > 100
        with pytest.raises(storage.DatabaseLockedError):
            storage.instance_lock(encrypted)  # the lock is held for the normal open
    finally:
        found.lock.release()
    assert without_lock_and_shm(snapshot(encrypted)) == without_lock_and_shm(before)
    # The key stays in this process's memory for the normal open (no second Argon2 run) ...
    key_id = json.loads(keys.key_file_path(encrypted).read_text())["key_id"]
    assert key_memory.UNLOCKED[key_id] == keys.unlocked_key(encrypted)
    # ... and neither it nor the password was written anywhere.
    written = b"".join(without_lock_and_shm(snapshot(encrypted)).values())
    assert key_memory.UNLOCKED[key_id].hex().encode() not in written
    assert PASSWORD.encode() not in written


def test_a_key_unlocked_before_is_used_without_a_password(plain_and_encrypted) -> None:
    """The password dialog unlocks the key; the quick read then needs no password."""
    _plain, encrypted = plain_and_encrypted
    assert quick_pupil_list(str(encrypted), today=TODAY) is None  # nobody gave it yet
    storage.instance_lock(encrypted).release()  # and the lock was let go
    keys.unlock(encrypted, PASSWORD)
    found = quick_pupil_list(str(encrypted), today=TODAY)
    assert found is not None
    found.lock.release()
    assert len(found.data.rows) > 100


def test_a_wrong_password_falls_back_without_writing(plain_and_encrypted, monkeypatch) -> None:
    _plain, encrypted = plain_and_encrypted
    before = snapshot(encrypted)
    monkeypatch.setenv(keys.PASSWORD_ENV, "niet-het-wachtwoord")
    assert quick_pupil_list(str(encrypted), today=TODAY) is None
    assert snapshot(encrypted) == before
    assert key_memory.UNLOCKED == {}
    storage.instance_lock(encrypted).release()
    with pytest.raises(keys.WrongPasswordError):  # the normal path says so, in Dutch
        storage.open_database(encrypted)


def test_a_wrong_key_falls_back_without_a_crash_or_writing(plain_and_encrypted) -> None:
    """A key in memory that does not fit the file (SQLCipher: "file is not a database")."""
    _plain, encrypted = plain_and_encrypted
    key_id = json.loads(keys.key_file_path(encrypted).read_text())["key_id"]
    before = without_lock_and_shm(snapshot(encrypted))
    keys.remember(key_id, secrets.token_bytes(keys.KEY_BYTES))
    assert quick_pupil_list(str(encrypted), today=TODAY) is None
    assert without_lock_and_shm(snapshot(encrypted)) == before
    storage.instance_lock(encrypted).release()  # not left holding the lock


def test_a_damaged_key_file_falls_back(plain_and_encrypted, monkeypatch) -> None:
    _plain, encrypted = plain_and_encrypted
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    keys.key_file_path(encrypted).write_text('{"key_id": "x", "slots": [{"type": 1}]}')
    before = snapshot(encrypted)
    assert quick_pupil_list(str(encrypted), today=TODAY) is None
    assert snapshot(encrypted) == before


def test_the_encrypted_first_paint_loads_neither_sqlalchemy_nor_the_models(
    plain_and_encrypted,
) -> None:
    _plain, encrypted = plain_and_encrypted
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sqlalchemy' or name.startswith(('sqlalchemy.', 'alembic')):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from datetime import date\n"
        "from ib_desktop.quick_list import quick_pupil_list\n"
        f"today = date.fromisoformat({TODAY.isoformat()!r})\n"
        f"q = quick_pupil_list({str(encrypted)!r}, today=today)\n"
        "print(len(q.data.rows), 'ib_desktop.storage' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), IB_DESKTOP_PASSWORD=PASSWORD)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    count, storage_loaded = result.stdout.split()
    assert int(count) > 50
    assert storage_loaded == "False"


# ---------------------------------------------------------------------------- Argon2id cost
def test_new_slots_get_the_owasp_parameters(tmp_path, monkeypatch) -> None:
    monkeypatch.undo()  # the real defaults
    new = keys.new_key(PASSWORD)
    assert {s.type: s.params for s in new.key_file.slots} == {
        keys.SCHOOL: {"time_cost": 2, "memory_cost": 19456, "parallelism": 1},
        keys.RECOVERY: {"time_cost": 2, "memory_cost": 19456, "parallelism": 1},
    }


def test_a_slot_with_the_old_parameters_still_opens(tmp_path, monkeypatch) -> None:
    """Key files written with 64 MiB, 3 passes, 4 lanes keep working (parameters per slot)."""
    db = tmp_path / "oud.sqlite"
    monkeypatch.setattr(keys, "DEFAULT_PARAMS", keys.RFC9106_PARAMS)
    old = keys.new_key(PASSWORD)
    keys.write_key_file(db, old.key_file)
    monkeypatch.setattr(keys, "DEFAULT_PARAMS", CHEAP)  # what this version writes now
    keys.forget_all()
    stored = json.loads(keys.key_file_path(db).read_text())["slots"]
    assert [s["params"] for s in stored] == [keys.RFC9106_PARAMS] * 2
    assert keys.unlock(db, PASSWORD) == old.key
    keys.forget_all()
    assert keys.unlock(db, old.recovery_key.lower()) == old.key
    # A colleague added later gets the new parameters beside the old slots.
    keys.add_slot(db, "juf.anna", "anna-wachtwoord")
    stored = json.loads(keys.key_file_path(db).read_text())["slots"]
    assert [s["params"] for s in stored] == [keys.RFC9106_PARAMS] * 2 + [CHEAP]
    keys.forget_all()
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(db, "niet-het-wachtwoord")

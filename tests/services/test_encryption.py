"""Encrypted at rest (issue 19): the database, its backups and the recovery store are SQLCipher
files or encrypted entries, no pupil's name in plain bytes; a wrong password changes nothing;
converting a plain file; the key per person (add, remove, the recovery key)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop import backup as bk
from ib_desktop.cli import main
from ib_desktop.models import Pupil
from ib_desktop.recovery import RecoveryStore
from ib_desktop.storage import NotOurDatabaseError, keys, open_database

PASSWORD = "school-wachtwoord-1"


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch: pytest.MonkeyPatch):
    """Cheap Argon2 (the cost is stored per slot, so the code path is the same) and no key left
    unlocked from another test."""
    monkeypatch.setattr(
        keys, "DEFAULT_PARAMS", {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    )
    monkeypatch.delenv(keys.PASSWORD_ENV, raising=False)
    monkeypatch.delenv("IB_DESKTOP_RECOVERY_KEY", raising=False)
    keys.forget_all()
    yield
    keys.forget_all()


def last_names(db) -> list[str]:
    with db.session() as s:
        return [n for n in s.scalars(sa.select(Pupil.last_name)) if len(n) >= 5][:5]


def table_counts(con) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if not r[0].startswith("sqlite_")
    ]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def assert_unreadable(path: Path, names: list[str]) -> None:
    """Not a SQLite file to anyone without the key, and no name in its bytes."""
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()
    assert_no_names(path, names)


def assert_no_names(path: Path, names: list[str]) -> None:
    data = path.read_bytes()
    assert data
    for name in names:
        assert name.encode("utf-8") not in data, (path.name, name)


@pytest.fixture
def converted(demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """The demo school converted with ``ib-desktop encrypt``: (path, names, counts, output)."""
    names = last_names(demo_db)
    assert names
    path = demo_db.path
    demo_db.dispose()
    con = sqlite3.connect(path)
    counts = table_counts(con)
    con.close()
    assert any(n.encode() in path.read_bytes() for n in names)  # plain before
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    pdf = tmp_path / "herstelsleutel.pdf"
    assert main(["encrypt", "--database", str(path), "--recovery-key-pdf", str(pdf)]) == 0
    out = capsys.readouterr().out
    monkeypatch.delenv(keys.PASSWORD_ENV)
    keys.forget_all()
    return path, names, counts, out


def recovery_code(out: str) -> str:
    match = re.search(r"\b([A-Z2-7]{5}(?:-[A-Z2-7]{5}){7})\b", out)
    assert match, out
    return match.group(1)


def test_converting_keeps_every_row_and_the_original_as_a_backup(converted) -> None:
    path, names, counts, out = converted
    assert_unreadable(path, names)
    assert not Path(str(path) + "-wal").exists()
    assert keys.key_file_path(path).stat().st_mode & 0o077 == 0
    [original] = [b for b in bk.list_backups(stem="demo", counts=False)
                  if b.reason == "voor-versleutelen"]  # fmt: skip
    con = sqlite3.connect(original.path)  # the original: plain, as it was
    assert table_counts(con) == counts
    con.close()
    keys.unlock(path, PASSWORD)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert table_counts(conn.connection.driver_connection) == counts
    finally:
        db.dispose()
    assert "versleuteld" in out


def test_info_says_who_can_open_it(converted, capsys) -> None:
    path, _names, _counts, _out = converted
    keys.unlock(path, PASSWORD)
    keys.add_slot(path, "Anna de Vries", "anna-eigen-wachtwoord")
    assert main(["info", "--database", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Versleuteld:   ja" in out
    assert "school, Anna de Vries en de herstelsleutel" in out


def test_backups_wal_and_recovery_store_hold_no_name(converted, tmp_path: Path) -> None:
    path, names, _counts, _out = converted
    keys.unlock(path, PASSWORD)
    db = open_database(path)
    try:
        with db.session() as s:  # a save: the write-ahead log gets pages
            pupil = s.scalars(sa.select(Pupil).where(Pupil.last_name == names[0])).first()
            pupil.first_name = pupil.first_name + "x"
        wal = Path(str(path) + "-wal")
        assert wal.exists()
        assert wal.stat().st_size > 0
        assert_no_names(wal, names)
        info = bk.make_backup(db, reason=bk.MANUAL)
        store = RecoveryStore(str(db.url), root=tmp_path / "herstel", key=db.encryption_key)
        store.put("pupil:1", f"Leerling {names[1]}", {"achternaam": names[2], "notitie": "é"})
        assert store.get("pupil:1").payload == {"achternaam": names[2], "notitie": "é"}
    finally:
        db.dispose()
    assert_unreadable(info.path, names)
    assert keys.key_file_path(info.path).exists()  # the key file travels with the backup
    [entry] = (tmp_path / "herstel").rglob("*.json")
    assert_no_names(entry, names)
    assert b"notitie" not in entry.read_bytes()
    assert bk.verify_backup(info.path).pupils > 0


def test_a_wrong_password_changes_nothing(converted, monkeypatch, capsys) -> None:
    path, _names, _counts, _out = converted
    files = [path, keys.key_file_path(path)]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    monkeypatch.setenv(keys.PASSWORD_ENV, "niet-het-wachtwoord")
    assert main(["pupils", "--database", str(path)]) == 2
    assert "Het wachtwoord klopt niet" in capsys.readouterr().err
    assert main(["demo", "--pupils", "3", "--force", "--database", str(path)]) == 2
    with pytest.raises(keys.WrongPasswordError, match="klopt niet"):
        keys.unlock(path, "ook-niet-goed")
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == before
    assert not Path(str(path) + "-wal").exists()


def test_without_a_password_a_command_asks_for_one(converted, capsys) -> None:
    path, _names, _counts, _out = converted
    assert main(["pupils", "--database", str(path)]) == 2
    assert "versleuteld" in capsys.readouterr().err


def test_adding_and_removing_a_person(converted) -> None:
    path, _names, _counts, _out = converted
    keys.add_slot(path, "Anna de Vries", "anna-eigen-wachtwoord", unlock_with=PASSWORD)
    keys.add_slot(path, "Bram", "bram-eigen-wachtwoord", unlock_with="anna-eigen-wachtwoord")
    assert ("account", "Anna de Vries") in keys.slots(path)
    keys.forget_all()
    keys.unlock(path, "bram-eigen-wachtwoord")
    open_database(path).dispose()
    assert keys.remove_slot(path, "Bram")
    keys.forget_all()
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(path, "bram-eigen-wachtwoord")
    with pytest.raises(keys.PasswordNeededError):
        open_database(path)
    keys.unlock(path, "anna-eigen-wachtwoord")  # the others keep their own password
    keys.forget_all()
    keys.change_password(path, "Anna de Vries", "anna-nieuw-123", unlock_with=PASSWORD)
    keys.forget_all()
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(path, "anna-eigen-wachtwoord")
    keys.unlock(path, "anna-nieuw-123")


def test_the_recovery_key_sets_a_new_password(converted, monkeypatch, capsys) -> None:
    path, _names, _counts, out = converted
    code = recovery_code(out)
    key_file = keys.key_file_path(path).read_bytes()
    monkeypatch.setenv("IB_DESKTOP_RECOVERY_KEY", "AAAAA-" * 7 + "AAAAA")
    monkeypatch.setenv(keys.PASSWORD_ENV, "nieuw-wachtwoord-2")
    assert main(["unlock", "--recovery-key", "--database", str(path)]) == 2
    assert "herstelsleutel klopt niet" in capsys.readouterr().err
    assert keys.key_file_path(path).read_bytes() == key_file
    monkeypatch.setenv("IB_DESKTOP_RECOVERY_KEY", code.lower().replace("-", " "))
    assert main(["unlock", "--recovery-key", "--database", str(path)]) == 0
    monkeypatch.delenv(keys.PASSWORD_ENV)
    keys.forget_all()
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(path, PASSWORD)
    keys.unlock(path, "nieuw-wachtwoord-2")
    keys.forget_all()
    keys.unlock(path, code)  # the recovery key itself opens it too


def test_the_recovery_key_pdf(converted, tmp_path: Path) -> None:
    from pypdf import PdfReader

    _path, _names, _counts, out = converted
    pdf = tmp_path / "herstelsleutel.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert recovery_code(out) in "".join(text.split())
    assert pdf.stat().st_mode & 0o077 == 0


def test_restoring_an_encrypted_backup(converted, tmp_path: Path, monkeypatch) -> None:
    path, names, _counts, _out = converted
    keys.unlock(path, PASSWORD)
    db = open_database(path)
    good = bk.make_backup(db, reason=bk.MANUAL)
    with db.session() as s:
        s.execute(sa.delete(Pupil).where(Pupil.last_name == names[0]))
    db.dispose()
    assert bk.verify_backup(path).pupils < good.counts.pupils
    result = bk.restore_backup(good.path, path)
    assert result.counts == good.counts
    assert bk.verify_backup(path) == good.counts
    assert_unreadable(path, names)
    # Another laptop: nothing unlocked, the backup and its key file only.
    keys.forget_all()
    elsewhere = tmp_path / "nieuwe-laptop" / "ib-desktop.sqlite"
    elsewhere.parent.mkdir()
    with pytest.raises(keys.PasswordNeededError):
        bk.restore_backup(good.path, elsewhere)
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    bk.restore_backup(good.path, elsewhere)
    assert keys.key_file_path(elsewhere).exists()
    keys.forget_all()
    monkeypatch.delenv(keys.PASSWORD_ENV)
    keys.unlock(elsewhere, PASSWORD)
    assert bk.verify_backup(elsewhere) == good.counts
    assert_unreadable(elsewhere, names)


def test_init_and_demo_encrypt(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    school = tmp_path / "school.sqlite"
    init = ["init", "--school", "OBS Versleuteld", "--encrypt", "--database", str(school)]
    assert main(init) == 0
    assert recovery_code(capsys.readouterr().out)
    assert_unreadable(school, ["OBS Versleuteld"])
    demo = tmp_path / "demo.sqlite"
    assert main(["demo", "--pupils", "6", "--encrypt", "--database", str(demo)]) == 0
    keys.forget_all()
    keys.unlock(demo, PASSWORD)
    db = open_database(demo)
    names = last_names(db)
    db.dispose()
    assert_unreadable(demo, names)
    first = bk.verify_backup(demo).pupils
    old_key_file = keys.key_file_path(demo).read_bytes()
    assert main(["demo", "--pupils", "4", "--encrypt", "--force", "--database", str(demo)]) == 0
    assert keys.key_file_path(demo).read_bytes() != old_key_file  # a renewed demo: a new key
    keys.forget_all()
    keys.unlock(demo, PASSWORD)
    assert bk.verify_backup(demo).pupils < first  # the new, smaller demo
    plain = tmp_path / "gewoon.sqlite"
    assert main(["init", "--school", "OBS Gewoon", "--database", str(plain)]) == 0
    capsys.readouterr()
    assert main(["init", "--school", "OBS", "--encrypt", "--database", str(plain)]) == 2
    assert "ib-desktop encrypt" in capsys.readouterr().err


def test_a_short_password_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(keys.PASSWORD_ENV, "kort")
    school = tmp_path / "school.sqlite"
    assert main(["init", "--school", "OBS", "--encrypt", "--database", str(school)]) == 2
    assert "minstens 8 tekens" in capsys.readouterr().err
    assert not keys.key_file_path(school).exists()


def test_encrypt_on_postgresql_says_it_is_a_file_feature(pg_url: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv(keys.PASSWORD_ENV, PASSWORD)
    assert main(["init", "--school", "OBS Gedeeld", "--encrypt", "--database", pg_url]) == 0
    assert "alleen voor een database-bestand" in capsys.readouterr().err
    assert main(["encrypt", "--database", pg_url]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_without_its_key_file_the_database_is_refused_untouched(converted, tmp_path) -> None:
    path, _names, _counts, _out = converted
    moved = tmp_path / "elders.keys"
    keys.key_file_path(path).rename(moved)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(NotOurDatabaseError, match="sleutelbestand 'demo.sqlite.keys'"):
        open_database(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_users_get_their_own_key_slot(converted, monkeypatch, capsys) -> None:
    path, _names, _counts, _out = converted
    db_arg = ["--database", str(path)]
    monkeypatch.setenv("IB_DESKTOP_UNLOCK_PASSWORD", PASSWORD)
    monkeypatch.setenv(keys.PASSWORD_ENV, "anna-wachtwoord-1")
    assert main(["users", "add", "--login", "anna", "--role", "beheer", *db_arg]) == 0
    monkeypatch.setenv(keys.PASSWORD_ENV, "bram-wachtwoord-1")
    assert main(["users", "add", "--login", "bram", "--role", "ib", *db_arg]) == 0
    assert ("account", "bram") in keys.slots(path)
    keys.forget_all()
    keys.unlock(path, "bram-wachtwoord-1")
    monkeypatch.setenv(keys.PASSWORD_ENV, "anna-nieuw-wachtwoord")
    assert main(["users", "password", "anna", *db_arg]) == 0
    assert main(["users", "disable", "bram", *db_arg]) == 0, capsys.readouterr().err
    keys.forget_all()
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(path, "bram-wachtwoord-1")
    with pytest.raises(keys.WrongPasswordError):
        keys.unlock(path, "anna-wachtwoord-1")
    keys.unlock(path, "anna-nieuw-wachtwoord")

"""``ib-desktop backup`` and ``ib-desktop restore`` on the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop import backup as bk
from ib_desktop.cli import main
from ib_desktop.models import Pupil
from ib_desktop.storage import instance_lock, open_database


def pupil_count(path: Path) -> int:
    db = open_database(path)
    try:
        with db.session() as s:
            return s.scalar(sa.select(sa.func.count()).select_from(Pupil))
    finally:
        db.dispose()


@pytest.fixture
def school(demo_db) -> Path:
    demo_db.dispose()
    return demo_db.path


@pytest.fixture
def no_terminal(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_backup_goes_to_the_backup_folder_and_says_so(school, capsys) -> None:
    assert main(["backup", "--database", str(school)]) == 0
    out = capsys.readouterr().out
    [made] = bk.list_backups(bk.backup_folder())
    assert str(made.path) in out
    assert f"{made.pupils} leerlingen" in out
    assert f"{made.documents} documenten" in out
    assert made.kind == "handmatig"


def test_backup_to_a_chosen_folder_and_list(school, tmp_path, capsys) -> None:
    stick = tmp_path / "stick"
    assert main(["backup", "--to", str(stick), "--database", str(school)]) == 0
    assert main(["backup", "--list", "--to", str(stick), "--database", str(school)]) == 0
    out = capsys.readouterr().out
    [made] = bk.list_backups(stick)
    assert made.path.name in out
    assert "handmatig" in out
    assert str(made.pupils) in out
    assert "november" in out or made.created.strftime("%Y") in out


def test_set_folder(tmp_path, capsys) -> None:
    assert main(["backup", "--set-folder", str(tmp_path / "nas")]) == 0
    assert bk.backup_folder() == (tmp_path / "nas").resolve()
    assert main(["backup", "--set-folder", "standaard"]) == 0
    assert bk.backup_folder() == bk.default_backup_folder()


def test_backup_of_a_server_database_is_explained(capsys) -> None:
    assert main(["backup", "--database", "postgresql+psycopg://ib@localhost/school"]) == 2
    err = capsys.readouterr().err
    assert "server" in err
    assert "Traceback" not in err


def test_backup_on_postgresql_names_who_makes_them(pg_url: str, capsys) -> None:
    """A real server with a password: the app points at pg_dump by the IT partner, no secret."""
    import sqlalchemy as sa

    assert main(["init", "--school", "OBS Gedeeld", "--database", pg_url]) == 0
    capsys.readouterr()
    for command in (["backup"], ["backup", "--list"], ["restore", "--list"]):
        assert main([*command, "--database", pg_url]) == 2, command
        out = capsys.readouterr()
        assert "pg_dump" in out.err, command
        assert "IT-partner" in out.err
        assert sa.make_url(pg_url).password not in out.out + out.err


def test_restore_refuses_without_terminal_and_without_yes(school, no_terminal, capsys) -> None:
    main(["backup", "--database", str(school)])
    before = school.read_bytes()
    assert main(["restore", "--latest", "--database", str(school)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert school.read_bytes() == before


def test_restore_latest_with_yes_brings_back_the_counts(school, no_terminal, capsys) -> None:
    main(["backup", "--database", str(school)])
    original = pupil_count(school)
    db = open_database(school)
    with db.session() as s:
        for p in s.scalars(sa.select(Pupil).limit(7)).all():
            s.delete(p)
    db.dispose()
    assert pupil_count(school) == original - 7
    capsys.readouterr()
    assert main(["restore", "--latest", "--yes", "--database", str(school)]) == 0
    out = capsys.readouterr().out
    assert f"{original} leerlingen" in out
    assert "bewaard als" in out
    assert pupil_count(school) == original
    kinds = sorted(b.kind for b in bk.list_backups(bk.backup_folder()))
    assert kinds == ["handmatig", "vóór terugzetten"]


def test_restore_asks_on_a_terminal(school, monkeypatch, capsys) -> None:
    main(["backup", "--database", str(school)])
    [made] = bk.list_backups(bk.backup_folder(), counts=False)
    monkeypatch.setattr("sys.stdin", FakeTty())
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["restore", str(made.path), "--database", str(school)]) == 1
    assert "Niets veranderd" in capsys.readouterr().out
    assert len(bk.list_backups(bk.backup_folder(), counts=False)) == 1  # not even a safety copy
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    assert main(["restore", str(made.path), "--database", str(school)]) == 0
    assert "Teruggezet" in capsys.readouterr().out


def test_restore_refuses_while_the_app_has_the_database_open(school, no_terminal, capsys) -> None:
    main(["backup", "--database", str(school)])
    lock = instance_lock(school)
    try:
        assert main(["restore", "--latest", "--yes", "--database", str(school)]) == 2
    finally:
        lock.release()
    assert "Sluit het programma" in capsys.readouterr().err


def test_restore_needs_a_file_or_latest(school, capsys) -> None:
    assert main(["restore", "--database", str(school)]) == 2
    assert "--latest" in capsys.readouterr().err
    assert main(["restore", "geen-bestand.sqlite", "--yes", "--database", str(school)]) == 2
    assert "bestaat niet" in capsys.readouterr().err


def test_restore_list(school, capsys) -> None:
    main(["backup", "--database", str(school)])
    capsys.readouterr()
    assert main(["restore", "--list", "--database", str(school)]) == 0
    out = capsys.readouterr().out
    assert "Leerlingen" in out
    assert "handmatig" in out


def test_newer_database_gets_a_clear_message(school, capsys) -> None:
    import sqlite3

    con = sqlite3.connect(school)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    assert main(["info", "--database", str(school)]) == 2
    err = capsys.readouterr().err
    assert "nieuwere versie" in err
    assert "Traceback" not in err

"""Every command opens its database as the app does (issue 14): a damaged file is refused by all
of them and left as it is, a file the app has open is refused by every command that writes, and
what goes wrong reaches the terminal in Dutch, without SQL, pupils' data or a traceback.

The commands are enumerated from ``ib_desktop.cli.COMMANDS``: a new command fails these tests
until it is listed here as writing or reading, with the arguments that make it work.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from ib_desktop import backup as bk
from ib_desktop.cli import COMMANDS, main
from ib_desktop.storage import instance_lock

CSV = "leerlingnummer;achternaam;roepnaam;geboortedatum;groep\n9001;Jansen;Sanne;12-03-2017;5A\n"

#: Every command, with arguments that make it do its work on ``{db}``. Writers change the database.
WRITERS = {
    "init": ["init", "--school", "OBS Nieuw"],
    "import": ["import", "{csv}"],
    "demo": ["demo", "--pupils", "5", "--force"],
    "restore": ["restore", "--latest", "--yes"],
    "holidays": ["holidays", "update", "--apply"],
    "encrypt": ["encrypt"],
    "unlock": ["unlock", "--recovery-key"],
    "users": ["users", "add", "--login", "nieuw1", "--role", "beheer"],
    "inzage": ["inzage", "--pupil", "1", "-o", "{out}/inzage.zip"],
    "retention": ["retention", "--apply", "--yes"],
}
READERS = {
    "info": ["info"],
    "pupils": ["pupils"],
    "print": ["print", "group", "-o", "{out}/groepen.pdf"],
    "agenda": ["agenda"],
    "figures": ["figures"],
    "deadlines": ["deadlines"],
    "backup": ["backup"],
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wreck(path: Path) -> None:
    """Damage a few pages near the end, as a failing disk would: the file still opens and its
    schema reads fine, only SQLite's integrity check (the app's check at start) sees it."""
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages - 30, pages - 25):
        data[page * 4096 + 8 : page * 4096 + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def argv(name: str, db: Path, tmp_path: Path) -> list[str]:
    csv = tmp_path / "export.csv"
    csv.write_text(CSV, encoding="utf-8")
    (tmp_path / "uit").mkdir(exist_ok=True)
    words = (WRITERS | READERS)[name]
    return [w.format(csv=csv, out=tmp_path / "uit") for w in words] + ["--database", str(db)]


def test_every_command_is_listed() -> None:
    assert set(WRITERS) | set(READERS) == set(COMMANDS)
    assert not set(WRITERS) & set(READERS)


@pytest.fixture
def school(demo_db) -> Path:
    demo_db.dispose()
    return demo_db.path


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", "wachtwoord-voor-scripts")  # users add
    monkeypatch.setattr(
        "ib_desktop.ui.app.run_gui", lambda *a, **k: pytest.fail("the app must not start")
    )


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"restore"}))
def test_a_damaged_database_is_refused_by_every_command(
    name: str, school: Path, tmp_path: Path, capsys
) -> None:
    bk.make_backup(school, reason=bk.MANUAL)  # so that "restore" would have something
    wreck(school)
    before = digest(school)
    assert main(argv(name, school, tmp_path)) == 2
    err = capsys.readouterr().err
    assert "beschadigd" in err
    assert "Traceback" not in err
    assert digest(school) == before
    assert not list(school.parent.glob("*.beschadigd-*"))


def test_restore_repairs_a_damaged_database_and_keeps_it(
    school: Path, tmp_path: Path, capsys
) -> None:
    good = bk.make_backup(school, reason=bk.MANUAL)
    wreck(school)
    before = digest(school)
    assert main(argv("restore", school, tmp_path)) == 0
    [aside] = school.parent.glob("demo.beschadigd-*.sqlite")
    assert digest(aside) == before
    assert bk.verify_backup(school).pupils == good.pupils
    assert "opzij gezet" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_database_open_in_the_app_is_refused_by_every_writing_command(
    name: str, school: Path, tmp_path: Path, capsys
) -> None:
    bk.make_backup(school, reason=bk.MANUAL)
    lock = instance_lock(school)  # the app has it open
    try:
        before = digest(school)
        assert main(argv(name, school, tmp_path)) == 2
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert "geopend" in err
    assert digest(school) == before


@pytest.mark.parametrize("name", sorted(READERS))
def test_reading_commands_work_while_the_app_has_the_database_open(
    name: str, school: Path, tmp_path: Path, capsys
) -> None:
    lock = instance_lock(school)
    try:
        assert main(argv(name, school, tmp_path)) == 0, capsys.readouterr().err
    finally:
        lock.release()


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"restore", "demo"}))
def test_another_apps_alembic_database_is_not_ours(
    name: str, tmp_path: Path, capsys
) -> None:
    """An Alembic table with an unknown revision and none of our tables: another program."""
    other = tmp_path / "ander.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES ('3f1c2a9d8e7b')")
    con.execute("CREATE TABLE facturen (nummer INTEGER)")
    con.commit()
    con.close()
    before = digest(other)
    assert main(argv(name, other, tmp_path)) == 2
    err = capsys.readouterr().err
    assert "geen IB Desktop-database" in err
    assert "nieuwere versie" not in err
    assert digest(other) == before


def test_a_missing_database_is_not_made_by_a_reading_command(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "tikfout.sqlite"
    for name in sorted(READERS):
        assert main(argv(name, missing, tmp_path)) == 2, name
        assert "bestaat niet" in capsys.readouterr().err
    assert not missing.exists()


# ---------------------------------------------------------------------------- messages
def test_info_and_init_never_print_a_password(pg_url: str, capsys) -> None:
    password = sa.make_url(pg_url).password
    assert password
    assert main(["init", "--school", "OBS Gedeeld", "--database", pg_url]) == 0
    assert main(["info", "--database", pg_url]) == 0
    out = capsys.readouterr()
    assert "OBS Gedeeld" in out.out
    assert password not in out.out + out.err
    assert "***" in out.out


def test_a_nul_byte_on_postgresql_prints_no_names_or_sql(
    pg_url: str, tmp_path: Path, capsys
) -> None:
    assert main(["init", "--school", "OBS Gedeeld", "--database", pg_url]) == 0
    export = tmp_path / "export.csv"
    export.write_bytes(
        b"leerlingnummer;achternaam;roepnaam;geboortedatum;groep\n"
        b"1;Jansen;Sanne;12-03-2017;5A\n"
        b"2;Vries;Da\x00an;01-02-2016;6B\n"
    )
    capsys.readouterr()
    code = main(["import", str(export), "--database", pg_url])
    err = capsys.readouterr().err
    if code == 0:
        pytest.skip("the importer removes the NUL character before saving")
    assert code == 2
    for secret in ("Jansen", "Sanne", "2017", "12-03", "INSERT", "SELECT", "[SQL", "parameters"):
        assert secret not in err, secret
    assert "Traceback" not in err
    assert "niets" in err


def test_a_driver_error_at_the_boundary_is_said_in_dutch(
    school: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A database error no command catches: a sentence, no statement, values or traceback."""
    import ib_desktop.commands.info as info

    def boom(args):
        raise sa.exc.IntegrityError(
            "INSERT INTO pupils (first_name, birth_date) VALUES (?, ?)",
            {"first_name": "Sanne", "birth_date": "2017-03-12"},
            sqlite3.IntegrityError("UNIQUE constraint failed: pupils.lvs_id"),
        )

    monkeypatch.setattr(info, "run", boom)
    assert main(["info", "--database", str(school)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: De gegevens botsen")
    for secret in ("Sanne", "2017", "INSERT", "pupils", "Traceback"):
        assert secret not in err, secret
    report = Path(err.split("De details staan in ")[1].split(" (alleen")[0])
    assert "Sanne" in report.read_text(encoding="utf-8")  # for whoever helps: kept private
    if os.name == "posix":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_a_full_disk_is_said_in_plain_dutch(
    school: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import errno

    import ib_desktop.commands.info as info

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(info, "run", full)
    assert main(["info", "--database", str(school)]) == 2
    err = capsys.readouterr().err
    assert "De schijf is vol" in err
    assert "Traceback" not in err
    assert "Errno" not in err


def test_a_read_only_folder_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: False if Path(p) == folder and m == os.W_OK else real(p, m)
    )
    assert main(["init", "--school", "X", "--database", str(folder / "nieuw.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "alleen-lezen" in err
    assert str(folder) in err
    assert not (folder / "nieuw.sqlite").exists()


def test_only_the_newest_error_reports_are_kept(
    school: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import ib_desktop.cli as cli
    import ib_desktop.commands.info as info

    monkeypatch.setattr(info, "run", lambda args: 1 / 0)
    for _ in range(cli.KEEP_ERROR_REPORTS + 3):
        assert main(["info", "--database", str(school)]) == 2
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err
    assert "Traceback" not in err
    folder = Path(err.strip().splitlines()[-1].split("De details staan in ")[1]).parent
    assert len(list(folder.glob("fout-*.txt"))) <= cli.KEEP_ERROR_REPORTS

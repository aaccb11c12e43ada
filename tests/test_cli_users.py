"""``ib-desktop users``: accounts from the command line, the password never on the terminal."""

from __future__ import annotations

import io

import psycopg
import pytest
import sqlalchemy as sa

from ib_desktop.cli import main

PASSWORD = "Zomer-2026-wachtwoord"


@pytest.fixture
def school(demo_db):
    demo_db.dispose()
    return str(demo_db.path)


def users(database: str, *words: str) -> int:
    return main(["users", *words, "--database", database])


def test_add_list_disable_and_password_with_the_environment(
    school: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD)
    assert users(school, "add", "--login", "hoofd", "--role", "beheer") == 0
    assert users(school, "add", "--login", "IBer", "--role", "ib") == 0
    assert users(school, "add", "--login", "dir", "--role", "directie") == 0
    assert users(school, "list") == 0
    out = capsys.readouterr()
    assert "Gebruiker 'iber' (intern begeleider) is toegevoegd." in out.out
    lines = out.out.splitlines()
    assert any(line.split()[:1] == ["iber"] and "actief" in line for line in lines)
    assert users(school, "disable", "iber") == 0
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD + "-nieuw")
    assert users(school, "password", "dir") == 0
    assert users(school, "list") == 0
    out = capsys.readouterr()
    assert "uitgeschakeld" in out.out
    assert PASSWORD not in out.out + out.err

    from ib_desktop.services import accounts
    from ib_desktop.storage import open_database

    db = open_database(school)
    with db.session() as s:
        assert accounts.sign_in(s, "dir", PASSWORD + "-nieuw").login == "dir"
        with pytest.raises(accounts.LoginRefused):
            accounts.sign_in(s, "dir", PASSWORD)
        with pytest.raises(accounts.LoginRefused):
            accounts.sign_in(s, "iber", PASSWORD)  # disabled
    db.dispose()


def test_the_prompt_asks_twice_and_refuses_two_different_passwords(
    school: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("IB_DESKTOP_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert users(school, "add", "--login", "jan", "--role", "beheer") == 2
    err = capsys.readouterr().err
    assert "niet gelijk" in err
    assert PASSWORD not in err
    answers = iter([PASSWORD, PASSWORD])
    assert users(school, "add", "--login", "jan", "--role", "beheer") == 0
    assert "toegevoegd" in capsys.readouterr().out


def test_without_a_terminal_or_environment_it_says_how(
    school: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("IB_DESKTOP_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": (_ for _ in ()).throw(EOFError()))
    assert users(school, "add", "--login", "jan", "--role", "ib") == 2
    assert "IB_DESKTOP_PASSWORD" in capsys.readouterr().err


def test_mistakes_are_said_in_dutch(school: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD)
    assert users(school, "add", "--login", "jan", "--role", "koning") == 2
    assert "Onbekende rol 'koning'" in capsys.readouterr().err
    assert users(school, "add", "--login", "jan", "--role", "leerkracht", "--staff", "Niemand") == 2
    assert "Geen medewerker gevonden" in capsys.readouterr().err
    assert users(school, "add", "--login", "jan", "--role", "beheer") == 0
    assert users(school, "add", "--login", "JAN", "--role", "ib") == 2
    assert "Er is al een gebruiker met de inlognaam 'jan'" in capsys.readouterr().err
    assert users(school, "disable", "piet") == 2
    assert "geen gebruiker" in capsys.readouterr().err
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", "kort")
    assert users(school, "password", "jan") == 2
    assert "minstens 8" in capsys.readouterr().err


def test_on_postgresql_the_account_is_a_server_login(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The beheer's URL creates the role; the new teacher logs in with psycopg, not the app."""
    from ib_desktop.storage import open_database, pg_accounts

    admin_password = sa.make_url(pg_url).password
    assert main(["init", "--school", "OBS Gedeeld", "--database", pg_url]) == 0
    db = open_database(pg_url)
    with db.session() as s:
        pg_accounts.ensure_group_roles(s)
        from ib_desktop.models import School, Staff

        school_id = s.scalar(sa.select(School.id))
        s.add(Staff(school_id=school_id, first_name="Ayşe", last_name="Yılmaz"))
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD)
    try:
        assert main(["users", "add", "--login", "hoofd_cli", "--role", "beheer",
                     "--database", pg_url]) == 0  # fmt: skip
        assert main(["users", "add", "--login", "ayse_cli", "--role", "leerkracht",
                     "--staff", "Yilmaz", "--database", pg_url]) == 0  # fmt: skip
        out = capsys.readouterr()
        assert "Ayşe Yılmaz" in out.out
        for secret in (PASSWORD, admin_password):
            assert secret not in out.out + out.err
        url = db.url
        with psycopg.connect(host=url.host, port=url.port, dbname=url.database,
                             user="ayse_cli", password=PASSWORD) as conn:  # fmt: skip
            assert conn.execute("SELECT current_user").fetchone()[0] == "ayse_cli"
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(host=url.host, port=url.port, dbname=url.database,
                            user="ayse_cli", password="fout-wachtwoord")  # fmt: skip
        assert main(["users", "disable", "ayse_cli", "--database", pg_url]) == 0
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(host=url.host, port=url.port, dbname=url.database,
                            user="ayse_cli", password=PASSWORD)  # fmt: skip
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql('DROP ROLE IF EXISTS "ayse_cli"')
            conn.exec_driver_sql('DROP ROLE IF EXISTS "hoofd_cli"')
        db.dispose()

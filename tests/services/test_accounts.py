"""Accounts (issue 18) on SQLite and PostgreSQL: add, refuse a duplicate, disable, new password.

On PostgreSQL the proof is the server's: the test logs in with psycopg as the new role, outside
the app, and a wrong or disabled login is refused there.
"""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
import sqlalchemy as sa

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import Account, ChangeLog, Staff
from ib_desktop.permissions import NotAllowed
from ib_desktop.services import accounts
from ib_desktop.validation import ValidationError
from tests.conftest import TODAY

PASSWORD = "Geheim-wachtwoord-1"
NEW_PASSWORD = "Nieuw wachtwoord ëü 2"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, school_db):
    """The test school with two teachers, on SQLite and on a fresh PostgreSQL database."""
    database = school_db
    if request.param == "postgresql":
        from ib_desktop.services.school import create_school
        from ib_desktop.storage import open_database

        database = open_database(request.getfixturevalue("pg_url"))
        with database.session() as s:
            database.school_id = create_school(  # type: ignore[attr-defined]
                s, "Basisschool De Test", brin="99ZZ", swv_name="SWV Test", today=TODAY
            ).id
        from ib_desktop.storage import pg_accounts

        with database.session() as s:
            pg_accounts.ensure_group_roles(s)
    with database.session() as s:
        for first, last in (("Joke", "de Vries"), ("Ayşe", "Yılmaz")):
            s.add(Staff(school_id=database.school_id, first_name=first, last_name=last))
        # The first account manages the others (see test_the_first_account_is_a_manager).
        accounts.add_account(s, database.school_id, "hoofd", "beheer", PASSWORD)
    yield database
    if request.param == "postgresql":
        drop_roles(database, TEST_LOGINS)
        database.dispose()


#: Every login these tests make: roles are the server's, not the database's, so they are dropped.
TEST_LOGINS = ("hoofd", "jdevries", "ayse", "beheer1", "zonder", "kort", "verifier")


def drop_roles(db, logins) -> None:
    from psycopg import sql

    with db.engine.begin() as conn:
        raw = conn.connection.driver_connection
        for login in logins:
            raw.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def server_login(db, login: str, password: str) -> str:
    """Connect with psycopg as ``login``, outside the app; the server's current_user."""
    url = db.url
    with psycopg.connect(
        host=url.host, port=url.port, dbname=url.database, user=login, password=password
    ) as conn:
        return conn.execute("SELECT current_user").fetchone()[0]


def logs_in(db, login: str, password: str) -> bool:
    """True when ``login`` with ``password`` gets in: the server's word, or the app's hash."""
    if db.engine.dialect.name == "postgresql":
        try:
            return server_login(db, login, password) == login
        except psycopg.OperationalError:
            return False
    with db.session() as s:
        try:
            return accounts.sign_in(s, login, password).login == login
        except accounts.LoginRefused:
            return False


def test_an_account_is_added_and_logs_in_with_its_password(any_db) -> None:
    with any_db.session() as s:
        row = accounts.add_account(
            s, any_db.school_id, "JdeVries", "leerkracht", PASSWORD, staff="de Vries"
        )
    assert row.login == "jdevries"
    assert row.role == AccountRole.LEERKRACHT
    assert row.staff_name == "Joke de Vries"
    with any_db.session() as s:
        [listed] = [a for a in accounts.list_accounts(s) if a.login == "jdevries"]
        assert accounts.accounts_enabled(s)
        stored = s.scalar(sa.select(Account.password_hash).where(Account.login == "jdevries"))
        log = s.scalars(sa.select(ChangeLog.summary)).all()
    assert listed == row
    assert logs_in(any_db, "jdevries", PASSWORD)
    assert not logs_in(any_db, "jdevries", PASSWORD + "x")
    assert not logs_in(any_db, "jdevries", "")
    assert PASSWORD not in stored
    assert PASSWORD not in " ".join(log)
    if any_db.engine.dialect.name == "sqlite":
        assert stored.startswith("$argon2id$")
    else:
        assert stored == ""  # the server keeps it


def test_a_duplicate_login_is_refused_in_dutch(any_db) -> None:
    with any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "jdevries", "ib", PASSWORD)
    refused = "Er is al een gebruiker met de inlognaam 'jdevries'"
    with pytest.raises(ValidationError, match=refused), any_db.session() as s:
        accounts.add_account(s, any_db.school_id, " JDEVRIES ", "directie", NEW_PASSWORD)
    with any_db.session() as s:
        assert [(a.login, a.role) for a in accounts.list_accounts(s)] == [
            ("hoofd", AccountRole.BEHEER),
            ("jdevries", AccountRole.IB),
        ]
    assert logs_in(any_db, "jdevries", PASSWORD)
    assert not logs_in(any_db, "jdevries", NEW_PASSWORD)


def test_disabling_stops_the_login_and_keeps_the_account(any_db) -> None:
    with any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "ayse", "leerkracht", PASSWORD, staff="Yilmaz")
    with any_db.session() as s:
        row = accounts.disable_account(s, "ayse")
    assert row.active is False
    assert not logs_in(any_db, "ayse", PASSWORD)
    with any_db.session() as s:
        assert [(a.login, a.active) for a in accounts.list_accounts(s)] == [
            ("hoofd", True),
            ("ayse", False),
        ]


def test_a_new_password_replaces_the_old_one(any_db) -> None:
    with any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "beheer1", "beheer", PASSWORD)
    with any_db.session() as s:
        accounts.set_password(s, "beheer1", NEW_PASSWORD)
    assert logs_in(any_db, "beheer1", NEW_PASSWORD)
    assert not logs_in(any_db, "beheer1", PASSWORD)


def test_a_failed_add_leaves_no_role_on_the_server(any_db, monkeypatch) -> None:
    """The account row and the server's role are made in one transaction, or neither."""
    from ib_desktop.services.accounts import manage

    def broken(*args, **kwargs):
        raise RuntimeError("the change log failed")

    monkeypatch.setattr(manage.audit, "record", broken)
    with pytest.raises(RuntimeError), any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "zonder", "ib", PASSWORD)
    assert not logs_in(any_db, "zonder", PASSWORD)
    with pytest.raises(ValidationError, match="hoort bij een medewerker"), any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "kort", "leerkracht", PASSWORD)
    with pytest.raises(ValidationError, match="minstens 8"), any_db.session() as s:
        accounts.add_account(s, any_db.school_id, "kort", "ib", "kort")
    monkeypatch.undo()
    with any_db.session() as s:
        assert [a.login for a in accounts.list_accounts(s)] == ["hoofd"]
        accounts.add_account(s, any_db.school_id, "zonder", "ib", PASSWORD)  # the name is free
    assert logs_in(any_db, "zonder", PASSWORD)


@pytest.mark.parametrize(
    "login", ["", "j de vries", "jöke", "ayşe", "1abc", "pg_monitor", "ibd_ib", "a" * 64, 'x"y']
)
def test_logins_that_cannot_be_a_server_role_are_refused(school_db, login: str) -> None:
    with pytest.raises(ValidationError) as caught, school_db.session() as s:
        accounts.add_account(s, school_db.school_id, login, "ib", PASSWORD)
    assert caught.value.field == "login"


def test_staff_by_id_and_an_unknown_role(school_db) -> None:
    with school_db.session() as s:
        accounts.add_account(s, school_db.school_id, "hoofd", "beheer", PASSWORD)
        member = Staff(school_id=school_db.school_id, first_name="Sanne", last_name="Bakker")
        s.add(member)
        s.flush()
        row = accounts.add_account(s, school_db.school_id, "sanne", "DIRECTIE", PASSWORD,
                                   staff=str(member.id))  # fmt: skip
        assert row.staff_id == member.id
        with pytest.raises(ValidationError, match="Onbekende rol"):
            accounts.add_account(s, school_db.school_id, "x1", "koning", PASSWORD)


def test_the_server_keeps_a_verifier_not_the_password(pg_url, pg_server) -> None:
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import open_database, pg_accounts

    db = open_database(pg_url)
    try:
        with db.session() as s:
            school = create_school(s, "OBS Server", today=date(2026, 11, 18))
            pg_accounts.ensure_group_roles(s)
            accounts.add_account(s, school.id, "verifier", "beheer", PASSWORD)
        with db.session() as s:
            stored = s.scalar(
                sa.text("SELECT rolpassword FROM pg_authid WHERE rolname = 'verifier'")
            )
            groups = s.scalars(
                sa.text(
                    "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                    "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = 'verifier'"
                )
            ).all()
        assert stored.startswith("SCRAM-SHA-256$")
        assert PASSWORD not in stored
        assert groups == ["ibd_beheer"]
    finally:
        drop_roles(db, ["verifier"])
        db.dispose()


def test_the_first_account_is_a_manager_and_the_last_manager_stays(school_db) -> None:
    """Once accounts exist everybody logs in: someone must be able to manage them."""
    first = "eerst een gebruiker met de rol beheer"
    with pytest.raises(ValidationError, match=first), school_db.session() as s:
        accounts.add_account(s, school_db.school_id, "ib1", "ib", PASSWORD)
    with school_db.session() as s:
        accounts.add_account(s, school_db.school_id, "hoofd", "beheer", PASSWORD)
        accounts.add_account(s, school_db.school_id, "ib1", "ib", PASSWORD)
    last = "laatste actieve beheerder"
    with pytest.raises(ValidationError, match=last), school_db.session() as s:
        accounts.disable_account(s, "hoofd")
    with school_db.session() as s:
        accounts.disable_account(s, "ib1")
        assert accounts.disable_account(s, "hoofd").active is False  # nobody left: accounts off
        assert not accounts.accounts_enabled(s)


def test_the_app_connects_to_the_server_as_the_person(pg_url) -> None:
    """A URL without a password: the login and password typed open the database, as that role."""
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import display_url, open_database, pg_accounts

    db = open_database(pg_url)
    with db.session() as s:
        school = create_school(s, "OBS Server", today=TODAY)
        pg_accounts.ensure_group_roles(s)
        accounts.add_account(s, school.id, "hoofd", "beheer", PASSWORD)
        accounts.add_account(s, school.id, "jdevries", "ib", PASSWORD)
        s.execute(sa.text("GRANT ALL ON ALL TABLES IN SCHEMA public TO ibd_ib"))
    bare = db.url._replace(username=None, password=None)  # set() keeps what None would clear
    assert accounts.needs_login(bare)
    assert not accounts.needs_login(db.url)
    try:
        for login, password in (("jdevries", "fout-wachtwoord"), ("niemand", PASSWORD)):
            with pytest.raises(accounts.LoginRefused) as refused:
                accounts.connect_as(bare, login, password)
            assert str(refused.value) == accounts.login.REFUSED  # no hint which one was wrong
        personal = accounts.connect_as(bare, "JdeVries", PASSWORD)
        try:
            assert PASSWORD not in personal.label
            assert PASSWORD not in display_url(personal.url)
            with personal.session() as s:
                assert accounts.access_of_connection(s) == accounts.Access(
                    "jdevries", AccountRole.IB, None
                )
            # An IB-er's role has no CREATEROLE: the server refuses, said in Dutch.
            with pytest.raises(NotAllowed, match="geen gebruikers maken"), personal.session() as s:
                accounts.add_account(s, school.id, "stiekem", "beheer", PASSWORD)
            assert not logs_in(db, "stiekem", PASSWORD)
        finally:
            personal.dispose()
        with db.session() as s:
            accounts.disable_account(s, "jdevries")
        with pytest.raises(accounts.LoginRefused):
            accounts.connect_as(bare, "jdevries", PASSWORD)
    finally:
        with db.session() as s:
            s.execute(sa.text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ibd_ib"))
        drop_roles(db, ["hoofd", "jdevries", "stiekem"])
        db.dispose()

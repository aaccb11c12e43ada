"""A database on a server: a pool that survives restarts, Dutch messages, sslmode, retries."""

from __future__ import annotations

import threading

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from ib_desktop.storage import (
    Database,
    DatabaseError,
    ServerUnreachableError,
    create_engine,
    open_database,
)


def _dead_port_url(pg_url: str) -> sa.URL:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now, so nothing listens there
    return sa.make_url(pg_url).set(port=port)


def _psycopg(url: str) -> psycopg.Connection:
    u = sa.make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database, autocommit=True)  # fmt: skip


def test_opening_a_server_that_is_away_says_so_in_dutch(pg_url: str) -> None:
    url = _dead_port_url(pg_url)
    with pytest.raises(ServerUnreachableError) as refused:
        open_database(url)
    assert "niet bereikbaar" in str(refused.value)
    assert url.password not in str(refused.value)


def test_a_save_while_the_server_is_away_is_a_dutch_error(pg_url: str) -> None:
    url = _dead_port_url(pg_url)
    engine = create_engine(url)
    db = Database(url=url, engine=engine, sessionmaker=sessionmaker(engine))
    with pytest.raises(ServerUnreachableError) as refused, db.session() as s:
        s.execute(sa.text("SELECT 1"))
    assert str(refused.value).startswith("De server is niet bereikbaar")
    assert "getypt staat nog in het venster" in str(refused.value)
    db.dispose()


def test_the_pool_survives_a_server_that_dropped_its_connections(pg_url: str) -> None:
    """A restart overnight kills every pooled connection; pre_ping hides it from the user."""
    db = open_database(pg_url)
    with db.session() as s:
        s.execute(sa.text("SELECT 1"))
    with _psycopg(pg_url) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1
    with db.session() as s:
        assert s.execute(sa.text("SELECT 2")).scalar() == 2
    db.dispose()


def test_sslmode_in_the_url_reaches_the_driver(pg_url: str) -> None:
    """The test server has no SSL: ``require`` must be refused, ``disable`` must work."""
    u = sa.make_url(pg_url)
    with pytest.raises(DatabaseError) as refused:
        open_database(u.update_query_dict({"sslmode": "require"}))
    assert "sslmode" in str(refused.value)
    assert u.password not in str(refused.value)
    open_database(u.update_query_dict({"sslmode": "disable"})).dispose()


def test_a_wrong_password_is_told_apart_from_a_server_that_is_away(pg_url: str) -> None:
    u = sa.make_url(pg_url)
    with pytest.raises(DatabaseError) as refused:
        open_database(u.set(password="fout-" + u.password))
    assert not isinstance(refused.value, ServerUnreachableError)
    assert "wachtwoord klopt niet" in str(refused.value)


def test_a_unit_of_work_chosen_as_deadlock_victim_runs_again(pg_url: str) -> None:
    """Two transactions lock two rows in opposite order; the app's is retried and lands."""
    db = open_database(pg_url)
    with _psycopg(pg_url) as conn:
        conn.execute("CREATE TABLE tally (id int PRIMARY KEY, n int NOT NULL)")
        conn.execute("INSERT INTO tally VALUES (1, 0), (2, 0)")
    first_row_locked, other_has_row_2 = threading.Event(), threading.Event()
    attempts: list[int] = []

    def work(s) -> None:
        attempts.append(1)
        s.execute(sa.text("UPDATE tally SET n = n + 1 WHERE id = 1"))
        if len(attempts) == 1:
            first_row_locked.set()
            assert other_has_row_2.wait(10)
        s.execute(sa.text("UPDATE tally SET n = n + 10 WHERE id = 2"))

    def other() -> None:
        with _psycopg(pg_url) as conn:
            conn.autocommit = False
            conn.execute("SET deadlock_timeout = '5s'")  # the app's side detects it first
            assert first_row_locked.wait(10)
            conn.execute("UPDATE tally SET n = n + 100 WHERE id = 2")
            other_has_row_2.set()
            conn.execute("UPDATE tally SET n = n + 1000 WHERE id = 1")
            conn.commit()

    thread = threading.Thread(target=other)
    thread.start()
    with db.session() as s:
        s.execute(sa.text("SET deadlock_timeout = '50ms'"))  # only this pooled connection
    db.run(work)
    thread.join(20)
    with db.session() as s:
        rows = dict(s.execute(sa.text("SELECT id, n FROM tally")).all())
    db.dispose()
    assert len(attempts) == 2
    assert rows == {1: 1001, 2: 110}

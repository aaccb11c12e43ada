"""The engine with the settings the app relies on, and :class:`Database`: an open database."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .cipher import DB_ERRORS, engine_url, set_encrypted_pragmas
from .errors import (
    DATABASE_BUSY,
    RETRY_ATTEMPTS,
    SERVER_UNREACHABLE,
    DatabaseBusyError,
    ServerUnreachableError,
    is_retryable,
    is_unreachable,
    write_error,
)
from .locations import display_url, sqlite_path

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        cur.execute("PRAGMA journal_mode = WAL")
    except DB_ERRORS as exc:
        # A read-only connection (a backup being listed) cannot switch its journal; it only reads.
        if "readonly" not in str(exc):
            raise
    # FULL: a committed save survives a power cut too, not only a crash of the app.
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _has_statistics(engine: Engine) -> bool:
    """True when the planner has statistics (SQLite keeps them in ``sqlite_stat1``)."""
    if engine.dialect.name != "sqlite":
        return True  # the server's autovacuum keeps them
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
    return row is not None


#: A server's pool: a laptop needs a few connections at once (the window, a background
#: backup or schedule, the listener has its own); more waits briefly instead of crowding a
#: server that thirty teachers share. Connections are checked before use (``pre_ping``) so a
#: server restart overnight is noticed by a fresh connection, not by the user's save.
SERVER_POOL = {"pool_size": 3, "max_overflow": 5, "pool_timeout": 15, "pool_recycle": 1800,
               "pool_pre_ping": True}  # fmt: skip
#: Seconds to wait for a server before saying it is not reachable.
CONNECT_TIMEOUT_S = 5


def server_connect_args(url: sa.URL) -> dict[str, Any]:
    """What psycopg gets besides the URL: a short connect timeout and the app's name.

    Everything in the URL's query (``sslmode``, ``sslrootcert``, ``connect_timeout``...) is
    passed through by SQLAlchemy unchanged; a value there wins over these defaults.
    """
    args: dict[str, Any] = {"application_name": "IB Desktop"}
    if "connect_timeout" not in url.query:
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    return args


def create_engine(url: str | sa.URL, *, echo: bool = False) -> Engine:
    """An engine with the settings the app relies on (foreign keys, WAL, busy timeout).

    On a server: a small pool with ``pre_ping``, a short connect timeout, the URL's query
    (``sslmode`` and the like) passed to psycopg as it is. An encrypted SQLite file gets
    SQLAlchemy's SQLCipher dialect with the file's raw key (see :mod:`.cipher`);
    :class:`.keys.PasswordNeededError` when it was not unlocked yet.
    """
    u = sa.make_url(url) if isinstance(url, str) else url
    if u.get_backend_name() == "postgresql":
        return sa.create_engine(
            u, echo=echo, connect_args=server_connect_args(u), **SERVER_POOL
        )
    engine = sa.create_engine(engine_url(u, sqlite_path(u)), echo=echo, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
        if engine.dialect.driver == "pysqlcipher":
            event.listen(engine, "connect", set_encrypted_pragmas)
    return engine


@dataclass
class Database:
    """An open database: its engine and a factory of short sessions."""

    url: sa.URL
    engine: Engine
    sessionmaker: sessionmaker[Session]
    lock: Any = None

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None when the database is elsewhere."""
        return sqlite_path(self.url)

    @property
    def label(self) -> str:
        """The file, or the URL without its password: what may be shown or printed."""
        return display_url(self.url)

    @property
    def encryption_key(self) -> bytes | None:
        """The key of an encrypted SQLite file (for what is kept beside it), else None."""
        from . import keys
        from .cipher import is_encrypted_file

        path = self.path
        if path is None or not is_encrypted_file(path):
            return None
        return keys.unlocked_key(path)

    @property
    def readonly(self) -> bool:
        """True for a SQLite file opened read-only."""
        return self.engine.dialect.name == "sqlite" and self.url.query.get("mode") == "ro"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        s = self.sessionmaker()
        try:
            yield s
            s.commit()
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                s.rollback()  # a lost server cannot roll back: it did so itself
            if is_unreachable(exc):
                raise ServerUnreachableError(SERVER_UNREACHABLE) from exc
            friendly = write_error(exc)
            if friendly is not None:
                raise friendly from exc
            raise
        except BaseException:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                s.rollback()
            raise
        finally:
            s.close()

    def run(self, work: Callable[[Session], T], *, attempts: int = RETRY_ATTEMPTS) -> T:
        """Run ``work(session)`` as one unit of work; again when the server chose it as the victim.

        PostgreSQL rolls back one of two transactions that would wait for each other for ever
        (a deadlock) or that it cannot serialize; the whole unit of work, reads included, then
        runs again on a fresh session, after a short random pause so the two do not meet again.
        An :class:`~ib_desktop.services.versioned.EditConflict` is not retried: it is the
        answer. After ``attempts`` collisions a :class:`DatabaseBusyError` says so in Dutch.
        """
        import random
        import time

        for attempt in range(attempts):
            try:
                with self.session() as s:
                    return work(s)
            except sa.exc.DBAPIError as exc:
                if not is_retryable(exc):
                    raise
                if attempt == attempts - 1:
                    raise DatabaseBusyError(DATABASE_BUSY) from exc
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def dispose(self) -> None:
        """Close every pooled connection (before a restore or when the app quits).

        An instance lock taken by :func:`open_database` (``lock=True``) is released too.
        """
        self.engine.dispose()
        self.release_lock()

    def release_lock(self) -> None:
        """Let go of the instance lock, if this database holds one."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def refresh_statistics(self) -> None:
        """Let the query planner learn the data's shape again (after a bulk change).

        With a single school in the file every row has the same ``school_id``; without
        statistics SQLite takes an index on it for granted and reads the whole table through
        it, twice as slow as a plain scan. ``ANALYZE`` tells it so, in about 0.2 s at 50,000
        pupils. (A limited sample, ``PRAGMA analysis_limit``, is faster but misjudges exactly
        this: it counts the rows of the sample, not of the table.) PostgreSQL's autovacuum
        does the same, and an explicit ``ANALYZE`` there is harmless.
        """
        if self.readonly:
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def sync_id_sequences(self) -> None:
        """Move PostgreSQL's id sequences past the ids a bulk insert gave explicitly.

        The demo generator writes rows with ids it chose itself (fast, and the same for a
        seed); PostgreSQL's ``SERIAL`` sequences do not see those, so the next ordinary insert
        would get id 1 again and fail. SQLite takes the next id from the table itself: nothing
        to do there. Only the tables' owner moves sequences: a person's own login (issue 18)
        may take the next id but not set one, and never bulk-inserts with ids of its own.
        """
        if self.readonly or self.engine.dialect.name != "postgresql":
            return
        with self.engine.begin() as conn:
            owns = conn.exec_driver_sql(
                "SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = 'pupils'"
            ).scalar()
            if not owns:
                return
            columns = conn.exec_driver_sql(
                "SELECT table_name, column_name, pg_get_serial_sequence("
                "quote_ident(table_name), column_name) FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%%'"
            ).all()
            for table, column, sequence in columns:
                if sequence is None:
                    continue
                conn.exec_driver_sql(
                    f'SELECT setval(%(seq)s, COALESCE((SELECT max("{column}") FROM "{table}"), 0) '
                    f"+ 1, false)",
                    {"seq": sequence},
                )

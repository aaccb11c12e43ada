"""The engine with the settings the app relies on, and :class:`Database`: an open database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .cipher import DB_ERRORS, engine_url, set_encrypted_pragmas
from .errors import write_error
from .locations import display_url, sqlite_path

BUSY_TIMEOUT_MS = 5000


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


def create_engine(url: str | sa.URL, *, echo: bool = False) -> Engine:
    """An engine with the settings the app relies on (foreign keys, WAL, busy timeout).

    An encrypted SQLite file gets SQLAlchemy's SQLCipher dialect with the file's raw key (see
    :mod:`.cipher`); :class:`.keys.PasswordNeededError` when it was not unlocked yet.
    """
    u = sa.make_url(url)
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
        except sa.exc.OperationalError as exc:
            s.rollback()
            friendly = write_error(exc)
            if friendly is not None:
                raise friendly from exc
            raise
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

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
        to do there.
        """
        if self.readonly or self.engine.dialect.name != "postgresql":
            return
        with self.engine.begin() as conn:
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

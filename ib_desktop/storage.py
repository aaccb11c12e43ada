"""Opening, checking and migrating the database; the only module that knows about SQLite.

SQLite in the user's data folder is the default. A school that shares one database among laptops
points ``--database`` or ``IB_DESKTOP_DATABASE`` at PostgreSQL instead; nothing outside this
module depends on the engine.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from . import APP_SLUG
from .migrations import HEAD_REVISION, KNOWN_REVISIONS

ENV_VAR = "IB_DESKTOP_DATABASE"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A problem with the database that the user can understand; ``str()`` is Dutch."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this app."""


class ReadOnlyDatabaseError(DatabaseError):
    """The file or its folder cannot be written."""


class NewerDatabaseError(DatabaseError):
    """The database was made by a newer version of the app."""


class DatabaseLockedError(DatabaseError):
    """Another instance of the app has the database open."""


class DamagedDatabaseError(DatabaseError):
    """The integrity check failed; the file is not written to."""


class MigrationError(DatabaseError):
    """A schema upgrade failed; the database is left as it was."""


class DiskFullError(DatabaseError):
    """A save did not fit on the disk; it was rolled back, earlier saves are intact."""


#: Tables every IB Desktop schema has; a database with an Alembic table but none of these
#: belongs to another program.
OUR_TABLES = frozenset({"schools", "pupils", "support_structures"})

#: On POSIX the database, its backups and the app's folders are the user's alone.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by the user alone (POSIX).

    Folders that already exist are left as they are: the user may have chosen a shared one.
    On Windows the mode is ignored and the user's profile protects the data.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.chmod(part, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask


def tighten_app_folder(folder: Path) -> None:
    """Make one of the app's own folders (made by an older version) the user's alone (POSIX)."""
    if os.name != "posix" or not folder.is_dir():
        return
    with contextlib.suppress(OSError):  # not ours to change (another owner): leave it
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, PRIVATE_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the user alone (an empty file is an empty database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE_MODE)


def is_disk_full(exc: BaseException) -> bool:
    """True for an error that means the disk (or the user's quota) is full."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(getattr(seen, "orig", None) or seen).lower()
        if "disk is full" in text or "no space left" in text or "disk quota" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full_message(folder: Path | None = None) -> str:
    """The Dutch sentence for a full disk."""
    where = f" in de map '{folder}'" if folder is not None else ""
    return (
        f"De schijf is vol: er is niet genoeg ruimte{where}. Maak ruimte vrij (of kies een "
        "andere schijf) en probeer het opnieuw."
    )


def write_error(exc: BaseException) -> DatabaseError | None:
    """A Dutch :class:`DatabaseError` for a save the disk or the file refused, else None.

    The save was one transaction and has been rolled back, so the message can promise that
    everything saved before is still there.
    """
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in text or "no space left" in text:
        return DiskFullError(
            "Er is niet genoeg schijfruimte om op te slaan. Wat u eerder hebt opgeslagen is "
            "bewaard; deze wijziging nog niet. Maak ruimte vrij en sla opnieuw op."
        )
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            "De database kan niet worden gewijzigd (alleen-lezen). Wat u eerder hebt opgeslagen "
            "is bewaard; deze wijziging nog niet."
        )
    if "disk i/o error" in text:
        return DatabaseError(
            "De schijf gaf een fout bij het opslaan (is een USB-stick of netwerkmap "
            "losgekoppeld?). Wat u eerder hebt opgeslagen is bewaard; deze wijziging nog niet."
        )
    if "database is locked" in text or "database is busy" in text:
        return DatabaseLockedError(
            "De database is even bezet door een ander programma. Er is niets veranderd; "
            "probeer het zo opnieuw."
        )
    return None


def database_error_message(exc: BaseException) -> str:
    """A Dutch sentence for an error of the database driver, without its statement or values.

    A driver's own text carries the SQL and the parameters: the names and birth dates of the
    pupils being saved. None of that may reach the screen or a terminal (or a log a colleague
    reads); the kind of problem is enough, and every save is one transaction that was rolled back.
    """
    friendly = write_error(exc)
    if friendly is not None:
        return str(friendly)
    if is_disk_full(exc):
        return disk_full_message() + " Er is niets opgeslagen."
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else "").lower()
    if "nul (0x00)" in text or "\\x00" in text or "null character" in text:
        return (
            "Een tekst bevat een onzichtbaar NUL-teken, dat de database niet kan bewaren. Er is "
            "niets opgeslagen. Haal het teken weg (bijv. door de export opnieuw te maken)."
        )
    if isinstance(exc, sa.exc.IntegrityError):
        return (
            "De gegevens botsen met wat er al in de database staat (bijvoorbeeld twee keer "
            "hetzelfde nummer). Er is niets opgeslagen."
        )
    if isinstance(exc, sa.exc.DataError):
        return (
            "Een waarde past niet in de database (te lang, of een teken dat niet kan worden "
            "bewaard). Er is niets opgeslagen."
        )
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return (
            "De database is niet bereikbaar of weigerde de opdracht (is de server of de "
            "netwerkverbinding weg, of klopt het wachtwoord niet?). Er is niets opgeslagen."
        )
    kind = type(orig).__name__ if orig is not None else type(exc).__name__
    return f"De database gaf een fout ({kind}). Er is niets opgeslagen."


def default_data_dir() -> Path:
    """The user's data folder for the app (created on demand)."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False)


def default_database_path() -> Path:
    """Where the database lives when nothing else is chosen."""
    return default_data_dir() / "ib-desktop.sqlite"


def sqlite_url(path: str | os.PathLike[str]) -> sa.URL:
    """The URL of a SQLite file, built as an object: a ``?``, ``#`` or space is part of the name."""
    return sa.URL.create("sqlite", database=os.fspath(Path(path).expanduser().resolve()))


def resolve_url(database: str | os.PathLike[str] | sa.URL | None = None) -> sa.URL:
    """Turn ``--database`` (a path or a URL), the environment or the default into a URL.

    A path is always a path: it is never pasted into a URL string, where a ``?`` would start
    the query (and open another, empty database) and a ``#`` a fragment.
    """
    if isinstance(database, sa.URL):
        return database
    value = os.fspath(database) if database else os.environ.get(ENV_VAR, "")
    if not value:
        return sqlite_url(default_database_path())
    if "://" in value:
        try:
            return sa.make_url(value)
        except sa.exc.ArgumentError as exc:
            raise DatabaseError(
                "Dit is geen geldige database-URL. Geef een bestand of een URL als "
                "'postgresql+psycopg://gebruiker@server/database'."
            ) from exc
    return sqlite_url(value)


def file_uri(path: Path) -> str:
    """SQLite's ``file:`` URI of a path, every special character percent-encoded."""
    return Path(path).resolve().as_uri()


def sqlite_path(url: str | sa.URL) -> Path | None:
    """The file behind a SQLite URL, or None for another engine or an in-memory database."""
    u = sa.make_url(url) if isinstance(url, str) else url
    if not u.get_backend_name().startswith("sqlite") or not u.database or u.database == ":memory:":
        return None
    if u.database.startswith("file:") and str(u.query.get("uri", "")).lower() == "true":
        from urllib.parse import urlsplit
        from urllib.request import url2pathname

        return Path(url2pathname(urlsplit(u.database).path))  # url2pathname unquotes
    return Path(u.database)


def display_url(url: str | sa.URL) -> str:
    """A database as it may be shown or printed: the file, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    u = sa.make_url(url) if isinstance(url, str) else url
    return u.render_as_string(hide_password=True)


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        cur.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
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
    """An engine with the settings the app relies on (foreign keys, WAL, busy timeout)."""
    engine = sa.create_engine(url, echo=echo, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
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
                    f'+ 1, false)',
                    {"seq": sequence},
                )


def _check_file(path: Path, *, readonly: bool) -> None:
    if not readonly and path.parent == default_data_dir():
        tighten_app_folder(path.parent)
    if path.exists():
        if path.is_dir():
            raise NotOurDatabaseError(f"'{path}' is een map, geen IB Desktop-database.")
        with path.open("rb") as fh:
            header = fh.read(16)
        if header and header != SQLITE_HEADER:
            raise NotOurDatabaseError(
                f"Het bestand '{path.name}' is geen IB Desktop-database. "
                "Kies een ander bestand; dit bestand is niet gewijzigd."
            )
        if not readonly and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
            raise ReadOnlyDatabaseError(
                f"De database '{path.name}' kan niet worden gewijzigd: het bestand of de map "
                "is alleen-lezen. Kopieer de database naar een map waarin u mag schrijven."
            )
    else:
        if readonly:
            raise NotOurDatabaseError(f"De database '{path}' bestaat niet.")
        try:
            make_private_dirs(path.parent)
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFullError(disk_full_message(path.parent)) from exc
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyDatabaseError(
                    f"De map '{path.parent}' kan niet worden aangemaakt: de map erboven is "
                    "alleen-lezen of u hebt er geen toegang."
                ) from exc
            raise ReadOnlyDatabaseError(
                f"De map '{path.parent}' kan niet worden aangemaakt: {exc.strerror}."
            ) from exc
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(
                f"In de map '{path.parent}' kan geen database worden aangemaakt: de map is "
                "alleen-lezen."
            )


def current_revision(engine: Engine) -> tuple[str | None, set[str]]:
    """The schema revision stored in the database and the names of its tables."""
    insp = sa.inspect(engine)
    tables = set(insp.get_table_names())
    if "alembic_version" not in tables:
        return None, tables
    with engine.connect() as conn:
        rev = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return rev, tables


def integrity_problems(engine: Engine, *, quick: bool = True) -> list[str]:
    """SQLite's own integrity check; an empty list means the file is sound."""
    if engine.dialect.name != "sqlite":
        return []
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {pragma}")]
            rows += [
                f"verwijzing {r[0]}->{r[2]}"
                for r in conn.exec_driver_sql("PRAGMA foreign_key_check")
            ]
    except sa.exc.DatabaseError as exc:
        return [str(exc.orig)]
    return [r for r in rows if r != "ok"]


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(file_uri(path) + "?mode=ro", uri=True)


def _fsync_path(path: Path) -> None:
    """Flush a file (or, on POSIX, a folder's entries) to the disk."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network file systems refuse fsync on folders
    finally:
        os.close(fd)


def backup_sqlite(
    source: Engine | Path,
    target: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    pages_per_step: int = -1,
) -> Path:
    """A consistent copy with SQLite's online backup API (never a file copy of a live file).

    The copy is written under a temporary name, flushed to the disk and then renamed, so a crash
    or a full disk never leaves half a backup under the real name; on failure the temporary file
    is removed and the error raised. ``progress(done_pages, total_pages)`` is called per step.
    """
    if isinstance(source, Path):
        path: Path | None = source
    else:
        path = sqlite_path(source.url)
    if path is None:
        raise DatabaseError("Een back-up kan alleen van een SQLite-database worden gemaakt.")
    make_private_dirs(target.parent)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        create_private_file(tmp)  # a copy of pupils' data is the user's alone, from byte one
        src = _connect_readonly(path)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(
                    dst,
                    pages=pages_per_step,
                    progress=(lambda _s, rem, tot: progress(tot - rem, tot)) if progress else None,
                )
                dst.execute("PRAGMA journal_mode = DELETE")
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        _fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + "-journal").unlink(missing_ok=True)
        raise
    _fsync_path(target.parent)
    return target


def staged_restore_path(target: Path) -> Path:
    """Where a restore builds its copy: beside the database, on the same disk, hidden."""
    return target.with_name(f".{target.name}.terugzetten")


def remove_restore_leftovers(target: Path) -> list[Path]:
    """Remove the copy a killed restore left beside ``target``; call with its lock held."""
    staged = staged_restore_path(target)
    removed = []
    for extra in ("", "-wal", "-shm", "-journal", ".part", ".part-journal"):
        path = Path(str(staged) + extra)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # tried again at the next start
        removed.append(path)
    return removed


def _fold_wal(target: Path) -> None:
    """Fold the write-ahead log into ``target`` and let SQLite remove it (a content no-op).

    A log left beside a file that is then replaced would be replayed onto the new file.
    """
    wal = Path(str(target) + "-wal")
    if not wal.exists():
        Path(str(target) + "-shm").unlink(missing_ok=True)
        return
    con = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise sqlite3.OperationalError("database is locked")
    finally:
        con.close()  # the last connection: SQLite removes the (now empty) log
    if wal.exists() and wal.stat().st_size:
        raise sqlite3.OperationalError("database is locked")
    wal.unlink(missing_ok=True)
    Path(str(target) + "-shm").unlink(missing_ok=True)


def restore_sqlite(
    backup: Path,
    target: Path,
    *,
    check: Callable[[Path], None] | None = None,
    before_swap: Callable[[], None] | None = None,
) -> None:
    """Replace the database file ``target`` with a copy of ``backup``; never half of one.

    The copy is made beside ``target`` under a temporary name (the same disk, so the last step
    is one atomic rename), flushed to the disk and checked: SQLite's full integrity check, then
    ``check(copy)``. Only then is it renamed over ``target``. Until that moment ``target`` is
    untouched, byte for byte; on any failure the copy is removed and the error raised.
    ``before_swap`` runs just before the rename (a damaged file is moved aside there); when the
    rename then fails it is not undone by this function. Every engine on ``target`` must be
    disposed and no other program may have it open.
    """
    staged = staged_restore_path(target)
    try:
        backup_sqlite(backup, staged)
        problems = file_integrity_problems(staged)
        if problems:
            raise DamagedDatabaseError(
                "De kopie van de back-up klopt niet (" + "; ".join(problems[:3]) + "); er is "
                "niets teruggezet."
            )
        if check is not None:
            check(staged)
        for extra in ("-wal", "-shm"):  # left by the read-only checks; the copy is complete
            Path(str(staged) + extra).unlink(missing_ok=True)
        if before_swap is not None:
            before_swap()
        elif target.exists():
            _fold_wal(target)
        os.replace(staged, target)
    except BaseException:
        for extra in ("", "-wal", "-shm", "-journal", ".part", ".part-journal"):
            Path(str(staged) + extra).unlink(missing_ok=True)
        raise
    _fsync_path(target.parent)


def file_damage(path: Path) -> bool:
    """True when SQLite finds ``path`` damaged, False when it is sound.

    An error that says nothing about the file itself (a full disk, no access, an I/O error of
    the moment) is raised as it is: a sound database must never be taken for a damaged one.
    """
    try:
        con = _connect_readonly(path)
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check")]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return True
        raise
    return any(r != "ok" for r in rows)


def file_integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's integrity check of a file, read-only (for backups and restored files)."""
    try:
        con = _connect_readonly(path)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        rows += [f"verwijzing {r[0]}->{r[2]}" for r in con.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        con.close()
    return [r for r in rows if r != "ok"]


def file_revision(path: Path) -> str | None:
    """The schema revision stored in a SQLite file (read-only), or None when it has none."""
    try:
        con = _connect_readonly(path)
    except sqlite3.Error:
        return None
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (sqlite3.DatabaseError, TypeError):
        return None
    finally:
        con.close()


def _probe_sqlite(path: Path, *, check_integrity: bool) -> tuple[str | None, set[str], list[str]]:
    """Revision, tables and (optionally) integrity problems, read without writing."""
    try:
        con = _connect_readonly(path)
    except sqlite3.Error as exc:
        raise NotOurDatabaseError(f"De database kan niet worden gelezen: {exc}") from exc
    try:
        tables = {
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("sqlite_")  # SQLite's own (planner statistics)
        }
        rev = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            rev = row[0] if row else None
        problems: list[str] = []
        if check_integrity and rev is not None:
            problems = [r[0] for r in con.execute("PRAGMA quick_check") if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc) or "corrupt" in str(exc):
            if check_integrity or "malformed" in str(exc):
                return "damaged", set(), [str(exc)]
        raise NotOurDatabaseError(
            f"Dit bestand kan niet als database worden gelezen; het is niet gewijzigd. ({exc})"
        ) from exc
    finally:
        con.close()
    return rev, tables, problems


#: Where the Alembic scripts live (a test points it at a copy with a failing migration).
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def run_migrations(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema with Alembic, all in one transaction.

    Python's sqlite3 module runs DDL (CREATE, ALTER, DROP) outside any transaction, so a
    failing upgrade would leave half a schema behind. For SQLite the connection is therefore
    put in manual mode and the whole upgrade runs between one BEGIN IMMEDIATE and its COMMIT:
    a failure rolls every step back.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        previous = raw.isolation_level  # type: ignore[union-attr]
        raw.isolation_level = None  # type: ignore[union-attr]
        # Batch mode rebuilds a table by copying it and dropping the old one. With foreign keys
        # on, that DROP cascades into every table that points at it (meeting participants,
        # consents...). SQLite's own recipe for such changes: foreign keys off (only possible
        # outside a transaction), change, then check every link before committing.
        raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseError(
                        "Het bijwerken van de database is afgebroken: daarna zouden "
                        f"{len(broken)} verwijzingen niet meer kloppen (bijvoorbeeld in de tabel "
                        f"'{broken[0][0]}'). Er is niets gewijzigd."
                    )
        finally:
            if raw.in_transaction:  # type: ignore[union-attr]
                raw.rollback()  # type: ignore[union-attr]
            raw.isolation_level = previous  # type: ignore[union-attr]
            raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def open_database(
    database: str | os.PathLike[str] | sa.URL | None = None,
    *,
    migrate: bool = True,
    readonly: bool = False,
    check_integrity: bool = False,
    backup_dir: Path | None = None,
    lock: bool = False,
    create: bool = True,
) -> Database:
    """Open (and create or upgrade) the database, or raise a :class:`DatabaseError`.

    A file that is not ours, read-only, damaged or from a newer version is never written to.
    Before an upgrade of an existing SQLite file a backup is made in the user's backup folder
    (or in ``backup_dir``); without that backup there is no upgrade.

    With ``lock`` the instance lock is claimed first, before anything is read or upgraded, and
    held until :meth:`Database.dispose`: what the app does on opening, and what every command
    that writes does too. With ``create`` False a missing file is an error (a typo in a path
    must not quietly make a new, empty database).
    """
    url = resolve_url(database)
    path = sqlite_path(url)
    held = None
    if path is not None:
        if not create and not path.exists():
            raise NotOurDatabaseError(f"De database '{path}' bestaat niet.")
        _check_file(path, readonly=readonly)
        if lock and not readonly:
            held = instance_lock(path)
            remove_restore_leftovers(path)  # a full copy of the data a killed restore left
    try:
        db = _open(url, path, migrate=migrate, readonly=readonly,
                   check_integrity=check_integrity, backup_dir=backup_dir)  # fmt: skip
    except BaseException:
        if held is not None:
            held.release()
        raise
    db.lock = held
    return db


def _refuse(rev: str | None, tables: set[str]) -> None:
    """Raise for a database this version must not open (another program's, or a newer one)."""
    ours = bool(tables & OUR_TABLES)
    if rev is None and tables:
        raise NotOurDatabaseError(
            "Deze database hoort niet bij IB Desktop (onbekende tabellen); hij is niet gewijzigd."
        )
    if rev is not None and rev not in KNOWN_REVISIONS:
        if not ours:
            # Another program that also uses Alembic: its revision says nothing about us.
            raise NotOurDatabaseError(
                "Dit is geen IB Desktop-database (hij hoort bij een ander programma); hij is "
                "niet gewijzigd."
            )
        raise NewerDatabaseError(
            "Deze database is gemaakt met een nieuwere versie van IB Desktop. Werk de app bij "
            "om hem te openen; de database is niet gewijzigd."
        )
    if rev is not None and rev != HEAD_REVISION and not ours and tables - {"alembic_version"}:
        raise NotOurDatabaseError(
            "Dit is geen IB Desktop-database (hij hoort bij een ander programma); hij is niet "
            "gewijzigd."
        )


def _open(
    url: sa.URL,
    path: Path | None,
    *,
    migrate: bool,
    readonly: bool,
    check_integrity: bool,
    backup_dir: Path | None,
) -> Database:
    if path is not None and readonly:
        url = sa.URL.create(
            "sqlite", database=file_uri(path), query={"mode": "ro", "uri": "true"}
        )
    if path is not None and path.exists():
        # Look before touching: a read-only probe, so a foreign or damaged file is never
        # changed (opening it with our settings would switch its journal to WAL).
        rev, tables, problems = _probe_sqlite(path, check_integrity=check_integrity)
        engine = create_engine(url)
    else:
        if path is not None:
            try:
                create_private_file(path)  # the user's alone, before SQLite writes a byte
            except FileExistsError:
                pass
            except OSError as exc:
                if is_disk_full(exc):
                    raise DiskFullError(disk_full_message(path.parent)) from exc
                raise ReadOnlyDatabaseError(
                    f"In de map '{path.parent}' kan geen database worden aangemaakt: de map is "
                    "alleen-lezen of u hebt er geen toegang."
                ) from exc
        engine = create_engine(url)
        try:
            rev, tables = current_revision(engine)
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            raise NotOurDatabaseError(
                "Deze database kan niet worden gelezen; hij is niet gewijzigd. "
                + database_error_message(exc).replace(" Er is niets opgeslagen.", "")
            ) from exc
        problems = integrity_problems(engine) if check_integrity and rev is not None else []
    if problems:
        engine.dispose()
        raise DamagedDatabaseError(
            "De database is beschadigd en wordt niet gebruikt om verdere schade te "
            "voorkomen. Herstel de nieuwste goede back-up. Details: "
            + "; ".join(p.strip().splitlines()[-1][:200] for p in problems[:3] if p.strip())
        )
    try:
        _refuse(rev, tables)
    except DatabaseError:
        engine.dispose()
        raise
    if rev != HEAD_REVISION:
        if readonly or not migrate:
            if rev is None:
                engine.dispose()
                raise NotOurDatabaseError("De database is leeg.")
        else:
            if rev is not None and path is not None:
                # No upgrade without a backup first, in the user's backup folder.
                from .backup import BackupError, make_backup

                try:
                    make_backup(path, folder=backup_dir, reason=f"voor-upgrade-{rev}")
                except BackupError as exc:
                    engine.dispose()
                    raise MigrationError(
                        "De database moet worden bijgewerkt, maar eerst moet er een back-up "
                        f"worden gemaakt en dat lukte niet: {exc} De database is niet gewijzigd."
                    ) from exc
            try:
                run_migrations(engine)
            except Exception as exc:
                engine.dispose()
                if is_disk_full(exc):
                    raise MigrationError(
                        disk_full_message(path.parent if path else None)
                        + " De database is niet gewijzigd."
                    ) from exc
                raise MigrationError(
                    "Het bijwerken van de database is mislukt; er is niets veranderd. "
                    f"({type(exc).__name__})"
                ) from exc
    db = Database(url=url, engine=engine, sessionmaker=sessionmaker(engine, expire_on_commit=False))
    if migrate and not readonly and not _has_statistics(engine):
        # A file made before statistics were gathered (or just created): gather them once;
        # the demo generator and the import refresh them after their bulk writes.
        db.refresh_statistics()
    return db


def refuse_foreign(path: Path) -> None:
    """Raise :class:`NotOurDatabaseError` when ``path`` is another program's file.

    A damaged database of ours passes (a restore is how it is repaired), and so does a file
    that cannot be read at the moment: the caller's own checks say what is wrong then.
    """
    if not path.exists():
        return
    _check_file(path, readonly=True)
    try:
        rev, tables, _problems = _probe_sqlite(path, check_integrity=False)
    except NotOurDatabaseError:
        return
    if rev == "damaged":
        return
    with contextlib.suppress(NewerDatabaseError):  # a newer one of ours: its safety copy is kept
        _refuse(rev, tables)


def erase_database(db: Database) -> None:
    """Remove everything of IB Desktop from ``db``, keeping its instance lock (a demo renewed).

    A SQLite file is deleted with its journal files; on a server the app's tables are dropped.
    The caller decides whether this may happen (only for a database the demo generator made);
    open the database again to get a fresh, empty schema.
    """
    db.engine.dispose()
    path = db.path
    if path is not None:
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + extra).unlink(missing_ok=True)
        return
    from . import pg_policies
    from .models import Base

    with db.engine.begin() as conn:
        pg_policies.remove(conn)  # the view on the reports and the policies' functions first
        Base.metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.engine.dispose()


def instance_lock(db: Database | Path) -> Any:
    """Claim the database for this app instance; raise when another instance has it.

    The lock is an OS-level file lock, so it disappears with a crashed process. ``db`` may be
    the path of a database that is not open (a restore claims the file it replaces).
    """
    from filelock import FileLock, Timeout

    path = db if isinstance(db, Path) else db.path
    if path is None:
        return None
    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise DatabaseLockedError(
            "Deze database is al geopend in een ander venster van IB Desktop. Sluit dat venster "
            "eerst, of open een andere database."
        ) from exc
    return lock

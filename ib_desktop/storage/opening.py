"""Opening a database: look before touching, refuse what is not ours, upgrade the schema.

The backup an upgrade needs first is made by the caller's ``before_upgrade`` (see
``ib_desktop.database``): the storage layer knows nothing of the backup folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ..migrations import HEAD_REVISION, KNOWN_REVISIONS
from ..private_files import create_private_file, make_private_dirs, tighten_app_folder
from .cipher import is_encrypted_file
from .engine import Database, _has_statistics, create_engine
from .errors import (
    DamagedDatabaseError,
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    MigrationError,
    NewerDatabaseError,
    NotOurDatabaseError,
    ReadOnlyDatabaseError,
    ServerUnreachableError,
    database_error_message,
    disk_full_message,
    is_disk_full,
    is_unreachable,
    login_refused_message,
)
from .locations import default_data_dir, file_uri, resolve_url, sqlite_path
from .sqlite_files import _probe_sqlite, remove_restore_leftovers

SQLITE_HEADER = b"SQLite format 3\x00"

#: Tables every IB Desktop schema has; a database with an Alembic table but none of these
#: belongs to another program.
OUR_TABLES = frozenset({"schools", "pupils", "support_structures"})


def _check_file(path: Path, *, readonly: bool) -> None:
    """Raise a Dutch :class:`DatabaseError` before a file that may not be used is touched."""
    if not readonly and path.parent == default_data_dir():
        tighten_app_folder(path.parent)
    if path.exists():
        _check_existing_file(path, readonly=readonly)
    elif readonly:
        raise NotOurDatabaseError(f"De database '{path}' bestaat niet.")
    else:
        _check_new_file_folder(path)


def _check_existing_file(path: Path, *, readonly: bool) -> None:
    """A folder, another program's file, or (to write) a read-only one is refused."""
    if path.is_dir():
        raise NotOurDatabaseError(f"'{path}' is een map, geen IB Desktop-database.")
    with path.open("rb") as fh:
        header = fh.read(16)
    if header and header != SQLITE_HEADER and not is_encrypted_file(path):
        raise NotOurDatabaseError(
            f"Het bestand '{path.name}' is geen IB Desktop-database. "
            "Kies een ander bestand; dit bestand is niet gewijzigd. (Is het een versleutelde "
            f"database, dan hoort het sleutelbestand '{path.name}.keys' ernaast.)"
        )
    if not readonly and (not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)):
        raise ReadOnlyDatabaseError(
            f"De database '{path.name}' kan niet worden gewijzigd: het bestand of de map "
            "is alleen-lezen. Kopieer de database naar een map waarin u mag schrijven."
        )


def _check_new_file_folder(path: Path) -> None:
    """The folder of a new database is made (the user's alone) and must be writable."""
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


#: Where the Alembic scripts live (a test points it at a copy with a failing migration).
MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"


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


#: Makes the backup an upgrade needs first: ``before_upgrade(database file, old revision)``.
#: It raises a :class:`DatabaseError` (a :class:`MigrationError` that says why) when the backup
#: cannot be made; then there is no upgrade.
BeforeUpgrade = Callable[[Path, str], object]


def open_database(
    database: str | os.PathLike[str] | sa.URL | None = None,
    *,
    migrate: bool = True,
    readonly: bool = False,
    check_integrity: bool = False,
    before_upgrade: BeforeUpgrade | None = None,
    lock: bool = False,
    create: bool = True,
) -> Database:
    """Open (and create or upgrade) the database, or raise a :class:`DatabaseError`.

    A file that is not ours, read-only, damaged or from a newer version is never written to.
    Before an upgrade of an existing SQLite file ``before_upgrade`` makes a backup; without it
    (or when it fails) there is no upgrade. ``ib_desktop.database.open_database`` passes the
    backup into the user's backup folder.

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
                   check_integrity=check_integrity, before_upgrade=before_upgrade)  # fmt: skip
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
    before_upgrade: BeforeUpgrade | None,
) -> Database:
    if path is not None and readonly:
        url = sa.URL.create("sqlite", database=file_uri(path), query={"mode": "ro", "uri": "true"})
    engine, rev, tables, problems = _look(url, path, check_integrity=check_integrity)
    try:
        _refuse_damaged(problems)
        _refuse(rev, tables)
        if rev != HEAD_REVISION:
            if readonly or not migrate:
                if rev is None:
                    raise NotOurDatabaseError("De database is leeg.")
            else:
                _upgrade(engine, path, rev, before_upgrade)
    except BaseException:
        engine.dispose()
        raise
    db = Database(url=url, engine=engine, sessionmaker=sessionmaker(engine, expire_on_commit=False))
    if migrate and not readonly and not _has_statistics(engine):
        # A file made before statistics were gathered (or just created): gather them once;
        # the demo generator and the import refresh them after their bulk writes.
        db.refresh_statistics()
    return db


def _look(
    url: sa.URL, path: Path | None, *, check_integrity: bool
) -> tuple[Engine, str | None, set[str], list[str]]:
    """An engine and what the database holds: revision, tables, integrity problems."""
    if path is not None and path.exists():
        # Look before touching: a read-only probe, so a foreign or damaged file is never
        # changed (opening it with our settings would switch its journal to WAL).
        rev, tables, problems = _probe_sqlite(path, check_integrity=check_integrity)
        return create_engine(url), rev, tables, problems
    if path is not None:
        _create_file(path)
    engine = create_engine(url)
    try:
        rev, tables = current_revision(engine)
    except sa.exc.DatabaseError as exc:
        engine.dispose()
        refused = login_refused_message(exc)
        if refused is not None:
            raise DatabaseError(refused) from exc
        if is_unreachable(exc):
            raise ServerUnreachableError(
                "De server is niet bereikbaar (is de netwerkverbinding weg, staat de "
                "databaseserver uit, of klopt het adres niet?). Er is niets gewijzigd."
            ) from exc
        raise NotOurDatabaseError(
            "Deze database kan niet worden gelezen; hij is niet gewijzigd. "
            + database_error_message(exc).replace(" Er is niets opgeslagen.", "")
        ) from exc
    problems = integrity_problems(engine) if check_integrity and rev is not None else []
    return engine, rev, tables, problems


def _create_file(path: Path) -> None:
    """The new database file, the user's alone before SQLite writes a byte."""
    try:
        create_private_file(path)
    except FileExistsError:
        pass
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFullError(disk_full_message(path.parent)) from exc
        raise ReadOnlyDatabaseError(
            f"In de map '{path.parent}' kan geen database worden aangemaakt: de map is "
            "alleen-lezen of u hebt er geen toegang."
        ) from exc


def _refuse_damaged(problems: list[str]) -> None:
    if problems:
        raise DamagedDatabaseError(
            "De database is beschadigd en wordt niet gebruikt om verdere schade te "
            "voorkomen. Herstel de nieuwste goede back-up. Details: "
            + "; ".join(p.strip().splitlines()[-1][:200] for p in problems[:3] if p.strip())
        )


def _upgrade(
    engine: Engine, path: Path | None, rev: str | None, before_upgrade: BeforeUpgrade | None
) -> None:
    """Bring the schema to the head revision; an existing file is backed up first."""
    if rev is not None and path is not None:
        # No upgrade without a backup first.
        if before_upgrade is None:
            raise MigrationError(
                "De database moet worden bijgewerkt, maar eerst moet er een back-up worden "
                "gemaakt en dat kan hier niet. De database is niet gewijzigd."
            )
        before_upgrade(path, rev)
    try:
        run_migrations(engine)
    except Exception as exc:
        if is_disk_full(exc):
            raise MigrationError(
                disk_full_message(path.parent if path else None) + " De database is niet gewijzigd."
            ) from exc
        raise MigrationError(
            "Het bijwerken van de database is mislukt; er is niets veranderd. "
            f"({type(exc).__name__})"
        ) from exc


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
        for extra in ("", "-wal", "-shm", "-journal", ".keys"):
            Path(str(path) + extra).unlink(missing_ok=True)
        return
    from ..models import Base
    from . import pg_policies

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

"""The pupil list for the first paint, read with ``sqlite3`` before SQLAlchemy is loaded.

Loading SQLAlchemy and the models takes longer than everything else in start-up together, and
the pupil list needs neither to be shown: this module reads the rows of the one school of a
SQLite file with the standard library, read-only (``mode=ro``: no write, no checkpoint, no
statistics), so the window shows the list while the real, checked open follows. It is part of
the storage layer (the only other place with engine-specific SQL is ``storage.py``, which
imports SQLAlchemy) and imports neither SQLAlchemy nor Qt.

An encrypted (SQLCipher) file is read the same way through ``sqlcipher3`` with its raw key,
once the key is known: unlocked earlier in this process (the password dialog) or with the
password a script gives in ``IB_DESKTOP_PASSWORD`` (one Argon2id run, see
:mod:`ib_desktop.key_memory`, which needs no SQLAlchemy either). Neither the key nor the
password is written anywhere; a wrong one gives None, and the normal path explains.

It answers only when that is safe and cheap to know, and None otherwise, so that the caller
takes the normal path: the database must be a plain path to an existing SQLite file the user
may write (not a URL, not PostgreSQL), with no hot rollback journal, SQLite's quick check
clean, at exactly the schema this version writes (``HEAD_REVISION``: not older, newer or
another program's), with exactly one school, and the instance lock free. Whatever it shows is
replaced by the full load once the file has passed every check of ``storage.open_database``.

The rows come from :func:`ib_desktop.pupil_rows.assemble`, as those of
``services.pupil.listing.load_pupil_list`` do; the queries below mirror that module's (a test
compares the two readers field by field). The next evaluation is left empty: it needs the
schedule engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ib_desktop import APP_SLUG
from ib_desktop.domain_types import DocumentKind, DocumentStatus
from ib_desktop.migrations import HEAD_REVISION
from ib_desktop.pupil_rows import LevelInfo, PupilListData, assemble, make_groups

#: The same as ``storage.ENV_VAR`` and ``storage.SQLITE_HEADER`` (a test checks it).
ENV_VAR = "IB_DESKTOP_DATABASE"
SQLITE_HEADER = b"SQLite format 3\x00"
#: Seconds to wait for a server before leaving the first paint to the normal path.
CONNECT_TIMEOUT_S = 3


@dataclass
class QuickList:
    """The first school's list, with the instance lock that was taken to read it.

    The caller holds ``lock`` from now on (it is the lock ``storage.instance_lock`` takes).
    """

    path: Path | None  # None for a database on a server
    lock: Any  # None for a database on a server
    school_id: int
    data: PupilListData


def database_file(database: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file ``--database`` (or the environment, or the default) names.

    None when it is a URL: a database on a server, or a SQLite URL with options, is left to
    ``storage.resolve_url``. The path is the one ``storage.sqlite_path(resolve_url(...))``
    gives, so the instance lock taken here is recognised by the normal path.
    """
    value = os.fspath(database) if database else os.environ.get(ENV_VAR, "")
    if "://" in value:
        return None
    if not value:
        from platformdirs import user_data_path

        value = os.fspath(user_data_path(APP_SLUG, appauthor=False) / "ib-desktop.sqlite")
    return Path(os.fspath(Path(value).expanduser().resolve()))


def _plain_sqlite_file(path: Path) -> bool:
    """An existing SQLite file the user may change, with no crashed write to roll back."""
    try:
        if not path.is_file() or Path(str(path) + "-journal").exists():
            return False
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return False
    except OSError:
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


#: The environment variables a script gives the password in (as ``storage.keys``).
PASSWORD_ENVS = ("IB_DESKTOP_UNLOCK_PASSWORD", "IB_DESKTOP_PASSWORD")


def _encrypted_file(path: Path) -> bool:
    """An existing SQLCipher file (no SQLite header) with its key file, the user may change."""
    from ib_desktop.key_memory import key_file_path

    try:
        if not path.is_file() or Path(str(path) + "-journal").exists():
            return False
        if not key_file_path(path).is_file():
            return False
        with path.open("rb") as fh:
            if fh.read(16) == SQLITE_HEADER:
                return False
    except OSError:
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def file_key(path: Path) -> bytes | None:
    """The key of the encrypted ``path``: unlocked before, or with the environment's password.

    None when nobody gave a password yet, the password opens no slot or the key file cannot be
    read: the normal path asks or explains. Only this process's memory is changed.
    """
    from ib_desktop import key_memory

    try:
        key_id, slots = key_memory.read_slots(path)
        key = key_memory.UNLOCKED.get(key_id)
        if key is not None:
            return key
        password = next((v for v in map(os.environ.get, PASSWORD_ENVS) if v), "")
        return key_memory.open_slots(key_id, slots, password) if password else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def password_wanted(database: str | os.PathLike[str] | None) -> Path | None:
    """The encrypted file whose password nobody gave yet (the app asks before the first paint).

    None for anything else: a plain file, a URL, a key already unlocked in this process, a
    password in the environment (right or wrong: the quick read or the normal path answers).
    """
    from ib_desktop import key_memory

    path = database_file(database)
    if path is None or not _encrypted_file(path):
        return None
    if any(os.environ.get(name) for name in PASSWORD_ENVS):
        return None
    try:
        key_id, _slots = key_memory.read_slots(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the normal path explains the key file
    return None if key_id in key_memory.UNLOCKED else path


def _take_lock(path: Path) -> Any:
    """The instance lock of ``path`` (as ``storage.instance_lock``), or None when it is held."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return None
    return lock


def quick_pupil_list(
    database: str | os.PathLike[str] | None, *, today: date
) -> QuickList | None:
    """The pupil list of the database's one school, or None when the normal path must decide.

    Never writes: the file is opened read-only, and on any doubt (see the module's docstring)
    the answer is None with the lock released again.
    """
    server = server_conninfo(database)
    if server is not None:
        return _quick_from_server(server, today)
    path = database_file(database)
    if path is None:
        return None
    key = None
    if not _plain_sqlite_file(path):
        if not _encrypted_file(path):
            return None
        key = file_key(path)
        if key is None:
            return None  # no password yet, or a wrong one: the normal path asks or explains
    lock = _take_lock(path)
    if lock is None:
        return None  # another window has it: the normal path says so
    errors: tuple[type[Exception], ...] = (*_driver_errors(key), ValueError, KeyError, TypeError)
    try:
        found = read_pupil_list(path, today=today, key=key)
    except errors:
        found = None
    if found is None:
        with contextlib.suppress(Exception):
            lock.release()
        return None
    school_id, data = found
    return QuickList(path=path, lock=lock, school_id=school_id, data=data)


def server_conninfo(database: str | os.PathLike[str] | None) -> str | None:
    """The libpq URI of a PostgreSQL ``--database`` URL that brings its password, else None.

    A URL without a password is left to the login (nobody sees a pupil before it); the
    driver name SQLAlchemy wants (``postgresql+psycopg://``) is not libpq's.
    """
    value = os.fspath(database) if database else os.environ.get(ENV_VAR, "")
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        return None
    parts = urlsplit(value)
    try:
        if not parts.password or not parts.hostname and "host=" not in parts.query:
            return None
    except ValueError:
        return None
    return "postgresql://" + rest


def _quick_from_server(conninfo: str, today: date) -> QuickList | None:
    """The list read from the server in one read-only transaction, or None on any doubt.

    The server's own row policies apply to this connection as to the full load's; nothing is
    written (the transaction is read-only and rolled back). No instance lock: a server
    database is shared by design.
    """
    try:
        import psycopg

        with psycopg.connect(
            conninfo, connect_timeout=CONNECT_TIMEOUT_S, application_name="IB Desktop"
        ) as con:
            con.read_only = True
            try:
                found = _read(con, today, server=True)
            finally:
                con.rollback()
    except Exception:  # noqa: BLE001 - any doubt: the normal, checked open explains it
        return None
    if found is None:
        return None
    school_id, data = found
    return QuickList(path=None, lock=None, school_id=school_id, data=data)


def _documents(required: Any) -> tuple[str, ...]:
    """A level's required documents: JSON text in SQLite, already a list from a server."""
    if not required:
        return ()
    if isinstance(required, str):
        required = json.loads(required)
    return tuple(required or ())


def _driver_errors(key: bytes | None) -> tuple[type[Exception], ...]:
    if key is None:
        return (sqlite3.Error,)
    import sqlcipher3

    return (sqlite3.Error, sqlcipher3.Error)


def read_pupil_list(
    path: Path, *, today: date, key: bytes | None = None
) -> tuple[int, PupilListData] | None:
    """(school id, list) of a file at ``HEAD_REVISION`` with one school and a clean quick check.

    With ``key`` the file is a SQLCipher one, read through ``sqlcipher3`` with that raw key
    (read-only too). Raises the driver's error (or a ValueError for a value this version does
    not know) when the file cannot be read as expected, a wrong key included; None when it is
    not a file for the quick path.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    if key is None:
        con = sqlite3.connect(uri, uri=True)
    else:
        import sqlcipher3

        con = sqlcipher3.connect(uri, uri=True)
    try:
        if key is not None:
            con.execute("PRAGMA cipher_log_level = NONE")
            con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")  # as storage.cipher.key_pragma
        return _read(con, today)
    finally:
        con.close()


def _read(con: Any, today: date, *, server: bool = False) -> tuple[int, PupilListData] | None:
    """The list through ``con``: a ``sqlite3`` connection, or (``server``) a psycopg one.

    The queries are the same on both; only the placeholder differs, and the server's dates
    are compared as dates (SQLite stores ISO text).
    """
    if server:
        def sql(text: str) -> str:
            return text.replace("?", "%s")
    else:
        def sql(text: str) -> str:
            return text
    revisions = con.execute("SELECT version_num FROM alembic_version").fetchall()
    if [tuple(r) for r in revisions] != [(HEAD_REVISION,)]:
        return None
    if not server and con.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
        return None  # damaged: the normal path explains it and offers a backup
    if con.execute("SELECT 1 FROM accounts WHERE active LIMIT 1").fetchone() is not None:
        return None  # accounts: nobody sees a pupil before logging in
    schools = con.execute("SELECT id, support_structure_id FROM schools").fetchall()
    if len(schools) != 1:
        return None  # none yet (the first-run wizard) or several to choose from
    school_id, structure_id = schools[0]
    # Dates are stored as ISO text in SQLite, as SQLAlchemy writes them; a server has dates.
    iso_today: Any = today if server else today.isoformat()

    levels: list[LevelInfo] = []
    if structure_id is not None:
        for lid, position, name, color, retired, required, requires_any in con.execute(
            sql("SELECT id, position, name, color, retired, required_documents, requires_any "
                "FROM support_levels WHERE structure_id = ? ORDER BY position, id"),
            (structure_id,),
        ):
            levels.append(
                LevelInfo(
                    id=lid,
                    position=position,
                    name=name,
                    color=color,
                    retired=bool(retired),
                    required_documents=_documents(required),
                    requires_any=bool(requires_any),
                )
            )
    pupils = con.execute(
        sql("SELECT pupils.id, pupils.first_name, pupils.tussenvoegsel, pupils.last_name, "
            "pupils.status, pupils.left_on, pupils.group_id, level_assignments.level_id, "
            "level_assignments.start_date FROM pupils "
            "LEFT OUTER JOIN level_assignments ON level_assignments.pupil_id = pupils.id "
            "AND level_assignments.end_date IS NULL AND level_assignments.area = ? "
            "WHERE pupils.school_id = ?"),
        ("", school_id),
    ).fetchall()
    year = con.execute(
        sql("SELECT id FROM school_years WHERE start_date <= ? AND end_date >= ?"),
        (iso_today, iso_today),
    ).fetchone()
    teacher_rows = con.execute(
        sql("SELECT group_teachers.group_id, staff.id, staff.first_name, staff.tussenvoegsel, "
            "staff.last_name FROM group_teachers JOIN staff ON staff.id = group_teachers.staff_id "
            "JOIN groups ON groups.id = group_teachers.group_id WHERE groups.school_id = ?"),
        (school_id,),
    ).fetchall()
    group_rows = con.execute(
        sql("SELECT id, name, grade_low, school_year_id FROM groups WHERE school_id = ?"),
        (school_id,),
    ).fetchall()
    groups = make_groups(
        teacher_rows,
        group_rows,
        year_id=year[0] if year else None,
        used={p[6] for p in pupils if p[6] is not None},
    )
    areas = con.execute(
        sql("SELECT level_assignments.pupil_id, level_assignments.level_id, "
        "level_assignments.area, level_assignments.start_date, support_levels.position "
        "FROM level_assignments "
        "JOIN pupils ON pupils.id = level_assignments.pupil_id "
        "JOIN support_levels ON support_levels.id = level_assignments.level_id "
        "WHERE pupils.school_id = ? AND level_assignments.end_date IS NULL "
        "AND level_assignments.area != ?"),
        (school_id, ""),
    ).fetchall()
    documents: dict[int, dict[str, int]] = {}
    closed = DocumentStatus.AFGESLOTEN.value
    for kind, query, params in (
        (
            DocumentKind.KORTE_INTERVENTIE,
            "SELECT short_interventions.pupil_id, count(*) FROM short_interventions "
            "JOIN pupils ON pupils.id = short_interventions.pupil_id "
            "WHERE pupils.school_id = ? AND short_interventions.status != ? "
            "GROUP BY short_interventions.pupil_id",
            (school_id, closed),
        ),
        (
            DocumentKind.GROEIDOCUMENT,
            "SELECT growth_documents.pupil_id, count(*) FROM growth_documents "
            "JOIN pupils ON pupils.id = growth_documents.pupil_id "
            "WHERE pupils.school_id = ? AND growth_documents.status != ? "
            "GROUP BY growth_documents.pupil_id",
            (school_id, closed),
        ),
        (
            DocumentKind.OPP,
            "SELECT opps.pupil_id, count(*) FROM opps JOIN pupils ON pupils.id = opps.pupil_id "
            "WHERE pupils.school_id = ? AND (opps.end_date IS NULL OR opps.end_date >= ?) "
            "GROUP BY opps.pupil_id",
            (school_id, iso_today),
        ),
    ):
        key = kind.value
        for pupil_id, n in con.execute(sql(query), params):
            documents.setdefault(pupil_id, {})[key] = n
    data = assemble(levels, pupils, groups, areas, documents, {}, today=today)
    return school_id, data

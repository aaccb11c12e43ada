"""SQLCipher: connections to encrypted SQLite files, and turning a plain file into one.

An encrypted file starts with random bytes instead of "SQLite format 3"; the key file beside it
(see :mod:`.keys`) says which key it needs. Connections get the raw 256-bit key (``PRAGMA key =
"x'...'"``), so SQLCipher's own password derivation (256,000 rounds of PBKDF2 on every
connection) is skipped: the password was stretched once, with Argon2id, when it was unlocked.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from . import keys

SQLITE_HEADER = b"SQLite format 3\x00"

#: SQLite's page cache of an encrypted connection, in KiB (SQLite's default is 2 MiB). For a plain
#: file the operating system's cache holds the pages ready to use; for an encrypted one it holds
#: ciphertext, and every page read again is decrypted and its HMAC checked again. A cache that
#: holds a school's working set keeps the decrypted pages: in an A/B on the 50,000-pupil file
#: the evaluation schedule took 1.36x the plain time with the default cache and 1.13x with this
#: one. Only pages actually read take memory. Smaller caches were measured too (README, "Encrypted
#: database"): the schedule on 50,000 pupils took 766 ms with 64 MiB, 938 ms with 32 MiB and
#: 1070 ms with 16 MiB (plain 599-704 ms), its process peaking at 191, 158 and 141 MB (plain 118):
#: only 64 MiB keeps the schedule within 1.25x. The GUI's peak as case 8 measures it (the list
#: painted) does not include it: the first paint reads through its own connection with SQLite's
#: default cache; once the database is attached, the cache fills up to 64 MiB as pages are read.
ENCRYPTED_CACHE_KIB = 65536


def _errors() -> tuple[type[Exception], ...]:
    try:
        import sqlcipher3
    except ImportError:  # pragma: no cover - a dependency; plain files still work without it
        return (sqlite3.Error,)
    return (sqlite3.Error, sqlcipher3.Error)


#: The errors of both drivers (a plain file through sqlite3, an encrypted one through sqlcipher3).
DB_ERRORS: tuple[type[Exception], ...] = _errors()
#: The same with OSError: what reading or copying a file may raise.
FILE_ERRORS: tuple[type[Exception], ...] = (OSError, *DB_ERRORS)


def is_encrypted_file(path: Path) -> bool:
    """True for an encrypted database file (or a new, empty one meant to be encrypted)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except FileNotFoundError:
        header = b""
    except OSError:
        return False
    if header == SQLITE_HEADER:
        return False
    return keys.key_id_for(path) is not None


def key_pragma(key: bytes) -> str:
    """The statement that gives a connection its raw key."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, *, readonly: bool = False, timeout: float = 5.0) -> Any:
    """A DB-API connection to ``path``: sqlcipher3 with the key when it is encrypted."""
    target: str | Path = path
    uri = False
    if readonly:
        target, uri = Path(path).resolve().as_uri() + "?mode=ro", True
    if not is_encrypted_file(path):
        return sqlite3.connect(target, uri=uri, timeout=timeout)
    import sqlcipher3

    key = keys.unlocked_key(path)
    con = sqlcipher3.connect(target, uri=uri, timeout=timeout)
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(key_pragma(key))
    return con


def set_encrypted_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """The connection settings of an encrypted file (the key itself is in the URL)."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
    cur.close()


def engine_url(url: sa.URL, path: Path | None) -> sa.URL:
    """``url`` for SQLAlchemy: the SQLCipher dialect with the raw key for an encrypted file.

    SQLAlchemy hides the password (the key) whenever a URL is shown or logged.
    """
    if path is None or not is_encrypted_file(path):
        return url
    key = keys.unlocked_key(path)
    return url.set(drivername="sqlite+pysqlcipher", password=f"x'{key.hex()}'")


def export_encrypted(plain: Path, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain file ``plain`` to the new file ``target``.

    SQLCipher's ``sqlcipher_export`` copies schema and rows into an attached, keyed database; the
    schema version Alembic reads lives in a table, so nothing else needs copying.
    """
    import sqlcipher3

    con = sqlcipher3.connect(plain)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(
            "ATTACH DATABASE ? AS encrypted KEY \"x'" + key.hex() + "'\"", (os.fspath(target),)
        )
        con.execute("SELECT sqlcipher_export('encrypted')")
        con.execute("DETACH DATABASE encrypted")
    finally:
        con.close()


def table_counts(con: Any) -> dict[str, int]:
    """The number of rows of every table (to compare a copy with its original)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}

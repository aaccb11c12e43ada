"""SQLite files read and copied without an engine: consistent copies, restores, checks.

Every copy is written under a temporary name, flushed and renamed, so a crash or a full disk never
leaves half a file under the real name.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ..private_files import create_private_file, make_private_dirs
from . import keys
from .cipher import DB_ERRORS, connect, export_encrypted, is_encrypted_file, table_counts
from .engine import BUSY_TIMEOUT_MS
from .errors import DamagedDatabaseError, DatabaseError, NotOurDatabaseError
from .locations import sqlite_path


def _connect_readonly(path: Path) -> Any:
    return connect(path, readonly=True)


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
    The copy of an encrypted database is encrypted with the same key (SQLCipher's backup API
    copies between two databases with one key); the caller puts the key file beside it
    (:func:`.keys.copy_key_file`).
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
        key_id = keys.key_id_for(path) if is_encrypted_file(path) else None
        if key_id is not None:
            keys.bind(tmp, key_id)
            keys.bind(target, key_id)
        src = _connect_readonly(path)
        try:
            dst = connect(tmp)
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
    con = connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
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
        _swap_key_file(backup, target)
        os.replace(staged, target)
    except BaseException:
        for extra in ("", "-wal", "-shm", "-journal", ".part", ".part-journal"):
            Path(str(staged) + extra).unlink(missing_ok=True)
        raise
    _fsync_path(target.parent)


def _swap_key_file(backup: Path, target: Path) -> None:
    """The key file the restored database needs, in place before the database itself.

    The target's own key file is kept when it holds the same key (its slots are the newer ones:
    a person removed since the backup stays removed); otherwise the backup's is copied. A plain
    backup put back over an encrypted database leaves a plain database: its key file goes.
    """
    backup_keys = keys.key_file_path(backup)
    if not is_encrypted_file(backup):
        keys.key_file_path(target).unlink(missing_ok=True)
        return
    if not backup_keys.exists():
        raise DatabaseError(keys.read_key_file_missing_message(backup))
    if keys.key_file_path(target).exists():
        try:
            if keys.read_key_file(target).key_id == keys.read_key_file(backup).key_id:
                return
        except keys.KeyFileError:
            pass  # a damaged key file of the target is replaced
    keys.copy_key_file(backup, target)


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
    except DB_ERRORS as exc:
        text = str(exc).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return True
        raise
    return any(r != "ok" for r in rows)


def file_integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's integrity check of a file, read-only (for backups and restored files)."""
    try:
        con = _connect_readonly(path)
    except DB_ERRORS as exc:
        return [str(exc)]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        rows += [f"verwijzing {r[0]}->{r[2]}" for r in con.execute("PRAGMA foreign_key_check")]
    except DB_ERRORS as exc:
        return [str(exc)]
    finally:
        con.close()
    return [r for r in rows if r != "ok"]


def file_revision(path: Path) -> str | None:
    """The schema revision stored in a SQLite file (read-only), or None when it has none."""
    try:
        con = _connect_readonly(path)
    except DB_ERRORS:
        return None
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (TypeError, *DB_ERRORS):  # type: ignore[misc]
        return None
    finally:
        con.close()


def _probe_sqlite(path: Path, *, check_integrity: bool) -> tuple[str | None, set[str], list[str]]:
    """Revision, tables and (optionally) integrity problems, read without writing."""
    try:
        con = _connect_readonly(path)
    except DB_ERRORS as exc:
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
    except DB_ERRORS as exc:
        text = str(exc)
        unreadable = "not a database" in text or "malformed" in text or "corrupt" in text
        if unreadable and (check_integrity or "malformed" in text):
            return "damaged", set(), [text]
        raise NotOurDatabaseError(
            f"Dit bestand kan niet als database worden gelezen; het is niet gewijzigd. ({exc})"
        ) from exc
    finally:
        con.close()
    return rev, tables, problems


def encrypt_file(path: Path, new: keys.NewKey) -> dict[str, int]:
    """Replace the plain database ``path`` by an encrypted copy; the row counts of every table.

    The caller holds the instance lock and made a backup. The encrypted copy is written beside
    the file (same disk), checked (SQLite's full integrity check and every table's row count
    equal to the original's) and only then renamed over it, after the key file is in place: a
    crash at any moment leaves either the plain database or the encrypted one, each openable.
    """
    if is_encrypted_file(path):
        raise DatabaseError(f"De database '{path.name}' is al versleuteld.")
    staged = path.with_name(f".{path.name}.versleutelen")
    extras = ("", "-wal", "-shm", "-journal")
    for extra in extras:
        Path(str(staged) + extra).unlink(missing_ok=True)
    try:
        _fold_wal(path)
        plain = sqlite3.connect(path)
        try:
            before = table_counts(plain)
        finally:
            plain.close()
        create_private_file(staged)
        export_encrypted(path, staged, new.key)
        keys.bind(staged, new.key_file.key_id)
        keys.bind(path, new.key_file.key_id)
        copy = connect(staged)
        try:
            problems = [r[0] for r in copy.execute("PRAGMA integrity_check") if r[0] != "ok"]
            after = table_counts(copy)
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
        if problems or after != before:
            raise DamagedDatabaseError(
                "De versleutelde kopie klopt niet met het origineel; de database is niet "
                "gewijzigd. (" + ("; ".join(problems[:3]) or "andere aantallen") + ")"
            )
        keys.write_key_file(path, new.key_file)
        _fsync_path(staged)
        os.replace(staged, path)
    except BaseException:
        for extra in extras:
            Path(str(staged) + extra).unlink(missing_ok=True)
        if not is_encrypted_file(path) and path.exists():
            keys.key_file_path(path).unlink(missing_ok=True)
        keys._BOUND.pop(keys._norm(path), None)
        raise
    _fsync_path(path.parent)
    return after

"""Making a backup: a consistent copy, checked completely before it gets its real name.

The copy is made with SQLite's online backup API (a file copy of a live database can catch it
halfway through a save), written under a temporary name, checked with SQLite's full integrity
check and only then renamed, so the backup folder never holds half a backup, even when the disk
fills up or the laptop dies.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from filelock import Timeout

from ..recovery import fsync_dir
from ..storage import FILE_ERRORS, Database, MigrationError, backup_sqlite, keys
from .checking import verify_backup
from .common import (
    AUTO,
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    SUFFIX,
    TIMESTAMP,
    BackupError,
    _is_disk_full,
    _is_read_only,
    _os_message,
    database_file,
)
from .folder import (
    _remove_temps,
    backup_folder,
    check_folder_writable,
    default_backup_folder,
    folder_lock,
)
from .listing import BackupInfo, Counts, backup_name, rotate

log = logging.getLogger(__name__)

#: How long a backup waits for another one writing into the same folder.
FOLDER_LOCK_WAIT = 120.0


def _unique_target(folder: Path, stem: str, now: datetime, reason: str) -> Path:
    target = folder / backup_name(stem, now, reason)
    n = 2
    while target.exists():
        target = folder / f"{stem}_{now.strftime(TIMESTAMP)}_{reason}_{n}{SUFFIX}"
        n += 1
    return target


def make_backup(
    database: Database | Path | str | None,
    folder: Path | None = None,
    *,
    reason: str = AUTO,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    rotation: bool | None = None,
) -> BackupInfo:
    """Back up the database into ``folder`` (default: the chosen backup folder).

    Raises :class:`BackupError` with a Dutch sentence when it cannot be done (full disk,
    read-only folder, a server database); the database itself is only read, and the folder never
    keeps a half-written or unchecked file. Automatic backups are rotated afterwards.
    """
    source = database_file(database)
    if not source.exists():
        raise BackupError(f"De database '{source}' bestaat niet; er is geen back-up gemaakt.")
    if folder is None:
        folder = backup_folder()
        check_folder_writable(folder, create=folder == default_backup_folder())
    else:
        folder = Path(folder)
        check_folder_writable(folder)
    now = (now or datetime.now()).replace(microsecond=0)
    lock = folder_lock(folder)
    try:  # one backup at a time per folder; a killed one's leftovers go first
        lock.acquire(timeout=FOLDER_LOCK_WAIT)
    except Timeout as exc:
        raise BackupError(
            f"Er wordt al een back-up gemaakt in '{folder}' (door dit of een ander programma). "
            "Probeer het zo opnieuw; uw gegevens zijn niet gewijzigd."
        ) from exc
    try:
        _remove_temps(folder)
        target = _unique_target(folder, source.stem, now, reason)
        counts = _write_checked(source, target, folder, progress)
    finally:
        lock.release()
    if rotation is None:
        rotation = reason in (AUTO, BEFORE_RESTORE) or reason.startswith(BEFORE_UPGRADE)
    if rotation:
        try:
            rotate(folder, source.stem)
        except OSError as exc:  # a rotation problem never spoils a good backup
            log.warning("Rotatie van de back-ups mislukt: %s", exc)
    return BackupInfo(target, now, reason, target.stat().st_size, counts)


def _write_checked(
    source: Path, target: Path, folder: Path, progress: Callable[[int, int], None] | None
) -> Counts | None:
    """Copy ``source`` to ``target`` under a temporary name, check it, then give it its name."""
    unchecked = target.with_name(target.name + ".part-check")
    try:
        backup_sqlite(source, unchecked, progress=progress, pages_per_step=4096)
    except FILE_ERRORS as exc:
        unchecked.unlink(missing_ok=True)
        if _is_disk_full(exc) or _is_read_only(exc) or isinstance(exc, OSError):
            raise BackupError("De back-up is niet gemaakt. " + _os_message(exc, folder)) from exc
        raise BackupError(
            f"Van de database '{source.name}' kan geen back-up worden gemaakt ({exc}); "
            "de database is niet gewijzigd."
        ) from exc
    try:
        counts = verify_backup(unchecked)
        keys.copy_key_file(source, target)  # an encrypted backup opens on another laptop too
        os.replace(unchecked, target)
    except BaseException:
        for extra in ("", "-wal", "-shm"):
            Path(str(unchecked) + extra).unlink(missing_ok=True)
        if not target.exists():
            keys.key_file_path(target).unlink(missing_ok=True)
        raise
    for extra in ("-wal", "-shm"):  # left by the read-only check
        Path(str(unchecked) + extra).unlink(missing_ok=True)
    fsync_dir(folder)
    return counts


def backup_before_upgrade(path: Path, revision: str, *, folder: Path | None = None) -> BackupInfo:
    """The backup a schema upgrade needs first; a :class:`MigrationError` when it fails.

    Given to :func:`ib_desktop.storage.open_database` as its ``before_upgrade`` (by
    :func:`ib_desktop.database.open_database`): without this backup there is no upgrade.
    """
    try:
        return make_backup(path, folder=folder, reason=f"{BEFORE_UPGRADE}-{revision}")
    except BackupError as exc:
        raise MigrationError(
            "De database moet worden bijgewerkt, maar eerst moet er een back-up worden "
            f"gemaakt en dat lukte niet: {exc} De database is niet gewijzigd."
        ) from exc

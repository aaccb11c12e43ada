"""Putting a backup back: checked first, the current database kept, one atomic swap at the end."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..recovery import fsync_dir
from ..storage import (
    FILE_ERRORS,
    Database,
    DatabaseError,
    DatabaseLockedError,
    file_damage,
    instance_lock,
    refuse_foreign,
    remove_restore_leftovers,
    restore_sqlite,
)
from .checking import _check_not_newer, verify_backup
from .common import (
    BEFORE_RESTORE,
    SUFFIX,
    TIMESTAMP,
    BackupError,
    _is_disk_full,
    _is_read_only,
    database_file,
    folder_free_space,
    format_size,
)
from .folder import backup_folder
from .listing import Counts, read_counts
from .making import make_backup

log = logging.getLogger(__name__)


def clean_restore_leftovers(target: Path) -> list[Path]:
    """Remove the copy a killed restore left beside the database (call with its lock held)."""
    return remove_restore_leftovers(target)


@dataclass
class RestoreResult:
    """What a restore did: the counts now in the database and where the old one went."""

    target: Path
    counts: Counts
    safety_backup: Path | None = None
    moved_aside: list[Path] = field(default_factory=list)


def move_aside(path: Path, now: datetime | None = None) -> list[Path]:
    """Move a (damaged) database and its journal files to "<name>.beschadigd-<moment>.sqlite".

    The database is kept, never overwritten: someone may still rescue data from it.
    """
    stamp = (now or datetime.now()).strftime(TIMESTAMP)
    aside = path.with_name(f"{path.stem}.beschadigd-{stamp}{path.suffix or SUFFIX}")
    n = 2
    while aside.exists():
        aside = path.with_name(f"{path.stem}.beschadigd-{stamp}-{n}{path.suffix or SUFFIX}")
        n += 1
    moved = []
    for extra in ("", "-wal", "-shm", "-journal", ".keys"):  # an encrypted one keeps its key
        src = Path(str(path) + extra)
        if src.exists():
            dst = Path(str(aside) + extra)
            os.replace(src, dst)
            moved.append(dst)
    fsync_dir(path.parent)
    return moved


#: Room kept free on top of the copies a restore writes (SQLite's journal, the file system).
RESTORE_MARGIN = 256 * 1024


def _size_with_log(path: Path) -> int:
    return sum(
        Path(str(path) + extra).stat().st_size
        for extra in ("", "-wal")
        if Path(str(path) + extra).exists()
    )


def _device(folder: Path) -> int | None:
    try:
        return folder.stat().st_dev
    except OSError:
        return None


def check_restore_space(backup: Path, target: Path, safety_folder: Path | None) -> None:
    """Raise a Dutch :class:`BackupError` when a restore would not fit, before anything changes.

    A restore writes a safety copy of the current database into ``safety_folder`` (None when
    the current one is damaged and only moved aside) and a complete copy of the backup beside
    the database; on one disk both must fit at once.
    """
    needs: dict[int | None, int] = {}
    folders: dict[int | None, Path] = {}
    beside = target.parent
    dev = _device(beside)
    needs[dev] = backup.stat().st_size + RESTORE_MARGIN
    folders[dev] = beside
    if safety_folder is not None and target.exists():
        probe = safety_folder if safety_folder.exists() else safety_folder.parent
        sdev = _device(probe)
        needs[sdev] = needs.get(sdev, 0) + _size_with_log(target) + RESTORE_MARGIN
        folders.setdefault(sdev, probe)
    for dev, needed in needs.items():
        free = folder_free_space(folders[dev])
        if free is not None and free < needed:
            raise BackupError(
                f"De schijf is te vol om de back-up terug te zetten: er is {format_size(free)} "
                f"vrij in '{folders[dev]}' en er is {format_size(needed)} nodig. Er is niets "
                "veranderd: de huidige database staat nog op zijn plaats. Maak ruimte vrij en "
                "probeer het opnieuw."
            )


def _restore_failed(exc: BaseException, target: Path) -> BackupError:
    """The Dutch message of a restore that failed before the swap: nothing changed."""
    unchanged = " De huidige database staat nog op zijn plaats en is niet gewijzigd."
    if isinstance(exc, BackupError):
        return exc
    if _is_disk_full(exc):
        return BackupError(
            "Er is niet genoeg schijfruimte om de back-up terug te zetten: de schijf is vol."
            + unchanged
            + " Maak ruimte vrij en probeer het opnieuw."
        )
    if _is_read_only(exc):
        return BackupError(
            f"In de map '{target.parent}' kan niet worden geschreven (alleen-lezen of geen "
            "toegang), dus de back-up kon niet worden teruggezet." + unchanged
        )
    if isinstance(exc, DatabaseError):
        return BackupError(f"{exc}{unchanged}")
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return BackupError(
            "De database is nog in gebruik (door dit of een ander programma), dus de back-up kon "
            "niet worden teruggezet. Sluit het andere programma en probeer het opnieuw." + unchanged
        )
    if "disk i/o error" in text or "unable to open" in text:
        return BackupError(
            f"De database '{target.name}' kon niet worden gelezen (een schijffout, geen toegang, "
            "of te weinig ruimte voor SQLite's hulpbestanden), dus de back-up is niet "
            "teruggezet." + unchanged
        )
    detail = getattr(exc, "strerror", None) or type(exc).__name__
    return BackupError(f"Het terugzetten is mislukt ({detail})." + unchanged)


def restore_backup(
    backup: Path,
    database: Database | Path | str | None,
    *,
    folder: Path | None = None,
    lock_held: bool = False,
    damaged: bool | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Put ``backup`` back as the database, after backing up (or moving aside) the current one.

    The order makes every step safe. The backup is checked completely first, and the free space
    for what the restore writes. The current database is backed up (when it is damaged it is
    kept instead: moved aside, never overwritten). Then a copy of the backup is written beside
    the database, flushed and checked (integrity and the counts of the backup), and only that
    finished copy is renamed over the database, in one step. Any failure before that step leaves
    the database at its path, byte for byte, and says what happened; a copy half written is
    removed. ``database`` as a :class:`Database` is disposed first; unless ``lock_held`` the
    file is claimed so that no other instance of the app has it open. ``damaged`` None means:
    find out with a quick check (an error that is no sign of damage, such as a full disk, is
    reported, not taken for damage).
    """
    target = database_file(database)
    backup = Path(backup)
    if not backup.exists():
        raise BackupError(f"De back-up '{backup}' bestaat niet.")
    if target.exists() and backup.resolve() == target.resolve():
        raise BackupError("Dit is de database zelf, geen back-up.")
    _check_not_newer(backup)
    expected = verify_backup(backup)
    if expected is None:  # pragma: no cover - _check_not_newer refuses these first
        raise BackupError(f"De back-up '{backup.name}' kan niet worden gelezen.")
    lock = None
    if not lock_held:
        try:
            lock = instance_lock(target)
        except DatabaseLockedError as exc:
            raise BackupError(
                "De database is geopend in IB Desktop. Sluit het programma eerst, of zet de "
                "back-up terug vanuit het programma (Bestand > Back-up terugzetten)."
            ) from exc
    if isinstance(database, Database):
        database.dispose()
    try:
        clean_restore_leftovers(target)
        return _restore_locked(backup, target, expected, folder, damaged, now)
    finally:
        if lock is not None:
            lock.release()


def _restore_locked(
    backup: Path,
    target: Path,
    expected: Counts,
    folder: Path | None,
    damaged: bool | None,
    now: datetime | None,
) -> RestoreResult:
    result = RestoreResult(target=target, counts=expected)
    exists = target.exists()
    safety_folder = None
    if exists and not damaged:
        safety_folder = Path(folder) if folder is not None else backup_folder()
    check_restore_space(backup, target, safety_folder)
    refuse_foreign(target)  # another program's file is never replaced (nor moved aside)
    if exists and damaged is None:
        try:
            damaged = file_damage(target)
        except FILE_ERRORS as exc:
            raise _restore_failed(exc, target) from exc
    if exists and not damaged:
        safety = make_backup(target, folder, reason=BEFORE_RESTORE, now=now)
        result.safety_backup = safety.path
    _swap_in(backup, result, expected, aside=exists and bool(damaged), now=now)
    result.counts = expected
    return result


def _swap_in(
    backup: Path, result: RestoreResult, expected: Counts, *, aside: bool, now: datetime | None
) -> None:
    """Put a checked copy of ``backup`` in place; a damaged database is moved aside first."""
    target = result.target

    def same_counts(copy: Path) -> None:
        actual = read_counts(copy)
        if actual != expected:
            raise BackupError(
                "De kopie van de back-up heeft andere aantallen dan de back-up zelf; er is "
                "niets teruggezet."
            )

    def move_damaged_aside() -> None:
        result.moved_aside = move_aside(target, now)

    try:
        if aside:
            restore_sqlite(backup, target, check=same_counts, before_swap=move_damaged_aside)
        else:
            restore_sqlite(backup, target, check=same_counts)
    except BaseException as exc:
        if result.moved_aside and not target.exists():
            _move_back(result.moved_aside, target)  # the swap itself failed: put it back
            result.moved_aside = []
        if isinstance(exc, (*FILE_ERRORS, DatabaseError)):
            raise _restore_failed(exc, target) from exc
        raise


def _move_back(moved: list[Path], target: Path) -> None:
    main, extras = moved[0], moved[1:]
    for path in [main, *extras]:
        suffix = str(path)[len(str(main)) :]
        try:
            os.replace(path, Path(str(target) + suffix))
        except OSError as exc:  # pragma: no cover - the same folder; logged, never hidden
            log.error("Database %s kon niet worden teruggezet op zijn plaats: %s", path, exc)
    fsync_dir(target.parent)

"""Checking a backup completely before it is kept or put back, and finding the newest good one."""

from __future__ import annotations

import logging
from pathlib import Path

from ..storage import DatabaseError, NewerDatabaseError, file_integrity_problems, file_revision
from .common import BackupError
from .listing import BackupInfo, Counts, list_backups, read_counts

log = logging.getLogger(__name__)


def verify_backup(path: Path) -> Counts | None:
    """Check a backup completely (integrity, ours, readable); its counts, or a BackupError.

    The counts are None for a database of a newer version of the app: it can be backed up (and
    kept), but this version cannot read its tables.
    """
    problems = file_integrity_problems(path)
    if problems:
        raise BackupError(
            f"De back-up '{path.name}' is beschadigd en kan niet worden gebruikt "
            f"({'; '.join(problems[:3])})."
        )
    if file_revision(path) is None:
        raise BackupError(f"'{path.name}' is geen back-up van een IB Desktop-database.")
    try:
        return read_counts(path)
    except NewerDatabaseError:
        return None
    except DatabaseError as exc:
        raise BackupError(f"De back-up '{path.name}' kan niet worden gebruikt: {exc}") from exc


def newest_good_backup(folder: Path | None = None, *, stem: str) -> BackupInfo | None:
    """The newest backup of ``stem`` that passes the full integrity check."""
    for info in list_backups(folder, stem=stem, counts=False):
        try:
            counts = verify_backup(info.path)
        except BackupError as exc:
            log.warning("Back-up %s overgeslagen: %s", info.path.name, exc)
            continue
        return BackupInfo(info.path, info.created, info.reason, info.size, counts)
    return None


def _check_not_newer(backup: Path) -> None:
    from ..migrations import KNOWN_REVISIONS

    rev = file_revision(backup)
    if rev is not None and rev not in KNOWN_REVISIONS:
        raise BackupError(
            f"De back-up '{backup.name}' is gemaakt met een nieuwere versie van IB Desktop. "
            "Werk het programma eerst bij."
        )

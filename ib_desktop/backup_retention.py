"""Backups and the retention term: a deleted file must not live on in old backups.

Backups older than the longest retention term (by default three years) can only hold files that
should be gone by now. The app's own backups (automatic ones and the safety copies made before a
restore or an upgrade) past that age rotate out; backups the user made by hand are the user's:
they are listed, with the advice to delete them, never removed silently.

Everything goes through :mod:`ib_desktop.backup`'s public functions (the list of backups, their
kind and moment, the folder lock that keeps a backup being written safe).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from ib_desktop import backup as bk

if TYPE_CHECKING:
    from ib_desktop.storage import Database


@dataclass(frozen=True)
class ExpiredBackups:
    """The backups older than the term, split by who made them."""

    cutoff: datetime
    own: list[bk.BackupInfo] = field(default_factory=list)  # the app's: rotate out
    manual: list[bk.BackupInfo] = field(default_factory=list)  # the user's: listed

    @property
    def total(self) -> int:
        """How many backups are past the term."""
        return len(self.own) + len(self.manual)


def cutoff_for(years: int, today: date) -> datetime:
    """The moment before which a backup is past a term of ``years``."""
    return datetime.combine(today - relativedelta(years=years), datetime.min.time())


def expired_backups(folder: Path, stem: str, *, years: int, today: date) -> ExpiredBackups:
    """The backups of database ``stem`` in ``folder`` made before the term began."""
    cutoff = cutoff_for(years, today)
    old = [b for b in bk.list_backups(folder, stem=stem, counts=False) if b.created < cutoff]
    return ExpiredBackups(
        cutoff=cutoff,
        own=[b for b in old if b.reason != bk.MANUAL],
        manual=[b for b in old if b.reason == bk.MANUAL],
    )


def rotate_expired(folder: Path, stem: str, *, years: int, today: date) -> list[Path]:
    """Remove the app's own backups past the term; returns what was removed.

    Holds the backup folder's lock, so a backup being written at the same moment is left whole.
    Manual backups stay (see :func:`expired_backups`).
    """
    removed = []
    with bk.folder_lock(folder):
        for info in expired_backups(folder, stem, years=years, today=today).own:
            try:
                info.path.unlink()
            except FileNotFoundError:
                continue
            removed.append(info.path)
    return removed


def for_database(database: Database | Path | str) -> tuple[Path, str] | None:
    """The backup folder and the file stem of a database; None when it has no file backups."""
    try:
        source = bk.database_file(database)
    except bk.BackupNotPossibleError:
        return None  # a server database: its administrator keeps the backups
    return bk.backup_folder(), source.stem

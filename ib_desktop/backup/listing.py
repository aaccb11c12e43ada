"""Backups as the lists show them (what each holds, why it was made), and their rotation.

Automatic backups rotate grandfather-father-son style (the newest of each of the last 7 days,
4 weeks and 12 months); backups made by hand are kept until the user removes them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..storage import FILE_ERRORS, Database, DatabaseError, keys
from .common import (
    AUTO,
    AUTO_INTERVAL,
    BEFORE_RESTORE,
    BEFORE_UPGRADE,
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_SAFETY,
    KEEP_WEEKLY,
    MANUAL,
    NAME_RE,
    SUFFIX,
    TIMESTAMP,
    database_file,
)
from .folder import backup_folder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    """What a database holds, to show beside a backup and to compare after a restore."""

    pupils: int
    interventions: int
    growth_documents: int
    opps: int

    @property
    def documents(self) -> int:
        """Korte interventies, groeidocumenten and OPP's together."""
        return self.interventions + self.growth_documents + self.opps


def read_counts(path: Path) -> Counts:
    """Count pupils and documents in a database file, opened read-only."""
    import sqlalchemy as sa

    from ..models import GrowthDocument, Opp, Pupil, ShortIntervention
    from ..storage import open_database

    db = open_database(path, readonly=True, migrate=False)
    try:
        with db.engine.connect() as conn:

            def count(model: Any) -> int:
                stmt = sa.select(sa.func.count()).select_from(sa.table(model.__tablename__))
                return int(conn.execute(stmt).scalar() or 0)

            return Counts(
                pupils=count(Pupil),
                interventions=count(ShortIntervention),
                growth_documents=count(GrowthDocument),
                opps=count(Opp),
            )
    finally:
        db.dispose()


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the lists show it."""

    path: Path
    created: datetime
    reason: str
    size: int
    counts: Counts | None = None
    problem: str | None = None

    @property
    def pupils(self) -> int | None:
        """Number of pupils in the backup (None when it could not be read)."""
        return self.counts.pupils if self.counts else None

    @property
    def documents(self) -> int | None:
        """Number of documents in the backup (None when it could not be read)."""
        return self.counts.documents if self.counts else None

    @property
    def kind(self) -> str:
        """Why the backup was made, in Dutch."""
        return reason_label(self.reason)


def reason_label(reason: str) -> str:
    """ "automatisch", "handmatig", "vóór terugzetten", "vóór bijwerken"."""
    if reason == AUTO:
        return "automatisch"
    if reason == MANUAL:
        return "handmatig"
    if reason == BEFORE_RESTORE:
        return "vóór terugzetten"
    if reason.startswith(BEFORE_UPGRADE):
        return "vóór bijwerken"
    if reason == "voor-schooljaarovergang":
        return "vóór overgang naar nieuw schooljaar"
    return reason


def parse_name(name: str) -> tuple[str, datetime, str] | None:
    """(database name, moment, reason) from a backup's file name; None for other files."""
    m = NAME_RE.match(name)
    if not m:
        return None
    try:
        created = datetime.strptime(m["ts"], TIMESTAMP)
    except ValueError:
        return None
    return m["stem"], created, m["reason"]


def backup_name(stem: str, now: datetime, reason: str) -> str:
    """The file name of a backup of the database ``stem`` made at ``now``."""
    return f"{stem}_{now.strftime(TIMESTAMP)}_{reason}{SUFFIX}"


def describe(path: Path, *, counts: bool = True) -> BackupInfo | None:
    """A :class:`BackupInfo` of one file (None when the name is not a backup's name)."""
    parsed = parse_name(path.name)
    if parsed is None:
        return None
    _stem, created, reason = parsed
    try:
        size = path.stat().st_size
    except OSError:
        return None
    info_counts, problem = None, None
    if counts:
        try:
            info_counts = read_counts(path)
        except (DatabaseError, *FILE_ERRORS) as exc:  # type: ignore[misc]
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - a broken file must not break the list
            problem = f"onleesbaar ({exc})"
    return BackupInfo(path, created, reason, size, info_counts, problem)


def list_backups(
    folder: Path | None = None, *, stem: str | None = None, counts: bool = True
) -> list[BackupInfo]:
    """The backups in ``folder`` (of the database ``stem`` when given), newest first."""
    folder = folder or backup_folder()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = parse_name(path.name)
        if parsed is None or (stem is not None and parsed[0] != stem):
            continue
        info = describe(path, counts=counts)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


# ---------------------------------------------------------------------------- rotation
def select_to_keep(
    stamps: Iterable[datetime],
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[datetime]:
    """Grandfather-father-son: which backups (by moment) a rotation keeps.

    Going from new to old, the newest backup of each day is kept until ``daily`` days are
    covered, the newest of each ISO week until ``weekly`` weeks are, and the newest of each month
    until ``monthly`` months are. Only periods that have a backup count, so a laptop that was off
    for a month still keeps 7 daily backups. The newest backup is always kept.
    """
    ordered = sorted(set(stamps), reverse=True)
    keep: set[datetime] = set(ordered[:1])
    rules: list[tuple[int, Callable[[datetime], object]]] = [
        (daily, lambda d: d.date()),
        (weekly, lambda d: tuple(d.isocalendar())[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ]
    for limit, period_of in rules:
        periods: set[object] = set()
        for stamp in ordered:
            period = period_of(stamp)
            if period in periods:
                continue
            if len(periods) >= limit:
                break
            periods.add(period)
            keep.add(stamp)
    return keep


def rotate(folder: Path, stem: str) -> list[Path]:
    """Remove the automatic backups the rotation drops and old safety copies; returns them."""
    backups = list_backups(folder, stem=stem, counts=False)
    autos = [b for b in backups if b.reason == AUTO]
    keep = select_to_keep(b.created for b in autos)
    doomed = [b.path for b in autos if b.created not in keep]
    # Several automatic backups within one second: keep one of them.
    seen: set[datetime] = set()
    for b in autos:
        if b.created in keep:
            if b.created in seen:
                doomed.append(b.path)
            seen.add(b.created)
    safety = [
        b for b in backups if b.reason == BEFORE_RESTORE or b.reason.startswith(BEFORE_UPGRADE)
    ]
    doomed += [b.path for b in safety[KEEP_SAFETY:]]
    removed = []
    for path in doomed:
        try:
            path.unlink()
            keys.key_file_path(path).unlink(missing_ok=True)
            removed.append(path)
        except OSError as exc:
            log.warning("Oude back-up %s kon niet worden verwijderd: %s", path, exc)
    return removed


def newest_backup(
    folder: Path | None = None, *, stem: str, reason: str | None = None
) -> BackupInfo | None:
    """The newest backup of ``stem`` (of one kind when ``reason`` is given), without counts."""
    for info in list_backups(folder, stem=stem, counts=False):
        if reason is None or info.reason == reason:
            return info
    return None


def backup_due(
    database: Database | Path | str | None,
    folder: Path | None = None,
    *,
    now: datetime | None = None,
    interval: timedelta = AUTO_INTERVAL,
) -> bool:
    """Is an automatic backup due (none yet, or the newest is older than ``interval``)?"""
    source = database_file(database)
    now = now or datetime.now()
    newest = newest_backup(folder, stem=source.stem, reason=AUTO)
    return newest is None or now - newest.created >= interval


def latest_backup_for(
    database: Database | Path | str | None, folder: Path | None = None
) -> BackupInfo | None:
    """The newest backup (of any kind) of this database in the folder, with its counts."""
    stem = database_file(database).stem
    backups = list_backups(folder, stem=stem, counts=False)
    return describe(backups[0].path) if backups else None

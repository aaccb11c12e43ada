"""Backups of the database: made safely, kept in rotation, listed, checked and restored.

A backup is a consistent copy made with SQLite's online backup API (a file copy of a live
database can catch it halfway through a save). Every copy is written under a temporary name,
checked with SQLite's full integrity check and only then renamed to its real name, so the backup
folder never holds half a backup, even when the disk fills up or the laptop dies. Automatic
backups rotate grandfather-father-son style (the newest of each of the last 7 days, 4 weeks and
12 months); backups made by hand are kept until the user removes them.

The backup folder must be known before a database is opened (a schema upgrade backs up first),
so it lives in a small JSON file in the user's configuration folder, not in the database.

A database on a server (PostgreSQL) is backed up by the server's administrator; every function
here says so with :class:`BackupNotPossibleError` instead of failing somewhere deeper.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import Timeout

from . import APP_SLUG
from .recovery import atomic_write_bytes, fsync_dir
from .storage import (
    Database,
    DatabaseError,
    DatabaseLockedError,
    NewerDatabaseError,
    backup_sqlite,
    file_damage,
    file_integrity_problems,
    file_revision,
    instance_lock,
    is_disk_full,
    make_private_dirs,
    refuse_foreign,
    remove_restore_leftovers,
    resolve_url,
    restore_sqlite,
    sqlite_path,
    tighten_app_folder,
)

log = logging.getLogger(__name__)

CONFIG_NAME = "backup.json"
SUFFIX = ".sqlite"
TIMESTAMP = "%Y-%m-%d_%H%M%S"
#: "<database name>_<date>_<time>_<reason>.sqlite", e.g. "ib-desktop_2026-11-18_140500_auto.sqlite".
NAME_RE = re.compile(
    r"^(?P<stem>.+)_(?P<ts>\d{4}-\d{2}-\d{2}_\d{6})_(?P<reason>[a-z0-9-]+)(?:_(?P<n>\d+))?\.sqlite$"
)

AUTO = "auto"
MANUAL = "handmatig"
BEFORE_RESTORE = "voor-terugzetten"
BEFORE_UPGRADE = "voor-upgrade"  # followed by "-<old revision>"

#: The rotation of automatic backups: the newest backup of each of the last N days/weeks/months.
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
#: Safety copies made before a restore or an upgrade: the newest this many are kept.
KEEP_SAFETY = 10
#: How often a running app makes an automatic backup.
AUTO_INTERVAL = timedelta(hours=24)


class BackupError(DatabaseError):
    """A backup or restore that could not be done; ``str()`` is a Dutch sentence for the user."""


class BackupNotPossibleError(BackupError):
    """The database is not a file (PostgreSQL): backups are the server's job."""


# ---------------------------------------------------------------------------- the backup folder
def config_path() -> Path:
    """The small settings file of the backups (in the user's configuration folder)."""
    from platformdirs import user_config_path

    return user_config_path(APP_SLUG, appauthor=False) / CONFIG_NAME


def default_backup_folder() -> Path:
    """The backup folder when the user has not chosen one: "backups" in the data folder."""
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False) / "backups"


def _read_config() -> dict[str, Any]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("Instellingen van de back-ups onleesbaar (%s); standaardwaarden gebruikt", exc)
        return {}
    return data if isinstance(data, dict) else {}


def backup_folder() -> Path:
    """The folder backups go to: the user's choice, or the default."""
    chosen = _read_config().get("folder")
    return Path(chosen).expanduser() if chosen else default_backup_folder()


def check_folder_writable(folder: Path, *, create: bool = True) -> None:
    """Raise a Dutch :class:`BackupError` unless files can be written in ``folder``.

    A real test file is written and removed: a write-protected USB stick or a network share
    without rights passes ``os.access`` but refuses the write. With ``create`` False a missing
    folder is an error: a chosen folder on a stick that is not plugged in must not quietly
    become a new folder on the laptop's own disk.
    """
    if not create and not folder.is_dir():
        raise BackupError(
            f"De back-upmap '{folder}' is niet bereikbaar. Is de USB-stick of de netwerkmap "
            "aangesloten? Er is geen back-up gemaakt."
        )
    try:
        make_private_dirs(folder)
    except OSError as exc:
        raise BackupError(_os_message(exc, folder)) from exc
    if folder == default_backup_folder():
        tighten_app_folder(folder)  # made by an older version with the umask's mode
    if not os.access(folder, os.W_OK):
        raise BackupError(
            f"In de back-upmap '{folder}' kan niet worden geschreven: de map is alleen-lezen. "
            "Kies een andere map."
        )
    probe = folder / f".ib-desktop-schrijftest-{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
    except OSError as exc:
        raise BackupError(_os_message(exc, folder)) from exc
    finally:
        probe.unlink(missing_ok=True)


def set_backup_folder(folder: Path | None) -> Path:
    """Choose the backup folder (None: back to the default); it must be writable."""
    data = _read_config()
    if folder is None:
        data.pop("folder", None)
        target = default_backup_folder()
    else:
        target = Path(folder).expanduser().resolve()
        check_folder_writable(target)
        data["folder"] = str(target)
    try:
        atomic_write_bytes(config_path(), json.dumps(data, indent=2).encode("utf-8"))
    except OSError as exc:
        raise BackupError(
            f"De keuze van de back-upmap kon niet worden bewaard: {exc.strerror or exc}."
        ) from exc
    return target


# ---------------------------------------------------------------------------- errors in Dutch
def _is_disk_full(exc: BaseException) -> bool:
    return is_disk_full(exc)


def _is_read_only(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return True
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text or "unable to open database file" in text


def _os_message(exc: BaseException, folder: Path) -> str:
    if _is_disk_full(exc):
        return (
            f"Er is niet genoeg ruimte in de back-upmap '{folder}'. Maak ruimte vrij of kies "
            "een andere map; uw gegevens zijn niet gewijzigd."
        )
    if _is_read_only(exc):
        return (
            f"In de back-upmap '{folder}' kan niet worden geschreven (alleen-lezen of geen "
            "toegang). Kies een andere map; uw gegevens zijn niet gewijzigd."
        )
    detail = getattr(exc, "strerror", None) or str(exc)
    return f"De back-upmap '{folder}' kan niet worden gebruikt: {detail}."


# ---------------------------------------------------------------------------- what a backup holds
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

    from .models import GrowthDocument, Opp, Pupil, ShortIntervention
    from .storage import open_database

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
        except (DatabaseError, sqlite3.Error, OSError) as exc:
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
            removed.append(path)
        except OSError as exc:
            log.warning("Oude back-up %s kon niet worden verwijderd: %s", path, exc)
    return removed


#: How long a backup waits for another one writing into the same folder.
FOLDER_LOCK_WAIT = 120.0
#: The temporary names a backup goes through before it gets its real name.
TEMP_PATTERNS = (f"*{SUFFIX}.part*",)


def folder_lock(folder: Path) -> Any:
    """The lock held by whoever writes a backup into ``folder`` (an OS lock: it goes with a
    killed process). It lives in the app's own data folder, so the backup folder holds backups
    only; a leftover temporary file in a folder whose lock is free belongs to a killed backup.
    """
    import hashlib

    from filelock import FileLock
    from platformdirs import user_data_path

    locks = user_data_path(APP_SLUG, appauthor=False) / "locks"
    make_private_dirs(locks)
    key = hashlib.sha256(os.fspath(folder.resolve()).encode("utf-8", "surrogatepass"))
    return FileLock(str(locks / f"back-upmap-{key.hexdigest()[:16]}.lock"), mode=0o600)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what killed backups left in ``folder`` (full copies of the data); returns them.

    Runs at every start (the automatic backup at opening does it first). Only when no backup is
    being written into the folder right now, by this or another program: otherwise nothing is
    removed and the next start tries again.
    """
    if not folder.is_dir():
        return []
    lock = folder_lock(folder)
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return []
    try:
        return _remove_temps(folder)
    finally:
        lock.release()


def _remove_temps(folder: Path) -> list[Path]:
    removed = []
    for pattern in TEMP_PATTERNS:
        for path in folder.glob(pattern):
            try:
                path.unlink()
                removed.append(path)
            except OSError as exc:
                log.warning("Restant van een back-up %s niet verwijderd: %s", path.name, exc)
    return removed


def clean_restore_leftovers(target: Path) -> list[Path]:
    """Remove the copy a killed restore left beside the database (call with its lock held)."""
    return remove_restore_leftovers(target)


# ---------------------------------------------------------------------------- making a backup
def database_file(database: Database | Path | str | None) -> Path:
    """The SQLite file behind ``database``; :class:`BackupNotPossibleError` for a server."""
    if isinstance(database, Database):
        path = database.path
    elif isinstance(database, Path):
        path = database
    else:
        path = sqlite_path(resolve_url(database))
    if path is None:
        raise BackupNotPossibleError(
            "Deze database staat op een PostgreSQL-server. Back-ups daarvan maakt de "
            "beheerder van de server (de IT-partner van het schoolbestuur), met pg_dump of de "
            "back-ups van de server zelf; vraag hem hoe vaak en hoe lang ze worden bewaard. "
            "IB Desktop maakt en herstelt alleen back-ups van een database-bestand."
        )
    return Path(path)


def _unique_target(folder: Path, stem: str, now: datetime, reason: str) -> Path:
    target = folder / backup_name(stem, now, reason)
    n = 2
    while target.exists():
        target = folder / f"{stem}_{now.strftime(TIMESTAMP)}_{reason}_{n}{SUFFIX}"
        n += 1
    return target


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
    except (OSError, sqlite3.Error) as exc:
        unchecked.unlink(missing_ok=True)
        if _is_disk_full(exc) or _is_read_only(exc) or isinstance(exc, OSError):
            raise BackupError("De back-up is niet gemaakt. " + _os_message(exc, folder)) from exc
        raise BackupError(
            f"Van de database '{source.name}' kan geen back-up worden gemaakt ({exc}); "
            "de database is niet gewijzigd."
        ) from exc
    try:
        counts = verify_backup(unchecked)
        os.replace(unchecked, target)
    except BaseException:
        for extra in ("", "-wal", "-shm"):
            Path(str(unchecked) + extra).unlink(missing_ok=True)
        raise
    for extra in ("-wal", "-shm"):  # left by the read-only check
        Path(str(unchecked) + extra).unlink(missing_ok=True)
    fsync_dir(folder)
    return counts


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


# ---------------------------------------------------------------------------- restoring
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
    for extra in ("", "-wal", "-shm", "-journal"):
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
        except (OSError, sqlite3.Error) as exc:
            raise _restore_failed(exc, target) from exc
    if exists and not damaged:
        safety = make_backup(target, folder, reason=BEFORE_RESTORE, now=now)
        result.safety_backup = safety.path

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
        if exists and damaged:
            restore_sqlite(backup, target, check=same_counts, before_swap=move_damaged_aside)
        else:
            restore_sqlite(backup, target, check=same_counts)
    except BaseException as exc:
        if result.moved_aside and not target.exists():
            _move_back(result.moved_aside, target)  # the swap itself failed: put it back
            result.moved_aside = []
        if isinstance(exc, (OSError, sqlite3.Error, DatabaseError)):
            raise _restore_failed(exc, target) from exc
        raise
    result.counts = expected
    return result


def _move_back(moved: list[Path], target: Path) -> None:
    main, extras = moved[0], moved[1:]
    for path in [main, *extras]:
        suffix = str(path)[len(str(main)) :]
        try:
            os.replace(path, Path(str(target) + suffix))
        except OSError as exc:  # pragma: no cover - the same folder; logged, never hidden
            log.error("Database %s kon niet worden teruggezet op zijn plaats: %s", path, exc)
    fsync_dir(target.parent)


def _check_not_newer(backup: Path) -> None:
    from .migrations import KNOWN_REVISIONS

    rev = file_revision(backup)
    if rev is not None and rev not in KNOWN_REVISIONS:
        raise BackupError(
            f"De back-up '{backup.name}' is gemaakt met een nieuwere versie van IB Desktop. "
            "Werk het programma eerst bij."
        )


def latest_backup_for(
    database: Database | Path | str | None, folder: Path | None = None
) -> BackupInfo | None:
    """The newest backup (of any kind) of this database in the folder, with its counts."""
    stem = database_file(database).stem
    backups = list_backups(folder, stem=stem, counts=False)
    return describe(backups[0].path) if backups else None


def format_size(size: int) -> str:
    """ "1,2 MB" (Dutch decimal comma)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def folder_free_space(folder: Path) -> int | None:
    """Free bytes in ``folder`` (None when unknown)."""
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None

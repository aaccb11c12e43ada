"""What every part of the backups shares: the names and kinds, the errors, sizes in Dutch.

A backup is named "<database name>_<date>_<time>_<reason>.sqlite"; the reason says why it was
made (automatically, by hand, before a restore or an upgrade).
"""

from __future__ import annotations

import errno
import re
from datetime import timedelta
from pathlib import Path

from ..storage import Database, DatabaseError, is_disk_full, resolve_url, sqlite_path

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

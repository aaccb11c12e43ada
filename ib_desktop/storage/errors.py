"""The database's errors, each with a Dutch sentence the user can act on.

A driver's own text carries SQL and the values being saved (pupils' names and birth dates); the
functions here turn it into the kind of problem only.
"""

from __future__ import annotations

import errno
from pathlib import Path

import sqlalchemy as sa


class DatabaseError(Exception):
    """A problem with the database that the user can understand; ``str()`` is Dutch."""


class NotOurDatabaseError(DatabaseError):
    """The file is not a database of this app."""


class ReadOnlyDatabaseError(DatabaseError):
    """The file or its folder cannot be written."""


class NewerDatabaseError(DatabaseError):
    """The database was made by a newer version of the app."""


class DatabaseLockedError(DatabaseError):
    """Another instance of the app has the database open."""


class DamagedDatabaseError(DatabaseError):
    """The integrity check failed; the file is not written to."""


class MigrationError(DatabaseError):
    """A schema upgrade failed; the database is left as it was."""


class DiskFullError(DatabaseError):
    """A save did not fit on the disk; it was rolled back, earlier saves are intact."""


def is_disk_full(exc: BaseException) -> bool:
    """True for an error that means the disk (or the user's quota) is full."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(getattr(seen, "orig", None) or seen).lower()
        if "disk is full" in text or "no space left" in text or "disk quota" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full_message(folder: Path | None = None) -> str:
    """The Dutch sentence for a full disk."""
    where = f" in de map '{folder}'" if folder is not None else ""
    return (
        f"De schijf is vol: er is niet genoeg ruimte{where}. Maak ruimte vrij (of kies een "
        "andere schijf) en probeer het opnieuw."
    )


def write_error(exc: BaseException) -> DatabaseError | None:
    """A Dutch :class:`DatabaseError` for a save the disk or the file refused, else None.

    The save was one transaction and has been rolled back, so the message can promise that
    everything saved before is still there.
    """
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in text or "no space left" in text:
        return DiskFullError(
            "Er is niet genoeg schijfruimte om op te slaan. Wat u eerder hebt opgeslagen is "
            "bewaard; deze wijziging nog niet. Maak ruimte vrij en sla opnieuw op."
        )
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            "De database kan niet worden gewijzigd (alleen-lezen). Wat u eerder hebt opgeslagen "
            "is bewaard; deze wijziging nog niet."
        )
    if "disk i/o error" in text:
        return DatabaseError(
            "De schijf gaf een fout bij het opslaan (is een USB-stick of netwerkmap "
            "losgekoppeld?). Wat u eerder hebt opgeslagen is bewaard; deze wijziging nog niet."
        )
    if "database is locked" in text or "database is busy" in text:
        return DatabaseLockedError(
            "De database is even bezet door een ander programma. Er is niets veranderd; "
            "probeer het zo opnieuw."
        )
    return None


def database_error_message(exc: BaseException) -> str:
    """A Dutch sentence for an error of the database driver, without its statement or values.

    A driver's own text carries the SQL and the parameters: the names and birth dates of the
    pupils being saved. None of that may reach the screen or a terminal (or a log a colleague
    reads); the kind of problem is enough, and every save is one transaction that was rolled back.
    """
    friendly = write_error(exc)
    if friendly is not None:
        return str(friendly)
    if is_disk_full(exc):
        return disk_full_message() + " Er is niets opgeslagen."
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else "").lower()
    if "nul (0x00)" in text or "\\x00" in text or "null character" in text:
        return (
            "Een tekst bevat een onzichtbaar NUL-teken, dat de database niet kan bewaren. Er is "
            "niets opgeslagen. Haal het teken weg (bijv. door de export opnieuw te maken)."
        )
    if isinstance(exc, sa.exc.IntegrityError):
        return (
            "De gegevens botsen met wat er al in de database staat (bijvoorbeeld twee keer "
            "hetzelfde nummer). Er is niets opgeslagen."
        )
    if isinstance(exc, sa.exc.DataError):
        return (
            "Een waarde past niet in de database (te lang, of een teken dat niet kan worden "
            "bewaard). Er is niets opgeslagen."
        )
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return (
            "De database is niet bereikbaar of weigerde de opdracht (is de server of de "
            "netwerkverbinding weg, of klopt het wachtwoord niet?). Er is niets opgeslagen."
        )
    kind = type(orig).__name__ if orig is not None else type(exc).__name__
    return f"De database gaf een fout ({kind}). Er is niets opgeslagen."

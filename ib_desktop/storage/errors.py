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


class ServerUnreachableError(DatabaseError):
    """The database server cannot be reached (down, network gone); nothing was saved."""


class DatabaseBusyError(DatabaseError):
    """A save kept colliding with other people's saves (deadlock or serialization), even retried."""


SERVER_UNREACHABLE = (
    "De server is niet bereikbaar (is de netwerkverbinding weg, of staat de databaseserver "
    "uit?). Er is niets opgeslagen; wat u hebt getypt staat nog in het venster. Probeer het zo "
    "opnieuw, of vraag de beheerder van de server."
)
DATABASE_BUSY = (
    "Het opslaan botste een paar keer achter elkaar met wat collega's tegelijk opsloegen. Er is "
    "niets opgeslagen; wat u hebt getypt staat nog in het venster. Probeer het opnieuw."
)

#: PostgreSQL's SQLSTATEs for a transaction it rolled back to let another one through:
#: serialization_failure and deadlock_detected. Running the unit of work again is the cure.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
#: How often :meth:`Database.run` tries a unit of work that collided.
RETRY_ATTEMPTS = 5


def is_retryable(exc: BaseException) -> bool:
    """True for an error after which the same unit of work may simply run again."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def login_refused_message(exc: BaseException) -> str | None:
    """A Dutch sentence when the server refused the login or the encryption, else None."""
    text = str(getattr(exc, "orig", None) or "").lower()
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            "De server weigert de aanmelding: de gebruikersnaam of het wachtwoord klopt niet. "
            "Er is niets gewijzigd."
        )
    if "ssl" in text:
        return (
            "De verbinding met de server kon niet worden beveiligd zoals gevraagd (sslmode in "
            "de database-URL); vraag de beheerder van de server welke instelling klopt. Er is "
            "niets gewijzigd."
        )
    return None


def is_unreachable(exc: BaseException) -> bool:
    """True when a server's connection failed or broke (not a refusal of one statement)."""
    if not isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return False
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = getattr(exc, "orig", None)
    if orig is None or orig.__class__.__module__.startswith("sqlite3"):
        return False
    text = str(orig).lower()
    if "password" in text or "authentication" in text or "ssl" in text:
        return False  # the server answered: it refused the login or the encryption
    state = getattr(orig, "sqlstate", None)
    # No SQLSTATE: the driver never got an answer; class 08: connection exceptions;
    # 57P01-57P03: the administrator shut the server down or it is starting.
    return state is None or state.startswith("08") or state in {"57P01", "57P02", "57P03"}


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

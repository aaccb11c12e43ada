"""Passwords for encrypted databases on the command line: the environment, or a hidden prompt.

Scripts give the password in ``IB_DESKTOP_PASSWORD`` (and a recovery key in
``IB_DESKTOP_RECOVERY_KEY``); a person at a terminal is asked without echo. A password never
appears in the arguments, where other users of the computer could read it in the process list.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ib_desktop.storage import DatabaseError, sqlite_path
from ib_desktop.storage.keys import PASSWORD_ENV, NewKey, check_new_password

RECOVERY_ENV = "IB_DESKTOP_RECOVERY_KEY"


def interactive() -> bool:
    """True when a person types at this terminal (never in tests or scripts)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def new_password(what: str = "het wachtwoord") -> str:
    """A new password: the environment's, or typed twice at the terminal."""
    from getpass import getpass

    password = os.environ.get(PASSWORD_ENV, "")
    if not password and interactive():
        password = getpass(f"Kies {what} (minstens 8 tekens): ")
        if getpass("Nog een keer: ") != password:
            raise DatabaseError("De twee wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    if not password:
        raise DatabaseError(
            f"Geef een wachtwoord in de omgevingsvariabele {PASSWORD_ENV} (of start de opdracht "
            "in een terminal); er is niets gewijzigd."
        )
    check_new_password(password)
    return password


def recovery_key() -> str:
    """The recovery key: the environment's, or typed at the terminal."""
    from getpass import getpass

    value = os.environ.get(RECOVERY_ENV, "")
    if not value and interactive():
        value = getpass("Herstelsleutel (de tekens van het papier uit de kluis): ")
    if not value:
        raise DatabaseError(
            f"Geef de herstelsleutel in de omgevingsvariabele {RECOVERY_ENV} (of start de "
            "opdracht in een terminal); er is niets gewijzigd."
        )
    return value


def ask_to_unlock(path: Path, attempts: int = 3) -> bool:
    """Ask for the password of ``path`` at the terminal; True once it opened the key."""
    from getpass import getpass

    from ib_desktop.storage.keys import WrongPasswordError, unlock

    if not interactive():
        return False
    for _ in range(attempts):
        try:
            unlock(path, getpass(f"Wachtwoord voor '{path.name}': "))
            return True
        except WrongPasswordError as exc:
            print(exc, file=sys.stderr)
    return False


def sqlite_target(args: argparse.Namespace, database: str | None = None) -> Path | None:
    """The SQLite file the command works on, or None for a server database."""
    from ib_desktop.commands.common import database_arg
    from ib_desktop.storage import resolve_url

    return sqlite_path(resolve_url(database or database_arg(args)))


def server_note() -> str:
    """Why --encrypt does nothing for a server database."""
    return (
        "Let op: --encrypt geldt alleen voor een database-bestand (SQLite). Een database op een "
        "server (PostgreSQL) wordt door de server beveiligd; er is niets versleuteld."
    )


def print_recovery_key(code: str, pdf: str | None, label: str) -> None:
    """Show the recovery key once, and print it to a PDF for the directie's safe."""
    print()
    print("HERSTELSLEUTEL (wordt maar één keer getoond; bewaar hem in de kluis van de directie):")
    print(f"    {code}")
    print("Met deze sleutel zet u een nieuw wachtwoord als iedereen het wachtwoord kwijt is:")
    print("    ib-desktop unlock --recovery-key")
    if pdf:
        from ib_desktop.reports.recovery_key import write_recovery_key_pdf

        out = write_recovery_key_pdf(Path(pdf), code, label)
        print(f"De herstelsleutel staat ook in {out}: print hem en verwijder daarna het bestand.")


def prepare_encryption(args: argparse.Namespace, database: str | None = None) -> NewKey | None:
    """For ``--encrypt`` on a new file: a new key and its key file, before the file is made.

    None without ``--encrypt``, and for a server database (with a note: a server protects its
    own disks). An existing database file is refused: ``ib-desktop encrypt`` converts one.
    """
    if not getattr(args, "encrypt", False):
        return None
    path = sqlite_target(args, database)
    if path is None:
        print(server_note(), file=sys.stderr)
        return None
    if path.exists() and path.stat().st_size > 0:
        from ib_desktop.storage import is_encrypted_file

        if is_encrypted_file(path):
            return None  # already encrypted: opening it asks for its password
        raise DatabaseError(
            f"De database '{path.name}' bestaat al en is niet versleuteld. Versleutel hem met "
            "'ib-desktop encrypt'; er is niets gewijzigd."
        )
    from ib_desktop.storage import keys

    new = keys.new_key(new_password())
    keys.write_key_file(path, new.key_file)
    return new

"""What the subcommands share: the chosen database, opening it as the app would, the school in
it, name folding, plain-text tables and the list of backups.

Below every command module (``ib_desktop.cli`` only assembles and runs them): a command takes its
helpers from here or from ``ib_desktop.commands.lookup``, never from ``cli`` or another command.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ib_desktop.storage import Database


def database_arg(args: argparse.Namespace) -> str | None:
    """The database chosen on the command line (before or after the subcommand)."""
    return getattr(args, "sub_database", None) or getattr(args, "database", None)


def open_for_command(
    args: argparse.Namespace, *, write: bool, create: bool = False, database: str | None = None
) -> Database:
    """Open ``--database`` as the app would; raises a Dutch ``DatabaseError`` when it may not.

    ``write``: the command changes the database, so it claims the instance lock (held until
    ``dispose()``) and refuses while the app has the file open. ``create``: a missing file is made
    (only ``init`` and ``demo`` do that; elsewhere a typo in a path must not make a new file).
    ``database`` overrides ``--database`` (the demo's own default file).
    """
    from ib_desktop.database import open_database
    from ib_desktop.storage import DatabaseLockedError

    login = getattr(args, "as_login", None)
    try:
        db = open_database(
            database or database_arg(args), check_integrity=True, lock=write, create=create
        )
    except DatabaseLockedError as exc:
        raise DatabaseLockedError(
            "De database is geopend in IB Desktop (of in een andere opdracht). Sluit het "
            "programma eerst; er is niets gewijzigd."
        ) from exc
    if login:
        try:
            db = work_as(db, login)
        except BaseException:
            db.dispose()
            raise
    return db


def work_as(db: Database, login: str) -> Database:
    """``--login``: the command works as that account, with its role's limits (a teacher: only
    their groups' pupils, in every list, export and print).

    The password comes from ``IB_DESKTOP_PASSWORD`` or a prompt (never echoed or printed). On
    SQLite the app checks it and binds the account to every session; on PostgreSQL the command
    reconnects as the person, so the server's policies apply as well. Without ``--login`` a
    command on a SQLite file runs as the file's owner (whoever can read the file can read all of
    it: on one laptop the guard is the file's encryption and the operating system's login, not
    the app); on PostgreSQL the URL's own user decides.
    """
    import getpass
    import os

    from ib_desktop.permissions import NotAllowed
    from ib_desktop.services import accounts
    from ib_desktop.storage import sqlite_path

    password = os.environ.get("IB_DESKTOP_PASSWORD")
    if password is None:
        try:
            password = getpass.getpass(f"Wachtwoord voor {login}: ")
        except EOFError:
            raise NotAllowed(
                "Er kon geen wachtwoord worden gevraagd; geef het in IB_DESKTOP_PASSWORD."
            ) from None
    try:
        if sqlite_path(db.url) is None:  # a server: connect as the person
            url = db.url
            db.dispose()
            db = accounts.connect_as(url, login, password)
            with db.session() as s:
                access = accounts.access_of_connection(s)
        else:
            with db.session() as s:
                access = accounts.sign_in(s, login, password)
    except accounts.LoginRefused as exc:
        raise NotAllowed(str(exc)) from None
    accounts.bind_access(db.sessionmaker, access)
    return db


class LookupFailed(Exception):
    """A name on the command line did not point at exactly one record; ``str()`` is Dutch."""


def fold(text: str) -> str:
    """Text for comparing names: case, accents and the ĳ ligature ignored ("Zoë" = "zoe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def format_table(header: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    """An aligned plain-text table (numbers right-aligned) for the terminal."""
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


# ---------------------------------------------------------------------------- the command


def open_school(args: argparse.Namespace, *, write: bool = False) -> tuple[Database, int]:
    """The database from ``--database`` and the id of its (first) school.

    ``write``: the command will change the database, so it takes the app's lock as well.
    """
    from ib_desktop.services.school import get_school
    from ib_desktop.storage import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(database_arg(args)))
    if path is not None and not path.exists():
        # Listing or printing never creates a database: a typo in the path would.
        raise LookupFailed(f"De database '{path}' bestaat niet.")
    db = open_for_command(args, write=write)
    with db.session() as s:
        school = get_school(s)
        if school is None:
            db.dispose()
            raise LookupFailed(
                "Deze database heeft nog geen school. Start het programma of gebruik "
                "'ib-desktop demo'."
            )
        return db, school.id


def print_backups(backups: list, folder: Path, out: TextIO | None = None) -> None:
    """The backups as a small table (shared with ``ib-desktop restore --list``)."""
    from ib_desktop.backup import format_size
    from ib_desktop.dates import long_date

    out = out or sys.stdout

    print(f"Back-upmap: {folder}", file=out)
    if not backups:
        print("Nog geen back-ups.", file=out)
        return
    print(
        f"{'Datum':<26} {'Soort':<17} {'Grootte':>9} {'Leerlingen':>10} "
        f"{'Documenten':>10}  Bestand",
        file=out,
    )
    for b in backups:
        when = f"{long_date(b.created.date())} {b.created:%H:%M}"
        pupils = "?" if b.pupils is None else str(b.pupils)
        docs = "?" if b.documents is None else str(b.documents)
        print(
            f"{when:<26} {b.kind:<17} {format_size(b.size):>9} {pupils:>10} {docs:>10}  "
            f"{b.path.name}",
            file=out,
        )
        if b.problem:
            print(f"{'':<26} let op: {b.problem}", file=out)


#: Commands about the whole file that a ``--login`` needs a care role for (the IB-er, the
#: directie, beheer): a back-up holds every pupil, a restore replaces them all.
CARE_COMMANDS = frozenset({"backup", "restore"})


def check_login_may_run(args: argparse.Namespace) -> None:
    """With ``--login``: NotAllowed when the account's role may not run ``args.command``."""
    from ib_desktop.permissions import NotAllowed, writes_care_file
    from ib_desktop.services.accounts import session_role

    if not getattr(args, "as_login", None) or getattr(args, "command", None) not in CARE_COMMANDS:
        return
    db = open_for_command(args, write=False)
    try:
        with db.session() as s:
            role = session_role(s)
    finally:
        db.dispose()
    if not writes_care_file(role):
        raise NotAllowed(
            "Een back-up maken of terugzetten is voor de intern begeleider en de directie; "
            "er is niets gewijzigd."
        )

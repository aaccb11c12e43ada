"""Subcommands of ``ib-desktop``; one module per command (see ``ib_desktop.cli``).

Every command opens its database through :func:`open_for_command`, so that each one makes the
checks the app makes when it starts: integrity, a file of another program, a newer version, and,
for a command that writes, the lock that says the app (or another command) has it open.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ib_desktop.storage import Database


def open_for_command(
    args: argparse.Namespace, *, write: bool, create: bool = False, database: str | None = None
) -> Database:
    """Open ``--database`` as the app would; raises a Dutch ``DatabaseError`` when it may not.

    ``write``: the command changes the database, so it claims the instance lock (held until
    ``dispose()``) and refuses while the app has the file open. ``create``: a missing file is made
    (only ``init`` and ``demo`` do that; elsewhere a typo in a path must not make a new file).
    ``database`` overrides ``--database`` (the demo's own default file).
    """
    from ib_desktop.cli import database_arg
    from ib_desktop.storage import DatabaseLockedError, open_database

    try:
        return open_database(
            database or database_arg(args), check_integrity=True, lock=write, create=create
        )
    except DatabaseLockedError as exc:
        raise DatabaseLockedError(
            "De database is geopend in IB Desktop (of in een andere opdracht). Sluit het "
            "programma eerst; er is niets gewijzigd."
        ) from exc

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
    args: argparse.Namespace, *, write: bool, create: bool = False
) -> Database:
    """Open ``--database`` as the app would; raises a Dutch ``DatabaseError`` when it may not.

    ``write``: the command changes the database, so it claims the instance lock (held until
    ``dispose()``) and refuses while the app has the file open. ``create``: a missing file is made
    (only ``init`` and ``demo`` do that; elsewhere a typo in a path must not make a new file).
    """
    from ib_desktop.cli import database_arg
    from ib_desktop.storage import open_database

    return open_database(database_arg(args), check_integrity=True, lock=write, create=create)

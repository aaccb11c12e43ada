"""Opening the database for work: the storage layer's opener, with a backup before an upgrade.

``ib_desktop.storage`` knows nothing of backups and ``ib_desktop.backup`` reads its copies
through the storage layer; this module sits above both and joins them: before the schema of an
existing file is upgraded, a backup goes into the user's backup folder (or ``backup_dir``).
The app, the commands and every caller that may meet an older database open it here.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from ib_desktop import storage
from ib_desktop.backup import backup_before_upgrade
from ib_desktop.storage import Database


def open_database(
    database: str | os.PathLike[str] | sa.URL | None = None,
    *,
    migrate: bool = True,
    readonly: bool = False,
    check_integrity: bool = False,
    backup_dir: Path | None = None,
    lock: bool = False,
    create: bool = True,
) -> Database:
    """:func:`ib_desktop.storage.open_database` with the backup an upgrade needs first.

    The backup goes into ``backup_dir`` or the user's backup folder; without it there is no
    upgrade (a :class:`~ib_desktop.storage.MigrationError` says why).
    """
    return storage.open_database(
        database,
        migrate=migrate,
        readonly=readonly,
        check_integrity=check_integrity,
        before_upgrade=partial(backup_before_upgrade, folder=backup_dir),
        lock=lock,
        create=create,
    )

"""What "Over IB Desktop" tells: the version, the database in use and where the data lives.

Plain Python (no Qt), so the command line and the tests read the same facts as the dialog. A
PostgreSQL URL is shown without its password.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from ib_desktop import APP_NAME, __version__


@dataclass(frozen=True)
class AboutInfo:
    """The facts the about box shows."""

    name: str
    version: str
    database: str
    data_folder: Path
    backup_folder: Path
    recovery_folder: Path
    python: str


def shown_database(url_or_path: str | Path | None) -> str:
    """The database as a person reads it: a file path, or a URL without its password.

    The same rule as :func:`ib_desktop.storage.display_url` (the status bar, ``info``, ``init``),
    which it uses; an unreadable URL shows nothing of itself.
    """
    if url_or_path is None:
        return "-"
    text = str(url_or_path)
    if "://" not in text:
        return text
    from ib_desktop.storage.locations import display_url

    try:
        return display_url(text)
    except Exception:  # noqa: BLE001 - a label must never fail; show nothing secret
        return "(onleesbare database-URL)"


def about_info(database: str | Path | None) -> AboutInfo:
    """The about facts for the database in use (a path, a URL, or None before one is open)."""
    from ib_desktop.backup import backup_folder
    from ib_desktop.recovery import default_recovery_dir
    from ib_desktop.storage import default_data_dir

    return AboutInfo(
        name=APP_NAME,
        version=__version__,
        database=shown_database(database),
        data_folder=default_data_dir(),
        backup_folder=backup_folder(),
        recovery_folder=default_recovery_dir(),
        python=platform.python_version(),
    )

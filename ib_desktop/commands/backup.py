"""``ib-desktop backup``: make a backup now, or list the backups of the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "backup",
        help="maak nu een back-up van de database (of toon de back-ups)",
        description="Maakt een gecontroleerde back-up van de database in de back-upmap. "
        "Automatische back-ups maakt het programma zelf bij het openen en dagelijks.",
    )
    p.add_argument(
        "--to", metavar="MAP", type=Path, help="map voor deze back-up (standaard: de back-upmap)"
    )
    p.add_argument(
        "--list", action="store_true", help="toon de back-ups met datum, grootte en aantallen"
    )
    p.add_argument(
        "--set-folder", metavar="MAP", help="kies de vaste back-upmap ('standaard' zet hem terug)"
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def _check_source(source: Path) -> None:
    """The checks the app makes on opening (damaged, another program's file), read-only.

    A database of a newer version may be backed up: the copy is kept, not read.
    """
    import contextlib

    from ib_desktop.storage import NewerDatabaseError, open_database

    with contextlib.suppress(NewerDatabaseError):
        open_database(source, readonly=True, migrate=False, check_integrity=True).dispose()


def run(args: argparse.Namespace) -> int:
    """Make the backup (or list, or choose the folder)."""
    from ib_desktop import backup as bk
    from ib_desktop.commands.common import database_arg, print_backups

    if args.set_folder:
        folder = bk.set_backup_folder(
            None if args.set_folder == "standaard" else Path(args.set_folder)
        )
        print(f"Back-upmap ingesteld: {folder}")
        return 0
    database = database_arg(args)
    source = bk.database_file(database)  # says so clearly for a database on a server
    folder = args.to or bk.backup_folder()
    if args.list:
        print_backups(bk.list_backups(folder, stem=source.stem), folder)
        return 0

    def progress(done: int, total: int) -> None:
        if total and sys.stderr.isatty():
            print(f"\r  {100 * done // total:3d}% ...", end="", file=sys.stderr, flush=True)

    _check_source(source)
    info = bk.make_backup(source, folder, reason=bk.MANUAL, progress=progress)
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    print(
        f"Back-up gemaakt en gecontroleerd: {info.path} ({bk.format_size(info.size)}, "
        f"{info.pupils if info.pupils is not None else '?'} leerlingen, "
        f"{info.documents if info.documents is not None else '?'} documenten)"
    )
    return 0

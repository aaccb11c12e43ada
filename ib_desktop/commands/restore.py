"""``ib-desktop restore``: put a backup back (the current database is backed up first)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "restore",
        help="zet een back-up terug (de huidige database wordt eerst bewaard)",
        description="Zet een back-up terug. De huidige database wordt eerst zelf als back-up "
        "bewaard (of, als hij beschadigd is, opzij gezet), zodat niets verloren gaat. "
        "Het programma mag de database niet geopend hebben.",
    )
    p.add_argument(
        "backup_file", nargs="?", metavar="BACK-UP", type=Path, help="het back-upbestand"
    )
    p.add_argument("--latest", action="store_true", help="de nieuwste goede back-up")
    p.add_argument(
        "--list", action="store_true", help="toon de back-ups met datum, grootte en aantallen"
    )
    p.add_argument(
        "--from",
        dest="folder",
        metavar="MAP",
        type=Path,
        help="back-upmap (standaard: de ingestelde)",
    )
    p.add_argument("--yes", "-y", action="store_true", help="niet om bevestiging vragen")
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def confirm(question: str) -> bool:
    """Ask on the terminal; only "j"/"ja" (or "y"/"yes") means yes."""
    try:
        answer = input(f"{question} [j/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def run(args: argparse.Namespace) -> int:
    """Restore the chosen backup after confirmation."""
    from ib_desktop import backup as bk
    from ib_desktop.commands.common import database_arg, print_backups
    from ib_desktop.dates import long_date

    target = bk.database_file(database_arg(args))
    folder = args.folder or bk.backup_folder()
    if args.list:
        print_backups(bk.list_backups(folder, stem=target.stem), folder)
        return 0
    if args.backup_file and args.latest:
        print("Fout: kies een back-upbestand óf --latest, niet allebei.", file=sys.stderr)
        return 2
    if args.latest:
        chosen = bk.newest_good_backup(folder, stem=target.stem)
        if chosen is None:
            print(
                f"Fout: er is geen goede back-up van '{target.name}' in {folder}.", file=sys.stderr
            )
            return 2
    elif args.backup_file:
        if not args.backup_file.exists():
            print(f"Fout: het bestand '{args.backup_file}' bestaat niet.", file=sys.stderr)
            return 2
        chosen = bk.describe(args.backup_file)
        if chosen is None:  # a copy with another name, e.g. from a colleague's stick
            counts = None
            with contextlib.suppress(Exception):  # restore_backup gives the real message below
                counts = bk.read_counts(args.backup_file)
            from datetime import datetime

            stat = args.backup_file.stat()
            chosen = bk.BackupInfo(
                args.backup_file,
                datetime.fromtimestamp(stat.st_mtime),
                bk.MANUAL,
                stat.st_size,
                counts,
            )
    else:
        print(
            "Fout: geef een back-upbestand of --latest (en bekijk de back-ups met --list).",
            file=sys.stderr,
        )
        return 2

    pupils = "?" if chosen.pupils is None else chosen.pupils
    docs = "?" if chosen.documents is None else chosen.documents
    print(f"Back-up:  {chosen.path}")
    print(
        f"          {long_date(chosen.created.date())} {chosen.created:%H:%M}, "
        f"{bk.format_size(chosen.size)}, {pupils} leerlingen, {docs} documenten"
    )
    print(f"Database: {target}")
    print("De huidige database wordt eerst als back-up bewaard en daarna vervangen.")
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "Fout: bevestiging nodig. Voer de opdracht uit in een terminal, of voeg --yes toe.",
                file=sys.stderr,
            )
            return 2
        if not confirm("Deze back-up terugzetten?"):
            print("Niets veranderd.")
            return 1
    result = bk.restore_backup(chosen.path, target, folder=folder)
    print(
        f"Teruggezet en gecontroleerd: {result.counts.pupils} leerlingen, "
        f"{result.counts.documents} documenten."
    )
    if result.safety_backup:
        print(f"De vorige database is bewaard als {result.safety_backup}")
    if result.moved_aside:
        print(f"De beschadigde database is opzij gezet als {result.moved_aside[0]}")
    return 0

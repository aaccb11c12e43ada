"""``ib-desktop retention``: the files whose retention has passed, and deleting them."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "retention",
        help="toon de dossiers waarvan de bewaartermijn voorbij is (en verwijder ze)",
        description="Elke leerling die vertrok heeft een datum waarna het dossier weg mag: "
        "standaard 2 jaar na vertrek, 3 jaar na een verwijzing naar SBO of SO (in te stellen "
        "door het schoolbestuur). Zonder opties toont deze opdracht wat nu weg mag en wat "
        "daarna volgt; met --apply worden die dossiers verwijderd. Van elk verwijderd dossier "
        "blijft een verslag zonder persoonsgegevens (kenmerk, datums, regel, wie, wanneer).",
    )
    p.add_argument("--apply", action="store_true", help="verwijder de dossiers die weg mogen")
    p.add_argument("--yes", action="store_true", help="niet om bevestiging vragen (met --apply)")
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def print_overview(info, out: TextIO) -> None:  # noqa: ANN001 - RetentionOverview
    """What is due, and what follows."""
    from ib_desktop.dates import short_date

    print(
        f"Bewaartermijn: {info.years} jaar na vertrek, {info.years_special} jaar na een "
        "verwijzing naar SBO/SO.",
        file=out,
    )
    if info.due:
        print(f"Nu te verwijderen: {len(info.due)} dossier(s)", file=out)
        for i in info.due:
            print(
                f"  {i.name:<32} {i.reference:<14} vertrokken {short_date(i.left_on)}  "
                f"mag weg sinds {short_date(i.delete_after)} ({i.rule})",
                file=out,
            )
    else:
        print("Nu te verwijderen: geen.", file=out)
    if info.upcoming:
        print("Daarna:", file=out)
        for i in info.upcoming:
            print(f"  {short_date(i.delete_after)}  {i.name} ({i.rule})", file=out)


def _confirmed(count: int) -> bool:
    if not sys.stdin.isatty():
        print(
            "Fout: bevestig met --yes (er is geen terminal om het te vragen). Er is niets "
            "verwijderd.",
            file=sys.stderr,
        )
        return False
    answer = input(f"{count} dossier(s) definitief verwijderen? Typ 'ja': ")
    return answer.strip().lower() == "ja"


def run(args: argparse.Namespace) -> int:
    """List, or delete what is due."""
    from datetime import date

    from ib_desktop import backup_retention
    from ib_desktop.commands.common import LookupFailed, open_school
    from ib_desktop.services.privacy import retention

    today = date.today()
    try:
        db, school_id = open_school(args, write=args.apply)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            info = retention.overview(s, school_id, today=today)
        print_overview(info, sys.stdout)
        where = backup_retention.for_database(db)
        if where is not None:
            _print_backups(*where, info.longest_years, today)
        if not args.apply or not info.due:
            if args.apply and where is not None:
                _rotate(*where, info.longest_years, today)
            return 0
        if not args.yes and not _confirmed(len(info.due)):
            print("Niets verwijderd.")
            return 1
        with db.session() as s:
            records = retention.apply(
                s, school_id, today=today, only=[i.pupil_id for i in info.due]
            )
            refs = [r.pupil_reference for r in records]
        print(f"Verwijderd: {len(refs)} dossier(s) ({', '.join(refs)}); het verslag is bewaard.")
        if where is not None:
            _rotate(*where, info.longest_years, today)
        return 0
    finally:
        db.dispose()


def _print_backups(folder, stem: str, years: int, today) -> None:  # noqa: ANN001
    """The backups past the longest term: the app's rotate out, manual ones are listed."""
    from ib_desktop.backup_retention import expired_backups
    from ib_desktop.dates import short_date

    old = expired_backups(folder, stem, years=years, today=today)
    if not old.total:
        print(f"Back-ups ouder dan {years} jaar: geen.")
        return
    if old.own:
        print(
            f"Back-ups van het programma ouder dan {years} jaar: {len(old.own)} "
            "(gaan weg met --apply)."
        )
    if old.manual:
        print(
            f"Handmatige back-ups ouder dan {years} jaar: {len(old.manual)}. Ze kunnen dossiers "
            "bevatten die al verwijderd zijn; verwijder ze zelf:"
        )
        for b in old.manual:
            print(f"  {short_date(b.created.date())}  {b.path}")


def _rotate(folder, stem: str, years: int, today) -> None:  # noqa: ANN001
    from ib_desktop.backup_retention import rotate_expired

    removed = rotate_expired(folder, stem, years=years, today=today)
    if removed:
        print(f"Oude back-ups verwijderd: {len(removed)} (ouder dan {years} jaar).")

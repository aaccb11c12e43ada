"""``ib-desktop info``: the school, its pupils per level and its documents per kind."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser("info", help="toon school, aantallen per niveau en per document")
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def run(args: argparse.Namespace) -> int:
    """Print the summary of every school in the database."""
    import sqlalchemy as sa

    from ib_desktop.commands.common import open_for_command
    from ib_desktop.models import School
    from ib_desktop.services.stats import summarize

    db = open_for_command(args, write=False)
    print(f"Database: {db.label}")
    if db.encryption_key is not None and db.path is not None:
        from ib_desktop.storage import keys

        people = [name for kind, name in keys.slots(db.path) if kind != keys.RECOVERY]
        print(f"Versleuteld:   ja (SQLCipher); te openen door: {', '.join(people)} "
              "en de herstelsleutel")  # fmt: skip
    with db.session() as s:
        schools = list(s.scalars(sa.select(School).order_by(School.id)))
        if not schools:
            print("Nog geen school ingericht. Start het programma of gebruik 'ib-desktop init'.")
            return 1
        for school in schools:
            info = summarize(s, school)
            print()
            print(f"School:        {info.school} (BRIN {info.brin or '-'})")
            print(f"SWV:           {info.swv or '-'}  |  vakantieregio {info.region}")
            print(f"Schooljaar:    {info.school_year}")
            print(f"Structuur:     {info.structure}")
            print(
                f"Leerlingen:    {info.pupils_active} actief, {info.pupils_left} vertrokken; "
                f"{info.groups} groepen, {info.staff} medewerkers"
            )
            print("Per niveau (actieve leerlingen):")
            total = sum(n for _, _, n in info.per_level) or 1
            for pos, name, n in info.per_level:
                print(f"  {pos}. {name:<45} {n:>6}  ({100 * n / total:4.1f}%)")
            print("Documenten:")
            for label, n in info.documents.items():
                print(f"  {label:<36} {n:>6}")
            print(f"Vergaderingen: {info.meetings}")
    db.dispose()
    return 0

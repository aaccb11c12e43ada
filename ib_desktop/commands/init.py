"""``ib-desktop init``: set up the school in a new database without the first-run wizard.

With ``init`` and ``import`` a school can be set up entirely from the command line, for
instance by the school board's IT support before the IB-er's laptop is handed out.
"""

from __future__ import annotations

import argparse
import sys

EMPTY_STRUCTURE = "leeg"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "init",
        help="richt een nieuwe school in (zonder het programma te starten)",
        description="Richt de school in een nieuwe, lege database in. Daarna kunt u de "
        "leerlingen importeren met 'ib-desktop import BESTAND'.",
    )
    p.add_argument("--school", required=True, metavar="NAAM", help="naam van de school")
    p.add_argument(
        "--structure",
        default="vier-niveaus",
        metavar="SJABLOON",
        help="ondersteuningsstructuur: vier-niveaus (standaard), vijf-niveaus, of 'leeg' om "
        "zelf niveaus te maken",
    )
    p.add_argument("--brin", default="", metavar="BRIN", help="BRIN-nummer, bijv. 12AB")
    p.add_argument("--swv", default="", metavar="NAAM", help="naam van het samenwerkingsverband")
    p.add_argument(
        "--region",
        default="midden",
        choices=["noord", "midden", "zuid"],
        help="vakantieregio (standaard: midden)",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="versleutel de database (wachtwoord uit IB_DESKTOP_PASSWORD of gevraagd)",
    )
    p.add_argument(
        "--recovery-key-pdf",
        metavar="BESTAND",
        help="met --encrypt: schrijf de herstelsleutel ook naar dit PDF-bestand (voor de kluis)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Create the school; refuse when the database already has one."""
    from datetime import date

    from ib_desktop.commands.common import open_for_command
    from ib_desktop.dates import school_year_label
    from ib_desktop.resources import structure_templates
    from ib_desktop.services.school import create_school, get_school

    templates = structure_templates()
    structure: str | None = args.structure
    if structure == EMPTY_STRUCTURE:
        structure = None
    elif structure not in templates:
        options = ", ".join([*sorted(templates), EMPTY_STRUCTURE])
        print(
            f"Fout: onbekende structuur '{args.structure}'. Kies uit: {options}.", file=sys.stderr
        )
        return 2
    from ib_desktop.commands.passwords import prepare_encryption

    new_key = prepare_encryption(args)
    db = open_for_command(args, write=True, create=True)
    try:
        with db.session() as s:
            existing = get_school(s)
            if existing is not None:
                print(
                    f"Fout: deze database bevat al een school ({existing.name}). Er is niets "
                    "gewijzigd. Kies een andere database met --database.",
                    file=sys.stderr,
                )
                return 2
            school = create_school(
                s,
                args.school,
                brin=args.brin,
                swv_name=args.swv,
                region=args.region,
                structure_template=structure,
            )
            levels = school.support_structure.levels if school.support_structure else []
            structure_name = school.support_structure.name if school.support_structure else "-"
            name = school.name
        where = db.label  # a server's URL without its password
        print(f"School '{name}' ingericht in {where}.")
        print(f"Ondersteuningsstructuur: {structure_name} ({len(levels)} niveaus).")
        print(f"Schooljaar: {school_year_label(date.today())}; vakantieregio: {args.region}.")
        print(f"Volgende stap: ib-desktop import BESTAND --database {where}")
    finally:
        db.dispose()
    if new_key is not None:
        from ib_desktop.commands.passwords import print_recovery_key

        print("De database is versleuteld; het sleutelbestand staat ernaast en hoort erbij.")
        print_recovery_key(new_key.recovery_key, args.recovery_key_pdf, where)
    return 0

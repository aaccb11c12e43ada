"""``ib-desktop inzage``: the parents' copy of a pupil's whole file (AVG article 15) as a ZIP."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PASSWORD_ENV = "IB_DESKTOP_PASSWORD"


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "inzage",
        help="maak de kopie van het hele dossier van een leerling voor de ouders (ZIP)",
        description="Schrijft één ZIP met een leesbare PDF van het hele dossier (elk document "
        "en elke versie, toestemmingen, gesprekken, niveaus, besprekingen, de "
        "wijzigingsgeschiedenis) en dezelfde gegevens als JSON. Het bestand is alleen voor u "
        "leesbaar; de export komt in de wijzigingsgeschiedenis van de leerling.",
        epilog="Voorbeeld:\n  ib-desktop inzage --pupil 123 -o inzage-sanne.zip --password",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--pupil", required=True, metavar="LEERLING", help="nummer of naam")
    p.add_argument("-o", "--output", required=True, metavar="BESTAND.zip", type=Path)
    p.add_argument(
        "--password",
        action="store_true",
        help=f"versleutel de ZIP (AES) met een wachtwoord: gevraagd, of uit {PASSWORD_ENV}",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def ask_password() -> str | None:
    """The ZIP's password from the environment or typed twice; None when it could not be had."""
    import getpass

    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        print(
            f"Fout: geef het wachtwoord in {PASSWORD_ENV} of start de opdracht in een terminal.",
            file=sys.stderr,
        )
        return None
    first = getpass.getpass("Wachtwoord voor de ZIP: ")
    if len(first) < 8:
        print("Fout: kies een wachtwoord van minstens 8 tekens.", file=sys.stderr)
        return None
    if getpass.getpass("Nog een keer: ") != first:
        print("Fout: de wachtwoorden zijn niet gelijk. Er is niets geschreven.", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace) -> int:
    """Write the ZIP."""
    from datetime import date

    from ib_desktop.commands.common import LookupFailed, open_school
    from ib_desktop.commands.lookup import resolve_pupil
    from ib_desktop.inzage_export import export_inzage

    output: Path = args.output
    if output.suffix.lower() != ".zip":
        print("Fout: geef een bestandsnaam die eindigt op .zip.", file=sys.stderr)
        return 2
    if output.is_dir():
        print(f"Fout: {output} is een map; geef een bestandsnaam.", file=sys.stderr)
        return 2
    password = None
    if args.password:
        password = ask_password()
        if password is None:
            return 2
    try:
        db, school_id = open_school(args, write=True)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    try:
        with db.session() as s:
            pupil = resolve_pupil(s, school_id, args.pupil)
        result = export_inzage(
            db,
            pupil.id,
            output,
            password=password,
            today=date.today(),
        )
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    how = "versleuteld met wachtwoord" if result.protected else "zonder wachtwoord"
    print(
        f"{result.path} ({pupil.name}: {result.rows} gegevens uit {result.tables} onderdelen, "
        f"{how}; alleen voor u leesbaar)"
    )
    return 0

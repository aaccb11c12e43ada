"""``ib-desktop import``: pupils, groups and teachers from an LVS export (CSV or Excel).

The same steps as the import wizard: read, map the columns (guessed, remembered, or set with
``--mapping``), make the plan, print it, and apply it unless ``--dry-run``. Whatever goes
wrong, the database is either fully imported or unchanged (exit code 2 when refused).
"""

from __future__ import annotations

import argparse
import sys

EPILOG = (
    "velden voor --mapping: leerlingnummer, achternaam, tussenvoegsel, roepnaam, naam "
    "(volledige naam), geboortedatum, geslacht, groep, jaargroep, leerkracht, inschrijfdatum, "
    "eerste_schooldag; '-' slaat een kolom over. Voorbeeld: --mapping \"Klas=groep\" "
    '--mapping "Voornamen=-"'
)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "import",
        help="importeer leerlingen, groepen en leerkrachten uit een export van het LVS",
        description="Importeer leerlingen, groepen en leerkrachten uit een CSV- of "
        "Excel-export van het leerlingvolgsysteem (ParnasSys, ESIS, ...). Bestaande leerlingen "
        "worden herkend aan het leerlingnummer, anders aan naam en geboortedatum.",
        epilog=EPILOG,
    )
    p.add_argument("file", metavar="BESTAND", help="de export: .csv, .txt of .xlsx")
    p.add_argument(
        "--dry-run", action="store_true", help="laat alleen zien wat er zou gebeuren; wijzig niets"
    )
    p.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="KOLOM=VELD",
        help="koppel een kolom van het bestand aan een veld (mag vaker)",
    )
    p.add_argument(
        "--confirm-leavers",
        action="store_true",
        help="markeer de leerlingen die niet meer in de volledige export staan als vertrokken",
    )
    p.add_argument(
        "--partial",
        action="store_true",
        help="het bestand bevat niet alle leerlingen van de school: stel geen vertrekkers voor",
    )
    p.add_argument(
        "--date",
        metavar="DATUM",
        help="importdatum (standaard vandaag): bepaalt het schooljaar van de groepen en de "
        "vertrekdatum",
    )
    p.add_argument(
        "--encoding", metavar="TEKENSET", help="tekenset van een CSV (standaard: herkennen)"
    )
    p.add_argument(
        "--rejected-out",
        metavar="BESTAND.csv",
        help="schrijf de afgewezen rijen naar een CSV om te verbeteren",
    )
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


def _fail(message: str) -> int:
    """Print the reason in Dutch and return the exit code of a refused import."""
    print(f"Fout: {message[:1].upper()}{message[1:]}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Import the file (or with --dry-run, only report what would happen)."""
    if str(args.file).lower().endswith(".pdf"):  # a returned evaluation form
        from ib_desktop.commands.evaluation_forms import run_import

        return run_import(args)
    from datetime import date

    from ib_desktop.cli import database_arg
    from ib_desktop.dates import parse_date
    from ib_desktop.importer import (
        ImportRefusedError,
        apply_overrides,
        apply_plan,
        build_plan,
        format_report,
        initial_mapping,
        read_table,
        write_rejected_csv,
    )
    from ib_desktop.services.school import get_school
    from ib_desktop.storage import open_database, resolve_url, sqlite_path

    if args.partial and args.confirm_leavers:
        return _fail("--confirm-leavers kan niet samen met --partial: een gedeeltelijke export "
                     "zegt niets over vertrokken leerlingen.")  # fmt: skip
    today = date.today()
    if args.date:
        try:
            today = parse_date(args.date) or today
        except ValueError as exc:
            return _fail(f"--date: {exc}.")
    # Read the file before the database is opened: a file that cannot be imported must not
    # create or touch anything.
    try:
        table = read_table(args.file, encoding=args.encoding)
    except ImportRefusedError as exc:
        return _fail(f"{exc} Er is niets gewijzigd.")
    target = database_arg(args)
    path = sqlite_path(resolve_url(target))
    if path is not None and not path.exists():
        return _fail(
            f"de database '{path}' bestaat nog niet. Richt eerst de school in met "
            "'ib-desktop init --school NAAM'."
        )
    db = open_database(target)
    try:
        with db.session() as s:
            school = get_school(s)
            if school is None:
                return _fail(
                    "deze database bevat nog geen school. Richt eerst de school in met "
                    "'ib-desktop init --school NAAM'."
                )
            school_id = school.id
            mapping, _remembered = initial_mapping(s, table.headers)
            try:
                mapping = apply_overrides(table.headers, mapping, args.mapping)
            except ValueError as exc:
                return _fail(str(exc))
            try:
                plan = build_plan(
                    s,
                    table,
                    mapping,
                    school_id=school_id,
                    today=today,
                    full_export=not args.partial,
                )
            except ImportRefusedError as exc:
                return _fail(
                    f"{exc} Er is niets gewijzigd. De kolommen van het bestand zijn: "
                    + ", ".join(f"'{h}'" for h in table.headers)
                    + ". Koppel ze met --mapping KOLOM=VELD."
                )
            s.rollback()  # the plan only read; end the read transaction before writing
        if args.rejected_out and plan.rejected:
            written = write_rejected_csv(plan, args.rejected_out)
        else:
            written = None
        result = None
        if not args.dry_run:
            confirmed = [lv.pupil_id for lv in plan.leavers] if args.confirm_leavers else []
            try:
                result = apply_plan(db, plan, confirmed_leavers=confirmed)
            except ImportRefusedError as exc:
                print(format_report(plan, dry_run=True).rsplit("\n", 1)[0])
                return _fail(str(exc))
        print(format_report(plan, result=result, dry_run=args.dry_run))
        if written is not None:
            print(f"De {len(plan.rejected)} afgewezen rijen staan in {written}.")
        if not args.dry_run and plan.leavers and not args.confirm_leavers:
            print(
                "De voorgestelde vertrekkers zijn niet gewijzigd. Kloppen ze, importeer dan "
                "opnieuw met --confirm-leavers (of bevestig ze per leerling in het programma)."
            )
    finally:
        db.dispose()
    return 0

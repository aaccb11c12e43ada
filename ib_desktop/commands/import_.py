"""``ib-desktop import``: pupils, groups and teachers from an LVS export (CSV, Excel, EDEXML).

The same steps as the import wizard: read, map the columns (guessed, remembered, or set with
``--mapping``), make the plan, print it, and apply it unless ``--dry-run``. Whatever goes
wrong, the database is either fully imported or unchanged (exit code 2 when refused).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ib_desktop.importer import ImportPlan, ImportResult, Table
    from ib_desktop.storage import Database

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
        "Excel-export of een EDEXML-bestand (EDEX.XML) van het leerlingvolgsysteem (ParnasSys, "
        "ESIS, ...). Bestaande leerlingen worden herkend aan het leerlingnummer, anders aan "
        "naam en geboortedatum.",
        epilog=EPILOG,
    )
    p.add_argument("file", metavar="BESTAND", help="de export: .csv, .txt, .xlsx of EDEX.XML")
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
        "--confirm-many-leavers",
        action="store_true",
        help="nodig naast --confirm-leavers als meer dan een kwart van de leerlingen zou "
        "vertrekken",
    )
    p.add_argument(
        "--date",
        metavar="DATUM",
        help="de datum die de export beschrijft (standaard vandaag): bepaalt het schooljaar "
        "van de groepen",
    )
    p.add_argument(
        "--left-on",
        metavar="DATUM",
        help="vertrekdatum van de bevestigde vertrekkers (standaard 31 juli: het einde van "
        "het vorige schooljaar)",
    )
    p.add_argument(
        "--same-pupil",
        action="append",
        default=[],
        metavar="NUMMER",
        help="de leerling met dit leerlingnummer in het bestand is dezelfde als de gelijknamige "
        "leerling (zelfde geboortedatum) in IB Desktop (mag vaker)",
    )
    p.add_argument(
        "--other-pupil",
        action="append",
        default=[],
        metavar="NUMMER",
        help="de leerling met dit leerlingnummer in het bestand is een ándere leerling dan de "
        "gelijknamige in IB Desktop (mag vaker)",
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


def _refusal(exc: Exception) -> str:
    """The reason of a refused import; a database error's own text (SQL and the rows' names
    and birth dates) is replaced by a Dutch sentence without them."""
    import sqlalchemy as sa

    from ib_desktop.storage import database_error_message

    cause = exc.__cause__
    if isinstance(cause, sa.exc.SQLAlchemyError):
        return "het importeren is mislukt: " + database_error_message(cause)
    return str(exc)


class _Refused(Exception):
    """An import that cannot go ahead; ``str()`` is the Dutch reason, printed by ``_fail``."""


def run(args: argparse.Namespace) -> int:
    """Import the file (or with --dry-run, only report what would happen)."""
    if str(args.file).lower().endswith(".pdf"):  # a returned evaluation form
        from ib_desktop.commands.evaluation_forms import run_import

        return run_import(args)
    try:
        return _import(args)
    except _Refused as exc:
        return _fail(str(exc))


def _import(args: argparse.Namespace) -> int:
    from ib_desktop.commands.common import open_for_command
    from ib_desktop.importer import (
        ImportRefusedError,
        format_report,
        read_table,
        write_rejected_csv,
    )

    if args.partial and args.confirm_leavers:
        raise _Refused("--confirm-leavers kan niet samen met --partial: een gedeeltelijke export "
                       "zegt niets over vertrokken leerlingen.")  # fmt: skip
    today, left_on, decisions = _options(args)
    # Read the file before the database is opened: a file that cannot be imported must not
    # create or touch anything.
    try:
        table = read_table(args.file, encoding=args.encoding)
    except ImportRefusedError as exc:
        raise _Refused(f"{exc} Er is niets gewijzigd.") from exc
    _require_database(args)
    db = open_for_command(args, write=True)
    try:
        plan = _plan(db, table, args, today=today, decisions=decisions, left_on=left_on)
        if args.rejected_out and plan.rejected:
            written = write_rejected_csv(plan, args.rejected_out)
        else:
            written = None
        result = None if args.dry_run else _apply(db, plan, args)
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


def _options(args: argparse.Namespace) -> tuple[date, date | None, dict[str, bool]]:
    """The import's date, the leaving date and the decisions about look-alike pupils."""
    from ib_desktop.dates import parse_date

    today = date.today()
    if args.date:
        try:
            today = parse_date(args.date) or today
        except ValueError as exc:
            raise _Refused(f"--date: {exc}.") from exc
    left_on = None
    if args.left_on:
        try:
            left_on = parse_date(args.left_on)
        except ValueError as exc:
            raise _Refused(f"--left-on: {exc}.") from exc
    both = sorted(set(args.same_pupil) & set(args.other_pupil))
    if both:
        raise _Refused(
            "een leerlingnummer kan niet zowel bij --same-pupil als bij --other-pupil staan: "
            + ", ".join(both)
            + "."
        )
    decisions = {n.strip(): True for n in args.same_pupil}
    decisions.update({n.strip(): False for n in args.other_pupil})
    return today, left_on, decisions


def _require_database(args: argparse.Namespace) -> None:
    """An import never creates the database: the school is set up first."""
    from ib_desktop.commands.common import database_arg
    from ib_desktop.storage import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(database_arg(args)))
    if path is not None and not path.exists():
        raise _Refused(
            f"de database '{path}' bestaat nog niet. Richt eerst de school in met "
            "'ib-desktop init --school NAAM'."
        )


def _plan(
    db: Database,
    table: Table,
    args: argparse.Namespace,
    *,
    today: date,
    decisions: dict[str, bool],
    left_on: date | None,
) -> ImportPlan:
    """What the import would do, read in one transaction that writes nothing."""
    from ib_desktop.importer import ImportRefusedError, apply_overrides, build_plan, initial_mapping
    from ib_desktop.services.school import get_school

    with db.session() as s:
        school = get_school(s)
        if school is None:
            raise _Refused(
                "deze database bevat nog geen school. Richt eerst de school in met "
                "'ib-desktop init --school NAAM'."
            )
        if table.mapping is not None:
            mapping = dict(table.mapping)  # EDEXML: the format fixes the columns
        else:
            mapping, _remembered = initial_mapping(s, table.headers)
        try:
            mapping = apply_overrides(table.headers, mapping, args.mapping)
        except ValueError as exc:
            raise _Refused(str(exc)) from exc
        try:
            plan = build_plan(
                s,
                table,
                mapping,
                school_id=school.id,
                today=today,
                full_export=not args.partial,
                twin_decisions=decisions,
                left_on=left_on,
            )
        except ImportRefusedError as exc:
            raise _Refused(
                f"{exc} Er is niets gewijzigd. De kolommen van het bestand zijn: "
                + ", ".join(f"'{h}'" for h in table.headers)
                + ". Koppel ze met --mapping KOLOM=VELD."
            ) from exc
        s.rollback()  # the plan only read; end the read transaction before writing
    return plan


def _apply(db: Database, plan: ImportPlan, args: argparse.Namespace) -> ImportResult:
    """Carry the plan out, unless look-alikes or too many leavers need a decision first."""
    from ib_desktop.importer import ImportRefusedError, apply_plan, format_report

    if plan.twins:
        print(format_report(plan, dry_run=True).rsplit("\n", 1)[0])
        numbers = ", ".join(t.lvs_id for t in plan.twins)
        raise _Refused(
            f"{len(plan.twins)} leerling(en) in het bestand lijken op een leerling die al "
            "in IB Desktop staat, maar met een ander leerlingnummer (zie 'Twijfel' "
            "hierboven). Er is niets gewijzigd. Geef per leerlingnummer aan of het dezelfde "
            "leerling is (--same-pupil NUMMER) of een andere (--other-pupil NUMMER); het "
            f"gaat om: {numbers}."
        )
    if args.confirm_leavers and plan.many_leavers() and not args.confirm_many_leavers:
        print(format_report(plan, dry_run=True).rsplit("\n", 1)[0])
        raise _Refused(
            f"{plan.leaver_share_text()} Er is niets gewijzigd. Is dit echt de volledige "
            "export en zijn ze echt vertrokken, importeer dan opnieuw met "
            "--confirm-leavers --confirm-many-leavers (of zonder --confirm-leavers om "
            "niemand als vertrokken te markeren)."
        )
    confirmed = [lv.pupil_id for lv in plan.leavers] if args.confirm_leavers else []
    try:
        return apply_plan(db, plan, confirmed_leavers=confirmed)
    except ImportRefusedError as exc:
        print(format_report(plan, dry_run=True).rsplit("\n", 1)[0])
        raise _Refused(_refusal(exc)) from exc

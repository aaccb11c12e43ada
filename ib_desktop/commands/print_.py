"""``ib-desktop print``: the printed documents as PDF files, without a screen.

For scripting and batch work: one pupil's OPP, groeidocument, korte interventie or support
overview (``--pupil`` by id or name), the same for every pupil of a group (``--group``) into one
file or into a folder, the evaluation schedule, the group overview and the OPP-register (PDF, or
CSV for Excel when the output ends in ``.csv``).

The OPP-register is checked against the rules of DUO's register (ROD, formerly BRON) before it
is handed on: overlapping periods, two open OPPs, a leaver without end date, an OPP for an SBO
pupil. The file is still written (the IB-er wants to look at it), the problems are listed per
pupil in Dutch on stderr and the command exits with code 3, so a script or the administration
notices; ``--ignore-problems`` lists them but exits 0. ``--duo-dates`` adds the start and end
date as EEJJMMDD columns to the CSV for the administration's upload.

Every document made is a line in the view log of the pupils it is about (issue 19), by the
operating system's login, in the same transaction as the reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

WHAT = (
    "opp",
    "groeidocument",
    "interventie",
    "schedule",
    "overview",
    "group",
    "opp-register",
    "evaluation-forms",
    "profile",
    "opp-summary",
)
#: The one-page documents: one pupil each, always exactly one A4 page.
ONE_PAGE_TITLES = {"profile": "Eén pagina voor overleg", "opp-summary": "OPP-samenvatting ouders"}
EPILOG = """\
voorbeelden:
  ib-desktop print opp --pupil "Sanne de Vries" -o sanne.pdf
  ib-desktop print opp --pupil 123 --version 1 -o versie1.pdf
  ib-desktop print opp --group 5B -o opps-5b.pdf         (alle OPP's in een bestand)
  ib-desktop print opp --group 5B -o opps-5b/            (een bestand per leerling)
  ib-desktop print schedule --from 01-12-2026 --to 31-01-2027 --per-teacher -o planning.pdf
  ib-desktop print group -o groepsoverzicht.pdf
  ib-desktop print opp-register --school-year 2025-2026 -o opp-register.csv
  ib-desktop print opp-register --duo-dates -o opp-register-duo.csv
  ib-desktop print evaluation-forms --within 2w -o formulieren/   (een invulbare PDF per leerkracht)
  ib-desktop print profile --pupil 123 -o overleg.pdf      (een pagina voor een bespreking)
  ib-desktop print opp-summary --pupil 123 -o ouders.pdf   (het OPP in gewone taal, een pagina)

Het OPP-register wordt eerst gecontroleerd op wat DUO weigert (overlappende perioden, twee open
OPP's, een vertrokken leerling zonder einddatum, een OPP voor een SBO-leerling). Het bestand
wordt wel geschreven; de problemen staan per leerling op het scherm en de opdracht stopt met
code 3 (met --ignore-problems: code 0).
"""
#: What the view log says was printed (issue 19: who saw what).
LOG_TITLES = {
    "opp": "OPP",
    "groeidocument": "Groeidocument",
    "interventie": "Korte interventie",
    "overview": "Ondersteuningsoverzicht",
    **ONE_PAGE_TITLES,
}
#: Exit code when the OPP-register has problems DUO would refuse.
EXIT_REGISTER_PROBLEMS = 3


def _date(text: str) -> date:
    from ib_desktop.dates import parse_date

    try:
        value = parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError("vul een datum in, bijv. 12-03-2026")
    return value


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand."""
    p = sub.add_parser(
        "print",
        help="maak een PDF: OPP, groeidocument, interventie, planning, overzicht, OPP-register",
        description=(
            "Maakt een PDF van een document, de evaluatieplanning of een overzicht; "
            "het OPP-register ook als CSV voor Excel."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("what", choices=WHAT, metavar="WAT", help="{" + ",".join(WHAT) + "}")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="BESTAND",
        help=(
            "PDF-bestand, of een map (eindigt op /) voor een bestand per leerling; "
            "opp-register: .pdf of .csv"
        ),
    )
    p.add_argument("--pupil", metavar="LEERLING", help="nummer of naam van de leerling")
    p.add_argument("--group", metavar="GROEP", help="groep, bijv. 5B")
    p.add_argument(
        "--version", type=int, metavar="N", help="versie van het OPP (standaard de nieuwste)"
    )
    p.add_argument(
        "--document",
        type=int,
        metavar="ID",
        help="nummer van het groeidocument of de interventie (standaard de nieuwste)",
    )
    p.add_argument(
        "--sensitive",
        action="store_true",
        help="vertrouwelijke onderzoeken (medisch, psychologisch) ook afdrukken",
    )
    p.add_argument(
        "--from", dest="start", type=_date, metavar="DATUM", help="planning vanaf (vandaag)"
    )
    p.add_argument(
        "--to", dest="end", type=_date, metavar="DATUM", help="planning tot en met (8 weken verder)"
    )
    p.add_argument(
        "--teacher", metavar="LEERKRACHT", help="planning van een leerkracht (nummer of naam)"
    )
    p.add_argument(
        "--per-teacher", action="store_true", help="planning: per leerkracht eigen pagina's"
    )
    p.add_argument("--names", action="store_true", help="groepsoverzicht: ook de namen per groep")
    p.add_argument(
        "--school-year",
        metavar="JAAR",
        help="opp-register: alleen OPP's die in dit schooljaar liepen, bijv. 2025-2026",
    )
    p.add_argument("--running", action="store_true", help="opp-register: alleen de lopende OPP's")
    p.add_argument(
        "--duo-dates",
        action="store_true",
        help="opp-register (CSV): ook de begin- en einddatum als EEJJMMDD, voor de upload naar DUO",
    )
    p.add_argument(
        "--ignore-problems",
        action="store_true",
        help="opp-register: toon wat DUO zou weigeren, maar stop toch met code 0",
    )
    p.add_argument(
        "--within",
        metavar="TERMIJN",
        help="evaluation-forms: wat te laat is en binnen deze termijn valt, bijv. 2w (standaard)",
    )
    p.add_argument("--today", type=_date, metavar="DATUM", help=argparse.SUPPRESS)
    p.add_argument("--database", dest="sub_database", metavar="PAD", help="database-bestand")
    return p


class UsageError(Exception):
    """A combination of options that does not make sense; ``str()`` is Dutch."""


class BatchFailed(Exception):
    """Some documents of a batch failed; ``written`` holds the files made for the others."""

    def __init__(self, message: str, written: list[tuple[Path, str]] | None = None) -> None:
        super().__init__(message)
        self.written = written or []


def _is_folder(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).is_dir()


def run(args: argparse.Namespace) -> int:
    """Make the PDF(s)."""
    from ib_desktop.commands.common import LookupFailed, open_school
    from ib_desktop.reports import ReportNotFoundError

    try:
        db, school_id = open_school(args)
    except LookupFailed as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    failed: BatchFailed | None = None
    problems: list = []
    try:
        with db.session() as s:
            written = _print(s, school_id, args, problems)
    except (LookupFailed, UsageError, ReportNotFoundError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except BatchFailed as exc:
        failed, written = exc, exc.written
    finally:
        db.dispose()
    for path, summary in written:
        print(f"{path} ({summary})")
    if failed is not None:
        print(f"Fout: {failed}", file=sys.stderr)
        return 1
    if problems:
        count = "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        print(f"Let op: DUO weigert dit OPP-register zo ({count}):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print(
            "Het bestand is wel geschreven, om na te kijken. Los de problemen op in de "
            "leerlingdossiers voordat u het register aan de administratie geeft.",
            file=sys.stderr,
        )
        if not args.ignore_problems:
            return EXIT_REGISTER_PROBLEMS
    return 0


def _pages(data: bytes) -> str:
    """ "1 pagina", "3 pagina's": what the command says beside a written PDF."""
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    return f"{pages} {'pagina' if pages == 1 else 'pagina' + chr(39) + 's'}"


def _log(s: object, pupil_ids: list[int | None], what: str, *, export: bool = False) -> None:
    """A line in the view log per pupil (one statement), by the operating system's login."""
    from ib_desktop.services import view_log

    action = view_log.EXPORTED if export else view_log.PRINTED
    view_log.record_views(s, pupil_ids, action, f"{what} (ib-desktop print)")  # type: ignore[arg-type]


def _print(
    s: Session, school_id: int, args: argparse.Namespace, problems: list
) -> list[tuple[Path, str]]:
    """Write what ``args.what`` names; the files written with a summary each."""
    today = args.today or date.today()
    what = args.what
    if what != "opp-register" and (
        args.school_year or args.running or args.duo_dates or args.ignore_problems
    ):
        raise UsageError(
            "--school-year, --running, --duo-dates en --ignore-problems horen bij "
            "'print opp-register'."
        )
    if what == "opp-register":
        return [_opp_register(s, school_id, args, today, problems)]
    if what == "evaluation-forms":
        return _evaluation_forms(s, school_id, args, today)
    if args.within:
        raise UsageError("--within hoort bij 'print evaluation-forms'.")
    if what in ONE_PAGE_TITLES:
        return [_one_page(s, school_id, args, today)]
    if what == "schedule":
        return [_schedule(s, school_id, args, today)]
    if what == "group":
        return [_group_overview(s, school_id, args, today)]
    return _documents(s, school_id, args, today)


def _schedule(
    s: Session, school_id: int, args: argparse.Namespace, today: date
) -> tuple[Path, str]:
    """The evaluation schedule of the school, a group or a teacher."""
    from ib_desktop.commands.lookup import resolve_group, resolve_staff
    from ib_desktop.reports import schedule_pdf
    from ib_desktop.reports.batch import write_atomic

    if args.pupil:
        raise UsageError("De planning is per school, groep of leerkracht, niet per leerling.")
    start = args.start or today
    end = args.end or start + timedelta(weeks=8)
    if end < start:
        raise UsageError("--to ligt voor --from.")
    group = resolve_group(s, school_id, args.group) if args.group else None
    teacher = resolve_staff(s, school_id, args.teacher) if args.teacher else None
    data = schedule_pdf(
        s,
        school_id,
        start=start,
        end=end,
        group_id=group.id if group else None,
        teacher_id=teacher.id if teacher else None,
        per_teacher=args.per_teacher,
        today=today,
    )
    _log(s, [None], "Evaluatieplanning")
    return write_atomic(_single(args.output, "Evaluatieplanning"), data), _pages(data)


def _group_overview(
    s: Session, school_id: int, args: argparse.Namespace, today: date
) -> tuple[Path, str]:
    """The groepsoverzicht of the school or one group."""
    from ib_desktop.commands.lookup import resolve_group
    from ib_desktop.reports import group_overview_pdf
    from ib_desktop.reports.batch import write_atomic

    group = resolve_group(s, school_id, args.group) if args.group else None
    data = group_overview_pdf(
        s,
        school_id,
        group_id=group.id if group else None,
        with_names=True if args.names else None,
        today=today,
    )
    _log(s, [None], "Groepsoverzicht")
    return write_atomic(_single(args.output, "Groepsoverzicht"), data), _pages(data)


def _documents(
    s: Session, school_id: int, args: argparse.Namespace, today: date
) -> list[tuple[Path, str]]:
    """An OPP, plan or overview of one pupil (``--pupil``) or of every pupil of a group."""
    from ib_desktop.commands.lookup import resolve_pupil
    from ib_desktop.reports import batch
    from ib_desktop.reports.batch import write_atomic

    what = args.what
    kwargs: dict[str, object] = {}
    if what == "opp":
        kwargs = {"today": today, "include_sensitive": args.sensitive}
    elif what == "overview":
        kwargs = {"today": today}
    if args.pupil and args.group:
        raise UsageError("Kies --pupil of --group, niet allebei.")
    if args.pupil:
        pupil = resolve_pupil(s, school_id, args.pupil)
        record = _record(s, what, pupil.id, args)
        data = batch.build_one(s, what, record, **kwargs)
        _log(s, [pupil.id], LOG_TITLES[what])
        title = batch.KIND_TITLES[what]
        name = f"{title} {pupil.sort_name}"
        return [(write_atomic(_single(args.output, name), data), _pages(data))]
    if args.group:
        return _group_documents(s, school_id, args, kwargs)
    raise UsageError(f"Geef --pupil (nummer of naam) of --group voor 'print {what}'.")


def _group_documents(
    s: Session, school_id: int, args: argparse.Namespace, kwargs: dict[str, object]
) -> list[tuple[Path, str]]:
    """The documents of every pupil of a group: one PDF, or one file each in a folder."""
    from ib_desktop.commands.lookup import resolve_group
    from ib_desktop.reports import batch
    from ib_desktop.reports.batch import write_atomic

    what, output = args.what, args.output
    if args.version or args.document:
        raise UsageError("--version en --document gaan over een leerling; laat ze weg bij --group.")
    group = resolve_group(s, school_id, args.group)
    items = batch.group_items(s, group.id, what)
    if not items:
        raise UsageError(
            f"Geen leerlingen in groep {group.name} met een {batch.KIND_TITLES[what]}."
        )

    def build(item: batch.BatchItem) -> bytes:
        try:
            return batch.build_one(s, what, item.record_id, **kwargs)
        except Exception:
            s.rollback()  # the next pupil gets a clean read
            raise

    result = batch.build_all(items, build)
    for failure in result.failed:
        print(f"Niet gelukt: {failure.item.pupil_name}: {failure.reason}", file=sys.stderr)
    parts = result.done
    if not parts:
        raise BatchFailed(f"Geen enkel document van groep {group.name} kon worden gemaakt.")
    _log(s, [item.pupil_id for item, _ in parts], f"{LOG_TITLES[what]} (groep {group.name})")
    if _is_folder(output):
        names = batch.file_names(what, items)
        folder = Path(output)
        written = [
            (write_atomic(folder / names[item.pupil_id], data), _pages(data))
            for item, data in parts
        ]
    else:
        data = batch.combine((item.pupil_name, d) for item, d in parts)
        written = [(write_atomic(output, data), _pages(data))]
    if result.failed:
        raise BatchFailed(
            f"{len(result.failed)} van {len(items)} documenten niet gemaakt (zie hierboven).",
            written,
        )
    return written


def _opp_register(
    s: Session, school_id: int, args: argparse.Namespace, today: date, problems: list
) -> tuple[Path, str]:
    """The register as a PDF, or as a CSV for Excel when the file name ends in .csv.

    What DUO would refuse is added to ``problems``.
    """
    from ib_desktop.reports.batch import write_atomic
    from ib_desktop.reports.opp_register import register_pdf
    from ib_desktop.services.opp.register import (
        check_register,
        opp_register,
        parse_school_year,
        school_is_sbo,
        write_register_csv,
    )
    from ib_desktop.services.school import get_school

    if args.pupil or args.group:
        raise UsageError("Het OPP-register gaat over de hele school; laat --pupil en --group weg.")
    school_year = None
    if args.school_year:
        try:
            school_year = parse_school_year(args.school_year)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    rows = opp_register(
        s,
        school_id,
        today=today,
        school_year=school_year,
        running_only=args.running,
    )
    problems += check_register(rows, sbo_school=school_is_sbo(s, school_id))
    is_csv = not _is_folder(args.output) and args.output.lower().endswith(".csv")
    _log(s, [r.pupil_id for r in rows], "OPP-register" + (" (CSV)" if is_csv else ""),
         export=is_csv)  # fmt: skip
    if args.duo_dates and not is_csv:
        raise UsageError("--duo-dates hoort bij een CSV-bestand (-o register.csv).")
    if is_csv:
        n = len(rows)
        written = write_register_csv(rows, args.output, duo_dates=args.duo_dates)
        return written, "1 OPP" if n == 1 else f"{n} OPP's"
    school = get_school(s, school_id)
    data = register_pdf(
        rows,
        school_name=school.name if school else "",
        today=today,
        school_year=school_year,
        running_only=args.running,
        logo_png=school.logo_png if school else None,
        problems=problems,
    )
    return write_atomic(_single(args.output, "OPP-register"), data), _pages(data)


def _evaluation_forms(
    s: Session, school_id: int, args: argparse.Namespace, today: date
) -> list[tuple[Path, str]]:
    """One fillable PDF per teacher with evaluations due, into the folder ``-o``."""
    from ib_desktop.commands.lookup import resolve_staff
    from ib_desktop.reports.batch import safe_filename, write_atomic
    from ib_desktop.reports.evaluation_forms import evaluation_form_pdf
    from ib_desktop.services.plans.evaluation_forms import make_forms, parse_within

    if args.pupil or args.group:
        raise UsageError("Evaluatieformulieren zijn per leerkracht; gebruik --teacher.")
    if not _is_folder(args.output):
        raise UsageError("Geef met -o een map (eindigt op /): er komt een PDF per leerkracht.")
    try:
        days = parse_within(args.within) if args.within else 14
    except ValueError as exc:
        raise UsageError(f"--within: {exc}.") from None
    teacher = resolve_staff(s, school_id, args.teacher) if args.teacher else None
    forms = make_forms(
        s,
        school_id,
        today=today,
        within_days=days,
        teacher_id=teacher.id if teacher else None,
    )
    if not forms:
        who = f" voor {teacher.full_name}" if teacher else ""
        raise UsageError(f"Er zijn geen evaluaties te doen{who} binnen {days} dagen.")
    _log(s, [None], "Evaluatieformulieren")
    written = []
    for form in forms:
        data = evaluation_form_pdf(form)
        path = write_atomic(Path(args.output) / (safe_filename(form.file_stem) + ".pdf"), data)
        n = len(form.items)
        written.append((path, f"{form.teacher_name}, {n} {'doel' if n == 1 else 'doelen'}"))
    return written


def _one_page(
    s: Session, school_id: int, args: argparse.Namespace, today: date
) -> tuple[Path, str]:
    """``print profile`` / ``print opp-summary``: one pupil, exactly one page."""
    from ib_desktop.commands.lookup import resolve_pupil
    from ib_desktop.reports import opp_summary_pdf, profile_pdf
    from ib_desktop.reports.batch import write_atomic

    what = args.what
    if args.group or not args.pupil:
        raise UsageError(f"Geef --pupil (nummer of naam) voor 'print {what}'; het is per leerling.")
    if args.version is not None or args.document is not None:
        raise UsageError(f"'print {what}' neemt het nieuwste; laat --version en --document weg.")
    pupil = resolve_pupil(s, school_id, args.pupil)
    build = profile_pdf if what == "profile" else opp_summary_pdf
    data = build(s, pupil.id, today=today)
    _log(s, [pupil.id], ONE_PAGE_TITLES[what])
    name = f"{ONE_PAGE_TITLES[what]} {pupil.sort_name}"
    return write_atomic(_single(args.output, name), data), _pages(data)


def _single(output: str, default_name: str) -> Path:
    """The file to write; inside the folder when ``output`` names a folder."""
    if _is_folder(output):
        from ib_desktop.reports.batch import safe_filename

        return Path(output) / (safe_filename(default_name) + ".pdf")
    return Path(output)


def _record(s: Session, what: str, pupil_id: int, args: argparse.Namespace) -> int:
    """The record to print for one pupil: a chosen version/document or the newest."""
    import sqlalchemy as sa

    from ib_desktop.models import GrowthDocument, ShortIntervention
    from ib_desktop.reports import ReportNotFoundError
    from ib_desktop.reports.batch import latest_record_id
    from ib_desktop.reports.opp import current_version_id

    if args.version is not None and what != "opp":
        raise UsageError("--version hoort bij 'print opp'.")
    if what == "opp":
        return current_version_id(s, pupil_id, args.version)
    if args.document is not None:
        models: dict[str, type[GrowthDocument] | type[ShortIntervention]] = {
            "groeidocument": GrowthDocument,
            "interventie": ShortIntervention,
        }
        model = models.get(what)
        if model is None:
            raise UsageError("--document hoort bij 'print groeidocument' of 'print interventie'.")
        found = s.scalars(
            sa.select(model.id).where(model.id == args.document, model.pupil_id == pupil_id)
        ).first()
        if found is None:
            raise ReportNotFoundError(
                f"Deze leerling heeft geen {what} met nummer {args.document}."
            )
        return found
    record = latest_record_id(s, what, pupil_id)
    if record is None:
        label = {"groeidocument": "groeidocument", "interventie": "korte interventie"}.get(
            what, what
        )
        raise ReportNotFoundError(f"Deze leerling heeft geen {label}.")
    return record

"""The OPP-register on paper: every OPP with its start and end date, for the national registry.

One landscape table, sorted by name, with a header row that repeats on every page. The dates
the registry asks for (start and end) come right after the pupil; the version, the date it was
fixed and the next evaluation follow for the IB-er's own use. An evaluation whose day has
passed stands out in bold red, as in the evaluation schedule. What DUO's register would refuse
(overlapping periods, two open OPPs, a leaver without end date, an SBO pupil) is listed under
the table, per pupil, so it is fixed before the dates are passed on.
"""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable, Paragraph
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import PupilStatus, School
from ib_desktop.services.opp.register import (
    ENDED,
    OppRegisterRow,
    RegisterProblem,
    check_register,
    opp_register,
    parse_school_year,
    school_is_sbo,
)

from .base import (
    ALERT_HEX,
    MUTED,
    Plain,
    ReportInfo,
    build_pdf,
    cell,
    content_width,
    empty_note,
    esc,
    fmt_date,
    grid_table,
    para,
    spacer,
    styles,
)
from .errors import ReportNotFoundError

TITLE = "OPP-register"
HEADERS = [
    "Leerling",
    "Geboren",
    "Groep",
    "Start OPP",
    "Einde OPP",
    "Status",
    "Versie",
    "Vastgesteld",
    "Volgende evaluatie",
]
WIDTHS = (0.21, 0.09, 0.06, 0.09, 0.09, 0.08, 0.18, 0.09, 0.11)


def _scope(school_year: str | None, running_only: bool) -> str:
    text = f"schooljaar {school_year}" if school_year else "alle schooljaren"
    return text + (" · alleen lopende OPP's" if running_only else "")


def _count(n: int) -> str:
    return "geen OPP's" if n == 0 else "1 OPP" if n == 1 else f"{n} OPP's"


def _table(rows: list[OppRegisterRow], today: date, width: float) -> Flowable:
    st = styles()
    extra: list[tuple] = []
    data: list[list[object]] = []
    for i, r in enumerate(rows, start=1):
        name = r.pupil_name
        if r.pupil_status == PupilStatus.VERTROKKEN:
            name += " (vertrokken)"
        version = (
            f"{r.version_number} · {r.version_status_label}" if r.version_number is not None else ""
        )
        due: object = Plain(short_date(r.next_evaluation) or "–")
        if r.evaluation_overdue(today):
            due = Paragraph(esc(f"{short_date(r.next_evaluation)} te laat"), st.alert)
        if r.state == ENDED:
            extra.append(("TEXTCOLOR", (5, i), (5, i), MUTED))
        data.append(
            [
                cell(name),
                Plain(short_date(r.birth_date)),
                Plain(r.group_name),
                Plain(short_date(r.start_date)),
                Plain(short_date(r.end_date) or "–"),
                Plain(r.state),
                cell(version),
                Plain(short_date(r.fixed_on) or "–"),
                due,
            ]
        )
    return grid_table(HEADERS, data, [width * f for f in WIDTHS], extra_style=extra)


def register_pdf(
    rows: list[OppRegisterRow],
    *,
    school_name: str,
    today: date,
    school_year: str | None = None,
    running_only: bool = False,
    logo_png: bytes | None = None,
    problems: list[RegisterProblem] | None = None,
) -> bytes:
    """The register of ``rows`` (as :func:`opp_register` gives them) as a PDF.

    ``problems`` (from :func:`check_register`) are listed under the table; by default the rows
    are checked as for a school that is not an SBO.
    """
    if problems is None:
        problems = check_register(rows)
    st = styles()
    stand = short_date(today)
    info = ReportInfo(
        title=f"{TITLE} {school_name}",
        subject=f"{TITLE} · {_scope(school_year, running_only)}",
        footer=f"Vertrouwelijk · {TITLE} · stand {stand}",
        header_right=f"{school_name} · {TITLE}",
        logo_png=logo_png,
        landscape=True,
    )
    width = content_width(info)
    running = sum(1 for r in rows if r.is_running)
    summary = f"{_count(len(rows))}"
    if rows:
        summary += f", waarvan {running} lopend en {len(rows) - running} beëindigd"
    late = sum(1 for r in rows if r.evaluation_overdue(today))
    if late:
        summary += (
            f"; <font color='{ALERT_HEX}'><b>{late} evaluatie"
            f"{'s' if late != 1 else ''} te laat</b></font>"
        )
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            esc(f"{school_name} · {_scope(school_year, running_only)} · stand {fmt_date(today)}"),
            st.subtitle,
        ),
        para(summary + ".", st.body, markup=True),
        spacer(2),
    ]
    if rows:
        story.append(_table(rows, today, width))
    else:
        story.append(empty_note("Er zijn geen OPP's die aan deze keuze voldoen."))
    if problems:
        story += [
            spacer(4),
            para(
                f"<font color='{ALERT_HEX}'><b>Controle voor DUO: "
                f"{len(problems)} {'probleem' if len(problems) == 1 else 'problemen'}</b></font>"
                " – het register weigert deze perioden; los ze op voordat de data worden "
                "doorgegeven.",
                st.body,
                markup=True,
            ),
        ]
        story += [para(f"• {p}", st.body) for p in problems]
    story += [
        spacer(4),
        para(
            "Voor het landelijke register zijn alleen de start- en einddatum van het OPP nodig; "
            "de inhoud van het OPP wordt niet doorgegeven. De volgende evaluatie is de eerste "
            "open evaluatie met de ouders volgens de evaluatieplanning.",
            st.muted,
        ),
    ]
    return build_pdf(info, story)


def opp_register_pdf(
    session: Session,
    school_id: int,
    *,
    today: date,
    school_year: str | None = None,
    running_only: bool = False,
) -> bytes:
    """The school's OPP-register as a PDF (a school year or all; running OPPs only on request)."""
    school = session.get(School, school_id)
    if school is None:
        raise ReportNotFoundError(f"Er is geen school met nummer {school_id}.")
    if school_year is not None:
        school_year = parse_school_year(school_year)
    rows = opp_register(
        session, school_id, today=today, school_year=school_year, running_only=running_only
    )
    return register_pdf(
        rows,
        school_name=school.name,
        today=today,
        school_year=school_year,
        running_only=running_only,
        logo_png=school.logo_png,
        problems=check_register(rows, sbo_school=school_is_sbo(session, school_id)),
    )

"""The OPP for parents on one page, in plain language (B1), with the consent box.

Parents sign the handelingsdeel; many of them never read thirteen parts of jargon. This page
says in short sentences, with "wij" and "u", what changed since the last evaluation, what the
goals are, what the school does and what the parents do, when we meet again, and ends with a
box per guardian with gezag: "Ik stem in met het handelingsdeel ☐ ja ☐ nee", date and
signature. Dates read as "12 maart 2026"; the few words that cannot be avoided are explained.

The data is the newest version of the pupil's OPP as the editor reads it (services.opp), the
change since the previous version is the editor's per-part comparison (``diff_versions``),
and the next meeting is the version's next evaluation date or else the schedule engine's next
OPP moment. The page is always exactly one A4 page; see :mod:`.one_page` for the method. The
consent box is never shortened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.platypus import Flowable, Table
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.models import OppStatus, Pupil
from ib_desktop.schedule import compute_moments
from ib_desktop.services import opp as opp_service

from .base import MUTED, RULE, ReportInfo, content_width, esc, paragraph, table_style
from .errors import ReportNotFoundError
from .one_page import Page, one_page_pdf

NOTE = "zie het volledige OPP"
GOALS = 6
GOAL_CHARS = 260
SCHOOL_CHARS = 650
PARENTS_CHARS = 400
CHANGE_CHARS = 450

#: The parts of the OPP in words a parent knows.
PLAIN_PARTS: dict[str, str] = {
    "algemeen": "de gegevens van uw kind en het gezin",
    "schoolloopbaan": "de schoolloopbaan",
    "onderzoek": "de onderzoeken",
    "inzet": "de extra hulp die de school krijgt",
    "factoren": "wat goed gaat en wat lastig is",
    "behoeften": "wat uw kind nodig heeft",
    "zorg": "de hulp buiten school",
    "uitstroom": "de verwachting voor de middelbare school",
    "handelingsdeel": "de doelen",
    "aanpassingen": "wat de school anders doet in de les",
    "zienswijze": "uw mening en de gesprekken",
    "evaluatie": "de evaluatie",
}
#: The areas part 9 must cover, in words a parent knows (other areas print as they are).
PLAIN_AREAS = {
    "Cognitieve ontwikkeling": "Leren (zoals lezen, rekenen en taal)",
    "Sociaal-emotionele ontwikkeling": "Omgaan met anderen en met gevoelens",
    "Leren leren": "Leren hoe je leert (plannen en werken)",
}
PLAIN_OUTCOME = {
    "behaald": "dit doel is gehaald",
    "deels_behaald": "dit doel is voor een deel gehaald",
    "niet_behaald": "dit doel is nog niet gehaald",
}


@dataclass
class Summary:
    """What the page shows, read once before the page is laid out."""

    name: str
    first_name: str
    number: int
    status: OppStatus
    agreed_on: date | None
    previous_results: list[tuple[str, str]] = field(default_factory=list)  # goal, outcome
    changed_parts: list[str] = field(default_factory=list)
    evaluation: str = ""
    has_previous: bool = False
    goals: list[tuple[str, str]] = field(default_factory=list)  # area, goal
    school_does: str = ""
    parents_do: str = ""
    next_meeting: date | None = None
    guardians: list[str] = field(default_factory=list)
    logo_png: bytes | None = None


def read_summary(session: Session, pupil_id: int, *, today: date) -> Summary:
    """The newest OPP version, its change since the previous one, the guardians with gezag."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ReportNotFoundError(f"Er is geen leerling met nummer {pupil_id}.")
    opp_id = opp_service.opp_for_pupil(session, pupil_id)
    if opp_id is None:
        raise ReportNotFoundError(
            f"{pupil.full_name} heeft geen OPP. Een samenvatting voor ouders kan pas "
            "als er een OPP is; maak eerst een OPP in het leerlingdossier."
        )
    data = opp_service.load_version(session, opp_service.newest_version_id(session, opp_id))
    snap = opp_service.pupil_part_data(session, data)
    first = (snap.get("pupil", {}) or {}).get("first_name") or pupil.first_name
    summary = Summary(
        name=pupil.full_name,
        first_name=first,
        number=data.number,
        status=data.status,
        agreed_on=data.fixed_on or data.discussed_on,
        evaluation=data.evaluation,
        goals=[(PLAIN_AREAS.get(g.area, g.area), g.goal) for g in data.goals if g.goal.strip()],
        school_does=data.adjustments,
        parents_do=data.parents_view,
        guardians=[g.get("name", "") for g in opp_service.custody_guardians(snap)],
        logo_png=pupil.school.logo_png if pupil.school else None,
    )
    if data.previous_version_id is not None:
        summary.has_previous = True
        summary.previous_results = [
            (
                opp_service.first_goal_line(g.goal),
                PLAIN_OUTCOME.get(g.outcome.value, "") if g.outcome else "nog niet besproken",
            )
            for g in data.previous_goals
            if g.goal.strip()
        ]
        diffs = opp_service.diff_versions(session, data.previous_version_id, data.id)
        summary.changed_parts = [
            PLAIN_PARTS[d.key] for d in diffs if d.changed and d.key in PLAIN_PARTS
        ]
    summary.next_meeting = data.next_evaluation_on
    if summary.next_meeting is None:
        for m in compute_moments(session, pupil.school_id, today=today):
            if m.pupil_id == pupil_id and m.source_kind == "opp" and m.source_id == opp_id:
                summary.next_meeting = m.due
                break
    return summary


def _consent_box(guardians: list[str], page: Page, width: float) -> Table:
    """One row per guardian with gezag: consent ja/nee, date and signature lines."""
    names = guardians or ["Naam: ______________________________"]
    rows: list[list[Flowable]] = [
        [
            paragraph(
                "<b>Toestemming voor het handelingsdeel</b> (de doelen en de hulp van de school)",
                page.body,
            )
        ]
    ]
    for name in names:
        rows.append(
            [
                paragraph(
                    f"<b>{esc(name)}</b><br/>"
                    "Ik stem in met het handelingsdeel&nbsp;&nbsp;☐ ja&nbsp;&nbsp;☐ nee<br/>"
                    "Datum: ____________________&nbsp;&nbsp;&nbsp;"
                    "Handtekening: ________________________________",
                    page.body,
                )
            ]
        )
    table = Table(rows, colWidths=[width])
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, MUTED),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _story(s: Summary, page: Page, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        paragraph(esc(f"Het plan voor {s.first_name}"), page.title),
        page.p(
            f"Dit is een korte samenvatting van het OPP van {s.name}. OPP betekent "
            "ontwikkelingsperspectiefplan: het plan voor uw kind. Daarin staat wat uw kind "
            "nodig heeft en wat wij samen willen bereiken."
        ),
    ]
    when = f", afgesproken op {long_date(s.agreed_on)}" if s.agreed_on else ""
    story.append(page.p(f"Dit is versie {s.number} van het plan{when}.", small=True))
    # -- what changed
    story.append(page.h("Wat is er veranderd sinds de vorige keer?"))
    if not s.has_previous:
        story.append(
            page.p("Dit is het eerste plan. Er is nog geen eerdere afspraak om mee te vergelijken.")
        )
    else:
        shown = s.previous_results[: max(1, page.items(GOALS))]
        for goal, outcome in shown:
            story += page.text(
                f"- {goal.rstrip('. ')}: {outcome}.", GOAL_CHARS, what="resultaten", small=False
            )
        if len(shown) < len(s.previous_results):
            page.shortened.append("resultaten")
        if s.changed_parts:
            story.append(
                page.p("Wij hebben in het plan aangepast: " + ", ".join(s.changed_parts) + ".")
            )
        else:
            story.append(page.p("Verder is het plan hetzelfde gebleven."))
        if s.evaluation.strip():
            story.append(page.p("Wat wij zagen:", small=True))
            story += page.text(s.evaluation, CHANGE_CHARS, what="evaluatie", small=True)
    # -- goals
    story.append(page.h("Wat willen wij bereiken? (de doelen)"))
    if s.goals:
        shown_goals = s.goals[: max(1, page.items(GOALS))]
        for area, goal in shown_goals:
            story.append(paragraph(f"<b>{esc(area)}</b>", page.small))
            story += page.text(goal, GOAL_CHARS, what="doelen", small=True)
        if len(shown_goals) < len(s.goals):
            page.shortened.append("doelen")
            story.append(
                page.p(f"En nog {len(s.goals) - len(shown_goals)} doelen ({NOTE}).", small=True)
            )
    else:
        story.append(page.p("Wij spreken de doelen samen met u af.", small=True))
    # -- school and parents
    story.append(page.h("Wat doet de school?"))
    story += page.text(
        s.school_does,
        SCHOOL_CHARS,
        what="wat de school doet",
        small=True,
        empty="Wij vertellen u in het gesprek wat wij in de klas doen.",
    )
    story.append(page.h("Wat doet u als ouder?"))
    story += page.text(
        s.parents_do,
        PARENTS_CHARS,
        what="wat ouders doen",
        small=True,
        empty="Wij spreken met u af wat u thuis kunt doen.",
    )
    # -- next meeting
    story.append(page.h("Wanneer praten wij weer?"))
    if s.next_meeting:
        story.append(page.p(f"Wij bespreken het plan weer met u rond {long_date(s.next_meeting)}."))
    else:
        story.append(page.p("Wij maken samen met u een nieuwe afspraak."))
    story.append(
        page.p(
            "Heeft u vragen? Neem contact op met de leerkracht of de intern begeleider.",
            small=True,
        )
    )
    story += page.shortened_note()
    # -- consent (never shortened)
    story.append(page.h("Uw toestemming"))
    story.append(_consent_box(s.guardians, page, width))
    return story


def opp_summary_pdf(session: Session, pupil_id: int, *, today: date | None = None) -> bytes:
    """The newest OPP of the pupil for the parents, on exactly one A4 page."""
    today = today or date.today()
    summary = read_summary(session, pupil_id, today=today)
    info = ReportInfo(
        title=f"OPP-samenvatting voor ouders {summary.name}",
        footer=f"Vertrouwelijk · {summary.name} · samenvatting van het OPP",
        header_right=f"Samenvatting OPP · {summary.name}",
        logo_png=summary.logo_png,
    )
    width = content_width(info)
    return one_page_pdf(info, lambda page: _story(summary, page, width), note=NOTE)

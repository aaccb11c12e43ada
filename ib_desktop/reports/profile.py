"""One page for a meeting: who the pupil is, what helps, what is needed, what runs, what was agreed.

The IB-er hands this sheet round at a kindbespreking, OT or MDO instead of an 80-page dossier.
It is always exactly one A4 page (see :mod:`.one_page` for how it is shortened, and where the
page says so). Everything is read through the services the pupil file and the OPP editor use:

* strengths and needs: the newest OPP version's part 5 (bevorderende / belemmerende factoren)
  and part 6 (the five aspects of the support need); without an OPP the running groeidocument's
  latest period (its support need per area);
* the level and since when: the level history (the pupil as a whole, then areas with their own
  level);
* running documents and their next evaluation: the pupil's open documents, with the earliest
  open moment of each from the schedule engine (holidays respected, overdue marked);
* agreements: the decisions of the latest meetings about the pupil; without any, the OPP's goals
  (part 9) and, failing those, its conversations with the parents (part 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date
from ib_desktop.models import Pupil
from ib_desktop.permissions import Role
from ib_desktop.schedule import Moment, compute_moments
from ib_desktop.services import opp as opp_service
from ib_desktop.services import plans as plan_service
from ib_desktop.services import pupil as pf
from ib_desktop.services.opp.parts import NEED_ASPECTS

from .base import ReportInfo, content_width, esc, field_table, fmt_date, grid_table, paragraph
from .errors import ReportNotFoundError
from .one_page import Page, one_page_pdf

NOTE = "zie het volledige dossier"
#: Full budgets (characters or items) at the first attempt.
STRENGTHS_CHARS = 700
NEEDS_CHARS = 900
DOCUMENTS = 8
MEETINGS = 4
AGREEMENT_CHARS = 600


@dataclass
class Profile:
    """What the page shows, read once before the page is laid out."""

    name: str
    birth_date: date | None
    group: str
    teachers: str
    level: str
    area_levels: list[str]
    strengths: str = ""
    hindering: str = ""
    needs: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""  # where strengths and needs come from
    documents: list[tuple[str, str, str]] = field(default_factory=list)  # what, period, next
    agreements: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    agreements_source: str = ""
    logo_png: bytes | None = None


def _level_text(step: pf.LevelStep | None) -> str:
    if step is None:
        return "Nog geen ondersteuningsniveau vastgelegd"
    return f"{step.level.label}, sinds {long_date(step.start)}"


def _next_moments(
    session: Session, school_id: int, pupil_id: int, today: date
) -> dict[tuple[str, int | None], Moment]:
    """Per (source kind, record id) the earliest open moment of this pupil."""
    out: dict[tuple[str, int | None], Moment] = {}
    for m in compute_moments(session, school_id, today=today):
        if m.pupil_id == pupil_id:
            out.setdefault((m.source_kind, m.source_id), m)
    return out


def read_profile(session: Session, pupil_id: int, *, today: date, role: Role = None) -> Profile:
    """Everything the page needs, through the pupil-file, OPP, plans and schedule services.

    Read for ``role``: confidential meeting notes come blanked for a role that may not read them
    and are then left out; the parents' view on a meeting is printed under its decisions.
    """
    try:
        file = pf.load_pupil_file(session, pupil_id, today=today, role=role)
    except pf.RecordGoneError:
        raise ReportNotFoundError(f"Er is geen leerling met nummer {pupil_id}.") from None
    pupil = session.get(Pupil, pupil_id)
    history = file.levels
    areas = [
        f"{area}: {_level_text(history.current(area))}"
        for area in (history.areas if history else [])
        if area and history and history.current(area)
    ]
    profile = Profile(
        name=file.full_name,
        birth_date=file.data.birth_date,
        group=file.group_name,
        teachers=file.teacher_names,
        level=_level_text(history.current("") if history else None),
        area_levels=areas,
        logo_png=pupil.school.logo_png if pupil and pupil.school else None,
    )
    # -- strengths and needs: the OPP, else the running groeidocument
    opp_id = opp_service.opp_for_pupil(session, pupil_id)
    version = None
    if opp_id is not None:
        version = opp_service.load_version(session, opp_service.newest_version_id(session, opp_id))
        profile.strengths = version.promoting_factors
        profile.hindering = version.hindering_factors
        profile.needs = [
            (label, getattr(version, name))
            for name, label in NEED_ASPECTS
            if (getattr(version, name) or "").strip()
        ]
        profile.source = f"OPP versie {version.number}"
    open_docs = [d for d in file.documents if d.is_open]
    growth = next((d for d in open_docs if d.kind == "groeidocument"), None)
    if version is None and growth is not None:
        data = plan_service.load_growth_document(session, growth.open_id)
        if data.periods:
            period = max(data.periods, key=lambda p: p.start_date)
            profile.needs = [
                (g.area, g.support_need) for g in period.goals if g.support_need.strip()
            ]
        profile.source = data.title or "Groeidocument"
    # -- running documents and their next evaluation
    moments = _next_moments(session, pupil.school_id, pupil_id, today) if pupil else {}
    for doc in open_docs:
        m = moments.get((doc.kind, doc.open_id))
        if m is None:
            when = "geen evaluatie gepland"
        else:
            when = long_date(m.due) + (" (te laat)" if m.is_overdue(today) else "")
        span = (
            f"{fmt_date(doc.start)} t/m {fmt_date(doc.end)}"
            if doc.start and doc.end
            else f"sinds {fmt_date(doc.start)}"
            if doc.start
            else ""
        )
        profile.documents.append((f"{doc.title} ({doc.status.lower()})", span, when))
    # -- agreements: the latest meetings' decisions, else the OPP's goals or conversations
    decided = [m for m in file.meetings if m.decisions.strip()]
    if decided:
        profile.agreements = [
            (pf.meeting_label(m), m.decisions + _parent_views_text(file.views_on("meeting", m.id)))
            for m in decided
        ]
        profile.agreements_source = "besluiten van de laatste besprekingen"
    elif version is not None and version.goals:
        profile.agreements = [(g.area, g.goal) for g in version.goals if g.goal.strip()]
        profile.agreements_source = f"doelen uit OPP versie {version.number}"
    elif version is not None and version.conversations:
        profile.agreements = [
            (f"Gesprek {long_date(c.date)}", c.summary)
            for c in sorted(version.conversations, key=lambda c: c.date, reverse=True)
            if c.summary.strip()
        ]
        profile.agreements_source = f"gesprekken uit OPP versie {version.number}"
    return profile


def _parent_views_text(views: list[pf.ParentViewData]) -> str:
    """The parents' own views on a record, as printed under it (blank ones left out)."""
    return "".join(
        f"\n\nZienswijze ouders ({v.guardian_name}, {long_date(v.given_on)}): {v.text}"
        for v in views
        if v.text.strip()
    )


def _story(profile: Profile, page: Page, width: float, today: date) -> list[Flowable]:
    story: list[Flowable] = [
        paragraph(esc("Eén pagina voor overleg"), page.title),
        paragraph(f"<b>{esc(profile.name)}</b>", page.body),
        field_table(
            [
                ("Geboortedatum", fmt_date(profile.birth_date)),
                ("Groep", " · ".join(x for x in (profile.group, profile.teachers) if x)),
                ("Niveau", profile.level),
                *[("Niveau per gebied", a) for a in profile.area_levels[: max(1, page.items(3))]],
                ("Afgedrukt", long_date(today)),
            ],
            width,
            label_width=35 * mm,
        ),
    ]
    source = f" (uit {profile.source})" if profile.source else ""
    story.append(page.h("Sterke kanten" + source))
    story += page.text(
        profile.strengths, STRENGTHS_CHARS, what="sterke kanten", empty="Niet vastgelegd."
    )
    if profile.hindering.strip():
        story.append(page.h("Wat het lastig maakt"))
        story += page.text(profile.hindering, STRENGTHS_CHARS // 2, what="belemmerende factoren")
    story.append(page.h("Ondersteuningsbehoeften" + source))
    if profile.needs:
        share = max(1, len(profile.needs))
        for label, text in profile.needs[: max(1, page.items(6))]:
            story.append(paragraph(f"<b>{esc(label)}</b>", page.small))
            story += page.text(text, NEEDS_CHARS // share, what="behoeften", small=True)
        if len(profile.needs) > max(1, page.items(6)):
            page.shortened.append("behoeften")
    else:
        story.append(page.p("Niet vastgelegd.", small=True))
    # -- documents
    story.append(page.h("Lopende documenten"))
    if profile.documents:
        shown = profile.documents[: max(1, page.items(DOCUMENTS))]
        story.append(
            grid_table(
                ["Document", "Periode", "Volgende evaluatie"],
                [[paragraph(esc(c), page.small) for c in row] for row in shown],
                [width * f for f in (0.46, 0.3, 0.24)],
                zebra=False,
            )
        )
        if len(shown) < len(profile.documents):
            page.shortened.append("documenten")
            story.append(
                page.p(f"En nog {len(profile.documents) - len(shown)} ({NOTE}).", small=True)
            )
    else:
        story.append(page.p("Geen lopende documenten.", small=True))
    # -- agreements
    heading = "Afspraken"
    if profile.agreements_source:
        heading += f" ({profile.agreements_source})"
    story.append(page.h(heading))
    if profile.agreements:
        count = page.items(MEETINGS)
        shown_agreements = profile.agreements[: max(1, count)]
        for label, text in shown_agreements:
            story.append(paragraph(f"<b>{esc(label)}</b>", page.small))
            story += page.text(
                text, AGREEMENT_CHARS // len(shown_agreements), what="afspraken", small=True
            )
        if len(shown_agreements) < len(profile.agreements):
            page.shortened.append("afspraken")
    else:
        story.append(page.p("Nog geen afspraken vastgelegd.", small=True))
    story += page.shortened_note()
    return story


def profile_pdf(
    session: Session, pupil_id: int, *, today: date | None = None, role: Role = None
) -> bytes:
    """The pupil's profile on exactly one A4 page (as ``role`` may read it)."""
    today = today or date.today()
    profile = read_profile(session, pupil_id, today=today, role=role)
    info = ReportInfo(
        title=f"Eén pagina voor overleg {profile.name}",
        footer=f"Vertrouwelijk · {profile.name} · één pagina voor overleg",
        header_right=f"Overleg · {profile.name}",
        logo_png=profile.logo_png,
    )
    width = content_width(info)
    return one_page_pdf(info, lambda page: _story(profile, page, width, today), note=NOTE)

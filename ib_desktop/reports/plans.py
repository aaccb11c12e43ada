"""The plans teachers carry out: the groeidocument (handelingsplan) and the korte interventie.

Both follow the school's own forms, so a teacher recognises them: the korte interventie is a
one-page form, the groeidocument a table per period with a row per development area and the
columns doel, ondersteuningsbehoefte, uitvoering and evaluatie (landscape, so the four texts
have room side by side). A goal carried over from the previous period is marked as such.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table
from sqlalchemy.orm import Session, selectinload

from ib_desktop.models import (
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    Pupil,
    ShortIntervention,
    Staff,
)

from . import labels
from .base import (
    ReportInfo,
    build_pdf,
    cell,
    content_width,
    empty_note,
    esc,
    field_table,
    fmt_date,
    fmt_period,
    grid_table,
    spacer,
    styles,
    table_style,
)
from .errors import ReportNotFoundError
from .markdown import markdown_flowables


def _md(text: str | None) -> list[Flowable] | Paragraph:
    flow = markdown_flowables(text, styles().cell)
    return flow if flow else cell("")


def _teacher(session: Session, teacher_id: int | None, fallback: str) -> str:
    if fallback:
        return fallback
    if teacher_id is None:
        return ""
    staff = session.get(Staff, teacher_id)
    return staff.full_name if staff else ""


def _group(pupil: Pupil, stored: str) -> str:
    return stored or (pupil.group.name if pupil.group else "")


def _evaluation_cell(goal: Any, session: Session) -> list[Flowable] | Paragraph:
    """The evaluation with its outcome, date and who wrote it; empty while still open."""
    st = styles()
    flow: list[Flowable] = []
    if goal.outcome:
        flow.append(Paragraph(esc(labels.label(labels.OUTCOME, goal.outcome)), st.cell_bold))
    text = markdown_flowables(goal.evaluation, st.cell)
    flow += text
    meta = []
    if goal.evaluated_on:
        meta.append(fmt_date(goal.evaluated_on))
    if goal.evaluated_by_id:
        who = session.get(Staff, goal.evaluated_by_id)
        if who:
            meta.append(who.full_name)
    if meta:
        flow.append(Paragraph(esc(" · ".join(meta)), st.muted))
    return flow or cell("")


# ---------------------------------------------------------------------------- groeidocument


def growth_document_pdf(session: Session, document_id: int) -> bytes:
    """The groeidocument: header with pupil, group and teacher, then one table per period."""
    doc = session.scalars(
        sa.select(GrowthDocument)
        .where(GrowthDocument.id == document_id)
        .options(
            selectinload(GrowthDocument.periods).selectinload(GrowthPeriod.goals),
            selectinload(GrowthDocument.pupil).selectinload(Pupil.group),
        )
    ).first()
    if doc is None:
        raise ReportNotFoundError(f"Er is geen groeidocument met nummer {document_id}.")
    st = styles()
    pupil = doc.pupil
    school = pupil.school
    name = pupil.full_name
    info = ReportInfo(
        title=f"{doc.title} {name}",
        subject="Groeidocument (handelingsplan)",
        footer=f"Vertrouwelijk · {name} · {doc.title}",
        header_right=f"Groeidocument · {name}",
        logo_png=school.logo_png if school else None,
        landscape=True,
    )
    width = content_width(info)
    periods = list(doc.periods)
    span = fmt_period(periods[0].start_date, periods[-1].end_date) if periods else ""
    half = (width - 10 * mm) / 2
    left = field_table(
        [
            ("Leerling", cell(name, bold=True)),
            ("Geboortedatum", fmt_date(pupil.birth_date)),
            ("Groep", _group(pupil, doc.group_name)),
        ],
        half,
        label_width=35 * mm,
    )
    right = field_table(
        [
            ("Leerkracht", _teacher(session, doc.teacher_id, doc.teacher_name)),
            ("Document", f"{doc.title} ({labels.label(labels.DOCUMENT_STATUS, doc.status)})"),
            ("Looptijd", span),
        ],
        half,
        label_width=30 * mm,
    )
    header = Table([[left, right]], colWidths=[half + 10 * mm, half], hAlign="LEFT")
    header.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 10 * mm),
                ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ]
        )
    )
    # A period heading may stand above a table that continues on the next page.
    period_style = ParagraphStyle("period", parent=st.h1, keepWithNext=False)
    story: list[Flowable] = [
        Paragraph("Groeidocument handelingsplan", st.title),
        header,
        spacer(2),
    ]
    areas = list(doc.areas or [])
    goal_period: dict[int, int] = {}
    for p in periods:
        for g in p.goals:
            goal_period[g.id] = p.number
    if not periods:
        story.append(empty_note("Dit groeidocument heeft nog geen perioden."))
    for period in periods:
        state = "afgesloten" if period.closed else "lopend"
        title = (
            f"Periode {period.number}: {fmt_period(period.start_date, period.end_date)} ({state})"
        )
        story.append(CondPageBreak(45 * mm))
        story.append(Paragraph(esc(title), period_style))
        # A document can leave areas out; text kept for a left-out area is not printed.
        kept = [g for g in period.goals if not areas or g.area in areas]
        goals = sorted(kept, key=lambda g: _area_order(g, areas))
        if not goals:
            story.append(empty_note("Voor deze periode zijn nog geen doelen ingevuld."))
            continue
        rows = []
        for g in goals:
            area: list[Flowable] = [Paragraph(esc(g.area), st.cell_bold)]
            if g.carried_over_from_id is not None:
                src = goal_period.get(g.carried_over_from_id)
                if src is None and g.carried_over_from_id:
                    prev = session.get(GrowthGoal, g.carried_over_from_id)
                    src = prev.period.number if prev else None
                note = f"voortgezet uit periode {src}" if src else "voortgezet doel"
                area.append(Paragraph(f"<i>↻ {esc(note)}</i>", st.muted))
            rows.append(
                [
                    area,
                    _md(g.goal),
                    _md(g.support_need),
                    _md(g.execution),
                    _evaluation_cell(g, session),
                ]
            )
        story.append(
            grid_table(
                ["Gebied", "Doel", "Ondersteuningsbehoefte", "Uitvoering", "Evaluatie"],
                rows,
                [width * f for f in (0.15, 0.2, 0.2, 0.22, 0.23)],
            )
        )
    return build_pdf(info, story)


def _area_order(goal: GrowthGoal, areas: list[str]) -> tuple[int, int]:
    return (areas.index(goal.area) if goal.area in areas else len(areas), goal.position)


# ---------------------------------------------------------------------------- korte interventie


def intervention_pdf(session: Session, intervention_id: int) -> bytes:
    """The korte interventie on one page, in the order of the school's form."""
    item = session.scalars(
        sa.select(ShortIntervention)
        .where(ShortIntervention.id == intervention_id)
        .options(selectinload(ShortIntervention.pupil).selectinload(Pupil.group))
    ).first()
    if item is None:
        raise ReportNotFoundError(f"Er is geen korte interventie met nummer {intervention_id}.")
    st = styles()
    pupil = item.pupil
    school = pupil.school
    name = pupil.full_name
    info = ReportInfo(
        title=f"Korte interventie {name}",
        subject="Korte interventie",
        footer=f"Vertrouwelijk · {name} · korte interventie",
        header_right=f"Korte interventie · {name}",
        logo_png=school.logo_png if school else None,
    )
    width = content_width(info)
    rows: list[tuple[str, Any]] = [
        ("Leerling", cell(name, bold=True)),
        ("Groep", _group(pupil, item.group_name)),
        ("Leerkracht", _teacher(session, item.teacher_id, item.teacher_name)),
        ("Periode", fmt_period(item.start_date, item.end_date)),
        ("Status", labels.label(labels.DOCUMENT_STATUS, item.status)),
        ("Doel", _md(item.goal)),
        ("Ondersteuningsbehoefte", _md(item.support_need)),
        ("Uitvoering", _md(item.execution)),
        ("Evaluatie", _evaluation_cell(item, session)),
    ]
    story: list[Flowable] = [
        Paragraph("Korte interventie", st.title),
        Paragraph(esc(name), st.subtitle),
        field_table(rows, width, label_width=48 * mm),
    ]
    if not item.evaluated_on:
        story += [
            spacer(4),
            Paragraph(esc(f"De evaluatie staat gepland op {fmt_date(item.end_date)}."), st.muted),
        ]
    return build_pdf(info, story)

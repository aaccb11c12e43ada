"""Overviews: one pupil's support over the years, and the pupils per level per group.

The pupil overview is what the school shows the inspectorate and the samenwerkingsverband:
the steps on the support staircase drawn over the school years (colour per level, as the app
shows them) and the documents written in each year. The group overview is the IB-er's
counts matrix, with the names per group when one group is printed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph
from sqlalchemy.orm import Session, selectinload

from ib_desktop.dates import school_year_bounds, school_year_label, short_date
from ib_desktop.models import (
    Group,
    GrowthDocument,
    LevelAssignment,
    Opp,
    OppVersion,
    ParentView,
    Pupil,
    PupilStatus,
    School,
    ShortIntervention,
    Staff,
    SupportLevel,
    dutch_name,
    group_teachers,
    sort_name,
)

from . import labels
from .base import (
    FONT,
    FONT_BOLD,
    MUTED,
    RULE,
    SHADE,
    Plain,
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
    para,
    section_heading,
    spacer,
    styles,
)
from .batch import current_groups
from .errors import ReportNotFoundError
from .markdown import markdown_plain

NO_LEVEL = "zonder niveau"
#: An intervention's goal in the list of documents: its start, the form itself has the rest.
GOAL_LIMIT = 300


def _color(value: str | None) -> colors.Color:
    try:
        return colors.HexColor(value or "#9e9e9e")
    except (ValueError, TypeError):
        return colors.HexColor("#9e9e9e")


# ---------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class _Step:
    start: date
    end: date
    position: int
    label: str
    color: str


def level_timeline(
    steps: list[_Step], levels: list[tuple[int, str, str]], first: date, last: date, width: float
) -> Drawing:
    """The staircase over time: a coloured block per period at the height of its level.

    Vertical lines mark the school years (1 August) with the year's label beneath, so a reader
    sees at once in which year a pupil went up or down.
    """
    top_level = max([p for p, _n, _c in levels] + [s.position for s in steps] + [1])
    left, bottom, plot_h = 14 * mm, 9 * mm, 38 * mm
    plot_w = width - left - 2 * mm
    height = bottom + plot_h + 4 * mm
    d = Drawing(width, height)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * max(0, min(span, (day - first).days)) / span

    unit = plot_h / top_level
    # level guide lines with their numbers
    for pos in range(1, top_level + 1):
        y = bottom + pos * unit
        d.add(Line(left, y, left + plot_w, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(
            String(
                left - 3 * mm,
                y - unit / 2 - 3,
                str(pos),
                fontName=FONT,
                fontSize=8,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    d.add(
        String(2, bottom + plot_h + 1.5 * mm, "niveau", fontName=FONT, fontSize=7, fillColor=MUTED)
    )
    # the blocks (a level that started only days ago still shows as a visible block)
    for s in steps:
        x0, x1 = x(s.start), x(s.end)
        d.add(
            Rect(
                x0,
                bottom,
                max(x1 - x0, 1.5 * mm),
                s.position * unit,
                fillColor=_color(s.color),
                strokeColor=colors.white,
                strokeWidth=0.4,
            )
        )
    # school years
    y_start, _ = school_year_bounds(first)
    while y_start <= last:
        y_end = date(y_start.year + 1, 7, 31)
        if y_start >= first:
            d.add(
                Line(
                    x(y_start),
                    bottom - 1.5 * mm,
                    x(y_start),
                    bottom + plot_h,
                    strokeColor=MUTED,
                    strokeWidth=0.3,
                    strokeDashArray=[1, 2],
                )
            )
        a, b = x(max(y_start, first)), x(min(y_end, last))
        if b - a > 12 * mm:
            d.add(
                String(
                    (a + b) / 2,
                    bottom - 5.5 * mm,
                    f"{y_start.year}-{y_start.year + 1}",
                    fontName=FONT,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
        y_start = date(y_start.year + 1, 8, 1)
    return d


def _legend(levels: list[tuple[int, str, str]], width: float) -> Flowable:
    st = styles()
    items = []
    for pos, name, color in levels:
        items.append(f"<font color='{color}'>■</font> {pos} · {esc(name)}")
    return Paragraph("&nbsp;&nbsp;&nbsp; ".join(items), st.small)


# ---------------------------------------------------------------------------- pupil overview


def _level_views(session: Session, pupil_id: int) -> dict[int, str]:
    """Zienswijze ouders per level decision (issue 19), as printed under its reason."""
    out: dict[int, str] = {}
    for v in session.scalars(
        sa.select(ParentView)
        .where(ParentView.pupil_id == pupil_id, ParentView.entity == "level_assignment")
        .order_by(ParentView.given_on, ParentView.id)
    ):
        out[v.entity_id] = (
            out.get(v.entity_id, "")
            + f"\nZienswijze ouders ({v.guardian_name}, {short_date(v.given_on)}): {v.text}"
        )
    return out


def pupil_overview_pdf(session: Session, pupil_id: int, *, today: date | None = None) -> bytes:
    """The pupil's level history (drawn and as a table) and the documents per school year."""
    today = today or date.today()
    pupil = session.scalars(
        sa.select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.level_assignments).selectinload(LevelAssignment.level),
            selectinload(Pupil.memberships),
            selectinload(Pupil.group),
        )
    ).first()
    if pupil is None:
        raise ReportNotFoundError(f"Er is geen leerling met nummer {pupil_id}.")
    st = styles()
    school = pupil.school
    name = pupil.full_name
    info = ReportInfo(
        title=f"Ondersteuningsoverzicht {name}",
        footer=f"Vertrouwelijk · {name} · ondersteuningsoverzicht",
        header_right=f"Ondersteuningsoverzicht · {name}",
        logo_png=school.logo_png if school else None,
    )
    width = content_width(info)
    end_of_file = pupil.left_on or today
    whole = [a for a in pupil.level_assignments if not a.area]
    current = next((a for a in whole if a.end_date is None), None)
    status = labels.label(
        {
            PupilStatus.ACTIEF: "Op school",
            PupilStatus.AANGEMELD: "Aangemeld",
            PupilStatus.VERTROKKEN: "Vertrokken",
        },
        pupil.status,
    )
    if pupil.left_on:
        status += f" op {fmt_date(pupil.left_on)}" + (
            f" ({pupil.left_destination})" if pupil.left_destination else ""
        )
    story: list[Flowable] = [
        Paragraph("Ondersteuningsoverzicht", st.title),
        Paragraph(esc(name), st.subtitle),
        field_table(
            [
                ("Geboortedatum", fmt_date(pupil.birth_date)),
                ("Groep", pupil.group.name if pupil.group else ""),
                ("Eerste schooldag", fmt_date(pupil.first_school_day)),
                ("Status", status),
                ("Huidig niveau", current.level.label if current else NO_LEVEL),
            ],
            width,
        ),
    ]
    # -- the timeline
    story += section_heading("Ondersteuningsniveaus door de jaren heen", room_mm=70)
    if whole:
        steps = [
            _Step(
                a.start_date,
                a.end_date or end_of_file,
                a.level.position,
                a.level.name,
                a.level.color,
            )
            for a in whole
        ]
        # The axis follows the data: whole school years from the first level to the year of
        # today (or of leaving), so a pupil whose history starts this year still shows it.
        first, _ = school_year_bounds(min(s.start for s in steps))
        _, axis_end = school_year_bounds(max(end_of_file, first))
        structure_levels = []
        if school and school.support_structure:
            structure_levels = [
                (lvl.position, lvl.name, lvl.color)
                for lvl in school.support_structure.levels
                if not lvl.retired or any(s.position == lvl.position for s in steps)
            ]
        story.append(level_timeline(steps, structure_levels, first, axis_end, width))
        story.append(_legend(structure_levels, width))
        story.append(spacer(3))
        rows = []
        views = _level_views(session, pupil.id)
        for a in sorted(pupil.level_assignments, key=lambda a: (a.start_date, a.id)):
            decided = a.decided_by_name or (
                session.get(Staff, a.decided_by_id).full_name
                if a.decided_by_id and session.get(Staff, a.decided_by_id)
                else ""
            )
            level_text = a.level.label + (f" ({a.area})" if a.area else "")
            rows.append(
                [
                    Plain(short_date(a.start_date)),
                    Plain(short_date(a.end_date) if a.end_date else "nu"),
                    cell(level_text, bold=a.end_date is None),
                    cell(a.reason + views.get(a.id, "")),
                    cell(decided),
                ]
            )
        story.append(
            grid_table(
                ["Van", "Tot", "Niveau", "Reden", "Besloten door"],
                rows,
                [width * f for f in (0.12, 0.12, 0.24, 0.36, 0.16)],
            )
        )
    else:
        story.append(empty_note("Voor deze leerling is nog geen ondersteuningsniveau vastgelegd."))
    # -- the documents per school year
    story += section_heading("Documenten per schooljaar")
    docs = _documents(session, pupil.id)
    if docs:
        rows = []
        extra: list[tuple] = []
        year = None
        for start, kind, title, period, state in docs:
            label_ = school_year_label(start)
            if label_ != year:
                year = label_
                r = len(rows) + 1
                rows.append([Paragraph(esc(f"Schooljaar {label_}"), st.cell_head), "", "", ""])
                extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), SHADE)]
            rows.append([cell(kind, bold=True), cell(title), cell(period), Plain(state)])
        story.append(
            grid_table(
                ["Document", "Inhoud", "Periode", "Status"],
                rows,
                [width * f for f in (0.2, 0.4, 0.27, 0.13)],
                zebra=False,
                extra_style=extra,
            )
        )
    else:
        story.append(empty_note("Er zijn nog geen documenten voor deze leerling."))
    return build_pdf(info, story)


def _documents(session: Session, pupil_id: int) -> list[tuple[date, str, str, str, str]]:
    """(start, kind, what, period, status) for every document of the pupil, oldest first."""
    out: list[tuple[date, str, str, str, str]] = []
    for item in session.scalars(
        sa.select(ShortIntervention).where(ShortIntervention.pupil_id == pupil_id)
    ):
        state = labels.label(labels.DOCUMENT_STATUS, item.status)
        if item.outcome:
            state = labels.label(labels.OUTCOME, item.outcome)
        out.append(
            (
                item.start_date,
                "Korte interventie",
                markdown_plain(item.goal, limit=GOAL_LIMIT),
                fmt_period(item.start_date, item.end_date),
                state,
            )
        )
    for doc in session.scalars(
        sa.select(GrowthDocument)
        .where(GrowthDocument.pupil_id == pupil_id)
        .options(selectinload(GrowthDocument.periods))
    ):
        periods = list(doc.periods)
        start = periods[0].start_date if periods else doc.created_at.date()
        span = fmt_period(periods[0].start_date, periods[-1].end_date) if periods else ""
        what = doc.title + (f": {', '.join(doc.areas)}" if doc.areas else "")
        out.append(
            (start, "Groeidocument", what, span, labels.label(labels.DOCUMENT_STATUS, doc.status))
        )
    for version, opp in session.execute(
        sa.select(OppVersion, Opp)
        .join(Opp, Opp.id == OppVersion.opp_id)
        .where(Opp.pupil_id == pupil_id)
    ):
        start = version.fixed_on or version.discussed_on or opp.start_date
        if version.number > 1 and version.fixed_on is None and version.discussed_on is None:
            start = version.created_at.date() if version.created_at else opp.start_date
        until = version.evaluated_on or version.next_evaluation_on
        out.append(
            (
                start,
                "OPP",
                f"Versie {version.number}"
                + (f", uitstroom {version.outflow.value}" if version.outflow else ""),
                fmt_period(start, until),
                labels.label(labels.OPP_STATUS, version.status),
            )
        )
    out.sort(key=lambda r: (r[0], r[1]))
    return out


# ---------------------------------------------------------------------------- group overview


def group_overview_pdf(
    session: Session,
    school_id: int,
    *,
    group_id: int | None = None,
    with_names: bool | None = None,
    today: date | None = None,
) -> bytes:
    """Counts of pupils per level per group, and per group the pupils by name when asked.

    Names are printed by default only for a single group: the whole school's list is long and
    the counts are what a team meeting needs.
    """
    today = today or date.today()
    school = session.get(School, school_id)
    if school is None:
        raise ReportNotFoundError(f"Er is geen school met nummer {school_id}.")
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is None or group.school_id != school_id:
            raise ReportNotFoundError(f"Er is geen groep met nummer {group_id}.")
        groups = [group]
    else:
        groups = current_groups(session, school_id, today)
    if with_names is None:
        with_names = group_id is not None
    st = styles()
    structure = school.support_structure
    levels: list[SupportLevel] = list(structure.levels) if structure else []
    group_ids = [g.id for g in groups]
    pupils = session.execute(
        sa.select(
            Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name, Pupil.group_id
        ).where(
            Pupil.school_id == school_id,
            Pupil.status == PupilStatus.ACTIEF,
            Pupil.group_id.in_(group_ids) if group_ids else sa.false(),
        )
    ).all()
    ids = [p.id for p in pupils]
    level_of: dict[int, tuple[int, date]] = {}
    if ids:
        for pid, level_id, start in session.execute(
            sa.select(
                LevelAssignment.pupil_id, LevelAssignment.level_id, LevelAssignment.start_date
            )
            .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
            .where(
                Pupil.school_id == school_id,
                Pupil.status == PupilStatus.ACTIEF,
                LevelAssignment.end_date.is_(None),
                LevelAssignment.area == "",
            )
        ):
            level_of[pid] = (level_id, start)
    by_id = {lvl.id: lvl for lvl in levels}
    used = {by_id[lid].position for lid, _ in level_of.values() if lid in by_id}
    shown = [lvl for lvl in levels if not lvl.retired or lvl.position in used]
    counts: dict[int, dict[int | None, int]] = {g.id: defaultdict(int) for g in groups}
    for p in pupils:
        lvl = by_id.get(level_of.get(p.id, (None, None))[0])  # type: ignore[arg-type]
        counts[p.group_id][lvl.position if lvl else None] += 1
    any_without = any(counts[g][None] for g in counts)

    title = "Groepsoverzicht" + (f" groep {groups[0].name}" if group_id is not None else "")
    info = ReportInfo(
        title=f"{title} {school.name}",
        footer=f"Vertrouwelijk · {title} · stand {short_date(today)}",
        header_right=f"{school.name} · {title}",
        logo_png=school.logo_png,
    )
    width = content_width(info)
    teachers = _teachers(session, group_ids)
    story: list[Flowable] = [
        Paragraph(esc(title), st.title),
        Paragraph(
            esc(f"{school.name} · leerlingen per ondersteuningsniveau · {fmt_date(today)}"),
            st.subtitle,
        ),
    ]
    header = ["Groep"] + [f"Niveau {lvl.position}" for lvl in shown]
    if any_without:
        header.append("Zonder niveau")
    header.append("Totaal")
    n_cols = len(header) - 1
    rest = (width - 22 * mm) / n_cols
    rows: list[list[Any]] = []
    totals: dict[int | None, int] = defaultdict(int)
    for g in groups:
        c = counts[g.id]
        row: list[Any] = [cell(g.name, bold=True)]
        for lvl in shown:
            row.append(Plain(str(c[lvl.position]) if c[lvl.position] else "–"))
            totals[lvl.position] += c[lvl.position]
        if any_without:
            row.append(Plain(str(c[None]) if c[None] else "–"))
            totals[None] += c[None]
        row.append(Plain(str(sum(c.values()))))
        rows.append(row)
    grand = sum(totals.values())
    total_row: list[Any] = [cell("Totaal", bold=True)]
    for lvl in shown:
        pct = f" ({100 * totals[lvl.position] / grand:.0f}%)" if grand else ""
        total_row.append(Plain(f"{totals[lvl.position]}{pct}"))
    if any_without:
        total_row.append(Plain(str(totals[None])))
    total_row.append(Plain(str(grand)))
    rows.append(total_row)
    story.append(
        grid_table(
            header,
            rows,
            [22 * mm] + [rest] * n_cols,
            center_from=1,
            extra_style=[
                ("ALIGN", (1, 1), (-1, -1), "CENTER"),
                ("FONTNAME", (0, len(rows)), (-1, len(rows)), FONT_BOLD),
                ("LINEABOVE", (0, len(rows)), (-1, len(rows)), 0.8, MUTED),
                ("FONTNAME", (-1, 1), (-1, -1), FONT_BOLD),
            ],
        )
    )
    story.append(spacer(2))
    story.append(_legend([(lvl.position, lvl.name, lvl.color) for lvl in shown], width))
    if with_names:
        names = {
            p.id: (
                dutch_name(p.first_name, p.tussenvoegsel, p.last_name),
                sort_name(p.first_name, p.tussenvoegsel, p.last_name),
            )
            for p in pupils
        }
        for g in groups:
            members = [p for p in pupils if p.group_id == g.id]
            heading = f"Groep {g.name}"
            if teachers.get(g.id):
                heading += f" · {', '.join(teachers[g.id])}"
            story += section_heading(heading)
            if not members:
                story.append(empty_note("Geen leerlingen in deze groep."))
                continue

            def order(p: Any) -> tuple[int, str]:
                lvl = by_id.get(level_of.get(p.id, (None, None))[0])  # type: ignore[arg-type]
                return (-(lvl.position if lvl else 0), names[p.id][1].lower())

            prow = []
            for p in sorted(members, key=order):
                lid, since = level_of.get(p.id, (None, None))
                lvl = by_id.get(lid) if lid else None
                prow.append(
                    [
                        cell(names[p.id][0], bold=bool(lvl and lvl.position > 1)),
                        cell(lvl.label if lvl else NO_LEVEL),
                        Plain(short_date(since) if since else ""),
                    ]
                )
            story.append(
                grid_table(
                    ["Leerling", "Niveau", "Sinds"], prow, [width * f for f in (0.4, 0.44, 0.16)]
                )
            )
    story += [
        spacer(4),
        para(
            "Telling van leerlingen die nu op school zijn, naar hun niveau voor "
            "de hele leerling (niveaus per vakgebied niet meegeteld).",
            st.muted,
        ),
    ]
    return build_pdf(info, story)


def _teachers(session: Session, group_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if not group_ids:
        return out
    for gid, first, tv, last in session.execute(
        sa.select(group_teachers.c.group_id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name)
        .join(Staff, Staff.id == group_teachers.c.staff_id)
        .where(group_teachers.c.group_id.in_(group_ids))
        .order_by(Staff.last_name)
    ):
        out[gid].append(dutch_name(first, tv, last))
    return out

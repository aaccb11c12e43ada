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
    FONT_BOLD,
    MUTED,
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
from .timeline import Step, legend, level_timeline

NO_LEVEL = "zonder niveau"
#: An intervention's goal in the list of documents: its start, the form itself has the rest.
GOAL_LIMIT = 300


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
            Step(
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
        story.append(legend(structure_levels, width))
        story.append(spacer(3))
        rows = []
        views = _level_views(session, pupil.id)
        for a in sorted(pupil.level_assignments, key=lambda a: (a.start_date, a.id)):
            decided = a.decided_by_name or _staff_name(session, a.decided_by_id)
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
    school, groups = _overview_groups(session, school_id, group_id, today)
    if with_names is None:
        with_names = group_id is not None
    st = styles()
    counts = _GroupCounts.read(session, school, groups)
    title = "Groepsoverzicht" + (f" groep {groups[0].name}" if group_id is not None else "")
    info = ReportInfo(
        title=f"{title} {school.name}",
        footer=f"Vertrouwelijk · {title} · stand {short_date(today)}",
        header_right=f"{school.name} · {title}",
        logo_png=school.logo_png,
    )
    width = content_width(info)
    teachers = _teachers(session, [g.id for g in groups])
    story: list[Flowable] = [
        Paragraph(esc(title), st.title),
        Paragraph(
            esc(f"{school.name} · leerlingen per ondersteuningsniveau · {fmt_date(today)}"),
            st.subtitle,
        ),
        _counts_table(counts, groups, width),
        spacer(2),
        legend([(lvl.position, lvl.name, lvl.color) for lvl in counts.shown], width),
    ]
    if with_names:
        story += _names_per_group(counts, groups, teachers, width)
    story += [
        spacer(4),
        para(
            "Telling van leerlingen die nu op school zijn, naar hun niveau voor "
            "de hele leerling (niveaus per vakgebied niet meegeteld).",
            st.muted,
        ),
    ]
    return build_pdf(info, story)


def _overview_groups(
    session: Session, school_id: int, group_id: int | None, today: date
) -> tuple[School, list[Group]]:
    """The school and the groups to print: the one asked for, or this year's groups."""
    school = session.get(School, school_id)
    if school is None:
        raise ReportNotFoundError(f"Er is geen school met nummer {school_id}.")
    if group_id is None:
        return school, current_groups(session, school_id, today)
    group = session.get(Group, group_id)
    if group is None or group.school_id != school_id:
        raise ReportNotFoundError(f"Er is geen groep met nummer {group_id}.")
    return school, [group]


@dataclass
class _GroupCounts:
    """The active pupils of the groups, each one's current level, and the counts per group."""

    pupils: list[Any]  # id, first name, tussenvoegsel, last name, group id
    level_of: dict[int, tuple[int, date]]  # pupil -> (level id, since)
    by_id: dict[int, SupportLevel]
    #: The levels in the table: every level in use, and the retired ones only when used.
    shown: list[SupportLevel]
    counts: dict[int, dict[int | None, int]]  # group -> level position (None: none) -> pupils
    any_without: bool

    @classmethod
    def read(cls, session: Session, school: School, groups: list[Group]) -> _GroupCounts:
        structure = school.support_structure
        levels: list[SupportLevel] = list(structure.levels) if structure else []
        group_ids = [g.id for g in groups]
        pupils = list(
            session.execute(
                sa.select(
                    Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name, Pupil.group_id
                ).where(
                    Pupil.school_id == school.id,
                    Pupil.status == PupilStatus.ACTIEF,
                    Pupil.group_id.in_(group_ids) if group_ids else sa.false(),
                )
            ).all()
        )
        level_of = _current_levels(session, school.id) if pupils else {}
        by_id = {lvl.id: lvl for lvl in levels}
        used = {by_id[lid].position for lid, _ in level_of.values() if lid in by_id}
        shown = [lvl for lvl in levels if not lvl.retired or lvl.position in used]
        counts: dict[int, dict[int | None, int]] = {g.id: defaultdict(int) for g in groups}
        out = cls(pupils, level_of, by_id, shown, counts, False)
        for p in pupils:
            lvl = out.level(p.id)
            counts[p.group_id][lvl.position if lvl else None] += 1
        out.any_without = any(counts[g][None] for g in counts)
        return out

    def level(self, pupil_id: int) -> SupportLevel | None:
        """The pupil's current level (None when it has none)."""
        return self.by_id.get(self.level_of.get(pupil_id, (None, None))[0])  # type: ignore[arg-type]


def _current_levels(session: Session, school_id: int) -> dict[int, tuple[int, date]]:
    """Per active pupil the level for the whole pupil (not per area) and since when."""
    level_of: dict[int, tuple[int, date]] = {}
    for pid, level_id, start in session.execute(
        sa.select(LevelAssignment.pupil_id, LevelAssignment.level_id, LevelAssignment.start_date)
        .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
        .where(
            Pupil.school_id == school_id,
            Pupil.status == PupilStatus.ACTIEF,
            LevelAssignment.end_date.is_(None),
            LevelAssignment.area == "",
        )
    ):
        level_of[pid] = (level_id, start)
    return level_of


def _counts_table(counts: _GroupCounts, groups: list[Group], width: float) -> Flowable:
    """A row per group with its pupils per level, and a total row with the shares."""
    shown, any_without = counts.shown, counts.any_without
    header = ["Groep"] + [f"Niveau {lvl.position}" for lvl in shown]
    if any_without:
        header.append("Zonder niveau")
    header.append("Totaal")
    n_cols = len(header) - 1
    rest = (width - 22 * mm) / n_cols
    rows: list[list[Any]] = []
    totals: dict[int | None, int] = defaultdict(int)
    for g in groups:
        c = counts.counts[g.id]
        row: list[Any] = [cell(g.name, bold=True)]
        for lvl in shown:
            row.append(Plain(str(c[lvl.position]) if c[lvl.position] else "–"))
            totals[lvl.position] += c[lvl.position]
        if any_without:
            row.append(Plain(str(c[None]) if c[None] else "–"))
            totals[None] += c[None]
        row.append(Plain(str(sum(c.values()))))
        rows.append(row)
    rows.append(_total_row(totals, shown, any_without))
    return grid_table(
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


def _total_row(
    totals: dict[int | None, int], shown: list[SupportLevel], any_without: bool
) -> list[Any]:
    grand = sum(totals.values())
    total_row: list[Any] = [cell("Totaal", bold=True)]
    for lvl in shown:
        pct = f" ({100 * totals[lvl.position] / grand:.0f}%)" if grand else ""
        total_row.append(Plain(f"{totals[lvl.position]}{pct}"))
    if any_without:
        total_row.append(Plain(str(totals[None])))
    total_row.append(Plain(str(grand)))
    return total_row


def _names_per_group(
    counts: _GroupCounts, groups: list[Group], teachers: dict[int, list[str]], width: float
) -> list[Flowable]:
    """Per group its teachers and its pupils: the highest level first, then by name."""
    names = {
        p.id: (
            dutch_name(p.first_name, p.tussenvoegsel, p.last_name),
            sort_name(p.first_name, p.tussenvoegsel, p.last_name),
        )
        for p in counts.pupils
    }
    story: list[Flowable] = []
    for g in groups:
        members = [p for p in counts.pupils if p.group_id == g.id]
        heading = f"Groep {g.name}"
        if teachers.get(g.id):
            heading += f" · {', '.join(teachers[g.id])}"
        story += section_heading(heading)
        if not members:
            story.append(empty_note("Geen leerlingen in deze groep."))
            continue

        def order(p: Any) -> tuple[int, str]:
            lvl = counts.level(p.id)
            return (-(lvl.position if lvl else 0), names[p.id][1].lower())

        rows = []
        for p in sorted(members, key=order):
            lid, since = counts.level_of.get(p.id, (None, None))
            lvl = counts.by_id.get(lid) if lid else None
            rows.append(
                [
                    cell(names[p.id][0], bold=bool(lvl and lvl.position > 1)),
                    cell(lvl.label if lvl else NO_LEVEL),
                    Plain(short_date(since) if since else ""),
                ]
            )
        story.append(
            grid_table(
                ["Leerling", "Niveau", "Sinds"], rows, [width * f for f in (0.4, 0.44, 0.16)]
            )
        )
    return story


def _staff_name(session: Session, staff_id: int | None) -> str:
    """A staff member's name; empty when there is none."""
    staff = session.get(Staff, staff_id) if staff_id else None
    return staff.full_name if staff else ""


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

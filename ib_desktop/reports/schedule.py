"""The evaluation schedule on paper: for the staff-room wall, or one handout per teacher.

A teacher wants to see in seconds what they must evaluate and when, so the list is ordered by
date with a line per week, every row says which pupil, which document and who evaluates, and
whatever is late stands out in bold red ("te laat"). Open moments from before the chosen range
are not hidden: they come first, because they are the most urgent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Paragraph
from sqlalchemy.orm import Session

from ib_desktop.dates import long_date, short_date
from ib_desktop.models import Group, Pupil, School, Staff, dutch_name, group_teachers
from ib_desktop.schedule import Moment, compute_moments

from .base import (
    ALERT,
    ALERT_HEX,
    FONT,
    FONT_BOLD,
    MUTED,
    SHADE,
    PageMeta,
    Plain,
    ReportInfo,
    build_pdf,
    content_width,
    derived_style,
    empty_note,
    esc,
    grid_table,
    para,
    section_heading,
    spacer,
    styles,
)
from .errors import ReportNotFoundError

OVERDUE = "te laat"
NO_RESPONSIBLE = "zonder vaste verantwoordelijke"


@dataclass(frozen=True)
class _Names:
    pupils: dict[int, str]
    groups: dict[int, str]
    staff: dict[int, str]
    teachers: dict[int, set[int]]  # group -> its teachers


def _names(session: Session, school_id: int) -> _Names:
    pupils = {
        pid: dutch_name(f, tv, last)
        for pid, f, tv, last in session.execute(
            sa.select(Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name).where(
                Pupil.school_id == school_id
            )
        )
    }
    groups = {
        gid: name
        for gid, name in session.execute(
            sa.select(Group.id, Group.name).where(Group.school_id == school_id)
        )
    }
    staff = {
        sid: dutch_name(f, tv, last)
        for sid, f, tv, last in session.execute(
            sa.select(Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name).where(
                Staff.school_id == school_id
            )
        )
    }
    teachers: dict[int, set[int]] = defaultdict(set)
    for gid, sid in session.execute(
        sa.select(group_teachers.c.group_id, group_teachers.c.staff_id)
        .join(Group, Group.id == group_teachers.c.group_id)
        .where(Group.school_id == school_id)
    ):
        teachers[gid].add(sid)
    return _Names(pupils, groups, staff, dict(teachers))


def _involves(m: Moment, teacher_id: int, names: _Names) -> bool:
    """The teacher evaluates it, or teaches the group it is about (duo partners share)."""
    if m.responsible_id == teacher_id:
        return True
    return m.group_id is not None and teacher_id in names.teachers.get(m.group_id, set())


def _status(m: Moment, today: date) -> str:
    if m.done_on is not None:
        return f"gedaan {short_date(m.done_on)}"
    if m.is_overdue(today):
        return OVERDUE
    return "gepland"


def _week_label(monday: date) -> str:
    friday = monday + timedelta(days=4)
    week = monday.isocalendar().week
    if monday.month == friday.month:
        span = f"{monday.day} t/m {long_date(friday)}"
    else:
        span = f"{long_date(monday)} t/m {long_date(friday)}"
    return f"Week {week} · {span}"


#: Column shares of the table width: Datum, Leerling, Groep, Wat, Wie evalueert, Status
#: (wide enough for "gedaan" over "12-10-2026" without breaking the date).
COLUMNS = (0.14, 0.19, 0.08, 0.25, 0.18, 0.16)
HEADERS = ("Datum", "Leerling", "Groep", "Wat", "Wie evalueert", "Status")
CELL_PADDING = 8  # the grid table's left plus right padding


def _fits(text: str, room: float, bold: bool = False) -> bool:
    return stringWidth(text, FONT_BOLD if bold else FONT, 9) <= room


def _short(text: str, room: float, style: ParagraphStyle, *, bold: bool = False) -> object:
    """A cell for a short text: drawn plainly when it fits (fast), else wrapped in a Paragraph.

    Thousands of cells stay cheap, and a long status ("gedaan 12-03-2026") or group name never
    runs over into the next column.
    """
    if not text:
        return Plain("")
    if _fits(text, room, bold):
        return Plain(text)
    return Paragraph(esc(text), style)


def _table(
    moments: list[Moment], names: _Names, today: date, width: float, *, weeks: bool = True
) -> Flowable:
    st = styles()
    alert = derived_style(st.cell_bold, "schedule_alert", textColor=ALERT)
    muted = derived_style(st.cell, "schedule_muted", textColor=MUTED)
    rooms = [width * f - CELL_PADDING for f in COLUMNS]
    rows: list[list[object]] = []
    extra: list[tuple] = []
    current_week: date | None = None
    for m in moments:
        monday = m.due - timedelta(days=m.due.weekday())
        if weeks and monday != current_week:
            current_week = monday
            r = len(rows) + 1
            rows.append([Paragraph(esc(_week_label(monday)), st.cell_head), "", "", "", "", ""])
            extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), SHADE)]
        r = len(rows) + 1
        late = m.is_overdue(today)
        if late:
            # Plain cells take the table's font and colour; wrapped ones their own style.
            extra += [
                ("FONTNAME", (0, r), (0, r), FONT_BOLD),
                ("TEXTCOLOR", (0, r), (0, r), ALERT),
                ("FONTNAME", (-1, r), (-1, r), FONT_BOLD),
                ("TEXTCOLOR", (-1, r), (-1, r), ALERT),
            ]
            pupil_style = st.cell_bold
            status_style = alert
        else:
            status_style = st.cell
            if m.done_on is not None or m.due >= today:
                extra.append(("TEXTCOLOR", (-1, r), (-1, r), MUTED))
                status_style = muted
            pupil_style = st.cell
        pupil = names.pupils.get(m.pupil_id, "") if m.pupil_id else ""
        rows.append(
            [
                _short(short_date(m.due), rooms[0], alert if late else st.cell, bold=late),
                Paragraph(esc(pupil), pupil_style) if pupil else Plain(""),
                _short(names.groups.get(m.group_id, "") if m.group_id else "", rooms[2], st.cell),
                Paragraph(esc(m.title), st.cell),
                Paragraph(esc(names.staff.get(m.responsible_id, "")), st.cell)
                if m.responsible_id
                else Plain(""),
                _short(_status(m, today), rooms[5], status_style, bold=late),
            ]
        )
    return grid_table(
        list(HEADERS),
        rows,
        [width * f for f in COLUMNS],
        zebra=False,
        extra_style=extra,
    )


def _section(
    open_before: list[Moment],
    in_range: list[Moment],
    names: _Names,
    today: date,
    start: date,
    end: date,
    width: float,
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    late = [m for m in in_range if m.is_overdue(today)] + open_before
    count = "1 moment" if len(in_range) == 1 else f"{len(in_range)} momenten"
    summary = f"{count} van {long_date(start)} t/m {long_date(end)}"
    if late:
        summary += f", waarvan <font color='{ALERT_HEX}'><b>{len(late)} te laat</b></font>"
    out.append(para(summary + ".", st.body, markup=True))
    if open_before:
        out += section_heading(f"Nog open van vóór {long_date(start)}")
        out.append(_table(open_before, names, today, width, weeks=False))
    if in_range:
        if open_before:
            out += section_heading(f"Van {long_date(start)} t/m {long_date(end)}")
        out.append(_table(in_range, names, today, width))
    elif not open_before:
        out.append(empty_note("Er staat in deze periode niets gepland."))
    return out


def schedule_pdf(
    session: Session,
    school_id: int,
    *,
    start: date,
    end: date,
    group_id: int | None = None,
    teacher_id: int | None = None,
    per_teacher: bool = False,
    today: date,
    progress: Callable[[int], bool] | None = None,
) -> bytes:
    """The schedule for the whole school, one group or one teacher; per teacher on request."""
    school = session.get(School, school_id)
    if school is None:
        raise ReportNotFoundError(f"Er is geen school met nummer {school_id}.")
    if end < start:
        start, end = end, start
    names = _names(session, school_id)
    open_before, in_range = _moments(
        session, school_id, names, start, end, today, group_id, teacher_id
    )
    scope = _scope(names, group_id, teacher_id)
    st = styles()
    info = ReportInfo(
        title=f"Evaluatieplanning {school.name}",
        subject=f"Evaluatieplanning {long_date(start)} t/m {long_date(end)}",
        footer=f"Vertrouwelijk · Evaluatieplanning {scope} · stand {short_date(today)}",
        header_right=f"{school.name} · Evaluatieplanning",
        logo_png=school.logo_png,
    )
    width = content_width(info)
    subtitle = f"{scope[0].upper()}{scope[1:]} · {long_date(start)} t/m {long_date(end)}"
    story: list[Flowable] = []
    if not per_teacher:
        story += [
            Paragraph("Evaluatieplanning", st.title),
            Paragraph(esc(subtitle), st.subtitle),
            *_section(open_before, in_range, names, today, start, end, width),
        ]
        return build_pdf(info, story, progress=progress)
    by_teacher = _by_teacher(open_before, in_range, teacher_id)
    order = sorted(
        by_teacher,
        key=lambda sid: (sid is None, names.staff.get(sid, "").lower() if sid else ""),
    )
    if not order:
        story += [
            Paragraph("Evaluatieplanning", st.title),
            Paragraph(esc(subtitle), st.subtitle),
            empty_note("Er staat in deze periode niets gepland."),
        ]
        return build_pdf(info, story, progress=progress)
    for index, sid in enumerate(order):
        if index:
            story.append(PageBreak())
        before, within = by_teacher[sid]
        story += _teacher_handout(sid, before, within, names, school, today, start, end, width)
    return build_pdf(info, story, progress=progress)


def _moments(
    session: Session,
    school_id: int,
    names: _Names,
    start: date,
    end: date,
    today: date,
    group_id: int | None,
    teacher_id: int | None,
) -> tuple[list[Moment], list[Moment]]:
    """The overdue moments from before ``start``, and every moment in [start, end], of the
    group and the teacher asked for."""
    in_range = compute_moments(
        session, school_id, today=today, start=start, end=end, include_done=True
    )
    open_before = [
        m
        for m in compute_moments(
            session, school_id, today=today, end=start - timedelta(days=1), include_done=False
        )
        if m.is_overdue(today)
    ]

    def keep(m: Moment) -> bool:
        if group_id is not None and m.group_id != group_id:
            return False
        return teacher_id is None or _involves(m, teacher_id, names)

    return [m for m in open_before if keep(m)], [m for m in in_range if keep(m)]


def _scope(names: _Names, group_id: int | None, teacher_id: int | None) -> str:
    """ "hele school", "groep 5B", "Anna de Vries" or "groep 5B · Anna de Vries"."""
    scope = "hele school"
    if group_id is not None:
        scope = f"groep {names.groups.get(group_id, '?')}"
    if teacher_id is not None:
        scope = (scope + " · " if group_id is not None else "") + names.staff.get(teacher_id, "?")
    return scope


def _by_teacher(
    open_before: list[Moment], in_range: list[Moment], teacher_id: int | None
) -> dict[int | None, tuple[list[Moment], list[Moment]]]:
    """Per responsible staff member (None: nobody) the moments before and in the period."""
    if teacher_id is not None:
        # One teacher asked for: the duo partner's moments are theirs too.
        return defaultdict(lambda: ([], []), {teacher_id: (open_before, in_range)})
    by_teacher: dict[int | None, tuple[list[Moment], list[Moment]]] = defaultdict(lambda: ([], []))
    for m in open_before:
        by_teacher[m.responsible_id][0].append(m)
    for m in in_range:
        by_teacher[m.responsible_id][1].append(m)
    return by_teacher


def _teacher_handout(
    sid: int | None,
    before: list[Moment],
    within: list[Moment],
    names: _Names,
    school: School,
    today: date,
    start: date,
    end: date,
    width: float,
) -> list[Flowable]:
    """One teacher's pages, counted on their own ("pagina 1 van 2")."""
    st = styles()
    # "Evaluatieplanning voor Anna de Vries", but "Evaluatieplanning zonder vaste
    # verantwoordelijke" for the moments nobody is set to evaluate.
    heading = (
        f"Evaluatieplanning voor {names.staff.get(sid, '?')}"
        if sid is not None
        else f"Evaluatieplanning {NO_RESPONSIBLE}"
    )
    return [
        PageMeta(
            footer=f"Vertrouwelijk · {heading} · stand {short_date(today)}",
            section=f"teacher:{sid}",
        ),
        Paragraph(esc(heading), st.title),
        Paragraph(esc(f"{long_date(start)} t/m {long_date(end)} · {school.name}"), st.subtitle),
        *_section(before, within, names, today, start, end, width),
        spacer(6),
        Paragraph(
            esc(
                "Schrijf de evaluatie in IB Desktop of geef hem aan de intern begeleider. "
                "Lukt een datum niet, overleg dan op tijd."
            ),
            st.muted,
        ),
    ]

"""The school's meeting rhythm and "Plan het jaar": the year's meetings proposed on school days.

The rhythm is a school setting (``School.settings["meeting_rhythm"]``): per kind of meeting
the ISO weeks it falls in, the weekday, and whether it is held per group (groepsbesprekingen)
or for the whole school (MDO). Planning proposes one meeting per week (and group); a week that
is a holiday moves the meeting to the next school day, which the proposal says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_start, short_date
from ib_desktop.models import Group, Meeting, MeetingKind, School, SchoolYear
from ib_desktop.schedule.school_days import school_calendar
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.validation import ValidationErrors

RHYTHM_KEY = "meeting_rhythm"
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")


@dataclass
class RhythmLine:
    """One kind of meeting in the school's year: in which weeks, on which weekday, per group."""

    kind: MeetingKind
    weeks: list[int]
    weekday: int = 1  # 0 = maandag
    per_group: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "weeks": list(self.weeks),
            "weekday": self.weekday,
            "per_group": self.per_group,
        }


#: A rhythm for a school that set none: three group reviews, two rounds of kindbesprekingen,
#: six MDO moments (De Balein's), all on a Tuesday.
DEFAULT_RHYTHM = [
    RhythmLine(MeetingKind.GROEPSBESPREKING, [40, 5, 23], 1, True),
    RhythmLine(MeetingKind.KINDBESPREKING, [46, 12], 1, True),
    RhythmLine(MeetingKind.MDO, [39, 46, 3, 10, 17, 24], 1, False),
]


def parse_weeks(text: str) -> list[int]:
    """ "40, 5, 23" -> [40, 5, 23]; raises ValueError with a Dutch message."""
    weeks: list[int] = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        if not part.strip():
            continue
        if not part.strip().isdigit() or not 1 <= int(part) <= 53:
            raise ValueError(f"'{part.strip()}' is geen weeknummer (1 tot en met 53).")
        if int(part) not in weeks:
            weeks.append(int(part))
    return weeks


def load_rhythm(session: Session, school_id: int) -> list[RhythmLine]:
    """The school's rhythm (the default when it set none)."""
    school = session.get(School, school_id)
    raw = (school.settings or {}).get(RHYTHM_KEY) if school else None
    if not raw:
        return [RhythmLine(r.kind, list(r.weeks), r.weekday, r.per_group) for r in DEFAULT_RHYTHM]
    out = []
    for item in raw:
        try:
            out.append(
                RhythmLine(
                    MeetingKind(item["kind"]),
                    [int(w) for w in item.get("weeks", [])],
                    int(item.get("weekday", 1)),
                    bool(item.get("per_group", False)),
                )
            )
        except (KeyError, ValueError, TypeError):
            continue  # a damaged line is left out, never stops planning
    return out


def save_rhythm(session: Session, school_id: int, lines: list[RhythmLine]) -> None:
    """Store the rhythm; weeks between 1 and 53, a weekday from maandag to vrijdag."""
    errors: dict[str, str] = {}
    for i, line in enumerate(lines):
        if any(not 1 <= w <= 53 for w in line.weeks):
            errors[f"weeks_{i}"] = "Een weeknummer ligt tussen 1 en 53."
        if not 0 <= line.weekday <= 4:
            errors[f"weekday_{i}"] = "Kies een dag van maandag tot en met vrijdag."
    ValidationErrors.collect(errors)
    school = session.get(School, school_id)
    if school is None:
        return
    settings = dict(school.settings or {})
    settings[RHYTHM_KEY] = [line.to_json() for line in lines]
    school.settings = settings
    session.flush()


@dataclass
class Proposal:
    """One meeting "Plan het jaar" proposes; the IB-er may change the date or leave it out."""

    kind: MeetingKind
    date: date
    week: int
    group_id: int | None = None
    group_name: str = ""
    note: str = ""  # "verschoven: vakantie" when the week was closed
    accepted: bool = True
    exists: bool = field(default=False)

    @property
    def title(self) -> str:
        label = MEETING_KIND_LABELS[self.kind]
        return f"{label} {self.group_name}" if self.group_name else label


def _week_date(first_year: int, week: int, weekday: int) -> date:
    """The day of ISO week ``week`` in the school year starting in August of ``first_year``."""
    year = first_year if week >= 31 else first_year + 1
    try:
        return date.fromisocalendar(year, week, weekday + 1)
    except ValueError:  # week 53 in a year with 52: the last week
        return date.fromisocalendar(year, 52, weekday + 1)


def propose_year(session: Session, school_id: int, *, today: date) -> list[Proposal]:
    """The meetings of the school year of ``today`` from the rhythm, on school days only.

    The day is the rhythm's weekday in the given week; when school is closed then, another
    day of the same week; when the whole week is a holiday, the next school day (noted).
    Meetings that exist already (same kind, group and day) are marked ``exists``; only those
    from today on are ticked to be planned.
    """
    calendar = school_calendar(session, school_id)
    first_year = school_year_start(today).year
    groups = _current_groups(session, school_id, today)
    existing = {
        (m.kind, m.group_id, m.date)
        for m in session.execute(
            sa.select(Meeting.kind, Meeting.group_id, Meeting.date).where(
                Meeting.school_id == school_id
            )
        )
    }
    out: list[Proposal] = []
    for line in load_rhythm(session, school_id):
        for week in line.weeks:
            wanted = _week_date(first_year, week, line.weekday)
            day, note = _school_day_in_week(calendar, wanted)
            targets: list[tuple[int | None, str]] = groups if line.per_group else [(None, "")]
            for gid, gname in targets:
                p = Proposal(line.kind, day, week, gid, gname, note)
                p.exists = (line.kind, gid, day) in existing
                p.accepted = not p.exists and day >= today  # the past is not ticked
                out.append(p)
    return sorted(out, key=lambda p: (p.date, str(p.kind), p.group_name))


def _school_day_in_week(calendar: Any, wanted: date) -> tuple[date, str]:
    if calendar.is_school_day(wanted):
        return wanted, ""
    monday = wanted - timedelta(days=wanted.weekday())
    for offset in (*range(wanted.weekday() + 1, 5), *range(wanted.weekday() - 1, -1, -1)):
        day = monday + timedelta(days=offset)
        if calendar.is_school_day(day):
            return day, f"verschoven naar {WEEKDAYS[offset]}: school dicht"
    day = calendar.next_school_day(monday + timedelta(days=7))
    return day, f"verschoven naar {short_date(day)}: vakantie"


def _current_groups(session: Session, school_id: int, today: date) -> list[tuple[int | None, str]]:
    rows = session.execute(
        sa.select(Group.id, Group.name)
        .join(SchoolYear, SchoolYear.id == Group.school_year_id)
        .where(
            Group.school_id == school_id,
            SchoolYear.start_date <= today,
            SchoolYear.end_date >= today,
        )
        .order_by(Group.name)
    ).all()
    return [(gid, name) for gid, name in rows]


def accept_proposals(session: Session, school_id: int, proposals: list[Proposal]) -> list[int]:
    """Create the accepted proposals as meetings (never twice); returns the new ids."""
    calendar = school_calendar(session, school_id)
    errors = {
        f"date_{i}": f"{short_date(p.date)} is geen schooldag."
        for i, p in enumerate(proposals)
        if p.accepted and not calendar.is_school_day(p.date)
    }
    ValidationErrors.collect(errors)
    ids = []
    for p in proposals:
        if not p.accepted or p.exists:
            continue
        duplicate = session.scalar(
            sa.select(Meeting.id).where(
                Meeting.school_id == school_id,
                Meeting.kind == p.kind,
                Meeting.date == p.date,
                (
                    Meeting.group_id.is_(None)
                    if p.group_id is None
                    else Meeting.group_id == p.group_id
                ),
            )
        )
        if duplicate is not None:
            continue
        meeting = Meeting(
            school_id=school_id, kind=p.kind, date=p.date, title=p.title, group_id=p.group_id
        )
        session.add(meeting)
        session.flush()
        ids.append(meeting.id)
    return ids

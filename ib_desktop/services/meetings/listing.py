"""The meetings page's reads and the meeting's own fields (kind, date, title, notes, held)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_start
from ib_desktop.models import (
    Group,
    Meeting,
    MeetingKind,
    Pupil,
    PupilStatus,
    School,
    SupportLevel,
    meeting_pupils,
)
from ib_desktop.services import versioned
from ib_desktop.services.meetings.agenda import meeting_or_gone
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.validation import ValidationErrors

#: The kinds the meetings page plans (parent meetings are planned in the pupil's file as well).
PAGE_KINDS = (
    MeetingKind.GROEPSBESPREKING,
    MeetingKind.KINDBESPREKING,
    MeetingKind.OT,
    MeetingKind.MDO,
    MeetingKind.OUDERGESPREK,
)


@dataclass
class MeetingRow:
    id: int
    kind: MeetingKind
    date: date
    title: str
    group_name: str
    pupils: int
    held: bool
    version: int

    @property
    def kind_label(self) -> str:
        return MEETING_KIND_LABELS[self.kind]


def list_meetings(session: Session, school_id: int, *, today: date) -> list[MeetingRow]:
    """The school's meetings of this school year (and later), by date."""
    counts = (
        sa.select(meeting_pupils.c.meeting_id, sa.func.count().label("n"))
        .group_by(meeting_pupils.c.meeting_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Meeting, Group.name, counts.c.n)
        .outerjoin(Group, Group.id == Meeting.group_id)
        .outerjoin(counts, counts.c.meeting_id == Meeting.id)
        .where(Meeting.school_id == school_id, Meeting.date >= school_year_start(today))
        .order_by(Meeting.date, Meeting.id)
    ).all()
    return [
        MeetingRow(m.id, MeetingKind(m.kind), m.date, m.title, gname or "", n or 0, m.held,
                   m.version)  # fmt: skip
        for m, gname, n in rows
    ]


def new_meeting(
    session: Session, school_id: int, kind: MeetingKind, day: date, *, group_id: int | None = None
) -> int:
    meeting = Meeting(school_id=school_id, kind=kind, date=day, group_id=group_id,
                      title=MEETING_KIND_LABELS[kind])  # fmt: skip
    session.add(meeting)
    session.flush()
    return meeting.id


def save_header(
    session: Session,
    meeting_id: int,
    version: int | None,
    *,
    kind: MeetingKind,
    day: date | None,
    title: str,
    notes: str,
    held: bool,
) -> int:
    """Save the meeting's own fields (optimistic locking); returns the new version."""
    errors = {}
    if day is None:
        errors["date"] = "Vul een geldige datum in."
    if len(title) > 200:
        errors["title"] = "De titel is te lang (hoogstens 200 tekens)."
    ValidationErrors.collect(errors)
    meeting = meeting_or_gone(session, meeting_id)
    values = {
        "kind": kind,
        "date": day,
        "title": title.strip() or MEETING_KIND_LABELS[kind],
        "notes": notes.strip(),
        "held": held,
    }
    spec = versioned.Versioned(
        "deze vergadering",
        {"kind": "soort", "date": "datum", "title": "titel", "notes": "toelichting",
         "held": "gehouden"},
    )  # fmt: skip
    return versioned.save_versioned(session, meeting, version, values, spec)


def delete_meeting(session: Session, meeting_id: int) -> None:
    session.delete(meeting_or_gone(session, meeting_id))
    session.flush()


def pupil_choices(session: Session, school_id: int) -> list[tuple[int, str]]:
    """The school's pupils still at school, by name, for "Leerling toevoegen"."""
    pupils = session.scalars(
        sa.select(Pupil).where(Pupil.school_id == school_id, Pupil.status == PupilStatus.ACTIEF)
    ).all()
    out = [(p.id, p.full_name) for p in pupils]
    return sorted(out, key=lambda t: t[1].lower())


def level_choices(session: Session, school_id: int) -> list[tuple[int, str]]:
    school = session.get(School, school_id)
    if school is None:
        return []
    levels = session.scalars(
        sa.select(SupportLevel)
        .where(
            SupportLevel.structure_id == school.support_structure_id,
            SupportLevel.retired.is_(False),
        )
        .order_by(SupportLevel.position)
    ).all()
    return [(lvl.id, lvl.label) for lvl in levels]

"""What a printed invitation or set of minutes shows, read once (plain data for reports/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from ib_desktop.models import MeetingKind, School
from ib_desktop.services import view_log
from ib_desktop.services.meetings.agenda import AgendaLine, agenda_of, meeting_or_gone
from ib_desktop.services.meetings.minutes import Attendee, attendees, tasks_of
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS


@dataclass
class MeetingSheet:
    school_name: str
    kind_label: str
    title: str
    date: date
    group_name: str
    notes: str
    attendees: list[Attendee]
    agenda: list[AgendaLine]
    #: who, what, due, done
    tasks: list[tuple[str, str, dt.date, bool]] = field(default_factory=list)
    logo_png: bytes | None = None


def meeting_sheet(session: Session, meeting_id: int) -> MeetingSheet:
    meeting = meeting_or_gone(session, meeting_id)
    school = session.get(School, meeting.school_id)
    agenda = agenda_of(session, meeting_id)
    names = {a.pupil_id: a.name for a in agenda}
    tasks = [
        (names.get(t.pupil_id, "") if t.pupil_id else "", t.text, t.due_date, t.done)
        for t in tasks_of(session, meeting_id)
    ]
    return MeetingSheet(
        school_name=school.name if school else "",
        kind_label=MEETING_KIND_LABELS[MeetingKind(meeting.kind)],
        title=meeting.title,
        date=meeting.date,
        group_name=meeting.group.name if meeting.group else "",
        notes=meeting.notes,
        attendees=attendees(session, meeting_id),
        agenda=agenda,
        tasks=tasks,
        logo_png=getattr(school, "logo_png", None),
    )


def record_print(
    session: Session,
    sheet: MeetingSheet,
    what: str,
    *,
    actor: str | None = None,
    login: str | None = None,
) -> int:
    """Log the print for every pupil on the agenda, like every other print."""
    return view_log.record_views(
        session,
        [a.pupil_id for a in sheet.agenda],
        "afgedrukt",
        f"{what} {sheet.title} {sheet.date.strftime('%d-%m-%Y')}",
        actor=actor,
        login=login,
    )

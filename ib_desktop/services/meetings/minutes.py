"""Who came to a meeting, what was said and decided per pupil, and what a decision sets going.

A decision can directly become a level change (:func:`services.levels.change_level`, with the
meeting as its source), a new document (korte interventie, groeidocument, OPP, through their
own services), or a task with a date, which runs among the deadlines until it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.models import (
    MeetingParticipant,
    MeetingTask,
    Pupil,
    SupportLevel,
    meeting_pupils,
)
from ib_desktop.services import audit
from ib_desktop.services.levels import LevelChange, change_level
from ib_desktop.services.meetings.agenda import add_pupil, meeting_or_gone
from ib_desktop.validation import ValidationErrors

#: Roles offered for an attendee (free text is allowed as well).
ROLES = (
    QT_TRANSLATE_NOOP("Meetings", "intern begeleider"),
    QT_TRANSLATE_NOOP("Meetings", "leerkracht"),
    QT_TRANSLATE_NOOP("Meetings", "directie"),
    QT_TRANSLATE_NOOP("Meetings", "ouder/verzorger"),
    QT_TRANSLATE_NOOP("Meetings", "consulent SWV"),
    QT_TRANSLATE_NOOP("Meetings", "jeugdhulp"),
)
DOCUMENT_KINDS = ("korte_interventie", "groeidocument", "opp")


@dataclass
class Attendee:
    name: str
    role: str = ""
    staff_id: int | None = None


def attendees(session: Session, meeting_id: int) -> list[Attendee]:
    meeting = meeting_or_gone(session, meeting_id)
    return [Attendee(p.name, p.role, p.staff_id) for p in meeting.participants]


def set_attendees(session: Session, meeting_id: int, people: list[Attendee]) -> None:
    """Replace the attendees; every line needs a name."""
    errors = {
        f"name_{i}": "Vul een naam in." for i, p in enumerate(people) if not p.name.strip()
    }
    ValidationErrors.collect(errors)
    meeting = meeting_or_gone(session, meeting_id)
    meeting.participants.clear()
    for p in people:
        meeting.participants.append(
            MeetingParticipant(name=p.name.strip()[:200], role=p.role.strip()[:80],
                               staff_id=p.staff_id)
        )  # fmt: skip
    session.flush()


def _row(meeting_id: int, pupil_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        meeting_pupils.c.meeting_id == meeting_id, meeting_pupils.c.pupil_id == pupil_id
    )


def save_minutes(
    session: Session,
    meeting_id: int,
    pupil_id: int,
    minutes: str,
    decision: str,
    *,
    actor: str | None = None,
) -> None:
    """The minutes and decision about one pupil (the pupil is put on the agenda if needed)."""
    add_pupil(session, meeting_id, pupil_id)
    session.execute(
        sa.update(meeting_pupils)
        .where(_row(meeting_id, pupil_id))
        .values(minutes=minutes.strip(), decision=decision.strip())
    )
    meeting = meeting_or_gone(session, meeting_id)
    if decision.strip():
        audit.record(
            session, "pupil", pupil_id, "gewijzigd", field="besluit vergadering",
            new=f"{meeting.title or meeting.kind} {short_date(meeting.date)}", actor=actor,
        )  # fmt: skip
    session.flush()


def _append_decision(session: Session, meeting_id: int, pupil_id: int, text: str) -> None:
    where = _row(meeting_id, pupil_id)
    current = session.scalar(sa.select(meeting_pupils.c.decision).where(where))
    new = f"{current}\n{text}" if current else text
    session.execute(sa.update(meeting_pupils).where(where).values(decision=new))


def decide_level(
    session: Session,
    meeting_id: int,
    pupil_id: int,
    level_id: int,
    reason: str,
    *,
    start_date: date | None = None,
    today: date,
    actor: str | None = None,
) -> LevelChange:
    """Move the pupil to ``level_id`` as decided at this meeting (its source in the history)."""
    meeting = meeting_or_gone(session, meeting_id)
    pupil = session.get(Pupil, pupil_id)
    level = session.get(SupportLevel, level_id)
    if pupil is None or level is None:
        raise LookupError("Leerling of niveau bestaat niet (meer).")
    add_pupil(session, meeting_id, pupil_id)
    day = start_date or min(meeting.date, today)
    change = change_level(
        session, pupil, level, day, reason, meeting=meeting,
        decided_by_name=meeting.title or str(meeting.kind), today=today, actor=actor,
    )  # fmt: skip
    _append_decision(session, meeting_id, pupil_id, f"Niveau {level.label}: {reason.strip()}")
    session.flush()
    return change


def start_document(
    session: Session,
    meeting_id: int,
    pupil_id: int,
    kind: str,
    *,
    today: date,
    actor: str | None = None,
) -> int:
    """Start a korte interventie, groeidocument or OPP as decided; returns its id."""
    meeting = meeting_or_gone(session, meeting_id)
    add_pupil(session, meeting_id, pupil_id)
    source = f"besloten in {meeting.title or meeting.kind} van {short_date(meeting.date)}"
    if kind == "korte_interventie":
        from ib_desktop.services.plans.interventions import new_intervention, save_intervention

        data = new_intervention(session, pupil_id, today=today)
        data.support_need = source[0].upper() + source[1:] + "."
        doc_id = save_intervention(session, data, today=today, actor=actor).id
        label = "Korte interventie gestart"
    elif kind == "groeidocument":
        from ib_desktop.services.plans.growth import new_growth_document
        from ib_desktop.services.plans.growth_save import save_growth_document

        gdata = new_growth_document(session, pupil_id, today=today)
        doc_id = save_growth_document(session, gdata, today=today, actor=actor).id
        label = "Groeidocument gestart"
    elif kind == "opp":
        from ib_desktop.services.opp.lifecycle import start_opp

        doc_id = start_opp(session, pupil_id, on=today, actor=actor).opp_id
        label = "OPP gestart"
    else:
        raise ValueError(f"Onbekend soort document: {kind}")
    _append_decision(session, meeting_id, pupil_id, label)
    session.flush()
    return int(doc_id or 0)


def add_task(
    session: Session,
    meeting_id: int,
    text: str,
    due: date,
    *,
    pupil_id: int | None = None,
) -> int:
    """A task decided at the meeting, due on ``due``; it shows among the deadlines."""
    errors = {}
    if not text.strip():
        errors["task"] = "Beschrijf de taak."
    meeting = meeting_or_gone(session, meeting_id)
    if due < meeting.date:
        errors["task_due"] = "De datum ligt voor de vergadering."
    ValidationErrors.collect(errors)
    task = MeetingTask(meeting_id=meeting_id, pupil_id=pupil_id, text=text.strip()[:300],
                       due_date=due)  # fmt: skip
    session.add(task)
    if pupil_id is not None:
        add_pupil(session, meeting_id, pupil_id)
        _append_decision(session, meeting_id, pupil_id, f"Taak: {text.strip()} ({short_date(due)})")
    session.flush()
    return task.id


def tasks_of(session: Session, meeting_id: int) -> list[MeetingTask]:
    return list(
        session.scalars(
            sa.select(MeetingTask)
            .where(MeetingTask.meeting_id == meeting_id)
            .order_by(MeetingTask.due_date, MeetingTask.id)
        )
    )


def set_task_done(session: Session, task_id: int, done: bool = True) -> None:
    task = session.get(MeetingTask, task_id)
    if task is not None:
        task.done = done
        session.flush()

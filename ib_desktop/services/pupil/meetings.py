"""The meetings about a pupil: kindbespreking, OT, MDO, oudergesprek and other conversations.

A meeting belongs to the school and may be about several pupils, so it is not one of the
pupil's own records (:mod:`.children`): removing it from one file only unlinks it while other
pupils share it. Its changes are logged on the pupil like the file's own records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.dates import short_date
from ib_desktop.models import LevelAssignment, Meeting, MeetingKind, Pupil, meeting_pupils
from ib_desktop.permissions import Role
from ib_desktop.services import audit, versioned
from ib_desktop.services.pupil.children import ChildSpec, change_logger
from ib_desktop.services.pupil.data import MeetingData, RecordGoneError
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.services.pupil.lookups import writable_pupil
from ib_desktop.services.pupil.restricted import blank, check_may_change, hidden_from
from ib_desktop.services.pupil.validation import check_meeting, clean
from ib_desktop.validation import ValidationErrors

MEETINGS = ChildSpec(
    Meeting,
    "vergadering",
    ("kind", "date", "title", "held", "notes", "decisions", "confidential"),
    "title",
    "deze vergadering",
    sensitive_field="confidential",
    hidden=("notes", "decisions"),
)


def _meeting_of(session: Session, pupil: Pupil, meeting_id: int) -> Meeting:
    """The meeting, when it still exists and is still about this pupil."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or pupil not in meeting.pupils:
        raise RecordGoneError("Deze vergadering")
    return meeting


def save_meeting(
    session: Session,
    pupil_id: int,
    data: MeetingData,
    *,
    today: date,
    actor: str | None = None,
    role: Role = None,
) -> int:
    """Add or change a meeting about this pupil; returns the meeting id.

    Notes and decisions marked confidential are read (and so changed) by ib and directie only,
    and stay out of the change log.
    """
    pupil = writable_pupil(session, pupil_id)
    ValidationErrors.collect(check_meeting(data, today=today))
    kind = MeetingKind(data.kind)
    values: dict[str, Any] = {
        "kind": kind,
        "date": data.date,
        "title": clean(data.title) or MEETING_KIND_LABELS[kind],
        "held": data.held,
        "notes": data.notes.strip(),
        "decisions": data.decisions.strip(),
        "confidential": bool(data.confidential),
    }
    if data.id is None:
        return _add_meeting(session, pupil, values, actor=actor)
    meeting = _meeting_of(session, pupil, data.id)
    check_may_change(role, meeting.confidential)
    sensitive = bool(meeting.confidential or data.confidential)
    log = change_logger(session, MEETINGS, pupil_id, actor, sensitive=sensitive)
    versioned.save_versioned(
        session, meeting, data.version, values, MEETINGS.lock_spec(pupil_id), log=log
    )
    return meeting.id


def _add_meeting(
    session: Session, pupil: Pupil, values: dict[str, Any], *, actor: str | None
) -> int:
    meeting = Meeting(school_id=pupil.school_id, group_id=pupil.group_id, **values)
    meeting.pupils.append(pupil)
    session.add(meeting)
    session.flush()
    audit.record(
        session,
        "pupil",
        pupil.id,
        "toegevoegd",
        field="vergadering",
        new=f"{MEETING_KIND_LABELS[meeting.kind]} {short_date(meeting.date)}",
        actor=actor,
    )
    return meeting.id


def delete_meeting(
    session: Session, pupil_id: int, meeting_id: int, *, actor: str | None = None, role: Role = None
) -> bool:
    """Remove a meeting from this pupil's file.

    A meeting about several pupils stays for the others; only the link to this pupil goes.
    Returns True when the meeting itself was deleted.
    """
    pupil = writable_pupil(session, pupil_id)
    meeting = _meeting_of(session, pupil, meeting_id)
    check_may_change(role, meeting.confidential)
    label = f"{MEETING_KIND_LABELS[MeetingKind(meeting.kind)]} {short_date(meeting.date)}"
    whole = len(meeting.pupils) == 1
    if whole:
        session.delete(meeting)
    else:
        meeting.pupils.remove(pupil)
        # The pupil's level decisions no longer point at a meeting that is not in the file.
        session.execute(
            sa.update(LevelAssignment)
            .where(LevelAssignment.pupil_id == pupil_id, LevelAssignment.meeting_id == meeting_id)
            .values(meeting_id=None)
        )
    audit.record(
        session, "pupil", pupil_id, "verwijderd", field="vergadering", old=label, actor=actor
    )
    session.flush()
    return whole


def pupil_meetings(session: Session, pupil_id: int, *, role: Role = None) -> list[MeetingData]:
    """The meetings about this pupil, newest first; confidential notes blanked for ``role``
    when it may not read them."""
    meetings = session.scalars(
        sa.select(Meeting)
        .join(meeting_pupils, meeting_pupils.c.meeting_id == Meeting.id)
        .where(meeting_pupils.c.pupil_id == pupil_id)
        .options(selectinload(Meeting.pupils))
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    ).all()
    out = []
    for m in meetings:
        data = MeetingData(
            kind=MeetingKind(m.kind),
            date=m.date,
            title=m.title,
            held=m.held,
            notes=m.notes,
            decisions=m.decisions,
            confidential=m.confidential,
            id=m.id,
            version=m.version,
            other_pupils=max(0, len(m.pupils) - 1),
        )
        if hidden_from(role, m.confidential):
            blank(data, MEETINGS.hidden)
        out.append(data)
    return out


def load_meeting(
    session: Session, pupil_id: int, meeting_id: int, *, role: Role = None
) -> MeetingData:
    """One meeting about the pupil (confidential notes blanked for a role without rights)."""
    for m in pupil_meetings(session, pupil_id, role=role):
        if m.id == meeting_id:
            return m
    raise RecordGoneError("Deze vergadering")


def meeting_label(data: MeetingData | Meeting) -> str:
    """ "Kindbespreking 12-03-2026" (with the title when it says more)."""
    kind = MEETING_KIND_LABELS[MeetingKind(data.kind)]
    text = f"{kind} {short_date(data.date)}"
    if data.title and data.title.lower() not in (kind.lower(), "leerlingbespreking"):
        text += f" - {data.title}"
    return text

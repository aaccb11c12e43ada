"""The pupils to discuss at a meeting: proposed from what is due, kept on ``meeting_pupils``.

Proposed (by the schedule engine, up to the meeting's day): a pupil with an evaluation that is
late (korte interventie, groeidocument), an OPP to evaluate, a pupil whose support level asks
for a talk (the level's rhythm of meetings in the structure). A group meeting proposes only the
group's pupils. The IB-er adds and removes pupils; nothing is added without accepting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import short_date
from ib_desktop.models import Meeting, MomentKind, Pupil, meeting_pupils
from ib_desktop.schedule import compute_moments

LATE_KINDS = {MomentKind.INTERVENTIE, MomentKind.GROEIDOCUMENT, MomentKind.OPP_DOEL}


@dataclass
class AgendaLine:
    """One pupil on (or proposed for) the agenda."""

    pupil_id: int
    name: str
    reason: str
    minutes: str = ""
    decision: str = ""


class MeetingGoneError(LookupError):
    """The meeting was deleted meanwhile."""


def meeting_or_gone(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingGoneError("Deze vergadering bestaat niet meer.")
    return meeting


def propose_pupils(session: Session, meeting_id: int, *, today: date) -> list[AgendaLine]:
    """The pupils the meeting should discuss and why, not yet on its agenda, by name."""
    meeting = meeting_or_gone(session, meeting_id)
    moments = compute_moments(session, meeting.school_id, today=today, end=meeting.date)
    on_agenda = set(
        session.scalars(
            sa.select(meeting_pupils.c.pupil_id).where(meeting_pupils.c.meeting_id == meeting_id)
        )
    )
    reasons: dict[int, list[str]] = {}
    for m in moments:
        if m.pupil_id is None or m.done_on is not None or m.pupil_id in on_agenda:
            continue
        if meeting.group_id is not None and m.group_id != meeting.group_id:
            continue
        if m.kind in LATE_KINDS and m.due < today:
            why = f"{m.title} te laat (sinds {short_date(m.due)})"
        elif m.kind == MomentKind.OPP_EVALUATIE and m.due <= meeting.date:
            why = f"OPP evalueren ({short_date(m.due)})"
        elif m.kind == MomentKind.OUDERGESPREK and m.source_kind != "meeting":
            if m.due > meeting.date:
                continue
            why = f"Niveau vraagt een gesprek: {m.title}"
        else:
            continue
        lines = reasons.setdefault(m.pupil_id, [])
        if why not in lines:
            lines.append(why)
    names = _names(session, reasons)
    out = [AgendaLine(pid, names.get(pid, "?"), "; ".join(r)[:200]) for pid, r in reasons.items()]
    return sorted(out, key=lambda line: line.name.lower())


def _names(session: Session, ids: object) -> dict[int, str]:
    wanted = sorted(ids)  # type: ignore[call-overload]
    if not wanted:
        return {}
    pupils = session.scalars(sa.select(Pupil).where(Pupil.id.in_(wanted)))
    return {p.id: p.full_name for p in pupils}


def agenda_of(session: Session, meeting_id: int) -> list[AgendaLine]:
    """The pupils on the agenda with their reason, minutes and decision, by name."""
    meeting_or_gone(session, meeting_id)
    rows = session.execute(
        sa.select(
            meeting_pupils.c.pupil_id,
            meeting_pupils.c.reason,
            meeting_pupils.c.minutes,
            meeting_pupils.c.decision,
        ).where(meeting_pupils.c.meeting_id == meeting_id)
    ).all()
    names = _names(session, {r[0] for r in rows})
    out = [
        AgendaLine(pid, names.get(pid, "?"), r or "", mi or "", d or "")
        for pid, r, mi, d in rows
    ]
    return sorted(out, key=lambda line: line.name.lower())


def add_pupil(session: Session, meeting_id: int, pupil_id: int, reason: str = "") -> bool:
    """Put a pupil on the agenda (False when already there)."""
    meeting = meeting_or_gone(session, meeting_id)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None or pupil.school_id != meeting.school_id:
        raise LookupError("Deze leerling hoort niet bij de school van de vergadering.")
    there = session.scalar(
        sa.select(sa.func.count()).where(
            meeting_pupils.c.meeting_id == meeting_id, meeting_pupils.c.pupil_id == pupil_id
        )
    )
    if there:
        return False
    session.execute(
        sa.insert(meeting_pupils).values(
            meeting_id=meeting_id, pupil_id=pupil_id, reason=reason.strip()[:200]
        )
    )
    session.expire(meeting, ["pupils"])
    return True


def remove_pupil(session: Session, meeting_id: int, pupil_id: int) -> AgendaLine | None:
    """Take a pupil off the agenda; returns what was there (for an undo)."""
    line = next((a for a in agenda_of(session, meeting_id) if a.pupil_id == pupil_id), None)
    session.execute(
        sa.delete(meeting_pupils).where(
            meeting_pupils.c.meeting_id == meeting_id, meeting_pupils.c.pupil_id == pupil_id
        )
    )
    meeting = session.get(Meeting, meeting_id)
    if meeting is not None:
        session.expire(meeting, ["pupils"])
    return line


def restore_pupil(session: Session, meeting_id: int, line: AgendaLine) -> None:
    """Undo :func:`remove_pupil`: the pupil back with their minutes and decision."""
    add_pupil(session, meeting_id, line.pupil_id, line.reason)
    session.execute(
        sa.update(meeting_pupils)
        .where(
            meeting_pupils.c.meeting_id == meeting_id,
            meeting_pupils.c.pupil_id == line.pupil_id,
        )
        .values(minutes=line.minutes, decision=line.decision)
    )

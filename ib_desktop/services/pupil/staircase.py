"""The pupil on the support staircase: the level history, deciding a move, taking one back.

The staircase's own rules (closing the open level, levels recorded late, required documents)
live in :mod:`ib_desktop.services.levels`; this module reads the history as the pupil file and
the op-/afschalen dialog show it, and asks for a decision as that dialog does: by ids, with who
decided and the meeting where it was decided.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ib_desktop.models import (
    Group,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Pupil,
    PupilStatus,
    Staff,
    SupportLevel,
)
from ib_desktop.services import audit
from ib_desktop.services.levels import (
    LevelChange,
    change_level,
    current_assignment,
    open_document_kinds,
)
from ib_desktop.services.pupil.data import LevelHistory, LevelInfo, LevelStep
from ib_desktop.services.pupil.lookups import (
    level_info,
    pupil_or_gone,
    school_levels,
    staff_choices,
    writable_pupil,
)
from ib_desktop.services.pupil.meetings import meeting_label, pupil_meetings
from ib_desktop.services.pupil.validation import clean
from ib_desktop.validation import ValidationErrors


def level_history(session: Session, pupil_id: int, *, today: date) -> LevelHistory:
    """The pupil's level over time: every assignment, with the direction of each move."""
    pupil = pupil_or_gone(session, pupil_id)
    assignments = session.scalars(
        sa.select(LevelAssignment)
        .where(LevelAssignment.pupil_id == pupil_id)
        .options(
            selectinload(LevelAssignment.level),
            selectinload(LevelAssignment.decided_by),
            selectinload(LevelAssignment.meeting),
        )
        .order_by(LevelAssignment.start_date, LevelAssignment.id)
    ).all()
    levels = {lvl.id: lvl for lvl in school_levels(session, pupil.school_id)}
    steps: list[LevelStep] = []
    last: dict[str, LevelInfo] = {}
    for a in assignments:
        step = _step(a, last.get(a.area))
        levels.setdefault(step.level.id, step.level)
        steps.append(step)
        last[a.area] = step.level
    until = pupil.left_on or today
    return LevelHistory(
        levels=sorted(levels.values(), key=lambda lvl: (lvl.position, lvl.id)),
        steps=steps,
        areas=[""] + sorted({s.area for s in steps if s.area}),
        start=min(_first_day(pupil, steps, today), until),
        until=until,
        left_on=pupil.left_on,
    )


def _step(a: LevelAssignment, prev: LevelInfo | None) -> LevelStep:
    """One assignment as a step of the history, moving up or down from ``prev``."""
    info = level_info(a.level)
    direction = "start" if prev is None else "op" if info.position > prev.position else "af"
    decided = a.decided_by.full_name if a.decided_by else a.decided_by_name
    return LevelStep(
        assignment_id=a.id,
        area=a.area,
        level=info,
        start=a.start_date,
        end=a.end_date,
        reason=a.reason,
        decided_by=decided or "",
        meeting_id=a.meeting_id,
        meeting_label=meeting_label(a.meeting) if a.meeting else "",
        direction=direction,
        previous=prev,
    )


def _first_day(pupil: Pupil, steps: list[LevelStep], today: date) -> date:
    """Where the timeline starts: the first level, first school day or enrolment."""
    candidates = [s.start for s in steps] + [
        d for d in (pupil.first_school_day, pupil.enrolled_on) if d is not None
    ]
    return min(candidates) if candidates else today


def undo_last_level_change(
    session: Session, pupil_id: int, area: str = "", *, actor: str | None = None
) -> LevelStep | None:
    """Take back the latest move of an area (a mistake), reopening the level before it.

    The very first level cannot be taken back: a pupil always stands somewhere.
    Returns the step that was removed.
    """
    writable_pupil(session, pupil_id)
    current = current_assignment(session, pupil_id, area)
    if current is None:
        raise ValidationErrors({"level": "Er is geen niveau om ongedaan te maken."})
    previous = session.scalars(
        sa.select(LevelAssignment)
        .where(
            LevelAssignment.pupil_id == pupil_id,
            LevelAssignment.area == area,
            LevelAssignment.id != current.id,
        )
        .order_by(LevelAssignment.start_date.desc(), LevelAssignment.id.desc())
        .limit(1)
    ).first()
    if previous is None:
        raise ValidationErrors(
            {
                "level": "Dit is het eerste niveau van de leerling; "
                "dat kan niet ongedaan worden gemaakt."
            }
        )
    removed = LevelStep(
        assignment_id=current.id,
        area=area,
        level=level_info(current.level),
        start=current.start_date,
        end=None,
        reason=current.reason,
        decided_by=current.decided_by_name,
        meeting_id=current.meeting_id,
        meeting_label="",
        direction="",
        previous=level_info(previous.level),
    )
    audit.record(
        session,
        "pupil",
        pupil_id,
        "niveauwijziging ongedaan gemaakt",
        field="niveau" + (f" ({area})" if area else ""),
        old=current.level.label,
        new=previous.level.label,
        summary=f"Ongedaan gemaakt: {current.reason}",
        actor=actor,
    )
    session.delete(current)
    session.flush()
    previous.end_date = None
    session.flush()
    return removed


def decide_level(
    session: Session,
    pupil_id: int,
    *,
    level_id: int | None,
    start_date: date | None,
    reason: str,
    decided_by_id: int | None = None,
    decided_by_name: str = "",
    area: str = "",
    meeting_id: int | None = None,
    new_meeting_kind: MeetingKind | str | None = None,
    new_meeting_date: date | None = None,
    today: date,
    actor: str | None = None,
) -> LevelChange:
    """Op- of afschalen as the dialog asks it: by ids, with who decided and the meeting.

    Every move has a date, a reason and someone who decided; the meeting is optional (an
    existing one of this pupil, or a new one created in the same transaction).
    """
    errors: dict[str, str] = {}
    pupil = pupil_or_gone(session, pupil_id)
    level = session.get(SupportLevel, level_id) if level_id is not None else None
    if level is None:
        errors["level"] = "Kies het nieuwe niveau."
    if start_date is None:
        errors["start_date"] = "Vul de datum van het besluit in."
    decided_by = session.get(Staff, decided_by_id) if decided_by_id is not None else None
    meeting = _decision_meeting(session, pupil, meeting_id, start_date, errors)
    if errors:
        # The whole form's problems at once, not one after the other.
        if not clean(reason):
            errors["reason"] = "Vul de reden in: waarom gaat de leerling naar dit niveau?"
        if decided_by is None and not clean(decided_by_name):
            errors["decided_by"] = "Vul in wie het besluit heeft genomen."
        raise ValidationErrors(errors)
    return change_level(
        session,
        pupil,
        level,  # type: ignore[arg-type]
        start_date,  # type: ignore[arg-type]
        reason,
        decided_by=decided_by,
        decided_by_name=clean(decided_by_name),
        area=area,
        meeting=meeting,
        today=today,
        new_meeting_kind=new_meeting_kind,
        new_meeting_date=new_meeting_date,
        require_decider=True,
        actor=actor,
    )


def _decision_meeting(
    session: Session,
    pupil: Pupil,
    meeting_id: int | None,
    start_date: date | None,
    errors: dict[str, str],
) -> Meeting | None:
    """The existing meeting a decision refers to; a problem with it goes into ``errors``."""
    if meeting_id is None:
        return None
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or pupil not in meeting.pupils:
        errors["meeting"] = "Deze vergadering bestaat niet (meer); kies een andere."
    elif start_date is not None and meeting.date > start_date:
        errors["meeting"] = (
            "Deze vergadering ligt na de datum van het besluit; kies de vergadering waar "
            "het besloten is."
        )
    return meeting


def pupil_level_context(session: Session, pupil_id: int, *, today: date) -> dict[str, Any]:
    """What the op-/afschalen dialog needs, read in one go (plain values only)."""
    from ib_desktop.services.school import development_areas

    pupil = pupil_or_gone(session, pupil_id)
    history = level_history(session, pupil_id, today=today)
    areas = development_areas(session, pupil.school_id)
    for area in history.areas:
        if area and area not in areas:
            areas.append(area)
    present = open_document_kinds(session, [pupil_id], today=today).get(pupil_id, set())
    group = session.get(Group, pupil.group_id) if pupil.group_id else None
    return {
        "name": pupil.full_name,
        "group": group.name if group else "",
        "status": PupilStatus(pupil.status),
        "levels": school_levels(session, pupil.school_id),
        "current": {area: history.current(area) for area in history.areas},
        "steps": {area: [st for st in history.steps if st.area == area] for area in history.areas},
        "areas": areas,
        "staff": staff_choices(session, pupil.school_id),
        "meetings": pupil_meetings(session, pupil_id),
        "present": {str(k) for k in present},
    }

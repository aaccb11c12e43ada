"""Moments of the zorgplicht: the deadline for a decision after a written registration."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import MomentKind, Registration
from ib_desktop.schedule.moments import SOURCE_REGISTRATION
from ib_desktop.schedule.rows import PupilGroups, Run, fetch_rows


def zorgplicht_moments(
    session: Session,
    run: Run,
    school_id: int,
    pupil_group: PupilGroups,
    ib_id: int | None,
    weeks: int,
    extension_weeks: int,
) -> None:
    """The decision on each registration, ``weeks`` after it came in (plus the extension).

    A legal deadline does not wait for the holiday to end: when it falls on a day the school is
    closed, the last school day before it is shown instead.
    """
    reg_query = sa.select(
        Registration.id,
        Registration.pupil_id,
        Registration.child_name,
        Registration.received_on,
        Registration.extended_on,
        Registration.decided_on,
        Registration.handled_by_id,
    ).where(Registration.school_id == school_id)
    if not run.include_done:
        reg_query = reg_query.where(Registration.decided_on.is_(None))
    registrations = fetch_rows(session, reg_query, dates=(3, 4, 5))
    pupil_group.load([r[1] for r in registrations if r[1] is not None])
    for rid, pid, child, received, extended, decided, handler in registrations:
        if pid is not None and pid not in pupil_group:
            continue  # the pupil left
        deadline = received + timedelta(
            weeks=weeks + (extension_weeks if extended is not None else 0)
        )
        run.emit(
            f"zorgplicht:{rid}",
            MomentKind.ZORGPLICHT,
            deadline,
            f"Zorgplicht: besluit over de aanmelding van {child}",
            pid,
            pupil_group.get(pid) if pid is not None else None,
            handler or ib_id,
            SOURCE_REGISTRATION,
            rid,
            decided,
            earliest=received,
            latest=deadline,
        )

"""The schedule engine: every evaluation, meeting and deadline that is due, derived from the data.

Nothing is stored about a moment until something happens to it: the engine derives the moments
from the documents and the school's rhythms each time it is asked, so a changed end date or
support level is reflected at once and there is no second copy to drift out of step. What the
engine derives:

- the end of each running korte interventie (done when its evaluation is written);
- the end of each open period of a running groeidocument (done when the period is closed or all
  its goals are evaluated);
- the OPP evaluations with the parents: ``School.opp_evaluations_per_year`` a year (or the date the
  current version names), and never more than a year after the previous one;
- the evaluation dates of the goals of the current OPP version;
- parent meetings at the interval of the pupil's support level, counted from the level's start or
  the last talk with the parents;
- the group reviews, MDO moments and parent meetings that the school planned (``Meeting`` rows);
- the zorgplicht deadline after a written registration (plus the extension when it was used).

A moment that falls in a weekend or a school holiday of the school's region moves to the next
school day; a legal limit (the zorgplicht deadline, a year since the last OPP evaluation) is
never passed: then the last school day before it is taken. ``EvaluationMoment`` rows (same
stable key) record what happened to a moment: done, moved, outcome; rows with a key the engine
does not derive are moments planned by hand.

The engine only reads (a handful of set-based queries selecting plain columns), gives the same
list for the same data, and handles a samenwerkingsverband's 50,000 pupils in well under a second.

The package: ``moments`` (the kinds and the ``Moment``), ``school_days`` (the calendar),
``rows`` (reading rows, one run of the engine), one module per source of moments
(``documents``, ``opp``, ``meetings``, ``registrations``, ``planned``) and ``directory`` (names
for lists). Callers import from ``ib_desktop.schedule`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.bulk import gc_paused
from ib_desktop.models import MomentKind, School, Staff, StaffRole, group_teachers
from ib_desktop.schedule.directory import Directory, directory
from ib_desktop.schedule.documents import growth_period_moments, intervention_moments
from ib_desktop.schedule.meetings import (
    load_meetings,
    parent_meeting_moments,
    planned_meeting_moments,
)
from ib_desktop.schedule.moments import (
    DERIVED_PREFIXES,
    KIND_LABELS,
    KIND_ORDER,
    MAX_CHAIN,
    MEETING_KINDS,
    MEETING_TITLES,
    ONE_DAY,
    SOURCE_GROWTH,
    SOURCE_INTERVENTION,
    SOURCE_LEVEL,
    SOURCE_MEETING,
    SOURCE_OPP,
    SOURCE_PLANNED,
    SOURCE_REGISTRATION,
    Moment,
)
from ib_desktop.schedule.opp import opp_moments
from ib_desktop.schedule.planned import hand_planned_moments
from ib_desktop.schedule.registrations import zorgplicht_moments
from ib_desktop.schedule.rows import PupilGroups, Run, fetch_rows, load_overrides
from ib_desktop.schedule.school_days import (
    Interval,
    SchoolCalendar,
    add_months,
    interval_for,
    one_year_after,
    school_calendar,
)

__all__ = [
    "DERIVED_PREFIXES",
    "KIND_LABELS",
    "KIND_ORDER",
    "MAX_CHAIN",
    "MEETING_KINDS",
    "MEETING_TITLES",
    "ONE_DAY",
    "SOURCE_GROWTH",
    "SOURCE_INTERVENTION",
    "SOURCE_LEVEL",
    "SOURCE_MEETING",
    "SOURCE_OPP",
    "SOURCE_PLANNED",
    "SOURCE_REGISTRATION",
    "Directory",
    "Interval",
    "Moment",
    "MomentKind",
    "SchoolCalendar",
    "add_months",
    "compute_moments",
    "directory",
    "interval_for",
    "next_due_by_pupil",
    "one_year_after",
    "school_calendar",
]


@dataclass(frozen=True, slots=True)
class _Staffing:
    """Who is responsible by default: the first active staff member per role, and per group
    its first active teacher."""

    by_role: dict[StaffRole, int]
    group_teacher: dict[int, int]


def _staffing(session: Session, school_id: int) -> _Staffing:
    by_role: dict[StaffRole, int] = {}
    for sid, role in fetch_rows(
        session,
        sa.select(Staff.id, Staff.role)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(Staff.id),
    ):
        by_role.setdefault(StaffRole(role), sid)
    group_teacher: dict[int, int] = {}
    for gid, sid in fetch_rows(
        session,
        sa.select(group_teachers.c.group_id, group_teachers.c.staff_id)
        .join(Staff, Staff.id == group_teachers.c.staff_id)
        .where(Staff.school_id == school_id, Staff.active.is_(True))
        .order_by(group_teachers.c.group_id, group_teachers.c.staff_id),
    ):
        group_teacher.setdefault(gid, sid)
    return _Staffing(by_role, group_teacher)


@gc_paused()  # hundreds of thousands of row tuples and moments, none in a cycle
def compute_moments(
    session: Session,
    school_id: int,
    *,
    today: date,
    start: date | None = None,
    end: date | None = None,
    include_done: bool = False,
) -> list[Moment]:
    """All moments of a school whose due date lies in [start, end], in a stable order.

    Open moments only, unless ``include_done``. Repeating moments (OPP evaluations, parent
    meetings) are projected up to ``end``; without an end only their next one is given (the
    first that is open). Reads only; never writes.
    """
    school = (
        session.connection()
        .execute(
            sa.select(
                School.opp_evaluations_per_year,
                School.zorgplicht_weeks,
                School.zorgplicht_extension_weeks,
            ).where(School.id == school_id)
        )
        .first()
    )
    if school is None:
        return []
    per_year, zp_weeks, zp_ext_weeks = school
    run = Run(
        calendar=school_calendar(session, school_id),
        today=today,
        start=start,
        end=end,
        horizon=end or today,
        include_done=include_done,
        overrides=load_overrides(session, school_id),
    )
    # Pupils still at school (leavers' documents are history, not work) and their groups, read
    # once: the queries of the sources scan their tables and skip rows of other pupils here,
    # which at 50,000 pupils is much cheaper than joining the pupils in every query.
    pupil_group = PupilGroups(session, school_id)
    pupil_group.load_all()
    staffing = _staffing(session, school_id)
    ib_id = staffing.by_role.get(StaffRole.IB)

    intervention_moments(session, run, pupil_group, staffing.group_teacher)
    growth_period_moments(session, run, pupil_group, staffing.group_teacher)
    opp_moments(session, run, pupil_group, ib_id, interval_for(per_year))
    meetings = load_meetings(session, run, school_id)
    parent_meeting_moments(
        session, run, school_id, pupil_group, staffing.group_teacher, staffing.by_role, meetings
    )
    planned_meeting_moments(run, meetings, pupil_group, ib_id)
    zorgplicht_moments(session, run, school_id, pupil_group, ib_id, zp_weeks, zp_ext_weeks)
    hand_planned_moments(run, pupil_group)
    return _in_scope(session, run.moments(), today)


def _in_scope(session: Session, moments: list[Moment], today: date) -> list[Moment]:
    """The moments the logged-in account may see: a teacher's only of their groups' pupils
    (and their groups' own meetings); everything with accounts off or for the IB."""
    from ib_desktop.services.accounts.access import pupil_scope

    scope = pupil_scope(session, today)
    if scope is None:
        return moments
    return [m for m in moments if scope.keeps(m.pupil_id, m.group_id)]


def next_due_by_pupil(session: Session, school_id: int, *, today: date) -> dict[int, Moment]:
    """Per pupil the earliest open moment: an overdue one when there is one."""
    out: dict[int, Moment] = {}
    for m in compute_moments(session, school_id, today=today):
        if m.pupil_id is not None and m.pupil_id not in out:
            out[m.pupil_id] = m  # the list is sorted by due date, so the first is the earliest
    return out

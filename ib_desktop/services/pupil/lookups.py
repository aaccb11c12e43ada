"""Reading what the pupil file builds on: the pupil itself, the school year, groups, staff, levels.

``pupil_or_gone`` and ``writable_pupil`` are the doors every save in this package goes
through: a pupil removed meanwhile is reported as gone, and the file of a pupil who left is
read-only.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_bounds
from ib_desktop.models import Group, Pupil, PupilStatus, School, SchoolYear, Staff, SupportLevel
from ib_desktop.services.pupil.data import LevelInfo, RecordGoneError
from ib_desktop.services.pupil.labels import READ_ONLY_MESSAGE
from ib_desktop.validation import ReadOnlyError


def pupil_or_gone(session: Session, pupil_id: int) -> Pupil:
    """The pupil, or :class:`RecordGoneError` when it was removed."""
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise RecordGoneError("Deze leerling")
    return pupil


def writable_pupil(session: Session, pupil_id: int) -> Pupil:
    """The pupil whose file is about to change; refused once the pupil has left."""
    pupil = pupil_or_gone(session, pupil_id)
    if pupil.status == PupilStatus.VERTROKKEN:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    return pupil


def current_school_year(session: Session, today: date) -> SchoolYear | None:
    """The school year that ``today`` falls in (None when the database has none for it)."""
    start, _end = school_year_bounds(today)
    return session.scalars(sa.select(SchoolYear).where(SchoolYear.start_date == start)).first()


def group_choices(session: Session, school_id: int, today: date) -> list[tuple[int, str]]:
    """The groups of the current school year, in grade order, for a group field."""
    year = current_school_year(session, today)
    if year is None:
        return []
    rows = session.execute(
        sa.select(Group.id, Group.name)
        .where(Group.school_id == school_id, Group.school_year_id == year.id)
        .order_by(Group.grade_low, Group.grade_high, Group.name)
    ).all()
    return [(gid, name) for gid, name in rows]


def staff_choices(session: Session, school_id: int) -> list[tuple[int, str, str]]:
    """Active staff as (id, name, role): IB-ers and directie first, who usually decide."""
    order = {"ib": 0, "directie": 1, "leerkracht": 2, "onderwijsassistent": 3, "overig": 4}
    staff = session.scalars(
        sa.select(Staff).where(Staff.school_id == school_id, Staff.active.is_(True))
    ).all()
    staff = sorted(staff, key=lambda s: (order.get(str(s.role), 9), s.last_name, s.first_name))
    return [(s.id, s.full_name, str(s.role)) for s in staff]


def level_info(level: SupportLevel) -> LevelInfo:
    """A level of the staircase as the screens show it."""
    return LevelInfo(
        id=level.id,
        position=level.position,
        name=level.name,
        color=level.color or "#9e9e9e",
        retired=level.retired,
        required_documents=tuple(level.required_documents or ()),
        requires_any=bool(level.requires_any),
    )


def school_levels(
    session: Session, school_id: int, *, include_retired: bool = False
) -> list[LevelInfo]:
    """The levels of the school's staircase, lowest first."""
    school = session.get(School, school_id)
    if school is None or school.support_structure is None:
        return []
    return [
        level_info(lvl)
        for lvl in school.support_structure.levels
        if include_retired or not lvl.retired
    ]

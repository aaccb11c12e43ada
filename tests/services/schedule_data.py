"""Small builders for schedule tests: a school with one pupil and the documents a rule needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import (
    Group,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Opp,
    OppVersion,
    Pupil,
    School,
    Staff,
    StaffRole,
    SupportLevel,
)
from ib_desktop.services.school import ensure_school_year


@dataclass
class Ids:
    """The ids of what :func:`base_school` made."""

    school_id: int
    group_id: int
    teacher_id: int
    ib_id: int
    pupil_id: int


def base_school(session: Session, school_id: int, today: date) -> Ids:
    """A group 5 with a teacher, an IB-er and one pupil in the school made by ``school_db``."""
    year = ensure_school_year(session, today)
    group = Group(school_id=school_id, school_year_id=year.id, name="5A", grade_low=5, grade_high=5)
    ib = Staff(school_id=school_id, first_name="Ilse", last_name="Bakker", role=StaffRole.IB)
    teacher = Staff(school_id=school_id, first_name="Tom", last_name="Visser")
    session.add_all([group, ib, teacher])
    session.flush()
    group.teachers.append(teacher)
    pupil = Pupil(
        school_id=school_id,
        first_name="Sanne",
        tussenvoegsel="de",
        last_name="Vries",
        birth_date=date(2017, 3, 4),
        group_id=group.id,
    )
    session.add(pupil)
    session.flush()
    return Ids(school_id, group.id, teacher.id, ib.id, pupil.id)


def add_pupil(session: Session, ids: Ids, first: str, **kw: object) -> int:
    """Another pupil in the same group."""
    pupil = Pupil(
        school_id=ids.school_id,
        first_name=first,
        last_name="Jansen",
        birth_date=date(2017, 5, 6),
        group_id=ids.group_id,
        **kw,
    )
    session.add(pupil)
    session.flush()
    return pupil.id


def level(session: Session, school_id: int, position: int) -> SupportLevel:
    """The school's level at ``position`` (1 = lowest)."""
    school = session.get(School, school_id)
    assert school is not None
    return session.scalars(
        sa.select(SupportLevel).where(
            SupportLevel.structure_id == school.support_structure_id,
            SupportLevel.position == position,
        )
    ).one()


def place(session: Session, pupil_id: int, lvl: SupportLevel, start: date) -> LevelAssignment:
    """Put a pupil on a level from ``start``."""
    a = LevelAssignment(pupil_id=pupil_id, level_id=lvl.id, start_date=start, reason="Test")
    session.add(a)
    session.flush()
    return a


def opp(
    session: Session,
    pupil_id: int,
    start: date,
    *,
    fixed_on: date | None = None,
    next_evaluation_on: date | None = None,
) -> Opp:
    """An OPP with one concept version (fixed_on only records the date agreed)."""
    o = Opp(pupil_id=pupil_id, start_date=start)
    o.versions.append(
        OppVersion(number=1, fixed_on=fixed_on, next_evaluation_on=next_evaluation_on)
    )
    session.add(o)
    session.flush()
    return o


def meeting(
    session: Session,
    school_id: int,
    kind: MeetingKind,
    day: date,
    *,
    pupils: list[int] | None = None,
    group_id: int | None = None,
    held: bool = False,
) -> Meeting:
    """A planned (or held) meeting."""
    m = Meeting(school_id=school_id, kind=kind, date=day, group_id=group_id, held=held)
    if pupils:
        m.pupils = [session.get(Pupil, p) for p in pupils]  # type: ignore[misc]
    session.add(m)
    session.flush()
    return m

"""The pupil list: one row per pupil with where they stand, loaded in a handful of queries.

The list is the IB-er's home screen and must stay quick with 50,000 pupils, so everything is
loaded with set-based queries (never one query per pupil) into plain, immutable rows, and the
filtering and sorting the screen needs happen here in Python over precomputed keys
(:class:`PupilIndex`). Qt's proxy models would call back into Python once per row on every
keystroke, which is far too slow at that size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.bulk import gc_paused
from ib_desktop.models import (
    DocumentKind,
    DocumentStatus,
    Group,
    GrowthDocument,
    LevelAssignment,
    Opp,
    Pupil,
    School,
    SchoolYear,
    ShortIntervention,
    Staff,
    SupportLevel,
    group_teachers,
)
from ib_desktop.pupil_rows import (  # noqa: F401 - re-exported: their home was here
    DOCUMENT_KEYS,
    DOCUMENT_ORDER,
    NONE_ID,
    Column,
    GroupInfo,
    LevelInfo,
    PupilFilter,
    PupilIndex,
    PupilListData,
    PupilRow,
    assemble,
    fold,
    make_groups,
    natural_key,
    sort_value,
    with_next_evaluations,
)
from ib_desktop.services.accounts.access import visible_pupils


def _current_year_id(session: Session, today: date) -> int | None:
    return session.scalar(
        sa.select(SchoolYear.id).where(SchoolYear.start_date <= today, SchoolYear.end_date >= today)
    )


def school_levels(session: Session, school_id: int) -> list[LevelInfo]:
    """The levels of the school's support structure in staircase order (retired ones too)."""
    structure_id = session.scalar(
        sa.select(School.support_structure_id).where(School.id == school_id)
    )
    if structure_id is None:
        return []
    return [
        LevelInfo(
            id=lvl.id,
            position=lvl.position,
            name=lvl.name,
            color=lvl.color,
            retired=lvl.retired,
            required_documents=tuple(lvl.required_documents or ()),
            requires_any=lvl.requires_any,
        )
        for lvl in session.scalars(
            sa.select(SupportLevel)
            .where(SupportLevel.structure_id == structure_id)
            .order_by(SupportLevel.position, SupportLevel.id)
        )
    ]


def _open_assignments(
    session: Session, school_id: int, group_id: int | None, *, areas_only: bool = False
) -> list[tuple[int, int, str, date, int]]:
    """Open assignments of the school's pupils: (pupil, level, area, since, position)."""
    query = (
        sa.select(
            LevelAssignment.pupil_id,
            LevelAssignment.level_id,
            LevelAssignment.area,
            LevelAssignment.start_date,
            SupportLevel.position,
        )
        .join(Pupil, Pupil.id == LevelAssignment.pupil_id)
        .join(SupportLevel, SupportLevel.id == LevelAssignment.level_id)
        .where(Pupil.school_id == school_id, LevelAssignment.end_date.is_(None))
    )
    if group_id is not None:
        query = query.where(Pupil.group_id == group_id)
    if areas_only:
        query = query.where(LevelAssignment.area != "")
    # Core rows straight from the connection: the ORM's result machinery would double the time.
    # All at once: iterating a result fetches row by row from psycopg.
    return [tuple(r) for r in session.connection().execute(query).all()]  # type: ignore[misc]


def _best(
    assignments: Iterable[tuple[int, int, str, date, int]],
) -> dict[int, tuple[int, str, date]]:
    best: dict[int, tuple[int, str, date]] = {}
    rank: dict[int, tuple[int, int]] = {}
    for pupil_id, level_id, area, start, position in assignments:
        key = (position, 1 if area == "" else 0)
        if pupil_id not in rank or key > rank[pupil_id]:
            rank[pupil_id] = key
            best[pupil_id] = (level_id, area, start)
    return best


def current_levels(
    session: Session, school_id: int, *, group_id: int | None = None
) -> dict[int, tuple[int, str, date]]:
    """Per pupil the open assignment that counts: (level id, area, since).

    A pupil escalated per area (level 3 for rekenen, level 1 otherwise) is shown at the highest
    level they receive, with its area; on a tie the whole-pupil assignment wins.
    """
    return _best(_open_assignments(session, school_id, group_id))


def open_document_counts(
    session: Session, school_id: int, *, today: date, group_id: int | None = None
) -> dict[int, dict[str, int]]:
    """Per pupil how many documents of each kind are open (an OPP that has not ended)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    queries = [
        (
            DocumentKind.KORTE_INTERVENTIE,
            ShortIntervention.pupil_id,
            ShortIntervention.status != DocumentStatus.AFGESLOTEN,
        ),
        (
            DocumentKind.GROEIDOCUMENT,
            GrowthDocument.pupil_id,
            GrowthDocument.status != DocumentStatus.AFGESLOTEN,
        ),
        (DocumentKind.OPP, Opp.pupil_id, sa.or_(Opp.end_date.is_(None), Opp.end_date >= today)),
    ]
    for kind, column, condition in queries:
        query = (
            sa.select(column, sa.func.count())
            .join(Pupil, Pupil.id == column)
            .where(Pupil.school_id == school_id, condition)
            .group_by(column)
        )
        if group_id is not None:
            query = query.where(Pupil.group_id == group_id)
        key = kind.value  # an enum's .value is a property: not once per row
        for pupil_id, n in session.connection().execute(query).all():
            counts[pupil_id][key] = n
    return counts


def next_evaluations(session: Session, school_id: int, *, today: date) -> dict[int, Any]:
    """The schedule engine's earliest open moment per pupil (a ``schedule.Moment`` each)."""
    try:
        from ib_desktop.schedule import next_due_by_pupil
    except ModuleNotFoundError as exc:  # pragma: no cover - until the engine is merged
        if exc.name != "ib_desktop.schedule":
            raise
        return {}
    return next_due_by_pupil(session, school_id, today=today)


def _groups(
    session: Session, school_id: int, today: date, used: set[int] | None = None
) -> dict[int, GroupInfo]:
    """The groups pupils are in and those of the current school year, with their teachers.

    ``used``, when the caller has the pupils' group ids at hand already, spares SQLite a scan
    of every pupil (twice) to find them: the school's groups are few, so they are all read and
    the rest is dropped here.
    """
    year_id = _current_year_id(session, today)
    if used is None:
        wanted = sa.or_(
            Group.school_year_id == year_id,
            Group.id.in_(
                sa.select(Pupil.group_id).where(
                    Pupil.school_id == school_id, Pupil.group_id.is_not(None)
                )
            ),
        )
    else:
        wanted = sa.true()
    conn = session.connection()  # plain rows: no ORM result machinery
    teacher_rows = conn.execute(
        sa.select(
            group_teachers.c.group_id,
            Staff.id,
            Staff.first_name,
            Staff.tussenvoegsel,
            Staff.last_name,
        )
        .join(Staff, Staff.id == group_teachers.c.staff_id)
        .join(Group, Group.id == group_teachers.c.group_id)
        .where(Group.school_id == school_id, wanted)
    ).all()
    group_rows = conn.execute(
        sa.select(Group.id, Group.name, Group.grade_low, Group.school_year_id).where(
            Group.school_id == school_id, wanted
        )
    )
    return make_groups(teacher_rows, group_rows, year_id=year_id, used=used)  # type: ignore[arg-type]


@gc_paused()  # 50,000 rows of small tuples, none in a cycle: no collector walks them
def load_pupil_list(
    session: Session,
    school_id: int,
    *,
    today: date,
    group_id: int | None = None,
    with_schedule: bool = True,
) -> PupilListData:
    """All pupils of the school (or of one group) as list rows, in a handful of queries.

    With ``with_schedule=False`` the next evaluation is left empty, so that a screen can show
    the list first and fill that column in with :func:`next_evaluations` a moment later.
    """
    levels = school_levels(session, school_id)
    conn = session.connection()
    # The pupil with their whole-pupil level in one pass. Dates and the status come as plain
    # values: SQLAlchemy's conversion per row costs more than the query at 50,000 pupils.
    query = (
        sa.select(
            Pupil.id,
            Pupil.first_name,
            Pupil.tussenvoegsel,
            Pupil.last_name,
            sa.type_coerce(Pupil.status, sa.String),
            sa.type_coerce(Pupil.left_on, sa.String),
            Pupil.group_id,
            LevelAssignment.level_id,
            sa.type_coerce(LevelAssignment.start_date, sa.String),
        )
        .select_from(Pupil)
        .outerjoin(
            LevelAssignment,
            sa.and_(
                LevelAssignment.pupil_id == Pupil.id,
                LevelAssignment.end_date.is_(None),
                LevelAssignment.area == "",
            ),
        )
        .where(Pupil.school_id == school_id)
    )
    if group_id is not None:
        query = query.where(Pupil.group_id == group_id)
    visible = visible_pupils(session, today)  # a teacher: the pupils of their groups
    if visible is not None:
        query = query.where(Pupil.id.in_(visible))
    pupils = conn.execute(query).all()
    groups = _groups(session, school_id, today, {p[6] for p in pupils if p[6] is not None})
    areas = _open_assignments(session, school_id, group_id, areas_only=True)
    documents = open_document_counts(session, school_id, today=today, group_id=group_id)
    due = next_evaluations(session, school_id, today=today) if with_schedule else {}
    return assemble(levels, pupils, groups, areas, documents, due, today=today, group_id=group_id)

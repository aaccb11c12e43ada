"""The groups and teachers an import adds: groups of this school year that are new, teacher
names matched to the staff ("J. de Vries" is Joke de Vries), new teachers and their groups.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.importer.plan_items import ImportPlan, RowData, TeacherLink
from ib_desktop.importer.values import ParsedGroup, PersonName, person_key
from ib_desktop.models import Staff, group_teachers


def _staff_key(name: PersonName) -> tuple[str, str]:
    return person_key(name.first_name, name.tussenvoegsel, name.last_name)


def match_staff(staff: list[tuple[int, PersonName, bool]], name: PersonName) -> int | None:
    """The staff member this teacher name means: same surname and a fitting first name or
    initial ("J. de Vries" is Joke de Vries). An exact first name beats an initial."""
    first, surname = _staff_key(name)
    if not surname:  # "juf Anna": only a first name
        exact = [sid for sid, n, _a in staff if _staff_key(n)[0] == first]
        return exact[0] if len(exact) == 1 else None
    same = [(sid, n, active) for sid, n, active in staff if _staff_key(n)[1] == surname]
    if not same:
        return None
    exact = [sid for sid, n, _a in same if _staff_key(n)[0] == first]
    if exact:
        return exact[0]
    initial = first.rstrip(".")[:1]
    fitting = [
        (sid, active)
        for sid, n, active in same
        if not first or not _staff_key(n)[0] or _staff_key(n)[0][:1] == initial
    ]
    if not fitting:
        return None
    fitting.sort(key=lambda t: not t[1])  # active staff first
    return fitting[0][0]


def plan_groups_and_teachers(
    session: Session,
    plan: ImportPlan,
    accepted: list[RowData],
    school_id: int,
    year_id: int | None,
    group_info: dict[int, tuple[str, int]],
) -> None:
    """New groups of this school year, new teachers, and teachers to put on groups."""
    current_groups = {
        name.casefold(): gid
        for gid, (name, yid) in group_info.items()
        if year_id is not None and yid == year_id
    }
    wanted, teachers_of = _groups_in_file(accepted)
    plan.new_groups = sorted(
        (g for k, g in wanted.items() if k not in current_groups),
        key=lambda g: (g.grade_low, g.grade_high, g.name),
    )
    staff = _staff(session, school_id)
    links = _links(session, list(current_groups.values()))
    new_keys: dict[tuple[str, str], PersonName] = {}
    for k, names in teachers_of.items():
        gid = current_groups.get(k)
        for t in names:
            sid = match_staff(staff, t)
            teacher = t if sid is not None else _new_teacher(new_keys, t)
            if gid is not None and sid is not None and (gid, sid) in links:
                continue
            link = TeacherLink(wanted[k].name, teacher, sid)
            if link not in plan.teacher_links:
                plan.teacher_links.append(link)
    plan.new_teachers = list(new_keys.values())


def _groups_in_file(
    accepted: list[RowData],
) -> tuple[dict[str, ParsedGroup], dict[str, list[PersonName]]]:
    """The groups the accepted rows name (by folded name) and each one's teachers, once."""
    wanted: dict[str, ParsedGroup] = {}
    teachers_of: dict[str, list[PersonName]] = {}
    for data in accepted:
        if data.group is None:
            continue
        k = data.group.name.casefold()
        wanted.setdefault(k, data.group)
        lst = teachers_of.setdefault(k, [])
        for t in data.teachers:
            if t not in lst:
                lst.append(t)
    return wanted, teachers_of


def _staff(session: Session, school_id: int) -> list[tuple[int, PersonName, bool]]:
    """The school's staff: id, name and whether active."""
    return [
        (sid, PersonName(first, tv, last), active)
        for sid, first, tv, last, active in session.execute(
            sa.select(
                Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name, Staff.active
            )
            .where(Staff.school_id == school_id)
            .order_by(Staff.id)
        )
    ]


def _links(session: Session, group_ids: list[int]) -> set[tuple[int, int]]:
    """The (group, staff) pairs already linked among these groups."""
    if not group_ids:
        return set()
    return {
        (gid, sid)
        for gid, sid in session.execute(
            sa.select(group_teachers.c.group_id, group_teachers.c.staff_id).where(
                group_teachers.c.group_id.in_(group_ids)
            )
        )
    }


def _new_teacher(new_keys: dict[tuple[str, str], PersonName], t: PersonName) -> PersonName:
    """The new teacher a name means: "J. de Vries" and "Joke de Vries" in one file are one."""
    tkey = _staff_key(t)
    known = next(
        (n for nk, n in new_keys.items() if nk[1] == tkey[1] and nk[0][:1] == tkey[0][:1]),
        None,
    )
    if known is None:
        new_keys[tkey] = t
        known = t
    return known

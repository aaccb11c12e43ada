"""Names to show beside moments: pupils, groups and staff, read in one go."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.models import Group, Pupil, Staff, group_teachers
from ib_desktop.models.pupil import dutch_name, sort_name
from ib_desktop.schedule.moments import Moment
from ib_desktop.schedule.rows import fetch_rows


@dataclass(frozen=True)
class Directory:
    """Names to show beside moments: pupils, groups, staff (read in one go)."""

    pupils: dict[int, str]
    pupil_sort: dict[int, str]
    groups: dict[int, str]
    staff: dict[int, str]
    group_teachers: dict[int, list[int]]

    def pupil(self, pupil_id: int | None) -> str:
        """ "Sanne de Vries" (empty when the moment is not about one pupil)."""
        return self.pupils.get(pupil_id, "") if pupil_id is not None else ""

    def group(self, group_id: int | None) -> str:
        """ "5B" (empty when none)."""
        return self.groups.get(group_id, "") if group_id is not None else ""

    def person(self, staff_id: int | None) -> str:
        """A staff member's name (empty when none)."""
        return self.staff.get(staff_id, "") if staff_id is not None else ""

    def involves(self, moment: Moment, staff_id: int) -> bool:
        """True when the staff member is responsible or teaches the moment's group."""
        if moment.responsible_id == staff_id:
            return True
        return moment.group_id is not None and staff_id in self.group_teachers.get(
            moment.group_id, []
        )


def directory(
    session: Session, school_id: int, pupil_ids: Iterable[int] | None = None
) -> Directory:
    """The names the agenda, the calendar export and the command line show."""
    pquery = sa.select(Pupil.id, Pupil.first_name, Pupil.tussenvoegsel, Pupil.last_name).where(
        Pupil.school_id == school_id
    )
    ids = None if pupil_ids is None else sorted(set(pupil_ids))
    if ids is not None and len(ids) <= 900:
        pquery = pquery.where(Pupil.id.in_(ids))
    pupils, sorting = {}, {}
    for pid, first, tv, last in fetch_rows(session, pquery):
        pupils[pid] = dutch_name(first, tv, last)
        sorting[pid] = sort_name(first, tv, last)
    groups = dict(
        fetch_rows(session, sa.select(Group.id, Group.name).where(Group.school_id == school_id))
    )
    staff = {
        sid: dutch_name(first, tv, last)
        for sid, first, tv, last in fetch_rows(
            session,
            sa.select(Staff.id, Staff.first_name, Staff.tussenvoegsel, Staff.last_name).where(
                Staff.school_id == school_id
            ),
        )
    }
    teachers: dict[int, list[int]] = defaultdict(list)
    for gid, sid in fetch_rows(
        session,
        sa.select(group_teachers.c.group_id, group_teachers.c.staff_id)
        .join(Group, Group.id == group_teachers.c.group_id)
        .where(Group.school_id == school_id)
        .order_by(group_teachers.c.group_id, group_teachers.c.staff_id),
    ):
        teachers[gid].append(sid)
    return Directory(pupils, sorting, groups, staff, dict(teachers))

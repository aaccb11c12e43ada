"""The groepsoverzicht: per group of the current school year, how many pupils stand on each level.

This is what the IB-er brings to a groepsbespreking: a matrix of groups by levels with counts, and
for one group its pupils grouped by level. It reuses the pupil list's rows, so a pupil's level,
open documents and missing-document flag mean exactly the same on both screens.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_label
from ib_desktop.models import Group, PupilStatus, SchoolYear
from ib_desktop.services.accounts.access import pupil_scope
from ib_desktop.services.pupil.listing import (
    NONE_ID,
    GroupInfo,
    LevelInfo,
    PupilRow,
    fold,
    load_pupil_list,
)


@dataclass(frozen=True)
class GroupLevelRow:
    """One group's line of the matrix."""

    group: GroupInfo
    total: int
    counts: dict[int, int]  # level id (NONE_ID: no level) -> number of pupils
    opp: int  # pupils with an OPP running
    missing: int  # pupils whose level lacks a required document

    def count(self, level_id: int) -> int:
        """Pupils of the group on a level (0 when none)."""
        return self.counts.get(level_id, 0)


@dataclass
class GroupOverview:
    """The whole matrix plus each group's pupils, for one school year."""

    year_label: str
    levels: list[LevelInfo]  # the columns: levels in use, and retired ones that still have pupils
    rows: list[GroupLevelRow]
    pupils: dict[int, list[PupilRow]] = field(default_factory=dict)  # group id -> rows by name
    without_level: int = 0  # active pupils in these groups without any level

    @property
    def total(self) -> int:
        """Active pupils in the groups of the year."""
        return sum(r.total for r in self.rows)

    def level_total(self, level_id: int) -> int:
        """Pupils on a level across all groups."""
        return sum(r.count(level_id) for r in self.rows)

    def by_level(self, group_id: int) -> list[tuple[LevelInfo | None, list[PupilRow]]]:
        """A group's pupils grouped by level: the highest level first (the pupils a
        groepsbespreking is about), pupils without a level last."""
        groups: dict[int, list[PupilRow]] = defaultdict(list)
        for row in self.pupils.get(group_id, []):
            groups[row.level.id if row.level else NONE_ID].append(row)
        out: list[tuple[LevelInfo | None, list[PupilRow]]] = [
            (lvl, groups[lvl.id]) for lvl in reversed(self.levels) if groups.get(lvl.id)
        ]
        if groups.get(NONE_ID):
            out.append((None, groups[NONE_ID]))
        return out


def group_overview(session: Session, school_id: int, *, today: date) -> GroupOverview:
    """The groepsoverzicht of the school year ``today`` falls in."""
    label = school_year_label(today)
    year_id = session.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == label))
    group_ids: set[int] = set()
    if year_id is not None:
        group_ids = set(
            session.scalars(
                sa.select(Group.id).where(
                    Group.school_id == school_id, Group.school_year_id == year_id
                )
            )
        )
    scope = pupil_scope(session, today)  # a teacher: the groups they teach
    if scope is not None:
        group_ids &= scope.group_ids
    data = load_pupil_list(session, school_id, today=today, with_schedule=False)
    pupils: dict[int, list[PupilRow]] = defaultdict(list)
    for row in data.rows:
        if row.status is PupilStatus.ACTIEF and row.group is not None and row.group.id in group_ids:
            pupils[row.group.id].append(row)
    for rows in pupils.values():
        rows.sort(key=lambda r: (fold(r.sort_name), r.id))
    used_levels = {r.level.id for rows in pupils.values() for r in rows if r.level is not None}
    levels = [lvl for lvl in data.levels if not lvl.retired or lvl.id in used_levels]
    matrix: list[GroupLevelRow] = []
    without = 0
    for group in data.groups:
        if group.id not in group_ids:
            continue
        rows = pupils.get(group.id, [])
        counts: dict[int, int] = defaultdict(int)
        for r in rows:
            counts[r.level.id if r.level else NONE_ID] += 1
        without += counts.get(NONE_ID, 0)
        matrix.append(
            GroupLevelRow(
                group=group,
                total=len(rows),
                counts=dict(counts),
                opp=sum(1 for r in rows if r.has_opp),
                missing=sum(1 for r in rows if r.missing),
            )
        )
    return GroupOverview(
        year_label=label, levels=levels, rows=matrix, pupils=dict(pupils), without_level=without
    )

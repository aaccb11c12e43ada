"""The groepsoverzicht in numbers: counts per group and level, pupils by level."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ib_desktop.models import Group, LevelAssignment, Pupil, PupilStatus, School, SchoolYear
from ib_desktop.services.group_overview import group_overview
from ib_desktop.services.levels import change_level
from ib_desktop.services.pupil.listing import NONE_ID
from ib_desktop.services.school import ensure_school_year
from ib_desktop.services.structure import load_structure, save_structure
from tests.conftest import TODAY


def test_counts_add_up_per_group_and_level(demo_db) -> None:
    with demo_db.session() as s:
        overview = group_overview(s, demo_db.school_id, today=TODAY)
        active_in_year = s.scalar(
            sa.select(sa.func.count(Pupil.id))
            .join(Group, Group.id == Pupil.group_id)
            .join(SchoolYear, SchoolYear.id == Group.school_year_id)
            .where(Pupil.status == PupilStatus.ACTIEF, SchoolYear.label == "2026-2027")
        )
    assert overview.year_label == "2026-2027"
    assert overview.total == active_in_year == 120
    for row in overview.rows:
        assert sum(row.counts.values()) == row.total
        assert row.total == len(overview.pupils.get(row.group.id, []))
    assert (
        sum(overview.level_total(lvl.id) for lvl in overview.levels) + overview.without_level
        == overview.total
    )


def test_by_level_puts_the_highest_level_first_and_no_level_last(school_db) -> None:
    with school_db.session() as s:
        year = ensure_school_year(s, TODAY)
        group = Group(
            school_id=school_db.school_id,
            school_year_id=year.id,
            name="6",
            grade_low=6,
            grade_high=6,
        )
        s.add(group)
        s.flush()
        levels = s.get(School, school_db.school_id).support_structure.levels
        made = []
        for i, (first, level) in enumerate([("Anna", 0), ("Bram", 2), ("Cas", None), ("Dirk", 2)]):
            p = Pupil(
                school_id=school_db.school_id,
                first_name=first,
                last_name="Smit",
                birth_date=date(2015, 1, 1 + i),
                group_id=group.id,
            )
            s.add(p)
            s.flush()
            if level is not None:
                change_level(s, p, levels[level], date(2026, 9, 1), "Start", today=TODAY)
            made.append(p.id)
        gid = group.id
    with school_db.session() as s:
        overview = group_overview(s, school_db.school_id, today=TODAY)
    sections = overview.by_level(gid)
    assert [lvl.position if lvl else None for lvl, _rows in sections] == [3, 1, None]
    assert [r.full_name for r in sections[0][1]] == ["Bram Smit", "Dirk Smit"]
    row = overview.rows[0]
    assert row.count(NONE_ID) == 1
    assert overview.without_level == 1
    assert row.missing == 2  # level 3 requires an OPP


def test_retired_level_is_a_column_only_while_pupils_are_on_it(demo_db) -> None:
    def active_on(s, level_id: int) -> int:
        return s.scalar(
            sa.select(sa.func.count(LevelAssignment.id)).join(Pupil).where(
                LevelAssignment.level_id == level_id, LevelAssignment.end_date.is_(None),
                Pupil.status == PupilStatus.ACTIEF,
            )
        )  # fmt: skip

    with demo_db.session() as s:
        draft = load_structure(s, demo_db.school_id)
        for lvl in draft.levels[1:]:
            lvl.retired = True
        save_structure(s, demo_db.school_id, draft)
        used = {lvl.id for lvl in draft.levels[1:] if active_on(s, lvl.id)}
        unused = {lvl.id for lvl in draft.levels[1:]} - used
        overview = group_overview(s, demo_db.school_id, today=TODAY)
    columns = {lvl.id for lvl in overview.levels}
    assert used
    assert used <= columns
    assert not unused & columns
    assert draft.levels[0].id in columns

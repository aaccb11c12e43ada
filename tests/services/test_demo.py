"""The demo school: realistic proportions, deterministic for a seed."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from ib_desktop.demo import generate
from ib_desktop.models import (
    Group,
    LevelAssignment,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    ShortIntervention,
)
from ib_desktop.storage import open_database
from tests.conftest import TODAY


def dump(db) -> list[tuple]:
    with db.engine.connect() as c:
        pupils = c.execute(
            sa.select(Pupil.first_name, Pupil.last_name, Pupil.birth_date).order_by(Pupil.id)
        ).all()
        levels = c.execute(
            sa.select(
                LevelAssignment.pupil_id, LevelAssignment.level_id, LevelAssignment.start_date
            ).order_by(LevelAssignment.id)
        ).all()
    return pupils + levels


def test_same_seed_same_school(tmp_path: Path) -> None:
    a = open_database(tmp_path / "a.sqlite")
    b = open_database(tmp_path / "b.sqlite")
    c = open_database(tmp_path / "c.sqlite")
    generate(a, pupils=60, seed=11, today=TODAY)
    generate(b, pupils=60, seed=11, today=TODAY)
    generate(c, pupils=60, seed=12, today=TODAY)
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)
    for d in (a, b, c):
        d.dispose()


def test_demo_looks_like_a_school(demo_db) -> None:
    with demo_db.session() as s:
        active = s.scalar(
            sa.select(sa.func.count(Pupil.id)).where(Pupil.status == PupilStatus.ACTIEF)
        )
        assert active == 120
        groups = s.scalar(
            sa.select(sa.func.count(Group.id)).where(Group.school_year.has(label="2026-2027"))
        )
        assert groups >= 8
        open_levels = s.execute(
            sa.select(LevelAssignment.level_id, sa.func.count())
            .join(Pupil)
            .where(LevelAssignment.end_date.is_(None), Pupil.status == PupilStatus.ACTIEF)
            .group_by(LevelAssignment.level_id)
            .order_by(LevelAssignment.level_id)
        ).all()
        counts = [n for _, n in open_levels]
        assert sum(counts) == active  # every active pupil stands on exactly one level
        assert counts[0] > active * 0.6  # most pupils at level 1
        opps = s.scalar(sa.select(sa.func.count(Opp.id)))
        assert 0 < opps < active * 0.15  # a few percent with an OPP
        multi = s.scalar(
            sa.select(sa.func.count()).select_from(
                sa.select(OppVersion.opp_id)
                .group_by(OppVersion.opp_id)
                .having(sa.func.count() > 1)
                .subquery()
            )
        )
        assert multi >= 1  # OPPs with more than one version
        past_done = s.scalar(
            sa.select(sa.func.count(ShortIntervention.id)).where(
                ShortIntervention.evaluated_on.is_not(None)
            )
        )
        due_open = s.scalar(
            sa.select(sa.func.count(ShortIntervention.id)).where(
                ShortIntervention.evaluated_on.is_(None)
            )
        )
        overdue = s.scalar(
            sa.select(sa.func.count(ShortIntervention.id)).where(
                ShortIntervention.evaluated_on.is_(None), ShortIntervention.end_date < TODAY
            )
        )
        assert past_done > 0
        assert due_open > 0
        assert overdue > 0


def test_demo_has_a_pupil_with_eight_school_years(demo_db) -> None:
    from ib_desktop.models import GroupMembership

    with demo_db.session() as s:
        per_pupil = (
            sa.select(sa.func.count().label("n"))
            .select_from(GroupMembership)
            .group_by(GroupMembership.pupil_id)
            .subquery()
        )
        most = s.scalar(sa.select(sa.func.max(per_pupil.c.n)))
        assert most == 8


def test_pupils_who_left_have_no_open_level(demo_db) -> None:
    with demo_db.session() as s:
        left = s.scalar(
            sa.select(sa.func.count(Pupil.id)).where(Pupil.status == PupilStatus.VERTROKKEN)
        )
        open_for_left = s.scalar(
            sa.select(sa.func.count(LevelAssignment.id))
            .join(Pupil)
            .where(Pupil.status == PupilStatus.VERTROKKEN, LevelAssignment.end_date.is_(None))
        )
    assert left > 0
    assert open_for_left == 0


def test_demo_on_postgresql_leaves_a_database_that_takes_new_rows(pg_url: str) -> None:
    """The generator gives ids itself; PostgreSQL's sequences must follow, or every new OPP,
    guardian or level after a demo fails with a duplicate key."""
    import sqlalchemy as sa

    from ib_desktop.demo import generate
    from ib_desktop.models import Guardian, Opp, Pupil
    from ib_desktop.services import opp as opp_service
    from ib_desktop.storage import open_database
    from tests.conftest import TODAY

    db = open_database(pg_url)
    try:
        generate(db, pupils=40, seed=7, today=TODAY)
        with db.session() as s:
            free = s.scalars(
                sa.select(Pupil.id).where(~Pupil.id.in_(sa.select(Opp.pupil_id))).order_by(Pupil.id)
            ).first()
            started = opp_service.start_opp(s, free, on=TODAY, actor="Test IB-er")
            s.add(
                Guardian(pupil_id=free, name="Zeynep Yılmaz", relation="moeder", has_custody=True)
            )
            s.flush()
            highest = s.scalar(sa.select(sa.func.max(Opp.id)))
        assert started.opp_id == highest
    finally:
        db.dispose()

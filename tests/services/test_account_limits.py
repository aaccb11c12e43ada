"""A teacher's account on SQLite: the services show their groups' pupils and refuse care writes.

The rules are ``ib_desktop.permissions``; on SQLite the services are the only guard, so these
tests go through the services exactly as the screens do.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import (
    Group,
    GroupMembership,
    GrowthGoal,
    LevelAssignment,
    Pupil,
    SchoolYear,
    Staff,
    SupportLevel,
    group_teachers,
)
from ib_desktop.permissions import NotAllowed
from ib_desktop.services import accounts
from ib_desktop.services import pupil as pupil_svc
from ib_desktop.services.levels import change_level
from ib_desktop.services.pupil.listing import load_pupil_list
from tests.conftest import TODAY


def teacher_and_groups(db) -> tuple[int, set[int]]:
    """A teacher of this school year's groups, and the ids of the groups they teach."""
    with db.session() as s:
        year = s.scalar(
            sa.select(SchoolYear.id).where(
                SchoolYear.start_date <= TODAY, SchoolYear.end_date >= TODAY
            )
        )
        rows = s.execute(
            sa.select(group_teachers.c.staff_id, group_teachers.c.group_id)
            .join(Group, Group.id == group_teachers.c.group_id)
            .where(Group.school_year_id == year)
            .order_by(group_teachers.c.staff_id)
        ).all()
    staff_id = rows[0][0]
    return staff_id, {g for sid, g in rows if sid == staff_id}


@pytest.fixture
def teacher_db(demo_db):
    """The demo school, its sessions working for a teacher's account."""
    staff_id, groups = teacher_and_groups(demo_db)
    with demo_db.session() as s:
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", "z" * 12)
        accounts.add_account(s, demo_db.school_id, "leerkracht1", "leerkracht", "x" * 12,
                             staff=str(staff_id))  # fmt: skip
        access = accounts.sign_in(s, "leerkracht1", "x" * 12)
    assert access == accounts.Access("leerkracht1", AccountRole.LEERKRACHT, staff_id)
    demo_db.teacher_groups = groups  # type: ignore[attr-defined]
    accounts.bind_access(demo_db.sessionmaker, access)
    yield demo_db
    accounts.bind_access(demo_db.sessionmaker, None)


def test_a_teacher_sees_only_the_pupils_of_their_groups(teacher_db) -> None:
    with teacher_db.session() as s:
        everyone = s.execute(sa.select(Pupil.id, Pupil.group_id)).all()
        this_year = s.execute(
            sa.select(GroupMembership.pupil_id, GroupMembership.group_id)
        ).all()  # the groups are this year's: a pupil who left this year counts too
        rows = load_pupil_list(s, teacher_db.school_id, today=TODAY, with_schedule=False).rows
    groups = teacher_db.teacher_groups
    theirs = {pid for pid, gid in [*everyone, *this_year] if gid in groups}
    assert theirs
    assert {r.id for r in rows} == theirs
    assert len(rows) < len(everyone)


def test_the_whole_school_without_accounts_and_for_the_ib(demo_db) -> None:
    with demo_db.session() as s:
        total = s.scalar(sa.select(sa.func.count(Pupil.id)))
        accounts.bind_access(demo_db.sessionmaker, accounts.Access("ib1", AccountRole.IB))
    try:
        with demo_db.session() as s:
            rows = load_pupil_list(s, demo_db.school_id, today=TODAY, with_schedule=False).rows
        assert len(rows) == total
    finally:
        accounts.bind_access(demo_db.sessionmaker, None)


def test_a_teacher_cannot_open_another_groups_pupil_file(teacher_db) -> None:
    with teacher_db.session() as s:
        own = s.scalar(sa.select(Pupil.id).where(Pupil.group_id.in_(teacher_db.teacher_groups)))
        other = s.scalar(
            sa.select(Pupil.id).where(
                Pupil.group_id.not_in(teacher_db.teacher_groups), Pupil.group_id.is_not(None)
            )
        )
    with teacher_db.session() as s:
        assert pupil_svc.load_pupil_file(s, own, today=TODAY).id == own
    with pytest.raises(NotAllowed, match="niet in een groep die u"), teacher_db.session() as s:
        pupil_svc.load_pupil_file(s, other, today=TODAY)


def test_a_teacher_cannot_change_a_level_and_nothing_is_saved(teacher_db) -> None:
    with teacher_db.session() as s:
        pupil = s.scalar(sa.select(Pupil).where(Pupil.group_id.in_(teacher_db.teacher_groups)))
        before = s.scalar(sa.select(sa.func.count(LevelAssignment.id)))
        level = s.scalar(sa.select(SupportLevel).order_by(SupportLevel.position.desc()))
        pupil_id, level_id = pupil.id, level.id
    with (
        pytest.raises(NotAllowed, match="Als leerkracht mag u geen niveaus wijzigen"),
        teacher_db.session() as s,
    ):
        change_level(s, s.get(Pupil, pupil_id), s.get(SupportLevel, level_id),
                     date(2026, 11, 2), "Meer hulp nodig", today=TODAY)  # fmt: skip
    with teacher_db.session() as s:
        assert s.scalar(sa.select(sa.func.count(LevelAssignment.id))) == before


def test_a_teacher_cannot_change_pupil_data_or_staff(teacher_db) -> None:
    with teacher_db.session() as s:
        pupil_id = s.scalar(
            sa.select(Pupil.id).where(Pupil.group_id.in_(teacher_db.teacher_groups))
        )
    with pytest.raises(NotAllowed, match="leerlinggegevens"), teacher_db.session() as s:
        s.get(Pupil, pupil_id).first_name = "Anders"
    with pytest.raises(NotAllowed, match="medewerkers"), teacher_db.session() as s:
        s.add(Staff(school_id=teacher_db.school_id, first_name="Nieuw", last_name="Collega"))
    with pytest.raises(NotAllowed, match="Alleen een beheerder"), teacher_db.session() as s:
        accounts.add_account(s, teacher_db.school_id, "nog1", "ib", "y" * 12)


def test_a_teacher_writes_the_evaluation_of_a_goal_but_not_the_goal(teacher_db) -> None:
    with teacher_db.session() as s:
        goal_id = s.scalar(sa.select(GrowthGoal.id).order_by(GrowthGoal.id))
    with teacher_db.session() as s:
        goal = s.get(GrowthGoal, goal_id)
        goal.evaluation = "Doel gehaald 🎉: leest nu AVI E4."
    with teacher_db.session() as s:
        assert s.get(GrowthGoal, goal_id).evaluation.startswith("Doel gehaald")
    with pytest.raises(NotAllowed, match="groeidocumenten"), teacher_db.session() as s:
        s.get(GrowthGoal, goal_id).goal = "Een ander doel"


def test_a_teacher_saves_evaluations_through_the_evaluation_service(demo_db) -> None:
    """Every kind of evaluation the teacher's screen saves passes the policy (and lands)."""
    from ib_desktop.models import Outcome
    from ib_desktop.services import plans
    from ib_desktop.services.plans import evaluation_forms as ef

    with demo_db.session() as s:
        forms = ef.make_forms(s, demo_db.school_id, today=TODAY, within_days=60)
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", "z" * 12)
    items = [(f.teacher_id, item) for f in forms for item in f.items]
    chosen = []
    for kind in ("korte_interventie", "groeidoel", "oppdoel"):
        chosen += [(t, i) for t, i in items if i.target_key.startswith(kind + ":")][:3]
    assert {i.target_key.split(":")[0] for _t, i in chosen} == {
        "korte_interventie", "groeidoel", "oppdoel"
    }  # fmt: skip
    for n, (teacher_id, item) in enumerate(chosen):
        access = accounts.Access(f"lk{n}", AccountRole.LEERKRACHT, teacher_id)
        accounts.bind_access(demo_db.sessionmaker, access)
        try:
            with demo_db.session() as s:
                task = plans.load_evaluation_task(s, ef._moment(item.moment))
                plans.save_evaluation_task(
                    s, task, {item.target_key: (f"Geëvalueerd {n} ✓", Outcome.BEHAALD)},
                    evaluated_by_id=teacher_id, evaluated_on=TODAY, today=TODAY,
                )  # fmt: skip
        finally:
            accounts.bind_access(demo_db.sessionmaker, None)
        with demo_db.session() as s:
            task = plans.load_evaluation_task(s, ef._moment(item.moment))
            saved = next(t for t in task.targets if t.key == item.target_key)
        assert saved.evaluation == f"Geëvalueerd {n} ✓"


def test_the_quick_first_paint_shows_no_pupil_once_accounts_exist(demo_db) -> None:
    """Start-up paints the list before the full open; with accounts the login comes first."""
    from ib_desktop.quick_list import read_pupil_list

    assert read_pupil_list(demo_db.path, today=TODAY) is not None
    with demo_db.session() as s:
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", "z" * 12)
    assert read_pupil_list(demo_db.path, today=TODAY) is None
    with demo_db.session() as s:
        accounts.disable_account(s, "hoofd")  # accounts off again: the quick paint is back
    assert read_pupil_list(demo_db.path, today=TODAY) is not None


def test_only_the_directie_signs_for_the_school_and_a_teacher_starts_no_opp(demo_db) -> None:
    from ib_desktop.models import SignatureRole, StaffRole
    from ib_desktop.services import opp as opp_svc
    from tests.services.test_opp import FRESH, ready_version

    with demo_db.session() as s:
        version_id = ready_version(s).id
        ib = s.scalar(sa.select(Staff).where(Staff.role == StaffRole.IB))
        director = s.scalar(sa.select(Staff).where(Staff.role == StaffRole.DIRECTIE))
        ib_sig = opp_svc.SignatureData(SignatureRole.IB, ib.full_name, TODAY, staff_id=ib.id)
        school_sig = opp_svc.SignatureData(
            SignatureRole.DIRECTIE, director.full_name, TODAY, staff_id=director.id
        )
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", "z" * 12)

    def as_role(role: AccountRole, staff_id: int | None) -> None:
        accounts.bind_access(demo_db.sessionmaker, accounts.Access("x", role, staff_id))

    try:
        as_role(AccountRole.IB, ib.id)
        with demo_db.session() as s:
            opp_svc.add_signature(s, version_id, ib_sig)
        with (
            pytest.raises(NotAllowed, match="Alleen de directie tekent namens de school"),
            demo_db.session() as s,
        ):
            opp_svc.add_signature(s, version_id, school_sig)
        as_role(AccountRole.DIRECTIE, director.id)
        with demo_db.session() as s:
            signed = opp_svc.add_signature(s, version_id, school_sig)
        assert {sig.role for sig in signed.signatures} == {SignatureRole.IB, SignatureRole.DIRECTIE}
        as_role(AccountRole.LEERKRACHT, ib.id)
        with pytest.raises(NotAllowed, match="geen OPP's"), demo_db.session() as s:
            opp_svc.start_opp(s, FRESH + 1, on=TODAY)
    finally:
        accounts.bind_access(demo_db.sessionmaker, None)

"""Issue 18: the app itself connected as the person (their own login role, not the owner).

Row-level security and grants must not break the normal paths: opening the database, the pupil
list, the evaluations a teacher enters, the IB-er's OPP and a retention deletion.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.services.test_pg_policies import School, school  # noqa: F401 - the fixture

pytest.importorskip("psycopg")


def _open(url: str):
    from ib_desktop.storage import open_database

    return open_database(url)


def test_a_teacher_opens_the_app_and_sees_their_group(school: School) -> None:  # noqa: F811
    from ib_desktop.services import pupil as pf
    from ib_desktop.services.pupil.listing import load_pupil_list

    db = _open(school.url_of(school.teacher))
    try:
        db.sync_id_sequences()  # the owner's job: a person's login leaves it alone
        with db.session() as s:
            data = load_pupil_list(s, school.school_id, today=date.today())
            assert {r.id for r in data.rows} == school.own_pupils
            pupil = min(school.own_pupils)
            assert pf.load_pupil_file(s, pupil, today=date.today()).id == pupil
    finally:
        db.dispose()


def test_a_teacher_enters_an_evaluation_through_the_app(school: School) -> None:  # noqa: F811
    from ib_desktop.models import ChangeLog, Outcome
    from ib_desktop.services import plans

    today = date.today()
    db = _open(school.url_of(school.teacher))
    try:
        with db.session() as s:
            tasks = plans.evaluation_tasks(
                s, school.school_id, school.teacher_staff, today=today, within_days=400
            )
        task = next(t for t in tasks if t.pupil_id in school.own_pupils)
        key = task.targets[0].key
        text = "Werkt zelfstandig 🙂 — Çağrı's aanpak werkt"
        with db.session() as s:
            fresh = plans.save_evaluation_task(
                s, task, {key: (text, Outcome.BEHAALD)},
                evaluated_by_id=school.teacher_staff, evaluated_on=today, today=today,
                actor="Wie dan ook",
            )  # fmt: skip
        assert {t.key: t.evaluation for t in fresh.targets}[key] == text
        with db.session() as s:
            actors = set(
                s.scalars(sa.select(ChangeLog.actor).where(ChangeLog.action == "geëvalueerd"))
            )
        assert actors == {school.teacher}  # the database user, not what the app passed
    finally:
        db.dispose()


def test_an_ib_login_starts_an_opp_and_deletes_a_departed_file(school: School) -> None:  # noqa: F811
    from ib_desktop.models import ChangeLog, Opp, Pupil
    from ib_desktop.services import opp as opp_service
    from ib_desktop.services import pupil as pf

    today = date.today()
    db = _open(school.url_of(school.ib))
    try:
        with db.session() as s:
            free = s.scalars(
                sa.select(Pupil.id)
                .where(~Pupil.id.in_(sa.select(Opp.pupil_id)), Pupil.status == "actief")
                .order_by(Pupil.id)
            ).first()
            started = opp_service.start_opp(s, free, on=today)
        assert started.opp_id
        with db.session() as s:
            pupil = s.get(Pupil, free)
            full_name = pupil.full_name
            pf.leave_school(
                s, free, today, pf.LeaveKind.VERHUIZING, "Zwolle",
                expected_version=pupil.version, today=today,
            )  # fmt: skip
        with db.session() as s:
            pf.delete_file(s, free, confirm_name=full_name, today=today, allow_early=True)
        with db.session() as s:
            assert s.get(Pupil, free) is None
            left = s.scalars(
                sa.select(ChangeLog.id).where(
                    ChangeLog.entity == "pupil", ChangeLog.entity_id == free
                )
            ).all()
            assert left == []
            # The database's own lines (no personal data) stay as the proof.
            trail = s.scalars(
                sa.select(ChangeLog.action).where(
                    ChangeLog.entity == "pupils", ChangeLog.entity_id == free
                )
            ).all()
            assert "DELETE" in trail
    finally:
        db.dispose()


def test_a_teacher_cannot_delete_a_file_through_the_app(school: School) -> None:  # noqa: F811
    db = _open(school.url_of(school.teacher))
    try:
        pupil = min(school.own_pupils)
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), db.session() as s:
            s.execute(sa.text("SELECT ibd_forget_change_log(:p)"), {"p": pupil})
    finally:
        db.dispose()


def test_a_teachers_start_screens_load_without_a_database_error(school: School) -> None:  # noqa: F811
    """The dashboard, agenda, group overview and figures read many tables: none is refused."""
    from ib_desktop.models import Base
    from ib_desktop.models import School as SchoolRow
    from ib_desktop.services import agenda, group_overview, stats
    from ib_desktop.storage.pg_policies import policy_for

    today = date.today()
    db = _open(school.url_of(school.teacher))
    try:
        with db.session() as s:
            dashboard = agenda.load_dashboard(s, school.school_id, today=today)
            items = agenda.load_agenda(s, school.school_id, today=today)
            overview = group_overview.group_overview(s, school.school_id, today=today)
            summary = stats.summarize(s, s.get(SchoolRow, school.school_id), today=today)
        assert dashboard is not None
        assert overview is not None
        assert summary is not None
        # The agenda plans only for the pupils this teacher may read.
        about = {i.moment.pupil_id for i in items.items} - {None}
        assert about
        assert about <= school.own_pupils
        # Every table a teacher's role may read answers (with the rows the policies allow).
        with db.session() as s:
            for table in Base.metadata.sorted_tables:
                policy = policy_for(table.name)
                if policy is not None and "ibd_leerkracht" in policy.read:
                    s.execute(sa.select(sa.func.count()).select_from(table)).scalar()
    finally:
        db.dispose()

"""A teacher's account sees only the pupils of the groups they teach, in every service.

On SQLite with accounts the services are the only guard: each list, card, export and print that
names pupils goes through ``accounts.access.pupil_scope`` (or ``check_pupil_visible``). The
demo school's teacher with one group is logged in; an IB account sees the whole school.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.domain_types import AccountRole
from ib_desktop.models import Group, GroupMembership, Pupil, PupilStatus, SchoolYear, group_teachers
from ib_desktop.permissions import NotAllowed
from ib_desktop.services import accounts
from tests.conftest import TODAY

PASSWORD = "Wachtwoord-123"


def one_group_teacher(db) -> tuple[int, int]:
    """A teacher who teaches exactly one group this school year (and has pupils in it)."""
    with db.session() as s:
        year = s.scalar(
            sa.select(SchoolYear.id).where(
                SchoolYear.start_date <= TODAY, SchoolYear.end_date >= TODAY
            )
        )
        rows = s.execute(
            sa.select(group_teachers.c.staff_id, sa.func.min(group_teachers.c.group_id))
            .join(Group, Group.id == group_teachers.c.group_id)
            .where(Group.school_year_id == year)
            .group_by(group_teachers.c.staff_id)
            .having(sa.func.count() == 1)
            .order_by(group_teachers.c.staff_id)
        ).all()
        for staff_id, group_id in rows:
            if s.scalar(sa.select(sa.func.count(Pupil.id)).where(Pupil.group_id == group_id)):
                return staff_id, group_id
    raise AssertionError("the demo has a teacher with one group")


def own_pupils(db, group_id: int) -> set[int]:
    with db.session() as s:
        now = set(s.scalars(sa.select(Pupil.id).where(Pupil.group_id == group_id)))
        member = set(
            s.scalars(
                sa.select(GroupMembership.pupil_id).where(GroupMembership.group_id == group_id)
            )
        )
    return now | member


@pytest.fixture
def teacher(demo_db):
    """The demo school with a teacher's account logged in (and a beheer account, so accounts
    are on); ``demo_db.own`` the teacher's pupils, ``demo_db.group_id`` their group."""
    staff_id, group_id = one_group_teacher(demo_db)
    with demo_db.session() as s:
        accounts.add_account(s, demo_db.school_id, "hoofd", "beheer", PASSWORD)
        accounts.add_account(s, demo_db.school_id, "ib1", "ib", PASSWORD)
        accounts.add_account(
            s, demo_db.school_id, "juf1", "leerkracht", PASSWORD, staff=str(staff_id)
        )
    demo_db.staff_id, demo_db.group_id = staff_id, group_id  # type: ignore[attr-defined]
    demo_db.own = own_pupils(demo_db, group_id)  # type: ignore[attr-defined]
    assert demo_db.own  # type: ignore[attr-defined]
    login(demo_db, "juf1")
    yield demo_db
    accounts.bind_access(demo_db.sessionmaker, None)


def login(db, name: str) -> None:
    with db.session() as s:
        access = accounts.sign_in(s, name, PASSWORD)
    accounts.bind_access(db.sessionmaker, access)


def other_pupil(db) -> int:
    """An active pupil of another group."""
    with db.session() as s:
        return s.scalar(
            sa.select(Pupil.id)
            .where(
                Pupil.group_id != db.group_id,
                Pupil.group_id.is_not(None),
                Pupil.status != PupilStatus.VERTROKKEN,
                Pupil.id.not_in(db.own),
            )
            .order_by(Pupil.id)
        )


# ---------------------------------------------------------------------------- lists


def test_agenda_shows_only_the_teachers_pupils_and_group(teacher) -> None:
    from ib_desktop.services.agenda import load_agenda

    with teacher.session() as s:
        mine = load_agenda(s, teacher.school_id, today=TODAY)
    login(teacher, "ib1")
    with teacher.session() as s:
        everything = load_agenda(s, teacher.school_id, today=TODAY)
    assert mine.items
    for item in mine.items:
        m = item.moment
        assert m.pupil_id in teacher.own or (m.pupil_id is None and m.group_id == teacher.group_id)
    assert [g for g, _n in mine.groups] == [teacher.group_id]
    outside = {i.moment.pupil_id for i in everything.items} - teacher.own - {None}
    assert outside  # the IB-er sees the other groups' moments
    assert len(everything.groups) > 1


def test_dashboard_cards_count_only_the_teachers_pupils(teacher) -> None:
    from ib_desktop.services.agenda import load_dashboard

    def pupils(d) -> set[int | None]:
        return (
            {i.moment.pupil_id for i in d.overdue + d.zorgplicht}
            | {g.pupil_id for g in d.consent}
            | {m.pupil_id for m in d.missing}
        )

    with teacher.session() as s:
        mine = load_dashboard(s, teacher.school_id, today=TODAY)
    login(teacher, "ib1")
    with teacher.session() as s:
        everything = load_dashboard(s, teacher.school_id, today=TODAY)
    assert pupils(mine) <= teacher.own
    assert pupils(everything) - teacher.own  # the school has cards of other groups
    assert mine.this_week <= everything.this_week
    assert len(mine.overdue) < len(everything.overdue) or len(mine.missing) < len(
        everything.missing
    )


def test_group_overview_has_only_the_teachers_group(teacher) -> None:
    from ib_desktop.services.group_overview import group_overview

    with teacher.session() as s:
        mine = group_overview(s, teacher.school_id, today=TODAY)
    assert [r.group.id for r in mine.rows] == [teacher.group_id]
    assert {p.id for rows in mine.pupils.values() for p in rows} <= teacher.own
    login(teacher, "ib1")
    with teacher.session() as s:
        assert len(group_overview(s, teacher.school_id, today=TODAY).rows) > 1


def test_deadlines_only_of_the_teachers_pupils(teacher) -> None:
    from ib_desktop.services import deadlines

    with teacher.session() as s:
        mine = deadlines.collect(s, teacher.school_id, TODAY)
    login(teacher, "ib1")
    with teacher.session() as s:
        everything = deadlines.collect(s, teacher.school_id, TODAY)
    assert {d.pupil_id for d in mine} <= teacher.own
    assert {d.pupil_id for d in everything} - teacher.own


def test_evaluations_and_forms_only_of_the_teachers_pupils(teacher) -> None:
    from ib_desktop.services.plans.evaluation_forms import make_forms
    from ib_desktop.services.plans.evaluations import evaluation_tasks

    login(teacher, "ib1")
    with teacher.session() as s:
        forms = make_forms(s, teacher.school_id, today=TODAY, within_days=120)
    others = [f for f in forms if f.teacher_id != teacher.staff_id and f.items]
    assert others  # other teachers have evaluations due
    other = others[0].teacher_id
    login(teacher, "juf1")
    with teacher.session() as s:
        # Asking for a colleague's tasks gives none of the colleague's pupils.
        tasks = evaluation_tasks(s, teacher.school_id, other, today=TODAY, within_days=120)
        own_forms = make_forms(s, teacher.school_id, today=TODAY, within_days=120)
    assert {t.pupil_id for t in tasks} <= teacher.own
    assert {f.teacher_id for f in own_forms} <= {teacher.staff_id}


def test_calendar_export_only_of_the_teachers_pupils(teacher) -> None:
    from ib_desktop.calendar_export import export_calendar

    def text(export) -> str:  # the .ics folds long lines: unfold them first
        return export.data.decode().replace("\r\n ", "")

    with teacher.session() as s:
        mine = text(export_calendar(s, teacher.school_id, today=TODAY, only_initials=False))
        names = {
            pid: f"{first} {last}"
            for pid, first, last in s.execute(
                sa.select(Pupil.id, Pupil.first_name, Pupil.last_name)
            )
        }
    login(teacher, "ib1")
    with teacher.session() as s:
        everything = text(export_calendar(s, teacher.school_id, today=TODAY, only_initials=False))
    own_names = {names[p] for p in teacher.own}
    outside = {n for p, n in names.items() if p not in teacher.own and n not in own_names}
    in_full = {n for n in outside if n in everything}
    assert in_full  # the IB-er's calendar names pupils of other groups
    assert not {n for n in in_full if n in mine}
    assert any(n in mine for n in own_names)


def test_the_schedule_as_a_teacher_keeps_only_their_groups_moments(teacher) -> None:
    from ib_desktop.schedule import compute_moments

    with teacher.session() as s:
        mine = compute_moments(s, teacher.school_id, today=TODAY, end=TODAY + timedelta(days=200))
    accounts.bind_access(teacher.sessionmaker, None)
    with teacher.session() as s:
        full = compute_moments(s, teacher.school_id, today=TODAY, end=TODAY + timedelta(days=200))
    login(teacher, "ib1")
    with teacher.session() as s:
        as_ib = compute_moments(s, teacher.school_id, today=TODAY, end=TODAY + timedelta(days=200))
    assert as_ib == full  # the IB-er: the whole school, as without accounts
    assert mine == [
        m
        for m in full
        if m.pupil_id in teacher.own or (m.pupil_id is None and m.group_id == teacher.group_id)
    ]
    assert len(mine) < len(full)


# ---------------------------------------------------------------------------- prints


def test_prints_of_another_groups_pupil_are_refused(teacher) -> None:
    from ib_desktop import reports

    other = other_pupil(teacher)
    own = min(teacher.own)
    with teacher.session() as s:
        assert reports.profile_pdf(s, own, today=TODAY).startswith(b"%PDF")
        assert reports.pupil_overview_pdf(s, own, today=TODAY).startswith(b"%PDF")
    for build in (reports.profile_pdf, reports.pupil_overview_pdf, reports.opp_summary_pdf):
        with (
            pytest.raises(NotAllowed, match="niet in een groep die u dit schooljaar lesgeeft"),
            teacher.session() as s,
        ):
            build(s, other, today=TODAY)
    with teacher.session() as s:
        other_group = s.scalar(sa.select(Pupil.group_id).where(Pupil.id == other))
    with pytest.raises(NotAllowed, match="geen les"), teacher.session() as s:
        reports.group_overview_pdf(s, teacher.school_id, group_id=other_group, today=TODAY)
    login(teacher, "ib1")
    with teacher.session() as s:
        assert reports.profile_pdf(s, other, today=TODAY).startswith(b"%PDF")


def test_document_prints_and_the_swv_packet_of_another_group_are_refused(teacher) -> None:
    from ib_desktop import reports
    from ib_desktop.models import Opp, OppVersion, ShortIntervention
    from ib_desktop.reports.swv_packet import swv_packet

    with teacher.session() as s:
        version = s.scalar(
            sa.select(OppVersion.id)
            .join(Opp)
            .where(Opp.pupil_id.not_in(teacher.own))
            .order_by(OppVersion.id)
        )
        intervention = s.scalar(
            sa.select(ShortIntervention.id)
            .where(ShortIntervention.pupil_id.not_in(teacher.own))
            .order_by(ShortIntervention.id)
        )
        packet_pupil = s.scalar(
            sa.select(Opp.pupil_id).where(Opp.pupil_id.not_in(teacher.own)).order_by(Opp.id)
        )
    assert version
    assert intervention
    assert packet_pupil
    calls = [
        lambda s: reports.opp_pdf(s, version, today=TODAY),
        lambda s: reports.intervention_pdf(s, intervention),
        lambda s: swv_packet(s, packet_pupil, today=TODAY),
    ]
    for call in calls:
        with pytest.raises(NotAllowed, match="niet in een groep"), teacher.session() as s:
            call(s)


def test_whole_school_lists_are_refused_to_a_teacher(teacher) -> None:
    from ib_desktop.services.figures import school_figures
    from ib_desktop.services.opp.register import opp_register

    with (
        pytest.raises(NotAllowed, match="kengetallen gaan over de hele school"),
        teacher.session() as s,
    ):
        school_figures(s, teacher.school_id, "2026-2027", today=TODAY)
    with (
        pytest.raises(NotAllowed, match="OPP-register gaat over de hele school"),
        teacher.session() as s,
    ):
        opp_register(s, teacher.school_id, today=TODAY)
    login(teacher, "ib1")
    with teacher.session() as s:
        assert opp_register(s, teacher.school_id, today=TODAY)
        assert school_figures(s, teacher.school_id, "2026-2027", today=TODAY).years


# ---------------------------------------------------------------------------- the command


def test_print_with_a_teachers_login_keeps_the_scope(teacher, tmp_path, capsys, monkeypatch):
    from ib_desktop.cli import main

    other, own = other_pupil(teacher), min(teacher.own)
    accounts.bind_access(teacher.sessionmaker, None)
    teacher.dispose()
    path = str(teacher.path)
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD)
    base = ["--database", path, "--today", TODAY.isoformat(), "--login", "juf1"]
    out = tmp_path / "p.pdf"
    code = main(["print", "profile", "--pupil", str(other), "-o", str(out), *base])
    err = capsys.readouterr().err
    assert code == 2
    assert "niet in een groep die u dit schooljaar lesgeeft" in err
    assert not out.exists()
    assert main(["print", "profile", "--pupil", str(own), "-o", str(out), *base]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    out.unlink()
    code = main(["print", "opp-register", "-o", str(tmp_path / "r.csv"), *base])
    assert code == 2
    assert "hele school" in capsys.readouterr().err
    # A wrong password: refused, nothing written.
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", "fout-wachtwoord-1")
    assert main(["print", "profile", "--pupil", str(own), "-o", str(out), *base]) == 2
    assert "inlognaam of het wachtwoord klopt niet" in capsys.readouterr().err
    assert not out.exists()
    # A back-up holds every pupil: not for a teacher's login; the IB-er's is fine.
    monkeypatch.setenv("IB_DESKTOP_PASSWORD", PASSWORD)
    assert main(["backup", "--database", path, "--login", "juf1"]) == 2
    assert "back-up maken of terugzetten is voor de intern begeleider" in capsys.readouterr().err
    assert main(["backup", "--database", path, "--login", "ib1"]) == 0
    # Without --login the file's owner prints (SQLite: the file is theirs).
    monkeypatch.delenv("IB_DESKTOP_PASSWORD")
    owner = ["--database", path, "--today", TODAY.isoformat()]
    assert main(["print", "profile", "--pupil", str(other), "-o", str(out), *owner]) == 0


def test_the_scope_is_this_school_years_groups(teacher) -> None:
    """Next school year the teacher's groups of this year no longer count."""
    from ib_desktop.services.accounts.access import pupil_scope

    with teacher.session() as s:
        now = pupil_scope(s, TODAY)
        later = pupil_scope(s, date(TODAY.year + 5, 1, 15))
    assert now is not None
    assert now.group_ids == {teacher.group_id}
    assert now.pupil_ids == teacher.own
    assert later is not None
    assert not later.group_ids
    assert not later.pupil_ids
    accounts.bind_access(teacher.sessionmaker, accounts.Access("ib1", AccountRole.IB))
    with teacher.session() as s:
        assert pupil_scope(s, TODAY) is None


def test_a_teacher_cannot_apply_a_colleagues_evaluation_form(teacher) -> None:
    """A filled form of another group (mailed round, say) is refused whole for a teacher."""
    from ib_desktop.reports.evaluation_forms import evaluation_form_pdf
    from ib_desktop.services.plans import evaluation_forms as ef
    from tests.services.test_evaluation_forms import fill

    login(teacher, "ib1")
    with teacher.session() as s:
        forms = ef.make_forms(s, teacher.school_id, today=TODAY, within_days=120)
    form = next(f for f in forms if f.teacher_id != teacher.staff_id and f.items)
    first = form.items[0]
    data = fill(evaluation_form_pdf(form), {ef.evaluation_field(first.n): "Gehaald, leest vlot 📚"})
    filled = ef.read_form(data)
    login(teacher, "juf1")
    with pytest.raises(NotAllowed, match="niet in een groep"), teacher.session() as s:
        ef.review_form(s, teacher.school_id, filled)
    login(teacher, "ib1")
    with teacher.session() as s:
        assert ef.review_form(s, teacher.school_id, filled).rows


def test_the_scope_on_postgresql(pg_url) -> None:
    """The same scope helper on PostgreSQL: the agenda and the group overview of a teacher."""
    from ib_desktop.demo import generate
    from ib_desktop.services.agenda import load_agenda
    from ib_desktop.services.group_overview import group_overview
    from ib_desktop.services.school import get_school
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    try:
        generate(db, pupils=80, seed=7, today=TODAY)
        with db.session() as s:
            db.school_id = get_school(s).id  # type: ignore[attr-defined]
        staff_id, group_id = one_group_teacher(db)
        own = own_pupils(db, group_id)
        accounts.bind_access(
            db.sessionmaker, accounts.Access("juf1", AccountRole.LEERKRACHT, staff_id)
        )
        with db.session() as s:
            agenda = load_agenda(s, db.school_id, today=TODAY)
            overview = group_overview(s, db.school_id, today=TODAY)
        assert agenda.items
        assert {i.moment.pupil_id for i in agenda.items} - {None} <= own
        assert [r.group.id for r in overview.rows] == [group_id]
        accounts.bind_access(db.sessionmaker, accounts.Access("ib1", AccountRole.IB))
        with db.session() as s:
            everything = load_agenda(s, db.school_id, today=TODAY)
        assert {i.moment.pupil_id for i in everything.items} - own - {None}
    finally:
        accounts.bind_access(db.sessionmaker, None)
        db.dispose()

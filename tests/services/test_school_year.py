"""Groups and staff by hand, the move to a new school year, and who is working."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as hyp

from ib_desktop.models import (
    ChangeLog,
    Group,
    GroupMembership,
    Pupil,
    PupilStatus,
    SchoolYear,
    StaffRole,
)
from ib_desktop.services import groups as gs
from ib_desktop.services import identity
from ib_desktop.services import pupil as pf
from ib_desktop.services import school_year as sy
from ib_desktop.services import staff as st
from ib_desktop.validation import ValidationErrors
from tests.conftest import TODAY

YEAR = "2026-2027"


def _year_id(s) -> int:
    return s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == YEAR))


def _pupil(s, school_id, first, last, birth, group_id, tv="") -> int:
    data = pf.PupilData(
        first_name=first, tussenvoegsel=tv, last_name=last, birth_date=birth, group_id=group_id
    )
    return pf.create_pupil(s, school_id, data, today=TODAY).id


@pytest.fixture(params=["sqlite", "postgresql"])
def any_school_db(request, school_db):
    """The test school on SQLite, and the same on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield school_db
        return
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import open_database

    database = open_database(request.getfixturevalue("pg_url"))
    with database.session() as s:
        database.school_id = create_school(  # type: ignore[attr-defined]
            s, "Basisschool De Test", brin="99ZZ", swv_name="SWV Test", today=TODAY
        ).id
    yield database
    database.dispose()


@pytest.fixture
def school(any_school_db):
    """Groups 1/2, 3, 7A, 8 with teachers, and pupils with accented names in each."""
    school_db = any_school_db
    sid = school_db.school_id
    with school_db.session() as s:
        year = gs.ensure_year(s, YEAR).id
        noor = st.save_staff(s, sid, st.StaffData("Noor Çelik", StaffRole.LEERKRACHT)).id
        jose = st.save_staff(s, sid, st.StaffData("José van den Heuvel", StaffRole.LEERKRACHT)).id
        st.save_staff(s, sid, st.StaffData("Ilse de Wit", StaffRole.IB))
        g12 = gs.save_group(s, sid, year, gs.GroupData("1/2", "1/2", [noor, jose])).id
        g3 = gs.save_group(s, sid, year, gs.GroupData("3", "3", [jose])).id
        g7 = gs.save_group(s, sid, year, gs.GroupData("7A", "7", [noor])).id
        g8 = gs.save_group(s, sid, year, gs.GroupData("8", "8", [])).id
        ids = {
            # A four-year-old (groep 1) and a five-year-old (groep 2) in the combination group.
            "zoë": _pupil(s, sid, "Zoë", "Öztürk", date(2022, 5, 3), g12),
            "ilyas": _pupil(s, sid, "İlyas", "Yılmaz", date(2021, 3, 9), g12),
            "chloé": _pupil(s, sid, "Chloé", "Dijk", date(2020, 2, 2), g3, tv="van"),
            "bram": _pupil(s, sid, "Bram", "Çakır", date(2016, 6, 1), g7),
            "eva": _pupil(s, sid, "Éva", "Müller", date(2014, 9, 9), g8),
        }
    school_db.ids = ids
    school_db.groups = {"1/2": g12, "3": g3, "7A": g7, "8": g8}
    school_db.teachers = {"noor": noor, "jose": jose}
    return school_db


def test_plan_moves_everyone_up_and_group_8_leaves(school) -> None:
    with school.session() as s:
        plan = sy.plan_move(s, school.school_id)
    assert (plan.source_label, plan.target_label) == (YEAR, "2027-2028")
    assert plan.leave_date == date(2027, 7, 31)
    assert [c.name for c in plan.group_copies] == ["1/2", "3", "7A", "8"]
    by_id = {m.pupil_id: m for m in plan.moves}
    ids = school.ids
    # The combination group: the younger one goes to groep 2 (stays in 1/2), the older to 3.
    assert (by_id[ids["zoë"]].grade, by_id[ids["zoë"]].to_group) == (1, "1/2")
    assert (by_id[ids["ilyas"]].grade, by_id[ids["ilyas"]].to_group) == (2, "3")
    assert by_id[ids["zoë"]].grade_estimated
    assert by_id[ids["ilyas"]].grade_estimated
    assert by_id[ids["chloé"]].to_group is None  # there is no groep 4 next year yet
    assert by_id[ids["chloé"]] in plan.without_group
    assert by_id[ids["bram"]].to_group == "8"
    assert [m.name for m in plan.leavers] == ["Éva Müller"]


def test_apply_move_copies_groups_moves_pupils_and_ends_group_8_on_31_july(school) -> None:
    ids, sid = school.ids, school.school_id
    with school.session() as s:
        plan = sy.plan_move(s, sid)
        # the user adds a destination for the pupil without one (a new group made by hand)
        target = gs.ensure_year(s, plan.target_label)
        gs.save_group(s, sid, target.id, gs.GroupData("4", "4", []))
        result = sy.apply_move(
            s, plan, destinations={ids["chloé"]: "4"}, today=TODAY, actor="Ilse de Wit"
        )
    assert (result.groups_copied, result.moved, result.left) == (4, 4, 1)
    with school.session() as s:
        target_id = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == "2027-2028"))
        new_groups = {
            g.name: g
            for g in s.scalars(sa.select(Group).where(Group.school_year_id == target_id))
        }
        assert set(new_groups) == {"1/2", "3", "4", "7A", "8"}
        # teachers are copied with their groups
        assert {t.id for t in new_groups["1/2"].teachers} == set(school.teachers.values())

        def where(key: str) -> tuple[str | None, int | None]:
            p = s.get(Pupil, ids[key])
            m = s.scalars(
                sa.select(GroupMembership).where(
                    GroupMembership.pupil_id == p.id, GroupMembership.school_year_id == target_id
                )
            ).first()
            return (p.group.name if p.group else None), (m.grade if m else None)

        assert where("zoë") == ("1/2", 2)
        assert where("ilyas") == ("3", 3)
        assert where("chloé") == ("4", 4)
        assert where("bram") == ("8", 8)
        eva = s.get(Pupil, ids["eva"])
        assert eva.status == PupilStatus.VERTROKKEN
        assert eva.left_on == date(2027, 7, 31)
        assert "voortgezet onderwijs" in eva.left_destination.lower()
        # the history of this year keeps the grade the preview settled on
        old = s.scalars(
            sa.select(GroupMembership).where(
                GroupMembership.pupil_id == ids["ilyas"],
                GroupMembership.school_year_id == _year_id(s),
            )
        ).one()
        assert old.grade == 2
        actors = set(s.scalars(sa.select(ChangeLog.actor).where(ChangeLog.entity == "pupil")))
        assert "Ilse de Wit" in actors


def test_second_move_uses_the_recorded_grade_not_the_age(school) -> None:
    with school.session() as s:
        plan = sy.plan_move(s, school.school_id)
        sy.apply_move(s, plan, today=TODAY)
    with school.session() as s:
        again = sy.plan_move(s, school.school_id)
    zoe = next(m for m in again.moves if m.pupil_id == school.ids["zoë"])
    assert (zoe.grade, zoe.grade_estimated, zoe.to_group) == (2, False, "3")


def test_undo_move_puts_everything_back(school) -> None:
    ids, sid = school.ids, school.school_id
    with school.session() as s:
        before = {k: s.get(Pupil, v).group_id for k, v in ids.items()}
        plan = sy.plan_move(s, sid)
        sy.apply_move(s, plan, today=TODAY)
    with school.session() as s:
        assert sy.last_move(s) == "2027-2028"
        sy.undo_move(s, sid, "2027-2028", today=TODAY)
    with school.session() as s:
        after = {k: s.get(Pupil, v).group_id for k, v in ids.items()}
        assert after == before
        assert s.get(Pupil, ids["eva"]).status == PupilStatus.ACTIEF
        target = s.scalar(sa.select(SchoolYear.id).where(SchoolYear.label == "2027-2028"))
        assert s.scalar(sa.select(sa.func.count()).where(Group.school_year_id == target)) == 0
        assert sy.last_move(s) is None


def test_move_refuses_a_stale_preview(school) -> None:
    with school.session() as s:
        plan = sy.plan_move(s, school.school_id)
    with school.session() as s:
        s.get(Pupil, school.ids["bram"]).notes = "changed by a colleague"
    with school.session() as s, pytest.raises(sy.StaleMoveError):
        sy.apply_move(s, plan, today=TODAY)


@pytest.mark.parametrize(
    ("grade", "from_group", "expected"),
    [
        (2, "1/2", "1/2"),
        (3, "1/2", "3"),
        (6, "5A", "6A"),
        (6, "5B", "6B"),
        (6, "5", "6A"),
        (5, "4/5", "5/6"),
        (4, "3", None),
    ],
)
def test_choose_destination(grade, from_group, expected) -> None:
    targets = [("1/2", 1, 2), ("3", 3, 3), ("5/6", 5, 6), ("6A", 6, 6), ("6B", 6, 6)]
    assert sy.choose_destination(grade, from_group, targets) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", (5, 5)), ("1/2", (1, 2)), (" 1 / 2 ", (1, 2)), ("4-6", (4, 6)), ("6/7/8", (6, 8))],
)
def test_parse_grades(text, expected) -> None:
    assert gs.parse_grades(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "getal"), ("9", "1 tot en met 8"), ("2/5", "opeenvolgende"), ("vijf", "getal")],
)
def test_parse_grades_refuses_in_dutch(text, message) -> None:
    with pytest.raises(ValueError, match=message):
        gs.parse_grades(text)


def test_group_validation_messages(school) -> None:
    sid = school.school_id
    with school.session() as s:
        year = _year_id(s)
        errors = gs.check_group(s, sid, year, gs.GroupData("", "x"))
        assert errors["name"].startswith("Vul de naam van de groep in")
        assert "jaargroep" in errors["grades"]
        # the same name (other case, NFD accents) in the same year is refused
        errors = gs.check_group(s, sid, year, gs.GroupData("7a", "7"))
        assert errors["name"] == f"Er is in {YEAR} al een groep '7A'."
        next_year = gs.ensure_year(s, "2027-2028").id
        assert gs.check_group(s, sid, next_year, gs.GroupData("7a", "7")) == {}


def test_group_with_pupils_is_not_deleted(school) -> None:
    with school.session() as s:
        with pytest.raises(ValidationErrors) as exc:
            gs.delete_group(s, school.groups["8"])
        assert "1 leerling" in exc.value.errors["group"]
        empty = gs.save_group(s, school.school_id, _year_id(s), gs.GroupData("5", "5")).id
        gs.delete_group(s, empty)
        assert s.get(Group, empty) is None


def test_staff_validation_and_accents(school) -> None:
    sid = school.school_id
    with school.session() as s:
        assert st.check_staff(s, sid, st.StaffData("  "))["name"].startswith("Vul de naam")
        nfd = unicodedata.normalize("NFD", "José van den Heuvel")
        assert "al een medewerker" in st.check_staff(s, sid, st.StaffData(nfd))["name"]
        row = st.save_staff(s, sid, st.StaffData("Şule Aydın", StaffRole.ONDERWIJSASSISTENT))
        assert row.label == "Şule Aydın (onderwijsassistent)"
        st.save_staff(
            s, sid, st.StaffData("Şule Aydın", StaffRole.ONDERWIJSASSISTENT, active=False),
            staff_id=row.id,
        )
        names = [r.name for r in st.list_staff(s, sid, active_only=True)]
        assert "Şule Aydın" not in names


def test_current_user_is_per_login_and_needs_an_active_member(school) -> None:
    sid = school.school_id
    with school.session() as s:
        assert identity.load_current_user(s, sid, login="ilse") is None
        me = identity.choose_current_user(s, sid, school.teachers["noor"], login="ilse")
        assert me.name == "Noor Çelik"
    with school.session() as s:
        assert identity.load_current_user(s, sid, login="ilse").staff_id == school.teachers["noor"]
        assert identity.load_current_user(s, sid, login="jose") is None
        st.save_staff(
            s, sid, st.StaffData("Noor Çelik", StaffRole.LEERKRACHT, active=False),
            staff_id=school.teachers["noor"],
        )
    with school.session() as s:
        # someone who no longer works here is not silently used
        assert identity.load_current_user(s, sid, login="ilse") is None


def test_move_after_an_lvs_import_matches_the_next_years_export(school_db, tmp_path) -> None:
    """The importer fills the same tables: its groups, teachers and pupils move up a year."""
    from ib_desktop.importer import apply_plan
    from tests.importer_exports import next_year, rows_as_table, this_year, write_csv
    from tests.services.test_importer import FIRST_DAY, plan_for

    rows = this_year()
    path = write_csv(tmp_path / "export.csv", rows_as_table(rows))
    apply_plan(school_db, plan_for(school_db, path), actor="Test IB-er")
    with school_db.session() as s:
        plan = sy.plan_move(s, school_db.school_id)
        assert (plan.source_label, plan.target_label) == ("2025-2026", "2026-2027")
        pupils = s.scalars(sa.select(Pupil).where(Pupil.school_id == school_db.school_id))
        by_lvs = {p.lvs_id: p for p in pupils}
        moves = {m.pupil_id: m for m in plan.moves}
        daan = moves[by_lvs["2002"].id]  # born 2 November 2020: a herfstkind, estimated
        assert (daan.grade, daan.grade_estimated, daan.to_group) == (1, True, "1/2")
        assert sorted(m.name for m in plan.leavers) == [
            "Chloë Koster", "Milan Smits", "Nora van den Heuvel", "Sophie Dijkstra"
        ]  # fmt: skip
        # the IB-er knows Daan is in groep 2 and moves him to 3 in the preview
        sy.apply_move(s, plan, destinations={daan.pupil_id: "3"}, today=FIRST_DAY)
    expected = {r.lvs_id: r.group for r in next_year(rows)}
    with school_db.session() as s:
        for lvs_id, pupil in (
            (p.lvs_id, p)
            for p in s.scalars(sa.select(Pupil).where(Pupil.school_id == school_db.school_id))
        ):
            if lvs_id not in expected:
                assert pupil.status == PupilStatus.VERTROKKEN
                assert pupil.left_on == date(2026, 7, 31)
                continue
            group = pupil.group
            assert group.school_year.label == "2026-2027"
            low, high = gs.parse_grades(gs.grades_from_name(expected[lvs_id]))
            assert group.grade_low <= low, (pupil.full_name, group.name)
            assert high <= group.grade_high, (pupil.full_name, group.name)
        copied = s.scalars(
            sa.select(Group)
            .join(SchoolYear)
            .where(SchoolYear.label == "2026-2027", Group.name == "1/2")
        ).one()
        assert len(copied.teachers) == 2


@given(st_text=hyp.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_any_typed_jaargroep_is_understood_or_refused_in_dutch(st_text: str) -> None:
    """Whatever is typed as jaargroep: a valid range, or a Dutch message, never a crash."""
    message, grades = "", (1, 8)
    try:
        grades = gs.parse_grades(st_text)
    except ValueError as exc:
        message = str(exc)
    if message:
        assert any(w in message for w in ("jaargroep", "Jaargroepen", "combinatiegroep"))
    else:
        assert 1 <= grades[0] <= grades[1] <= 8
    suggested = gs.grades_from_name(st_text)  # never raises; "" or a valid text
    if suggested:
        assert gs.parse_grades(suggested)


@given(
    birth=hyp.dates(min_value=date(2012, 1, 1), max_value=date(2023, 7, 31)),
    low=hyp.integers(1, 8),
    width=hyp.integers(0, 2),
)
def test_estimated_grade_stays_inside_the_group(birth: date, low: int, width: int) -> None:
    high = min(8, low + width)
    grade = sy.estimate_grade(birth, date(2026, 8, 1), low, high)
    assert low <= grade <= high

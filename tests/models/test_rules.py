"""The rules the schema itself holds: dates in order, one open level, names, references."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ib_desktop.models import (
    Group,
    GrowthDocument,
    GrowthPeriod,
    LevelAssignment,
    Opp,
    OppVersion,
    Pupil,
    PupilStatus,
    School,
    SchoolYear,
    ShortIntervention,
    SupportLevel,
)
from ib_desktop.services.school import ensure_school_year


def make_pupil(s, school_id: int, **kw) -> Pupil:
    data = dict(school_id=school_id, first_name="Sanne", last_name="Vries", tussenvoegsel="de",
                birth_date=date(2017, 5, 3))  # fmt: skip
    data.update(kw)
    p = Pupil(**data)
    s.add(p)
    s.flush()
    return p


def levels(s, school_id: int) -> list[SupportLevel]:
    return list(s.get(School, school_id).support_structure.levels)


def test_school_from_template_has_four_ordered_levels(school_db) -> None:
    with school_db.session() as s:
        lv = levels(s, school_db.school_id)
        assert [lvl.position for lvl in lv] == [1, 2, 3, 4]
        assert lv[2].required_documents == ["opp"]
        assert str(lv[0].tier) == "basis"
        assert str(lv[3].tier) == "gespecialiseerd"


def test_end_before_start_is_refused(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        s.add(
            ShortIntervention(pupil_id=p.id, start_date=date(2026, 3, 1), end_date=date(2026, 2, 1))
        )
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_one_open_level_per_pupil_and_area(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        lv = levels(s, school_db.school_id)
        s.add(
            LevelAssignment(
                pupil_id=p.id, level_id=lv[0].id, start_date=date(2022, 8, 1), reason="start"
            )
        )
        # another area may be open at the same time
        s.add(
            LevelAssignment(
                pupil_id=p.id,
                level_id=lv[2].id,
                area="Rekenen",
                start_date=date(2024, 8, 1),
                reason="rekenen",
            )
        )
        s.flush()
        pid, lid = p.id, lv[1].id
    with school_db.session() as s:
        s.add(
            LevelAssignment(
                pupil_id=pid, level_id=lid, start_date=date(2025, 1, 1), reason="tweede open"
            )
        )
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()
    with school_db.session() as s:  # a closed one next to the open one is fine
        s.add(
            LevelAssignment(
                pupil_id=pid,
                level_id=lid,
                start_date=date(2021, 1, 1),
                end_date=date(2021, 6, 1),
                reason="oud",
            )
        )
    with school_db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(LevelAssignment)) == 3


def test_level_change_needs_a_reason(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        s.add(
            LevelAssignment(
                pupil_id=p.id,
                level_id=levels(s, school_db.school_id)[0].id,
                start_date=date(2022, 8, 1),
                reason="   ",
            )
        )
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_left_pupil_needs_a_leaving_date(school_db) -> None:
    with pytest.raises(IntegrityError), school_db.session() as s:
        make_pupil(s, school_db.school_id, status=PupilStatus.VERTROKKEN)
    with school_db.session() as s:
        p = make_pupil(
            s, school_db.school_id, status=PupilStatus.VERTROKKEN, left_on=date(2026, 7, 1)
        )
        assert p.full_name == "Sanne de Vries"
        assert p.sort_name == "Vries, Sanne de"


def test_same_name_and_birth_date_is_a_duplicate(school_db) -> None:
    with school_db.session() as s:
        make_pupil(s, school_db.school_id)
    with pytest.raises(IntegrityError), school_db.session() as s:
        make_pupil(s, school_db.school_id)
    with school_db.session() as s:  # a twin with another first name is not
        make_pupil(s, school_db.school_id, first_name="Sem")


def test_foreign_keys_are_enforced(school_db) -> None:
    with school_db.session() as s:
        s.add(
            ShortIntervention(
                pupil_id=99999, start_date=date(2026, 1, 1), end_date=date(2026, 2, 1)
            )
        )
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_a_level_in_use_cannot_be_deleted(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        lvl = levels(s, school_db.school_id)[0]
        s.add(
            LevelAssignment(
                pupil_id=p.id, level_id=lvl.id, start_date=date(2022, 8, 1), reason="start"
            )
        )
        lid = lvl.id
    with pytest.raises(IntegrityError), school_db.session() as s:
        s.execute(sa.delete(SupportLevel).where(SupportLevel.id == lid))


def test_deleting_a_pupil_removes_the_file(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        doc = GrowthDocument(pupil_id=p.id, areas=["Rekenen"])
        doc.periods.append(
            GrowthPeriod(number=1, start_date=date(2026, 9, 1), end_date=date(2026, 11, 1))
        )
        s.add(doc)
        s.flush()
        pid = p.id
    with school_db.session() as s:
        s.delete(s.get(Pupil, pid))
    with school_db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(GrowthPeriod)) == 0


def test_fixed_opp_version_must_be_frozen(school_db) -> None:
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        opp = Opp(pupil_id=p.id, start_date=date(2026, 1, 1))
        opp.versions.append(OppVersion(number=1, status="vastgesteld", fixed_on=date(2026, 2, 1)))
        s.add(opp)
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_group_names_and_grades(school_db) -> None:
    with school_db.session() as s:
        year = ensure_school_year(s, date(2026, 9, 1))
        assert year.label == "2026-2027"
        assert year.counting_date == date(2026, 10, 1)
        s.add(
            Group(
                school_id=school_db.school_id,
                school_year_id=year.id,
                name="5/6",
                grade_low=5,
                grade_high=6,
            )
        )
        s.flush()
    with school_db.session() as s:
        year = s.scalars(sa.select(SchoolYear)).first()
        s.add(
            Group(
                school_id=school_db.school_id,
                school_year_id=year.id,
                name="9",
                grade_low=9,
                grade_high=9,
            )
        )
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_optimistic_lock_version_column(school_db) -> None:
    """Two sessions load the same pupil; the second save is refused, the first is kept."""
    from sqlalchemy.orm.exc import StaleDataError

    with school_db.session() as s:
        pid = make_pupil(s, school_db.school_id).id
    s1, s2 = school_db.sessionmaker(), school_db.sessionmaker()
    a, b = s1.get(Pupil, pid), s2.get(Pupil, pid)
    a.notes = "eerste"
    s1.commit()
    b.notes = "tweede"
    with pytest.raises(StaleDataError):
        s2.commit()
    s2.rollback()
    s1.close(), s2.close()
    with school_db.session() as s:
        assert s.get(Pupil, pid).notes == "eerste"


def test_deleting_a_pupil_with_a_versioned_opp(school_db) -> None:
    """Retention deletes whole files: an OPP whose version 2 points at version 1 goes too."""
    with school_db.session() as s:
        p = make_pupil(s, school_db.school_id)
        opp = Opp(pupil_id=p.id, start_date=date(2025, 1, 1))
        v1 = OppVersion(number=1)
        opp.versions.append(v1)
        s.add(opp)
        s.flush()
        opp.versions.append(OppVersion(number=2, previous_version_id=v1.id))
        s.flush()
        pid = p.id
    with school_db.session() as s:
        s.execute(sa.delete(Pupil).where(Pupil.id == pid))
    with school_db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OppVersion)) == 0

"""Every legal clock, on the day of its deadline and the day after (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from ib_desktop.models import (
    Guardian,
    LevelAssignment,
    Opp,
    OppConsent,
    OppStatus,
    OppVersion,
    Pupil,
    Registration,
    RegistrationDecision,
    SupportLevel,
)
from ib_desktop.services import deadlines
from ib_desktop.services.deadlines import Deadline, collect
from ib_desktop.services.school import create_school
from ib_desktop.storage import open_database

START = date(2026, 3, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path):
    url = (
        str(tmp_path / "t.sqlite")
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    database = open_database(url)
    with database.session() as s:
        database.school_id = create_school(s, "De Klok", today=START).id  # type: ignore[attr-defined]
    yield database
    database.dispose()


def _pupil(s, school_id: int, first: str = "Özlem") -> Pupil:
    p = Pupil(school_id=school_id, first_name=first, last_name="Çelik",
              birth_date=date(2017, 2, 3), enrolled_on=date(2021, 8, 30))  # fmt: skip
    s.add(p)
    s.flush()
    return p


def _level(s, position: int) -> int:
    return s.scalars(sa.select(SupportLevel.id).where(SupportLevel.position == position)).first()


def _lines(db, day: date, kind: str) -> list[Deadline]:
    with db.session() as s:
        return [d for d in collect(s, db.school_id, day) if d.kind == kind]


def _check_boundary(db, kind: str, due: date) -> Deadline:
    """On the deadline the clock still runs; the day after it is overdue."""
    (line,) = _lines(db, due, kind)
    assert line.due == due
    assert not line.is_overdue(due)
    assert line.when_text(due) == "vandaag"
    assert line.state(due - timedelta(days=1)) == "binnenkort"
    (after,) = _lines(db, due + timedelta(days=1), kind)
    assert after.is_overdue(due + timedelta(days=1))
    assert after.when_text(due + timedelta(days=1)) == "1 dag te laat"
    assert after.what, "every line says what to do"
    return line


def test_opp_fixed_within_six_weeks_after_the_extra_support_started(db) -> None:
    with db.session() as s:
        p = _pupil(s, db.school_id)
        s.add(LevelAssignment(pupil_id=p.id, level_id=_level(s, 3), start_date=START,
                              reason="opgeschaald"))  # fmt: skip
        pid = p.id
    line = _check_boundary(db, "opp_vaststellen", START + timedelta(weeks=6))
    assert line.target == "pupil"  # no OPP yet: the pupil file
    assert line.target_id == pid
    assert "Maak een OPP" in line.what
    with db.session() as s:
        opp = Opp(pupil_id=pid, start_date=START + timedelta(days=3))
        s.add(opp)
        s.flush()
        s.add(OppVersion(opp_id=opp.id, number=1))
        oid = opp.id
    (line,) = _lines(db, START, "opp_vaststellen")
    assert (line.target, line.target_id) == ("opp", oid)
    assert line.due == START + timedelta(weeks=6)  # the support started earlier than the OPP
    with db.session() as s:
        v = s.scalars(sa.select(OppVersion)).one()
        v.status, v.fixed_on = OppStatus.VASTGESTELD, START + timedelta(weeks=5)
        v.frozen_pupil = {}
    assert _lines(db, START + timedelta(weeks=7), "opp_vaststellen") == []


def test_a_level_in_the_basic_tier_starts_no_clock(db) -> None:
    with db.session() as s:
        p = _pupil(s, db.school_id)
        s.add(LevelAssignment(pupil_id=p.id, level_id=_level(s, 2), start_date=START,
                              reason="extra in de groep"))  # fmt: skip
    assert _lines(db, START, "opp_vaststellen") == []


def _fixed_opp(s, school_id: int, *, fixed: date, evaluated: date | None = None) -> Opp:
    p = _pupil(s, school_id)
    opp = Opp(pupil_id=p.id, start_date=fixed - timedelta(weeks=4))
    s.add(opp)
    s.flush()
    s.add(OppVersion(opp_id=opp.id, number=1, status=OppStatus.VASTGESTELD,
                     discussed_on=fixed - timedelta(days=7), fixed_on=fixed,
                     evaluated_on=evaluated, frozen_pupil={}))  # fmt: skip
    s.flush()
    return opp


def test_evaluation_with_parents_at_least_once_a_year(db) -> None:
    with db.session() as s:
        _fixed_opp(s, db.school_id, fixed=date(2025, 9, 15), evaluated=date(2026, 2, 27))
    line = _check_boundary(db, "opp_evaluatie", date(2027, 2, 27))
    assert "27 februari 2026" in line.what


def test_the_yearly_evaluation_counts_from_fixing_when_never_evaluated(db) -> None:
    with db.session() as s:
        _fixed_opp(s, db.school_id, fixed=date(2024, 2, 29))
    _check_boundary(db, "opp_evaluatie", date(2025, 2, 28))


def test_consent_pending_per_guardian_with_gezag(db) -> None:
    fixed = date(2026, 4, 10)
    with db.session() as s:
        opp = _fixed_opp(s, db.school_id, fixed=fixed)
        pid = opp.pupil_id
        s.add_all(
            [
                Guardian(pupil_id=pid, name="Ayşe Çelik", has_custody=True),
                Guardian(pupil_id=pid, name="Mehmet Çelik", has_custody=True),
                Guardian(
                    pupil_id=pid, name="Oma Çelik", relation="grootouder", has_custody=False
                ),  # fmt: skip
            ]
        )
    due = fixed - timedelta(days=7) + timedelta(weeks=6)  # asked when discussed
    lines = _lines(db, due, "toestemming")
    assert sorted(d.what.split(" om ")[0] for d in lines) == [
        "Vraag Ayşe Çelik", "Vraag Mehmet Çelik"
    ]  # fmt: skip
    assert all(not d.is_overdue(due) for d in lines)
    after = due + timedelta(days=1)
    assert all(d.is_overdue(after) for d in _lines(db, after, "toestemming"))
    with db.session() as s:
        version = s.scalars(sa.select(OppVersion)).one()
        ayse = s.scalars(sa.select(Guardian).where(Guardian.name == "Ayşe Çelik")).one()
        mehmet = s.scalars(sa.select(Guardian).where(Guardian.name == "Mehmet Çelik")).one()
        s.add(OppConsent(opp_version_id=version.id, guardian_id=ayse.id,
                         guardian_name=ayse.name, consent=True, date=fixed))  # fmt: skip
        s.add(OppConsent(opp_version_id=version.id, guardian_id=mehmet.id,
                         guardian_name=mehmet.name, consent=False, date=fixed))  # fmt: skip
    (line,) = _lines(db, fixed, "toestemming")
    assert "Mehmet Çelik weigerde" in line.what
    assert line.due == fixed
    assert line.is_overdue(fixed + timedelta(days=1))


def test_zorgplicht_six_weeks_and_four_more_when_extended(db) -> None:
    received = date(2026, 9, 7)
    with db.session() as s:
        s.add(Registration(school_id=db.school_id, child_name="Ilse Ğ. Yılmaz",
                           received_on=received))  # fmt: skip
    line = _check_boundary(db, "zorgplicht", received + timedelta(weeks=6))
    assert line.who == "Ilse Ğ. Yılmaz"
    assert "verlengen" in line.what
    with db.session() as s:
        reg = s.scalars(sa.select(Registration)).one()
        reg.extended_on, reg.parents_informed_on = received + timedelta(weeks=5), received
    _check_boundary(db, "zorgplicht", received + timedelta(weeks=10))
    with db.session() as s:
        reg = s.scalars(sa.select(Registration)).one()
        reg.decided_on = received + timedelta(weeks=9)
        reg.decision = RegistrationDecision.TOEGELATEN
    assert _lines(db, received + timedelta(weeks=11), "zorgplicht") == []


def test_an_inzage_request_is_answered_within_a_month_or_three_when_extended(db) -> None:
    from ib_desktop.models import Guardian
    from ib_desktop.services.privacy import inzage

    received = date(2026, 10, 31)  # a month later is 30 November, not 1 December
    with db.session() as s:
        pupil = _pupil(s, db.school_id)
        mother = Guardian(pupil_id=pupil.id, name="Ayşe Çelik", relation="moeder",
                          has_custody=True)  # fmt: skip
        s.add(mother)
        s.flush()
        inzage.add_request(s, pupil.id, mother.id, received, today=received)
    line = _check_boundary(db, "inzage", date(2026, 11, 30))
    assert line.who == "Özlem Çelik"
    assert "Ayşe Çelik" in line.what
    with db.session() as s:
        (request,) = inzage.open_requests(s, db.school_id)
        on = date(2026, 11, 20)
        inzage.extend_request(
            s,
            request.id,
            "veel stukken",
            extended_on=on,
            today=on,
            expected_version=request.version,
        )
    _check_boundary(db, "inzage", date(2027, 1, 31))
    with db.session() as s:
        (request,) = inzage.open_requests(s, db.school_id)
        inzage.complete_request(s, request.id, date(2027, 1, 15), today=date(2027, 1, 15),
                                expected_version=request.version)  # fmt: skip
    assert _lines(db, date(2027, 2, 1), "inzage") == []


@pytest.mark.parametrize(
    ("kind_text", "clock", "weeks"),
    [
        ("TLV SBO, categorie laag", "tlv", deadlines.TLV_RENEWAL_WEEKS),
        ("Arrangement gedrag", "arrangement", deadlines.ARRANGEMENT_RENEWAL_WEEKS),
    ],
)
def test_arrangement_and_tlv_end_the_moment_to_request_a_renewal(
    db, kind_text: str, clock: str, weeks: int
) -> None:
    end = date(2027, 7, 15)
    with db.session() as s:
        opp = _fixed_opp(s, db.school_id, fixed=date(2026, 9, 1))
        v = s.scalars(sa.select(OppVersion).where(OppVersion.opp_id == opp.id)).one()
        v.arrangement_kind, v.arrangement_end = kind_text, end
    line = _check_boundary(db, clock, end - timedelta(weeks=weeks))
    assert "15 juli 2027" in line.what
    assert "verlenging" in line.what.lower()


def test_a_pluggable_source_joins_the_list(db) -> None:
    """The inzage register (another branch) plugs its one-month deadline in the same way."""
    due = date(2026, 12, 1)

    def inzage(session, school_id, today):
        assert school_id == db.school_id
        return [Deadline("inzage", due, "Familie Dvořák", "Beantwoord het inzageverzoek")]

    deadlines.register_source("inzage-test", inzage)
    try:
        (line,) = _lines(db, due, "inzage")
        assert not line.is_overdue(due)
        assert line.is_overdue(due + timedelta(days=1))
    finally:
        deadlines.unregister_source("inzage-test")
    assert _lines(db, due, "inzage") == []


def test_within_keeps_overdue_and_near_lines_only(db) -> None:
    with db.session() as s:
        s.add(Registration(school_id=db.school_id, child_name="Vroeg", received_on=START))
        s.add(Registration(school_id=db.school_id, child_name="Laat",
                           received_on=START + timedelta(weeks=20)))  # fmt: skip
    with db.session() as s:
        near = collect(s, db.school_id, START + timedelta(weeks=7), within_days=14)
    assert [d.who for d in near] == ["Vroeg"]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_year_after_any_day_is_the_same_day_next_year_or_28_february(day: date) -> None:
    later = deadlines._add_year(day)
    assert later.year == day.year + 1
    assert (later.month, later.day) == ((2, 28) if (day.month, day.day) == (2, 29) else
                                        (day.month, day.day))  # fmt: skip


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=-400, max_value=400))  # fmt: skip
def test_a_line_is_overdue_exactly_from_the_day_after_its_deadline(due: date, offset: int) -> None:
    line = Deadline("zorgplicht", due, "Kind", "Besluit")
    today = due + timedelta(days=offset)
    assert line.is_overdue(today) == (offset > 0)
    assert line.days_left(today) == -offset
    assert line.state(today) == (
        "te laat" if offset > 0 else "binnenkort" if offset >= -14 else "loopt"
    )

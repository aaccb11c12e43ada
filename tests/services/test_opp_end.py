"""Ending an OPP and undoing the end: validation, the change log, read-only, a new OPP after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.models import ChangeLog, Opp, OppStatus, OppVersion, Outcome, Pupil, PupilStatus
from ib_desktop.schedule import compute_moments
from ib_desktop.services import opp as svc
from ib_desktop.validation import ReadOnlyError, ValidationError, ValidationErrors
from tests.conftest import TODAY
from tests.services.test_opp import FRESH, fixed_version

YESTERDAY = TODAY - timedelta(days=1)


def demo_opp(db, *statuses: OppStatus) -> int:
    """A running demo OPP whose newest version has one of ``statuses``."""
    newest = (
        sa.select(OppVersion.opp_id, sa.func.max(OppVersion.number).label("n"))
        .group_by(OppVersion.opp_id)
        .subquery()
    )
    with db.session() as s:
        return s.execute(
            sa.select(OppVersion.opp_id)
            .join(
                newest, (newest.c.opp_id == OppVersion.opp_id) & (newest.c.n == OppVersion.number)
            )
            .join(Opp, Opp.id == OppVersion.opp_id)
            .where(OppVersion.status.in_([st.value for st in statuses]), Opp.end_date.is_(None))
            .order_by(OppVersion.opp_id)
            .limit(1)
        ).scalar_one()


def log(session, opp_id: int) -> list[ChangeLog]:
    return list(
        session.scalars(
            sa.select(ChangeLog)
            .where(ChangeLog.entity == "opp", ChangeLog.entity_id == opp_id)
            .order_by(ChangeLog.id)
        )
    )


def open_opp_moments(session, school_id: int, opp_id: int) -> list:
    return [
        m
        for m in compute_moments(session, school_id, today=TODAY)
        if m.source_kind == "opp" and m.source_id == opp_id and m.done_on is None
    ]


# ------------------------------------------------------------------------------- ending


def test_end_opp_sets_the_end_date_and_logs_the_reason(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s:
        period = svc.end_opp(
            s, opp_id, end_date=YESTERDAY, reason="  Doelen behaald.  ", today=TODAY, actor="IB"
        )
    assert period.is_ended
    assert period.end_date == YESTERDAY
    assert period.end_reason == "Doelen behaald."
    with demo_db.session() as s:
        assert s.get(Opp, opp_id).end_date == YESTERDAY
        entry = log(s, opp_id)[-1]
        data = svc.load_version(s, svc.newest_version_id(s, opp_id))
    assert (entry.action, entry.field, entry.new_value, entry.actor) == (
        "beëindigd",
        "end_date",
        YESTERDAY.isoformat(),
        "IB",
    )
    assert entry.summary == "OPP beëindigd op 17-11-2026: Doelen behaald."
    assert data.is_ended
    assert data.opp_end_date == YESTERDAY
    assert data.opp_end_reason == "Doelen behaald."


def test_reason_is_required_and_end_not_before_the_start(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=TODAY)
    with demo_db.session() as s, pytest.raises(ValidationErrors) as exc:
        svc.end_opp(s, data.opp_id, end_date=YESTERDAY, reason="   ")
    assert exc.value.errors["reason"] == "Vul de reden in waarom het OPP wordt beëindigd."
    assert "gestart op 18-11-2026" in exc.value.errors["end_date"]
    with demo_db.session() as s:
        assert s.get(Opp, data.opp_id).end_date is None
        assert log(s, data.opp_id)[-1].action == "aangemaakt"


def test_end_in_the_future_is_refused_when_today_is_given(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s, pytest.raises(ValidationErrors) as exc:
        svc.end_opp(s, opp_id, end_date=TODAY + timedelta(days=1), reason="Verhuisd.", today=TODAY)
    assert "toekomst" in exc.value.errors["end_date"]


def test_end_not_before_the_newest_fixed_version(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.VASTGESTELD)
    with demo_db.session() as s:
        fixed = svc.load_version(s, svc.newest_version_id(s, opp_id))
        start = s.get(Opp, opp_id).start_date
    assert fixed.fixed_on is not None
    assert start < fixed.fixed_on
    too_early = fixed.fixed_on - timedelta(days=1)
    with demo_db.session() as s, pytest.raises(ValidationErrors) as exc:
        svc.end_opp(s, opp_id, end_date=too_early, reason="Naar het SBO.")
    assert set(exc.value.errors) == {"end_date"}
    assert exc.value.errors["end_date"] == (
        f"Versie {fixed.number} is op {fixed.fixed_on:%d-%m-%Y} vastgesteld; de einddatum kan "
        "niet daarvoor liggen."
    )
    with demo_db.session() as s:
        svc.end_opp(s, opp_id, end_date=fixed.fixed_on, reason="Naar het SBO.")
        assert s.get(Opp, opp_id).end_date == fixed.fixed_on


def test_an_ended_opp_cannot_be_ended_again(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s:
        svc.end_opp(s, opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
    with demo_db.session() as s, pytest.raises(ValidationError, match="al beëindigd op 17-11-2026"):
        svc.end_opp(s, opp_id, end_date=TODAY, reason="Nog eens.")


def test_the_opp_of_a_pupil_who_left_is_not_ended_or_reopened_here(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=YESTERDAY)
        pupil = s.get(Pupil, FRESH)
        pupil.status = PupilStatus.VERTROKKEN
        pupil.left_on = TODAY
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="verlaten"):
        svc.end_opp(s, data.opp_id, end_date=TODAY, reason="Vertrokken.")
    with demo_db.session() as s:
        s.get(Opp, data.opp_id).end_date = TODAY
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="verlaten"):
        svc.reopen_opp(s, data.opp_id)


# ------------------------------------------------------------------------------- read-only


def test_an_ended_opp_refuses_every_change_until_reopened(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=YESTERDAY)
        svc.end_opp(s, data.opp_id, end_date=TODAY, reason="Ondersteuning niet meer nodig.")
    data.adjustments = "Na het einde."
    with demo_db.session() as s, pytest.raises(ReadOnlyError) as exc:
        svc.save_version(s, data)
    assert str(exc.value) == (
        "Dit OPP is beëindigd op 18-11-2026 en kan alleen nog worden ingezien. Maak de "
        "beëindiging eerst ongedaan om het te wijzigen."
    )
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="beëindigd"):
        svc.mark_discussed(s, data.id, on=TODAY, summary="Besproken.")
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="beëindigd"):
        svc.fix_version(s, data.id, on=TODAY)
    with demo_db.session() as s:
        assert svc.load_version(s, data.id).adjustments == ""
        svc.reopen_opp(s, data.opp_id)
    with demo_db.session() as s:
        saved = svc.save_version(s, data)
    assert saved.adjustments == "Na het einde."
    assert not saved.is_ended
    assert saved.opp_end_reason == ""


def test_a_fixed_version_of_an_ended_opp_cannot_be_evaluated(demo_db) -> None:
    fixed = fixed_version(demo_db)
    with demo_db.session() as s:
        svc.end_opp(s, fixed.opp_id, end_date=TODAY, reason="Naar het SBO.")
    results = {g.id: (Outcome.BEHAALD, "") for g in fixed.goals}
    with demo_db.session() as s, pytest.raises(ReadOnlyError, match="beëindigd"):
        svc.evaluate_version(s, fixed.id, on=TODAY, results=results)


# ------------------------------------------------------------------------------- reopening


def test_reopen_clears_the_end_and_logs_it(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s:
        svc.end_opp(s, opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
    with demo_db.session() as s:
        period = svc.reopen_opp(s, opp_id, actor="IB")
    assert not period.is_ended
    assert period.end_reason == ""
    with demo_db.session() as s:
        assert s.get(Opp, opp_id).end_date is None
        entry = log(s, opp_id)[-1]
    assert (entry.action, entry.field, entry.old_value, entry.new_value, entry.actor) == (
        "weer lopend",
        "end_date",
        YESTERDAY.isoformat(),
        "",
        "IB",
    )
    assert "17-11-2026" in entry.summary
    assert "Doelen behaald." in entry.summary


def test_a_running_opp_cannot_be_reopened(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s, pytest.raises(ValidationError, match="loopt nog"):
        svc.reopen_opp(s, opp_id)


def test_the_schedule_stops_planning_after_the_end_and_resumes_after_reopening(demo_db) -> None:
    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    school_id = demo_db.school_id
    with demo_db.session() as s:
        assert open_opp_moments(s, school_id, opp_id)
        svc.end_opp(s, opp_id, end_date=TODAY, reason="Doelen behaald.")
    with demo_db.session() as s:
        # The end date itself still counts: the OPP runs up to and including it.
        assert open_opp_moments(s, school_id, opp_id)
        svc.reopen_opp(s, opp_id)
        svc.end_opp(s, opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
    with demo_db.session() as s:
        assert open_opp_moments(s, school_id, opp_id) == []
        svc.reopen_opp(s, opp_id)
    with demo_db.session() as s:
        assert open_opp_moments(s, school_id, opp_id)


# ------------------------------------------------------------------------------- a new OPP after


def test_a_new_opp_starts_after_the_end_and_then_the_old_one_stays_ended(demo_db) -> None:
    with demo_db.session() as s:
        old = svc.start_opp(s, FRESH, on=date(2026, 9, 1))
        svc.end_opp(s, old.opp_id, end_date=TODAY, reason="Doelen behaald.")
        name = s.get(Pupil, FRESH).full_name
    with demo_db.session() as s, pytest.raises(ValidationError) as exc:
        svc.start_opp(s, FRESH, on=TODAY)
    assert exc.value.message == (
        f"Het vorige OPP van {name} loopt tot en met 18-11-2026; een nieuw OPP kan pas op "
        "19-11-2026 starten."
    )
    with demo_db.session() as s:
        new = svc.start_opp(s, FRESH, on=TODAY + timedelta(days=1))
        assert svc.opp_for_pupil(s, FRESH) == new.opp_id
    assert new.opp_id != old.opp_id
    assert not new.is_ended
    with demo_db.session() as s, pytest.raises(ValidationError, match="nieuw OPP .* gestart"):
        svc.reopen_opp(s, old.opp_id)
    with demo_db.session() as s:
        assert s.get(Opp, old.opp_id).end_date == TODAY


def test_opps_without_consent_skip_ended_opps(demo_db) -> None:
    with demo_db.session() as s:
        data = svc.start_opp(s, FRESH, on=YESTERDAY)
        guardian = svc.custody_guardians(svc.pupil_part_data(s, data))[0]
        svc.record_consent(
            s, data.id, guardian["id"], consent=False, on=TODAY, view="Niet eens met de doelen."
        )
        assert [i.opp_id for i in svc.opps_without_consent(s, demo_db.school_id)] == [data.opp_id]
        svc.end_opp(s, data.opp_id, end_date=TODAY, reason="Ouders willen geen OPP.")
        assert svc.opps_without_consent(s, demo_db.school_id) == []


def test_recovery_payload_keeps_the_end(demo_db) -> None:
    import json

    opp_id = demo_opp(demo_db, OppStatus.CONCEPT, OppStatus.BESPROKEN)
    with demo_db.session() as s:
        svc.end_opp(s, opp_id, end_date=YESTERDAY, reason="Doelen behaald.")
        data = svc.load_version(s, svc.newest_version_id(s, opp_id))
    payload = json.loads(json.dumps(svc.data_to_dict(data)))
    assert svc.data_from_dict(payload) == data

"""Retention on schedule: the due files go, with their record; nothing of them is left anywhere."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from ib_desktop.cli import main
from ib_desktop.models import (
    Base,
    Guardian,
    Meeting,
    MeetingKind,
    Opp,
    Pupil,
    PupilStatus,
    Registration,
    RetentionRecord,
)
from ib_desktop.services import pupil as pf
from ib_desktop.services.privacy import inzage, pupil_data, retention
from ib_desktop.validation import ValidationErrors
from tests.conftest import TODAY

UNIQUE = ("Zoë", "Ğülşen-Ÿpsilon")


@pytest.fixture(params=["sqlite", "postgresql"])
def school(request, tmp_path: Path):
    """A small demo school on either engine."""
    from ib_desktop.demo import generate
    from ib_desktop.services.school import get_school
    from ib_desktop.storage import open_database

    if request.param == "sqlite":
        database = open_database(tmp_path / "school.sqlite")
    else:
        database = open_database(request.getfixturevalue("pg_url"))
    generate(database, pupils=120, seed=7, today=TODAY)
    with database.session() as s:
        database.school_id = get_school(s).id  # type: ignore[attr-defined]
    yield database
    database.dispose()


def _leave(s, pupil_id: int, kind: str) -> None:
    pf.leave_school(s, pupil_id, TODAY, kind, today=TODAY, actor="IB")


def _setup(db) -> dict[str, int]:
    """Four leavers: two due in two years' time (one with an OPP), two referrals (three)."""
    with db.session() as s:
        active = list(
            s.scalars(sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF).order_by(Pupil.id))
        )
        with_opp = s.scalars(sa.select(Opp.pupil_id).order_by(Opp.id).limit(1)).one()
        others = [p for p in active if p.id != with_opp]
        ids = {"opp": with_opp, "plain": others[0].id, "sbo": others[1].id, "so": others[2].id}
        stay = others[3]
        opp_pupil = s.get(Pupil, with_opp)
        opp_pupil.first_name, opp_pupil.last_name = UNIQUE
        guardian = s.scalars(sa.select(Guardian).where(Guardian.pupil_id == with_opp)).first()
        guardian.has_custody = True
        s.flush()
        inzage.add_request(s, with_opp, guardian.id, TODAY, today=TODAY, actor="IB")
        s.add(
            Registration(
                school_id=db.school_id,
                pupil_id=with_opp,
                child_name=" ".join(UNIQUE),
                received_on=TODAY - timedelta(days=400),
            )
        )
        shared = Meeting(school_id=db.school_id, kind=MeetingKind.MDO, date=TODAY, title="MDO")
        shared.pupils = [opp_pupil, stay]
        alone = Meeting(school_id=db.school_id, kind=MeetingKind.MDO, date=TODAY, title="Alleen")
        alone.pupils = [opp_pupil]
        s.add_all([shared, alone])
        s.flush()
        ids["shared_meeting"], ids["alone_meeting"], ids["stay"] = shared.id, alone.id, stay.id
    with db.session() as s:
        _leave(s, ids["opp"], "verhuizing")
        _leave(s, ids["plain"], "vo")
        _leave(s, ids["sbo"], "sbo")
        _leave(s, ids["so"], "so")
    return ids


def _all_keys(s) -> dict[str, set[tuple]]:
    out = {}
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        out[table.name] = {tuple(r) for r in s.execute(sa.select(*pk))}
    return out


def _text_of_everything(s) -> str:
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in s.execute(sa.select(table)):
            parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_retention_deletes_the_due_pupils_only_with_the_record(school) -> None:
    ids = _setup(school)
    two_years = TODAY + relativedelta(years=2)
    with school.session() as s:
        before = {k: pupil_data.pupil_row_keys(s, ids[k]) for k in ("opp", "plain", "sbo", "so")}
        everything_before = _all_keys(s)
        mine = {ids[k] for k in ("opp", "plain", "sbo", "so")}
        view = retention.overview(s, school.school_id, today=two_years - timedelta(days=1))
        assert not {i.pupil_id for i in view.due} & mine
        view = retention.overview(s, school.school_id, today=two_years, upcoming=50)
        assert {i.pupil_id for i in view.due} & mine == {ids["opp"], ids["plain"]}
        assert {i.pupil_id for i in view.upcoming} >= {ids["sbo"], ids["so"]}
        earlier_leavers = {i.pupil_id for i in view.due} - mine
        assert all(
            i.delete_after == TODAY + relativedelta(years=3)
            for i in view.upcoming
            if i.pupil_id in (ids["sbo"], ids["so"])
        )
        # The list shown was the two; a file that became due later is not in it.
        records = retention.apply(
            s, school.school_id, today=two_years, only=[ids["opp"], ids["plain"]], actor="IB-er"
        )
        assert len(records) == 2
    with school.session() as s:
        after = _all_keys(s)
        gone = set()
        for key in ("opp", "plain"):
            for table, keys in before[key].items():
                if table in pupil_data.plan_for().linked:
                    continue
                left = keys & after[table]
                assert not left, (key, table, left)
                gone |= {(table, k) for k in keys}
        assert s.get(Meeting, ids["alone_meeting"]) is None
        shared = s.get(Meeting, ids["shared_meeting"])
        assert [p.id for p in shared.pupils] == [ids["stay"]]
        # The others' rows are all still there.
        for table, keys in everything_before.items():
            kept = {k for k in keys if (table, k) not in gone}
            if table in ("meetings", "meeting_participants"):
                continue
            assert kept <= after[table], table
        for key in ("sbo", "so"):
            assert pupil_data.pupil_row_keys(s, ids[key]) == before[key]
        for pupil_id in earlier_leavers:  # due as well, but not in the list confirmed
            assert s.get(Pupil, pupil_id) is not None
        assert " ".join(UNIQUE) not in _text_of_everything(s)
        assert UNIQUE[1] not in _text_of_everything(s)
        recs = list(s.scalars(sa.select(RetentionRecord).order_by(RetentionRecord.id)))
        assert len(recs) == 2
        for rec in recs:
            assert rec.actor == "IB-er"
            assert rec.left_on == TODAY
            assert "2 jaar na vertrek" in rec.retention_rule
            assert "op schema" in rec.retention_rule
            assert UNIQUE[1] not in rec.pupil_reference + rec.retention_rule
    with school.session() as s:
        view = retention.overview(s, school.school_id, today=TODAY + relativedelta(years=3))
        due = [i for i in view.due if i.pupil_id in (ids["sbo"], ids["so"])]
        assert len(due) == 2
        assert all(i.referral for i in due)


def test_a_pupil_back_at_school_is_not_deleted_by_a_confirmed_list(school_db) -> None:
    with school_db.session() as s:
        p = pf.create_pupil(
            s,
            school_db.school_id,
            pf.PupilData(first_name="Ali", last_name="Yılmaz", birth_date=date(2017, 1, 2)),
            today=TODAY,
        )
        pupil_id = p.id
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
    later = TODAY + relativedelta(years=2)
    with school_db.session() as s:
        shown = [i.pupil_id for i in retention.overview(s, school_db.school_id, today=later).due]
        assert shown == [pupil_id]
        pf.reactivate(s, pupil_id, today=TODAY)
    with school_db.session() as s:
        assert retention.apply(s, school_db.school_id, today=later, only=shown) == []
        assert s.get(Pupil, pupil_id) is not None


def test_the_board_sets_the_terms_and_the_dates_follow(school_db) -> None:
    with school_db.session() as s:
        p = pf.create_pupil(
            s,
            school_db.school_id,
            pf.PupilData(first_name="Daan", last_name="Bos", birth_date=date(2017, 1, 2)),
            today=TODAY,
        )
        pf.leave_school(s, p.id, TODAY, "sbo", today=TODAY)
        pupil_id = p.id
    with school_db.session() as s:
        with pytest.raises(ValidationErrors) as err:
            retention.set_terms(s, school_db.school_id, 0, 3)
        assert "retention_years" in err.value.errors
        assert retention.set_terms(s, school_db.school_id, 1, 5) == 1
    with school_db.session() as s:
        assert s.get(Pupil, pupil_id).delete_after == TODAY + relativedelta(years=5)
        view = retention.overview(s, school_db.school_id, today=TODAY)
        assert (view.years, view.years_special, view.longest_years) == (1, 5, 5)


def test_retention_command_lists_and_deletes_after_confirmation(
    demo_db, tmp_path, capsys, monkeypatch
) -> None:
    with demo_db.session() as s:
        pupil = s.scalars(
            sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF).order_by(Pupil.id)
        ).first()
        pupil_id, name = pupil.id, pupil.full_name
        pf.leave_school(s, pupil_id, TODAY, "vo", today=TODAY)
        s.get(Pupil, pupil_id).delete_after = TODAY - timedelta(days=1)  # an old departure
    demo_db.dispose()
    args = ["retention", "--database", str(demo_db.path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Nu te verwijderen: 1 dossier(s)" in out
    assert name in out
    # No terminal to ask: nothing happens without --yes.
    assert main([*args, "--apply"]) == 1
    from ib_desktop.storage import open_database

    db = open_database(demo_db.path)
    with db.session() as s:
        assert s.get(Pupil, pupil_id) is not None
    db.dispose()
    assert main([*args, "--apply", "--yes"]) == 0
    assert "Verwijderd: 1 dossier(s)" in capsys.readouterr().out
    db = open_database(demo_db.path)
    with db.session() as s:
        assert s.get(Pupil, pupil_id) is None
        assert s.scalars(sa.select(sa.func.count()).select_from(RetentionRecord)).one() == 1
    db.dispose()


def test_the_school_settings_carry_the_terms(school_db) -> None:
    from ib_desktop.services import school_settings as ss

    with school_db.session() as s:
        p = pf.create_pupil(
            s,
            school_db.school_id,
            pf.PupilData(first_name="Noor", last_name="Öztürk", birth_date=date(2017, 1, 2)),
            today=TODAY,
        )
        pf.leave_school(s, p.id, TODAY, "andere_basisschool", today=TODAY)
        pupil_id = p.id
        data = ss.load_school_settings(s, school_db.school_id)
        assert (data.retention_years, data.retention_years_special) == (2, 3)
        data.retention_years = 21
        with pytest.raises(ValidationErrors) as err:
            ss.save_school_settings(s, school_db.school_id, data)
        assert "retention_years" in err.value.errors
    with school_db.session() as s:
        data = ss.load_school_settings(s, school_db.school_id)
        data.retention_years = 4
        saved = ss.save_school_settings(s, school_db.school_id, data)
        assert saved.retention_years == 4
    with school_db.session() as s:
        assert s.get(Pupil, pupil_id).delete_after == TODAY + relativedelta(years=4)

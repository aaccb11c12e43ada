"""Rules of the pupil file, tested without Qt: validation, duplicates, locking, leaving school."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.models import (
    ChangeLog,
    DocumentKind,
    GroupMembership,
    Guardian,
    LevelAssignment,
    Meeting,
    MeetingKind,
    Opp,
    Pupil,
    PupilStatus,
    RetentionRecord,
    School,
    SupportLevel,
)
from ib_desktop.services import levels as level_service
from ib_desktop.services import pupil as pf
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors
from tests.conftest import TODAY


def _levels(session, school_id) -> list[SupportLevel]:
    return list(session.get(School, school_id).support_structure.levels)


def _new(session, school_id, **kw) -> Pupil:
    data = pf.PupilData(
        first_name=kw.pop("first_name", "Sanne"),
        tussenvoegsel=kw.pop("tussenvoegsel", "de"),
        last_name=kw.pop("last_name", "Vries"),
        birth_date=kw.pop("birth_date", date(2018, 3, 12)),
        first_school_day=kw.pop("first_school_day", date(2022, 3, 14)),
        **kw,
    )
    return pf.create_pupil(session, school_id, data, today=TODAY, actor="Test")


@pytest.fixture
def pupil_id(school_db) -> int:
    with school_db.session() as s:
        return _new(s, school_db.school_id).id


# ---------------------------------------------------------------------------- personal data


def test_create_pupil_places_on_lowest_level_and_logs(school_db) -> None:
    with school_db.session() as s:
        p = _new(s, school_db.school_id)
        pid = p.id
    with school_db.session() as s:
        current = level_service.current_assignment(s, pid)
        assert current is not None
        assert current.level.position == 1
        assert current.start_date == TODAY
        actions = s.scalars(sa.select(ChangeLog.action).where(ChangeLog.entity_id == pid)).all()
        assert "aangemaakt" in actions


def test_create_pupil_with_chosen_level_and_group(demo_db) -> None:
    with demo_db.session() as s:
        groups = pf.group_choices(s, demo_db.school_id, TODAY)
        level3 = pf.school_levels(s, demo_db.school_id)[2]
        p = _new(s, demo_db.school_id, group_id=groups[0][0], lvs_id="X-1")
        pid = p.id
        p2 = pf.create_pupil(
            s,
            demo_db.school_id,
            pf.PupilData(first_name="Ali", last_name="Bakir", birth_date=date(2017, 1, 2)),
            level_id=level3.id,
            today=TODAY,
        )
        pid2 = p2.id
    with demo_db.session() as s:
        membership = s.scalars(
            sa.select(GroupMembership).where(GroupMembership.pupil_id == pid)
        ).one()
        assert membership.group_id == groups[0][0]
        assert level_service.current_assignment(s, pid2).level_id == level3.id


def test_duplicate_pupil_refused_case_and_spaces_ignored(school_db, pupil_id) -> None:
    with school_db.session() as s, pytest.raises(ValidationErrors) as err:
        _new(s, school_db.school_id, first_name=" sanne ", last_name="VRIES")
    assert "name" in err.value.errors
    assert "al een leerling" in err.value.errors["name"]
    # Same name, other birth date: a different child.
    with school_db.session() as s:
        _new(s, school_db.school_id, birth_date=date(2018, 3, 13))


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"first_name": "  "}, "first_name", "voornaam"),
        ({"last_name": ""}, "last_name", "achternaam"),
        ({"birth_date": None}, "birth_date", "geboortedatum"),
        ({"birth_date": TODAY + timedelta(days=1)}, "birth_date", "toekomst"),
        ({"birth_date": date(1990, 1, 1)}, "birth_date", "jaartal"),
        ({"first_school_day": TODAY + timedelta(days=3)}, "first_school_day", "toekomst"),
        ({"first_school_day": date(2017, 1, 1)}, "first_school_day", "vóór de geboortedatum"),
        ({"enrolled_on": date(2017, 1, 1)}, "enrolled_on", "vóór de geboortedatum"),
        ({"gender": "q"}, "gender", "geslacht"),
    ],
)
def test_bad_personal_data_named_by_field(school_db, changes, field, fragment) -> None:
    data = pf.PupilData(first_name="Tim", last_name="Bos", birth_date=date(2018, 1, 1))
    for k, v in changes.items():
        setattr(data, k, v)
    with school_db.session() as s:
        errors, _warnings = pf.check_pupil(s, school_db.school_id, data, today=TODAY)
    assert fragment in errors[field]


def test_first_school_day_before_fourth_birthday_is_a_warning_only(school_db) -> None:
    data = pf.PupilData(
        first_name="Tim",
        last_name="Bos",
        birth_date=date(2018, 6, 1),
        first_school_day=date(2022, 3, 1),
    )
    with school_db.session() as s:
        errors, warnings = pf.check_pupil(s, school_db.school_id, data, today=TODAY)
        assert errors == {}
        assert "vierde verjaardag" in warnings["first_school_day"]
        pf.create_pupil(s, school_db.school_id, data, today=TODAY)  # not refused


def test_duplicate_lvs_id_refused(school_db) -> None:
    with school_db.session() as s:
        _new(s, school_db.school_id, lvs_id="123")
    with school_db.session() as s, pytest.raises(ValidationErrors) as err:
        _new(s, school_db.school_id, first_name="Piet", lvs_id="123")
    assert "Sanne de Vries" in err.value.errors["lvs_id"]


def test_update_pupil_logs_each_field_and_bumps_version(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        data = pf.load_pupil_data(p)
        version = p.version
    data.first_name = "Sandra"
    data.notes = "Draagt een bril."
    with school_db.session() as s:
        new_version, _ = pf.update_pupil(s, pupil_id, data, expected_version=version, today=TODAY)
    assert new_version == version + 1
    with school_db.session() as s:
        rows = s.scalars(
            sa.select(ChangeLog).where(
                ChangeLog.entity_id == pupil_id, ChangeLog.action == "gewijzigd"
            )
        ).all()
        fields = {(r.field, r.old_value, r.new_value) for r in rows}
        assert ("voornaam", "Sanne", "Sandra") in fields
        assert ("notities", "", "Draagt een bril.") in fields


def test_stale_save_is_refused_and_writes_nothing(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        data = pf.load_pupil_data(p)
        version = p.version
    other = pf.PupilData(**vars(data))
    other.notes = "Opgeslagen op een andere laptop."
    with school_db.session() as s:
        pf.update_pupil(s, pupil_id, other, expected_version=version, today=TODAY)
    data.first_name = "Sandra"
    with school_db.session() as s, pytest.raises(ConcurrentEditError):
        pf.update_pupil(s, pupil_id, data, expected_version=version, today=TODAY)
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        assert p.first_name == "Sanne"
        assert p.notes == "Opgeslagen op een andere laptop."


def test_recovery_dict_round_trip() -> None:
    data = pf.PupilData(
        first_name="Zoë", last_name="Öztürk", birth_date=date(2018, 2, 3), group_id=4
    )
    assert pf.pupil_data_from_dict(pf.pupil_data_to_dict(data)) == data


# ---------------------------------------------------------------------------- child records


def test_guardian_rules_and_save(school_db, pupil_id) -> None:
    bad = pf.GuardianData(name=" ", phone="bel me", email="jan@")
    with school_db.session() as s, pytest.raises(ValidationErrors) as err:
        pf.save_guardian(s, pupil_id, bad)
    assert set(err.value.errors) == {"name", "phone", "email"}
    good = pf.GuardianData(
        name="Jan  de Vries", relation="vader", phone="+31 6 12345678", email="jan@example.nl"
    )
    with school_db.session() as s:
        gid = pf.save_guardian(s, pupil_id, good)
    with school_db.session() as s:
        g = s.get(Guardian, gid)
        assert g.name == "Jan de Vries"
        loaded = pf.load_guardian(s, pupil_id, gid)
    loaded.has_custody = False
    with school_db.session() as s:
        pf.save_guardian(s, pupil_id, loaded)
    with school_db.session() as s:
        assert s.get(Guardian, gid).has_custody is False
        pf.delete_guardian(s, pupil_id, gid)
    with school_db.session() as s:
        assert s.get(Guardian, gid) is None
        with pytest.raises(pf.RecordGoneError):
            pf.load_guardian(s, pupil_id, gid)


def test_care_provider_end_before_start(school_db, pupil_id) -> None:
    data = pf.CareProviderData(
        organisation="Sociaal wijkteam", start_date=date(2026, 5, 1), end_date=date(2026, 4, 1)
    )
    with school_db.session() as s, pytest.raises(ValidationErrors) as err:
        pf.save_care_provider(s, pupil_id, data)
    assert "vóór de begindatum" in err.value.errors["end_date"]
    data.end_date = date(2027, 1, 1)  # planned help may end in the future
    with school_db.session() as s:
        assert pf.save_care_provider(s, pupil_id, data) > 0


def test_history_and_assessment_dates(school_db, pupil_id) -> None:
    with school_db.session() as s:
        with pytest.raises(ValidationErrors) as err:
            pf.save_history(
                s,
                pupil_id,
                pf.HistoryData(institution="Peuterspeelzaal", start_date=TODAY + timedelta(days=5)),
                today=TODAY,
            )
        assert "toekomst" in err.value.errors["start_date"]
        with pytest.raises(ValidationErrors) as err:
            pf.save_history(
                s,
                pupil_id,
                pf.HistoryData(
                    institution="", start_date=date(2021, 1, 1), end_date=date(2020, 1, 1)
                ),
                today=TODAY,
            )
        assert set(err.value.errors) == {"institution", "end_date"}
        with pytest.raises(ValidationErrors) as err:
            pf.save_assessment(
                s,
                pupil_id,
                pf.AssessmentData(date=TODAY + timedelta(days=1), kind="WISC"),
                today=TODAY,
            )
        assert "toekomst" in err.value.errors["date"]
        with pytest.raises(ValidationErrors) as err:
            pf.save_assessment(s, pupil_id, pf.AssessmentData(date=None, kind=""), today=TODAY)
        assert set(err.value.errors) == {"date", "kind"}


def test_sensitive_assessment_keeps_content_out_of_change_log(school_db, pupil_id) -> None:
    data = pf.AssessmentData(
        date=date(2025, 5, 1),
        kind="Psychologisch onderzoek",
        conclusion="Geheim verslag",
        sensitive=True,
    )
    with school_db.session() as s:
        aid = pf.save_assessment(s, pupil_id, data, today=TODAY)
    data.id = aid
    data.conclusion = "Nog geheimer"
    with school_db.session() as s:
        pf.save_assessment(s, pupil_id, data, today=TODAY)
    with school_db.session() as s:
        texts = " ".join(
            f"{r.old_value} {r.new_value} {r.summary}"
            for r in s.scalars(sa.select(ChangeLog).where(ChangeLog.entity_id == pupil_id))
        )
    assert "geheim" not in texts.lower()
    assert "Psychologisch" not in texts


def test_meetings_held_not_in_future_and_shared_meeting_kept(demo_db) -> None:
    with demo_db.session() as s:
        a, b = s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF)
            .order_by(Pupil.id)
            .limit(2)
        ).all()
        with pytest.raises(ValidationErrors) as err:
            pf.save_meeting(
                s, a, pf.MeetingData(date=TODAY + timedelta(days=2), held=True), today=TODAY
            )
        assert "toekomst" in err.value.errors["date"]
        planned = pf.save_meeting(
            s,
            a,
            pf.MeetingData(kind=MeetingKind.MDO, date=TODAY + timedelta(days=2), held=False),
            today=TODAY,
        )
        shared = s.get(Meeting, planned)
        shared.pupils.append(s.get(Pupil, b))
    with demo_db.session() as s:
        assert pf.delete_meeting(s, a, planned) is False  # about b as well: only unlinked
    with demo_db.session() as s:
        m = s.get(Meeting, planned)
        assert [p.id for p in m.pupils] == [b]
        assert pf.delete_meeting(s, b, planned) is True
    with demo_db.session() as s:
        assert s.get(Meeting, planned) is None


# ---------------------------------------------------------------------------- levels


def test_change_level_can_create_the_meeting(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        lv = _levels(s, school_db.school_id)
        change = level_service.change_level(
            s,
            p,
            lv[2],
            TODAY,
            "Geen groei na twee perioden.",
            today=TODAY,
            new_meeting_kind="mdo",
            new_meeting_date=TODAY - timedelta(days=1),
        )
        assert change.direction == "op"
        assert change.missing == [DocumentKind.OPP.value]
        assert change.meeting_id is not None
        m = s.get(Meeting, change.meeting_id)
        assert m.kind == MeetingKind.MDO
        assert [x.id for x in m.pupils] == [pupil_id]
        log = s.scalars(
            sa.select(ChangeLog).where(
                ChangeLog.entity_id == pupil_id, ChangeLog.action == "opgeschaald"
            )
        ).one()
        assert log.old_value.startswith("1 - ")
        assert log.new_value.startswith("3 - ")


def test_change_level_meeting_after_decision_refused(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        lv = _levels(s, school_db.school_id)
        with pytest.raises(ValidationErrors) as err:
            level_service.change_level(
                s,
                p,
                lv[1],
                TODAY - timedelta(days=3),
                "Reden",
                today=TODAY,
                new_meeting_kind="kindbespreking",
                new_meeting_date=TODAY,
            )
        assert "na de datum van het besluit" in err.value.errors["meeting_date"]
        assert s.scalars(sa.select(Meeting)).first() is None


def test_change_level_refuses_level_of_other_structure(school_db, pupil_id) -> None:
    from ib_desktop.services.school import structure_from_template

    with school_db.session() as s:
        other = structure_from_template(s, "vijf-niveaus")
        with pytest.raises(ValidationErrors) as err:
            level_service.change_level(
                s, s.get(Pupil, pupil_id), other.levels[3], TODAY, "x", today=TODAY
            )
        assert "ondersteuningsstructuur" in err.value.errors["level"]


def test_level_history_directions_and_areas(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        lv = _levels(s, school_db.school_id)
        # The start level was set today; move it back so that later moves fit.
        s.execute(sa.update(LevelAssignment).values(start_date=date(2023, 9, 1)))
        level_service.change_level(s, p, lv[1], date(2024, 2, 1), "extra hulp", today=TODAY)
        level_service.change_level(s, p, lv[0], date(2025, 2, 1), "doel behaald", today=TODAY)
        level_service.change_level(
            s, p, lv[2], date(2025, 9, 1), "rekenen", area="Rekenen", today=TODAY
        )
    with school_db.session() as s:
        history = pf.level_history(s, pupil_id, today=TODAY)
    assert [st.direction for st in history.steps if not st.area] == ["start", "op", "af"]
    assert history.areas == ["", "Rekenen"]
    assert history.current().level.position == 1
    assert history.current("Rekenen").level.position == 3
    assert history.start == date(2022, 3, 14)  # first school day before the first level
    assert [lvl.position for lvl in history.levels] == [1, 2, 3, 4]


def test_undo_last_level_change(school_db, pupil_id) -> None:
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        lv = _levels(s, school_db.school_id)
        with pytest.raises(ValidationErrors):
            pf.undo_last_level_change(s, pupil_id)  # the first level stays
        level_service.change_level(s, p, lv[1], TODAY, "per ongeluk", today=TODAY)
    with school_db.session() as s:
        removed = pf.undo_last_level_change(s, pupil_id)
        assert removed.level.position == 2
    with school_db.session() as s:
        current = level_service.current_assignment(s, pupil_id)
        assert current.level.position == 1
        assert current.end_date is None


def test_load_pupil_file_reports_missing_opp(demo_db) -> None:
    with demo_db.session() as s:
        pid = s.scalars(
            sa.select(Pupil.id)
            .where(Pupil.status == PupilStatus.ACTIEF, Pupil.lvs_id.is_not(None))
            .limit(1)
        ).one()
        level3 = pf.school_levels(s, demo_db.school_id)[2]
        s.execute(sa.delete(Opp).where(Opp.pupil_id == pid))
        current = level_service.current_assignment(s, pid)
        if current.level_id == level3.id:
            level3 = pf.school_levels(s, demo_db.school_id)[3]
        level_service.change_level(
            s, s.get(Pupil, pid), s.get(SupportLevel, level3.id), TODAY, "zorgen", today=TODAY
        )
    with demo_db.session() as s:
        file = pf.load_pupil_file(s, pid, today=TODAY)
    assert file.missing_documents == ["opp"]
    assert file.guardians
    assert file.memberships
    assert file.levels.current().level.id == level3.id


# ---------------------------------------------------------------------------- leaving


def test_leave_school_closes_levels_and_sets_retention(school_db, pupil_id) -> None:
    with school_db.session() as s:
        version = s.get(Pupil, pupil_id).version
        with pytest.raises(ValidationErrors) as err:
            pf.leave_school(s, pupil_id, TODAY + timedelta(days=1), "sbo", today=TODAY)
        assert "toekomst" in err.value.errors["left_on"]
        with pytest.raises(ValidationErrors) as err:
            pf.leave_school(s, pupil_id, TODAY - timedelta(days=5), "sbo", today=TODAY)
        assert "huidige niveau" in err.value.errors["left_on"]
        delete_after = pf.leave_school(
            s, pupil_id, TODAY, pf.LeaveKind.SBO, "De Brug", expected_version=version, today=TODAY
        )
    assert delete_after == date(2029, 11, 18)  # three years for a referral to SBO
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        assert p.status == PupilStatus.VERTROKKEN
        assert p.left_destination == "SBO: De Brug"
        assert pf.parse_destination(p.left_destination) == (pf.LeaveKind.SBO, "De Brug")
        assert level_service.current_assignment(s, pupil_id) is None
        # Read-only from now on.
        with pytest.raises(ReadOnlyError):
            pf.save_guardian(s, pupil_id, pf.GuardianData(name="Jan"))
        with pytest.raises(ReadOnlyError):
            pf.update_pupil(
                s, pupil_id, pf.load_pupil_data(p), expected_version=p.version, today=TODAY
            )


def test_retention_two_years_for_other_schools_and_configurable(school_db) -> None:
    with school_db.session() as s:
        school = s.get(School, school_db.school_id)
        assert pf.delete_after_for(school, date(2026, 1, 5), "verhuizing") == date(2028, 1, 5)
        assert pf.delete_after_for(school, date(2026, 1, 5), "so") == date(2029, 1, 5)
        school.settings = {"retention_years": 5}
        assert pf.delete_after_for(school, date(2026, 1, 5), "vo") == date(2031, 1, 5)


def test_reactivate_is_explicit_and_logged(school_db, pupil_id) -> None:
    with school_db.session() as s:
        with pytest.raises(ValidationErrors):
            pf.reactivate(s, pupil_id, today=TODAY)
        pf.leave_school(s, pupil_id, TODAY, "verhuizing", today=TODAY)
    with school_db.session() as s:
        pf.reactivate(s, pupil_id, today=TODAY)
    with school_db.session() as s:
        p = s.get(Pupil, pupil_id)
        assert p.status == PupilStatus.ACTIEF
        assert p.left_on is None
        assert p.delete_after is None
        assert level_service.current_assignment(s, pupil_id) is not None
        actions = s.scalars(
            sa.select(ChangeLog.action).where(ChangeLog.entity_id == pupil_id)
        ).all()
        assert "teruggezet naar actief" in actions


def test_delete_file_only_for_leavers_with_typed_name(demo_db) -> None:
    with demo_db.session() as s:
        active = s.scalars(
            sa.select(Pupil).where(Pupil.status == PupilStatus.ACTIEF).limit(1)
        ).one()
        with pytest.raises(ValidationErrors) as err:
            pf.delete_file(s, active.id, confirm_name=active.full_name, today=TODAY)
        assert "status" in err.value.errors
        # A pupil with an OPP (versions chained) who then leaves.
        opp_pupil = s.scalars(sa.select(Opp.pupil_id).limit(1)).one()
        p = s.get(Pupil, opp_pupil)
        name, lvs = p.full_name, p.lvs_id
        pf.leave_school(s, p.id, TODAY, "so", today=TODAY)
    with demo_db.session() as s:
        with pytest.raises(ValidationErrors) as err:
            pf.delete_file(s, opp_pupil, confirm_name="iemand anders", today=TODAY)
        assert set(err.value.errors) == {"delete_after", "confirm_name"}
        record = pf.delete_file(
            s, opp_pupil, confirm_name=name, today=TODAY, allow_early=True, actor="IB"
        )
        record_id = record.id
    with demo_db.session() as s:
        assert s.get(Pupil, opp_pupil) is None
        assert s.scalars(sa.select(Opp).where(Opp.pupil_id == opp_pupil)).first() is None
        assert (
            s.scalars(
                sa.select(ChangeLog).where(
                    ChangeLog.entity == "pupil", ChangeLog.entity_id == opp_pupil
                )
            ).first()
            is None
        )
        rec = s.get(RetentionRecord, record_id)
        assert rec.pupil_reference == lvs
        assert "vervroegd" in rec.retention_rule
        assert name not in rec.retention_rule


def test_documents_listed_with_open_ids(demo_db) -> None:
    with demo_db.session() as s:
        opp = s.scalars(sa.select(Opp).limit(1)).one()
        docs = pf.pupil_documents(s, opp.pupil_id, today=TODAY)
    opp_rows = [d for d in docs if d.kind == "opp"]
    assert opp_rows
    assert all(d.open_id == opp.id for d in opp_rows)
    assert opp_rows[0].title.startswith("OPP versie")


def test_leaving_ends_the_running_opp_and_coming_back_runs_it_again(demo_db) -> None:
    from ib_desktop.schedule import MomentKind, compute_moments

    with demo_db.session() as s:
        opp = s.scalars(
            sa.select(Opp)
            .join(Pupil, Pupil.id == Opp.pupil_id)
            .where(Opp.end_date.is_(None), Pupil.status == PupilStatus.ACTIEF)
            .order_by(Opp.id)
        ).first()
        opp_id, pid, opp_start = opp.id, opp.pupil_id, opp.start_date
        school_id = s.get(Pupil, pid).school_id
        # a departure dated before the OPP started is refused, beside the date
        opp.start_date = TODAY - timedelta(days=3)
        s.flush()
        with pytest.raises(ValidationErrors) as err:
            pf.leave_school(s, pid, TODAY - timedelta(days=5), "verhuizing", today=TODAY)
        assert "lopende OPP" in err.value.errors["left_on"]
        opp.start_date = opp_start
    with demo_db.session() as s:
        pf.leave_school(s, pid, TODAY, "verhuizing", today=TODAY)
    with demo_db.session() as s:
        assert s.get(Opp, opp_id).end_date == TODAY  # for the national registry
        logged = s.scalars(
            sa.select(ChangeLog.summary).where(
                ChangeLog.entity == "opp", ChangeLog.entity_id == opp_id
            )
        ).all()
        assert any("verlaten" in line for line in logged)
        after = compute_moments(s, school_id, today=TODAY + timedelta(days=1))
        assert not [
            m for m in after if m.source_id == opp_id and m.kind == MomentKind.OPP_EVALUATIE
        ]
    with demo_db.session() as s:
        pf.reactivate(s, pid, today=TODAY)
    with demo_db.session() as s:
        assert s.get(Opp, opp_id).end_date is None


# ---------------------------------------------------------------------------- dated level history


def test_start_level_is_dated_on_the_enrolment_date(school_db) -> None:
    """Issue 15: a pupil entered after years at school keeps the level's real start."""
    with school_db.session() as s:
        enrolled = _new(s, school_db.school_id, enrolled_on=date(2023, 8, 28)).id
        levels = _levels(s, school_db.school_id)
        data = pf.PupilData(first_name="Bo", last_name="Kok", birth_date=date(2018, 1, 5))
        chosen = pf.create_pupil(
            s, school_db.school_id, data, level_id=levels[1].id,
            level_start=date(2024, 2, 1), today=TODAY,
        ).id  # fmt: skip
        data = pf.PupilData(first_name="Ids", last_name="Kok", birth_date=date(2018, 1, 5))
        with pytest.raises(ValidationErrors) as err:
            pf.create_pupil(s, school_db.school_id, data, level_start=date(2017, 1, 1), today=TODAY)
        assert "geboortedatum" in err.value.errors["level_start"]
    with school_db.session() as s:
        assert level_service.current_assignment(s, enrolled).start_date == date(2023, 8, 28)
        current = level_service.current_assignment(s, chosen)
        assert (current.level.position, current.start_date) == (2, date(2024, 2, 1))


@pytest.fixture
def climbed(school_db) -> int:
    """A pupil on level 1 from 2023-08-28 and on level 2 since 2025-09-01."""
    with school_db.session() as s:
        pupil = _new(s, school_db.school_id, enrolled_on=date(2023, 8, 28))
        level2 = _levels(s, school_db.school_id)[1]
        level_service.change_level(s, pupil, level2, date(2025, 9, 1), "extra hulp", today=TODAY)
        return pupil.id


def _steps(s, pupil_id: int) -> list[tuple[int, date, date | None]]:
    history = pf.level_history(s, pupil_id, today=TODAY)
    return [(st.level.position, st.start, st.end) for st in history.steps]


def test_backdated_move_goes_between_two_entries(school_db, climbed) -> None:
    with school_db.session() as s:
        pupil = s.get(Pupil, climbed)
        level3 = _levels(s, school_db.school_id)[2]
        change = level_service.change_level(
            s, pupil, level3, date(2025, 1, 10), "Toen al speciale zorg", today=TODAY
        )
        assert change.direction == "op"
        assert change.missing == []  # a level in the past asks for no document now
    with school_db.session() as s:
        assert _steps(s, climbed) == [
            (1, date(2023, 8, 28), date(2025, 1, 10)),
            (3, date(2025, 1, 10), date(2025, 9, 1)),
            (2, date(2025, 9, 1), None),
        ]
        assert level_service.current_assignment(s, climbed).level.position == 2
        summary = s.scalars(
            sa.select(ChangeLog.summary).where(ChangeLog.action == "opgeschaald")
            .order_by(ChangeLog.id.desc())
        ).first()  # fmt: skip
        assert "terugwerkende kracht" in summary


@pytest.mark.parametrize(
    ("when", "position", "field", "fragment"),
    [
        (date(2023, 8, 28), 3, "start_date", "dezelfde dag"),  # would overlap level 1's start
        (date(2017, 6, 1), 3, "start_date", "geboortedatum"),
        (TODAY + timedelta(days=1), 3, "start_date", "toekomst"),
        (date(2024, 5, 1), 1, "level", "stond de leerling al op niveau"),
        (date(2024, 5, 1), 2, "level", "staat de leerling al op niveau"),
    ],
)
def test_backdated_move_refused_when_history_would_break(
    school_db, climbed, when, position, field, fragment
) -> None:
    with school_db.session() as s:
        pupil = s.get(Pupil, climbed)
        level = _levels(s, school_db.school_id)[position - 1]
        with pytest.raises(ValidationErrors) as err:
            level_service.change_level(s, pupil, level, when, "reden", today=TODAY)
        assert fragment in err.value.errors[field]
    with school_db.session() as s:
        assert len(_steps(s, climbed)) == 2

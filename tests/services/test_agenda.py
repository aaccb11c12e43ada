"""Agenda and dashboard data: sections, names, filters, meetings held, OPP consent, cards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.models import (
    DocumentStatus,
    Guardian,
    Meeting,
    MeetingKind,
    MomentKind,
    OppConsent,
    OppStatus,
    Registration,
    ShortIntervention,
)
from ib_desktop.schedule import compute_moments
from ib_desktop.services.agenda import (
    EVALUATION_KINDS,
    Section,
    days_text,
    end_of_week,
    filter_items,
    load_agenda,
    load_dashboard,
    mark_held,
    opps_missing_consent,
    section_of,
)
from ib_desktop.validation import ValidationErrors

from .schedule_data import base_school, level, meeting, opp, place

TODAY = date(2026, 11, 18)  # Wednesday


@pytest.fixture
def world(school_db):
    with school_db.session() as s:
        ids = base_school(s, school_db.school_id, TODAY)
    return school_db, ids


def test_week_ends_on_sunday_and_at_the_weekend_the_next_week_counts() -> None:
    assert end_of_week(TODAY) == date(2026, 11, 22)
    assert end_of_week(date(2026, 11, 22)) == date(2026, 11, 29)  # a Sunday
    assert end_of_week(date(2026, 11, 21)) == date(2026, 11, 29)  # a Saturday


def test_sections_and_days_text(world) -> None:
    db, ids = world
    with db.session() as s:
        for end in (date(2026, 11, 10), date(2026, 11, 20), date(2026, 12, 10)):
            s.add(
                ShortIntervention(
                    pupil_id=ids.pupil_id,
                    status=DocumentStatus.ACTIEF,
                    start_date=date(2026, 10, 1),
                    end_date=end,
                )
            )
    with db.session() as s:
        ms = compute_moments(s, ids.school_id, today=TODAY)
    assert [section_of(m, TODAY) for m in ms] == [
        Section.TE_LAAT,
        Section.DEZE_WEEK,
        Section.KOMEND,
    ]
    assert [days_text(m, TODAY) for m in ms] == ["8 dagen te laat", "over 2 dagen", "over 3 weken"]


def test_load_agenda_names_and_filters(world) -> None:
    db, ids = world
    with db.session() as s:
        s.add(
            ShortIntervention(
                pupil_id=ids.pupil_id,
                status=DocumentStatus.ACTIEF,
                start_date=date(2026, 10, 1),
                end_date=date(2026, 11, 10),
            )
        )
        meeting(
            s,
            ids.school_id,
            MeetingKind.GROEPSBESPREKING,
            date(2026, 11, 19),
            group_id=ids.group_id,
        )
        s.add(
            Registration(school_id=ids.school_id, child_name="Bram", received_on=date(2026, 11, 2))
        )
    with db.session() as s:
        data = load_agenda(s, ids.school_id, today=TODAY)
    assert data.counts()[Section.TE_LAAT] == 1
    item = next(i for i in data.items if i.moment.kind == MomentKind.INTERVENTIE)
    assert (item.pupil, item.group, item.responsible) == ("Sanne de Vries", "5A", "Tom Visser")
    assert item.document_kind == "korte_interventie"
    assert item.can_evaluate
    assert not item.can_mark_held
    review = next(i for i in data.items if i.moment.kind == MomentKind.GROEPSBESPREKING)
    assert review.can_mark_held
    assert review.document_kind is None
    assert (ids.teacher_id, "Tom Visser") in data.staff
    assert data.groups == [(ids.group_id, "5A")]
    # the teacher sees the intervention and the review of their group, not the registration
    mine = filter_items(data.items, data.names, staff_id=ids.teacher_id)
    assert {i.moment.kind for i in mine} == {MomentKind.INTERVENTIE, MomentKind.GROEPSBESPREKING}
    ib = filter_items(data.items, data.names, staff_id=ids.ib_id)
    assert MomentKind.ZORGPLICHT in {i.moment.kind for i in ib}
    assert (
        filter_items(data.items, data.names, kind=MomentKind.ZORGPLICHT)[0].moment.kind
        == MomentKind.ZORGPLICHT
    )


def test_mark_planned_meeting_held(world) -> None:
    db, ids = world
    with db.session() as s:
        mid = meeting(
            s, ids.school_id, MeetingKind.MDO, date(2026, 11, 12), pupils=[ids.pupil_id]
        ).id
        later = meeting(s, ids.school_id, MeetingKind.MDO, date(2026, 12, 12)).id
    with db.session() as s:
        ms = {m.key: m for m in compute_moments(s, ids.school_id, today=TODAY)}
        assert ms[f"meeting:{mid}"].is_overdue(TODAY)
        mark_held(s, ms[f"meeting:{mid}"], today=TODAY, actor="IB")
        with pytest.raises(ValidationErrors):
            mark_held(s, ms[f"meeting:{later}"], today=TODAY)
    with db.session() as s:
        assert s.get(Meeting, mid).held
        assert f"meeting:{mid}" not in {
            m.key for m in compute_moments(s, ids.school_id, today=TODAY)
        }


def test_mark_parent_meeting_held_restarts_the_count(world) -> None:
    db, ids = world
    with db.session() as s:
        place(s, ids.pupil_id, level(s, ids.school_id, 3), date(2026, 9, 1))  # every 8 weeks
    with db.session() as s:
        talk = next(
            m
            for m in compute_moments(s, ids.school_id, today=TODAY)
            if m.kind == MomentKind.OUDERGESPREK
        )
        assert talk.is_overdue(TODAY)
        mid = mark_held(s, talk, today=TODAY)
    with db.session() as s:
        held = s.get(Meeting, mid)
        assert held.kind == MeetingKind.OUDERGESPREK
        assert held.held
        assert [p.id for p in held.pupils] == [ids.pupil_id]
        talks = [
            m
            for m in compute_moments(s, ids.school_id, today=TODAY)
            if m.kind == MomentKind.OUDERGESPREK
        ]
    assert [m.due for m in talks] == [TODAY + timedelta(weeks=8)]


def test_opps_missing_consent(world) -> None:
    db, ids = world
    with db.session() as s:
        mother = Guardian(pupil_id=ids.pupil_id, name="Anna de Vries")
        father = Guardian(pupil_id=ids.pupil_id, name="Piet de Vries")
        s.add_all([mother, father])
        o = opp(s, ids.pupil_id, date(2026, 9, 1))
        v = o.versions[0]
        v.status, v.discussed_on = OppStatus.BESPROKEN, date(2026, 9, 20)
        s.flush()
        oid, vid, mid, fid = o.id, v.id, mother.id, father.id
    with db.session() as s:
        gaps = opps_missing_consent(s, ids.school_id, today=TODAY)
        assert [(g.opp_id, g.refused) for g in gaps] == [(oid, False)]
        s.add(
            OppConsent(
                opp_version_id=vid,
                guardian_id=mid,
                guardian_name="Anna",
                consent=True,
                date=date(2026, 9, 21),
            )
        )
        s.flush()
        assert opps_missing_consent(s, ids.school_id, today=TODAY)  # father still missing
        s.add(
            OppConsent(
                opp_version_id=vid,
                guardian_id=fid,
                guardian_name="Piet",
                consent=False,
                date=date(2026, 9, 22),
            )
        )
        s.flush()
        gaps = opps_missing_consent(s, ids.school_id, today=TODAY)
        assert gaps[0].refused
        assert gaps[0].since == date(2026, 9, 22)
        s.execute(sa.update(OppConsent).where(OppConsent.guardian_id == fid).values(consent=True))
        assert opps_missing_consent(s, ids.school_id, today=TODAY) == []


def test_dashboard_cards(demo_db) -> None:
    with demo_db.session() as s:
        d = load_dashboard(s, demo_db.school_id, today=TODAY)
        moments = compute_moments(s, demo_db.school_id, today=TODAY)
        from ib_desktop.services.levels import missing_documents_by_pupil

        missing = missing_documents_by_pupil(s, demo_db.school_id, today=TODAY)
    overdue = [m for m in moments if m.is_overdue(TODAY) and m.kind in EVALUATION_KINDS]
    assert {i.moment.key for i in d.overdue} == {m.key for m in overdue}
    assert d.overdue
    assert all(i.moment.due <= TODAY + timedelta(weeks=2) for i in d.zorgplicht)
    assert {m.pupil_id for m in d.missing} == set(missing)
    assert d.consent  # the demo has OPP versions that are still concepts
    assert all(not g.refused for g in d.consent if g.since is None)

"""The schedule engine: one example per rule, then property tests of its invariants."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.models import (
    DocumentStatus,
    EvaluationMoment,
    GrowthDocument,
    GrowthGoal,
    GrowthPeriod,
    MeetingKind,
    MomentKind,
    OppGoal,
    OppStatus,
    OppVersion,
    Outcome,
    Pupil,
    PupilStatus,
    Registration,
    School,
    ShortIntervention,
)
from ib_desktop.schedule import (
    Moment,
    SchoolCalendar,
    add_months,
    compute_moments,
    directory,
    next_due_by_pupil,
    school_calendar,
)

from .schedule_data import Ids, add_pupil, base_school, level, meeting, opp, place

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def world(school_db):
    """The test school (region midden) with a group, a teacher, an IB-er and one pupil."""
    with school_db.session() as s:
        ids = base_school(s, school_db.school_id, TODAY)
    return school_db, ids


def moments(db, ids: Ids, **kw) -> list[Moment]:
    with db.session() as s:
        return compute_moments(s, ids.school_id, today=kw.pop("today", TODAY), **kw)


def by_key(ms: list[Moment]) -> dict[str, Moment]:
    return {m.key: m for m in ms}


def intervention(s, ids: Ids, start: date, end: date, **kw) -> ShortIntervention:
    si = ShortIntervention(
        pupil_id=ids.pupil_id,
        status=kw.pop("status", DocumentStatus.ACTIEF),
        teacher_id=kw.pop("teacher_id", ids.teacher_id),
        start_date=start,
        end_date=end,
        **kw,
    )
    s.add(si)
    s.flush()
    return si


# ---------------------------------------------------------------------------- korte interventie


def test_intervention_is_due_at_its_end_and_done_when_evaluated(world) -> None:
    db, ids = world
    with db.session() as s:
        si_id = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26)).id
    m = by_key(moments(db, ids))[f"interventie:{si_id}"]
    assert m.kind == MomentKind.INTERVENTIE
    assert m.due == date(2026, 11, 26)
    assert m.pupil_id == ids.pupil_id
    assert m.group_id == ids.group_id
    assert m.responsible_id == ids.teacher_id
    assert m.source_kind == "korte_interventie"
    assert m.source_id == si_id
    assert not m.is_overdue(TODAY)
    assert m.is_overdue(date(2026, 11, 27))

    with db.session() as s:
        si = s.get(ShortIntervention, si_id)
        si.evaluation, si.outcome, si.evaluated_on = "Goed", Outcome.BEHAALD, date(2026, 11, 25)
    assert f"interventie:{si_id}" not in by_key(moments(db, ids))
    done = by_key(moments(db, ids, include_done=True))[f"interventie:{si_id}"]
    assert done.done_on == date(2026, 11, 25)


def test_concept_interventions_are_not_planned(world) -> None:
    db, ids = world
    with db.session() as s:
        si_id = intervention(
            s, ids, date(2026, 11, 2), date(2026, 11, 26), status=DocumentStatus.CONCEPT
        ).id
    assert f"interventie:{si_id}" not in by_key(moments(db, ids, include_done=True))


def test_teacher_of_the_group_is_responsible_when_the_document_names_none(world) -> None:
    db, ids = world
    with db.session() as s:
        si_id = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26), teacher_id=None).id
    assert by_key(moments(db, ids))[f"interventie:{si_id}"].responsible_id == ids.teacher_id


def test_weekend_moves_to_monday_and_holiday_to_the_first_school_day(world) -> None:
    db, ids = world
    with db.session() as s:
        saturday = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 28)).id
        christmas = intervention(s, ids, date(2026, 11, 2), date(2026, 12, 23)).id
    ms = by_key(moments(db, ids))
    assert ms[f"interventie:{saturday}"].due == date(2026, 11, 30)
    # Kerstvakantie regio midden 19-12-2026 t/m 3-1-2027: the first school day is 4 January.
    assert ms[f"interventie:{christmas}"].due == date(2027, 1, 4)


def test_national_day_off_moves_the_moment(world) -> None:
    db, ids = world
    with db.session() as s:
        # Tweede Paasdag 2027 is 29 March.
        si = intervention(s, ids, date(2027, 3, 1), date(2027, 3, 29)).id
    assert by_key(moments(db, ids))[f"interventie:{si}"].due == date(2027, 3, 30)


def test_school_edits_to_holidays_count(world) -> None:
    from ib_desktop.services.holidays import save_holiday

    db, ids = world
    with db.session() as s:
        si = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26)).id
        region = s.get(School, ids.school_id).region
        save_holiday(s, region, "Studiedag", date(2026, 11, 26), date(2026, 11, 27))
    assert by_key(moments(db, ids))[f"interventie:{si}"].due == date(2026, 11, 30)


# ---------------------------------------------------------------------------- groeidocument


def growth(s, ids: Ids, periods: list[tuple[date, date]], *, areas=("Rekenen", "Lezen")):
    doc = GrowthDocument(
        pupil_id=ids.pupil_id, status=DocumentStatus.ACTIEF, teacher_id=ids.teacher_id
    )
    for n, (start, end) in enumerate(periods, start=1):
        period = GrowthPeriod(number=n, start_date=start, end_date=end)
        for pos, area in enumerate(areas):
            period.goals.append(GrowthGoal(area=area, position=pos, goal="Doel"))
        doc.periods.append(period)
    s.add(doc)
    s.flush()
    return doc


def test_each_open_growth_period_is_due_at_its_end(world) -> None:
    db, ids = world
    with db.session() as s:
        doc = growth(
            s, ids, [(date(2026, 9, 1), date(2026, 11, 13)), (date(2026, 11, 16), date(2027, 2, 5))]
        )
        p1, p2 = (p.id for p in doc.periods)
        doc_id = doc.id
    ms = by_key(moments(db, ids))
    assert ms[f"groeiperiode:{p1}"].due == date(2026, 11, 13)
    assert ms[f"groeiperiode:{p1}"].is_overdue(TODAY)
    assert ms[f"groeiperiode:{p2}"].due == date(2027, 2, 5)
    assert ms[f"groeiperiode:{p2}"].source_kind == "groeidocument"
    assert ms[f"groeiperiode:{p2}"].source_id == doc_id
    assert "periode 2" in ms[f"groeiperiode:{p2}"].title


def test_growth_period_is_done_when_closed_or_all_goals_evaluated(world) -> None:
    db, ids = world
    with db.session() as s:
        doc = growth(
            s, ids, [(date(2026, 9, 1), date(2026, 11, 13)), (date(2026, 11, 16), date(2027, 2, 5))]
        )
        p1, p2 = doc.periods
        p1.closed = True
        for goal in p1.goals:
            goal.evaluated_on = date(2026, 11, 12)
        # only one of the two goals of period 2 evaluated: still open
        p2.goals[0].evaluated_on = date(2026, 11, 17)
        p1_id, p2_id = p1.id, p2.id
    ms = by_key(moments(db, ids))
    assert f"groeiperiode:{p1_id}" not in ms
    assert f"groeiperiode:{p2_id}" in ms
    with db.session() as s:
        s.get(GrowthPeriod, p2_id).goals[1].evaluated_on = date(2026, 11, 18)
    ms = by_key(moments(db, ids, include_done=True))
    assert ms[f"groeiperiode:{p1_id}"].done_on == date(2026, 11, 12)
    assert ms[f"groeiperiode:{p2_id}"].done_on == date(2026, 11, 18)


# ---------------------------------------------------------------------------- OPP


def test_opp_evaluated_twice_a_year_from_the_date_it_was_agreed(world) -> None:
    db, ids = world
    with db.session() as s:
        o = opp(s, ids.pupil_id, date(2026, 9, 7), fixed_on=date(2026, 9, 21))
        oid = o.id
    ms = moments(db, ids, end=date(2027, 12, 31))
    evals = [m for m in ms if m.key.startswith(f"opp:{oid}:evaluatie:")]
    assert [m.key for m in evals] == [f"opp:{oid}:evaluatie:{k}" for k in (1, 2)]
    assert evals[0].due == date(2027, 3, 22)  # 21 March 2027 is a Sunday
    assert evals[0].responsible_id == ids.ib_id
    assert evals[0].kind == MomentKind.OPP_EVALUATIE
    assert evals[0].source_kind == "opp"
    assert evals[1].due == date(2027, 9, 22)


def test_opp_once_a_year_when_the_school_says_so(world) -> None:
    db, ids = world
    with db.session() as s:
        s.get(School, ids.school_id).opp_evaluations_per_year = 1
        oid = opp(s, ids.pupil_id, date(2026, 9, 7), fixed_on=date(2026, 9, 21)).id
    evals = [m for m in moments(db, ids) if m.key.startswith(f"opp:{oid}:evaluatie:")]
    # 21-09-2027 would be more than a year after the start: the limit, 7-9-2027, is taken
    assert evals[0].due == date(2027, 9, 7)


def test_opp_next_evaluation_date_of_the_version_is_used(world) -> None:
    db, ids = world
    with db.session() as s:
        oid = opp(s, ids.pupil_id, date(2026, 9, 7), next_evaluation_on=date(2027, 1, 20)).id
    ms = by_key(moments(db, ids))
    assert ms[f"opp:{oid}:evaluatie:1"].due == date(2027, 1, 20)


def test_opp_never_more_than_a_year_without_evaluation(world) -> None:
    db, ids = world
    with db.session() as s:
        oid = opp(s, ids.pupil_id, date(2026, 9, 7), next_evaluation_on=date(2028, 6, 1)).id
    m = by_key(moments(db, ids))[f"opp:{oid}:evaluatie:1"]
    assert date(2026, 9, 7) < m.due <= date(2027, 9, 7)


def test_a_year_limit_in_the_summer_holiday_moves_back_not_forward(world) -> None:
    db, ids = world
    with db.session() as s:
        s.get(School, ids.school_id).opp_evaluations_per_year = 1
        # A year after 1 August 2026 is in the summer holiday (midden: 10-7 t/m 22-8-2027).
        oid = opp(s, ids.pupil_id, date(2026, 8, 1)).id
    m = by_key(moments(db, ids))[f"opp:{oid}:evaluatie:1"]
    assert m.due == date(2027, 7, 9)


def test_opp_evaluated_version_counts_and_the_next_one_follows(world) -> None:
    db, ids = world
    with db.session() as s:
        o = opp(s, ids.pupil_id, date(2025, 9, 1), fixed_on=date(2025, 9, 15))
        v1 = o.versions[0]
        v1.status, v1.frozen_pupil = OppStatus.GEEVALUEERD, {}
        v1.evaluated_on = date(2026, 3, 10)
        o.versions.append(
            OppVersion(number=2, fixed_on=date(2026, 3, 24), previous_version_id=v1.id)
        )
        oid = o.id
    ms = by_key(moments(db, ids, include_done=True))
    assert ms[f"opp:{oid}:evaluatie:1"].done_on == date(2026, 3, 10)
    assert ms[f"opp:{oid}:evaluatie:2"].done_on is None
    assert ms[f"opp:{oid}:evaluatie:2"].due == date(2026, 9, 24)
    assert ms[f"opp:{oid}:evaluatie:2"].is_overdue(TODAY)


def test_opp_goal_dated_on_the_evaluation_is_not_listed_twice(world) -> None:
    """Issue 15: goals dated on the evaluation with the parents are evaluated there."""
    db, ids = world
    with db.session() as s:
        o = opp(s, ids.pupil_id, date(2026, 9, 7), next_evaluation_on=date(2027, 1, 20))
        v = o.versions[0]
        for area in ("Rekenen", "Leren leren"):
            v.goals.append(OppGoal(area=area, goal="Doel", evaluation_date=date(2027, 1, 20)))
        v.goals.append(OppGoal(area="Lezen", goal="Doel", evaluation_date=date(2026, 12, 11)))
        s.flush()
        lezen = v.goals[-1].id
        oid = o.id
    mine = [m for m in moments(db, ids) if m.source_id == oid]
    on_the_day = [m for m in mine if m.due == date(2027, 1, 20)]
    assert [m.kind for m in on_the_day] == [MomentKind.OPP_EVALUATIE]
    assert [m.key for m in mine if m.kind == MomentKind.OPP_DOEL] == [f"opp:{oid}:doel:{lezen}"]


def test_opp_goal_evaluation_dates(world) -> None:
    db, ids = world
    with db.session() as s:
        o = opp(s, ids.pupil_id, date(2026, 9, 7))
        v = o.versions[0]
        v.goals.append(OppGoal(area="Rekenen", goal="Tafels", evaluation_date=date(2027, 1, 15)))
        v.goals.append(
            OppGoal(
                area="Leren leren",
                goal="Plannen",
                evaluation_date=date(2026, 11, 6),
                outcome=Outcome.BEHAALD,
            )
        )
        s.flush()
        g1, g2 = (g.id for g in v.goals)
        oid = o.id
    ms = by_key(moments(db, ids))
    goal = ms[f"opp:{oid}:doel:{g1}"]
    assert goal.kind == MomentKind.OPP_DOEL
    assert goal.due == date(2027, 1, 15)
    assert "Rekenen" in goal.title
    assert f"opp:{oid}:doel:{g2}" not in ms  # evaluated already
    assert by_key(moments(db, ids, include_done=True))[f"opp:{oid}:doel:{g2}"].done_on


def test_ended_opp_is_not_planned(world) -> None:
    db, ids = world
    with db.session() as s:
        o = opp(s, ids.pupil_id, date(2025, 9, 7))
        o.end_date = date(2026, 7, 1)
        oid = o.id
    assert not [m for m in moments(db, ids) if m.key.startswith(f"opp:{oid}:")]


# ---------------------------------------------------------------------------- parent meetings


def test_parent_meeting_at_the_interval_of_the_level(world) -> None:
    db, ids = world
    with db.session() as s:
        lvl3 = level(s, ids.school_id, 3)  # four-level template: every 8 weeks, IB-er
        a = place(s, ids.pupil_id, lvl3, date(2026, 10, 5))
        aid = a.id
    ms = moments(db, ids, end=date(2027, 3, 1))
    talks = [m for m in ms if m.kind == MomentKind.OUDERGESPREK]
    assert [m.due for m in talks] == [date(2026, 11, 30), date(2027, 1, 25)]
    assert talks[0].key == f"oudergesprek:{ids.pupil_id}:2026-11-30"
    assert talks[0].source_kind == "level"
    assert talks[0].source_id == aid
    assert talks[0].responsible_id == ids.ib_id


def test_parent_meeting_counted_from_the_last_talk_held(world) -> None:
    db, ids = world
    with db.session() as s:
        place(s, ids.pupil_id, level(s, ids.school_id, 3), date(2026, 9, 1))
        meeting(
            s,
            ids.school_id,
            MeetingKind.OUDERGESPREK,
            date(2026, 11, 9),
            pupils=[ids.pupil_id],
            held=True,
        )
    talks = [m for m in moments(db, ids) if m.kind == MomentKind.OUDERGESPREK]
    assert [m.due for m in talks] == [date(2027, 1, 4)]  # 9-11 + 8 weeks = 4 January


def test_parent_meeting_teacher_level_is_the_group_teachers_job(world) -> None:
    db, ids = world
    with db.session() as s:
        place(s, ids.pupil_id, level(s, ids.school_id, 2), date(2026, 10, 5))  # 12 weeks
    talk = next(m for m in moments(db, ids) if m.kind == MomentKind.OUDERGESPREK)
    assert talk.responsible_id == ids.teacher_id
    assert talk.due == date(2026, 12, 28) + timedelta(days=7)  # in Christmas: first day 4-1


def test_only_one_overdue_parent_meeting_is_shown(world) -> None:
    db, ids = world
    with db.session() as s:
        place(s, ids.pupil_id, level(s, ids.school_id, 3), date(2025, 9, 1))
    talks = [
        m for m in moments(db, ids, end=date(2027, 1, 31)) if m.kind == MomentKind.OUDERGESPREK
    ]
    assert sum(m.is_overdue(TODAY) for m in talks) == 1
    assert all(m.due >= TODAY for m in talks[1:])


# ---------------------------------------------------------------------------- meetings


def test_planned_group_review_and_mdo_and_held_ones(world) -> None:
    db, ids = world
    with db.session() as s:
        review = meeting(
            s, ids.school_id, MeetingKind.GROEPSBESPREKING, date(2027, 2, 10), group_id=ids.group_id
        ).id
        mdo = meeting(
            s, ids.school_id, MeetingKind.MDO, date(2026, 11, 12), pupils=[ids.pupil_id]
        ).id
        held = meeting(s, ids.school_id, MeetingKind.MDO, date(2026, 10, 1), held=True).id
    ms = by_key(moments(db, ids))
    assert ms[f"meeting:{review}"].kind == MomentKind.GROEPSBESPREKING
    assert ms[f"meeting:{review}"].group_id == ids.group_id
    assert ms[f"meeting:{mdo}"].kind == MomentKind.MDO
    assert ms[f"meeting:{mdo}"].pupil_id == ids.pupil_id
    assert ms[f"meeting:{mdo}"].is_overdue(TODAY)
    assert f"meeting:{held}" not in ms
    assert by_key(moments(db, ids, include_done=True))[f"meeting:{held}"].done_on == date(
        2026, 10, 1
    )


# ---------------------------------------------------------------------------- zorgplicht


def test_zorgplicht_six_weeks_then_four_more_when_extended(world) -> None:
    db, ids = world
    with db.session() as s:
        reg = Registration(
            school_id=ids.school_id, child_name="Bram Smit", received_on=date(2026, 11, 2)
        )
        s.add(reg)
        s.flush()
        rid = reg.id
    m = by_key(moments(db, ids))[f"zorgplicht:{rid}"]
    assert m.due == date(2026, 12, 14)
    assert m.kind == MomentKind.ZORGPLICHT
    assert "Bram Smit" in m.title
    assert m.responsible_id == ids.ib_id
    with db.session() as s:
        s.get(Registration, rid).extended_on = date(2026, 12, 1)
    # 2 November + 10 weeks = 11 January 2027
    assert by_key(moments(db, ids))[f"zorgplicht:{rid}"].due == date(2027, 1, 11)
    with db.session() as s:
        reg = s.get(Registration, rid)
        reg.decided_on, reg.decision = date(2026, 12, 20), "toegelaten"
    assert f"zorgplicht:{rid}" not in by_key(moments(db, ids))
    assert by_key(moments(db, ids, include_done=True))[f"zorgplicht:{rid}"].done_on == date(
        2026, 12, 20
    )


def test_zorgplicht_deadline_in_a_holiday_comes_before_it_not_after(world) -> None:
    db, ids = world
    with db.session() as s:
        # 6 weeks after 11 November 2026 is 23 December: Christmas holiday (midden).
        reg = Registration(
            school_id=ids.school_id, child_name="Mila de Wit", received_on=date(2026, 11, 11)
        )
        s.add(reg)
        s.flush()
        rid = reg.id
    assert by_key(moments(db, ids))[f"zorgplicht:{rid}"].due == date(2026, 12, 18)


# ---------------------------------------------------------------------------- stored moments


def test_stored_moment_moves_and_completes_a_derived_one(world) -> None:
    db, ids = world
    with db.session() as s:
        si = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26)).id
        s.add(
            EvaluationMoment(
                school_id=ids.school_id,
                key=f"interventie:{si}",
                kind=MomentKind.INTERVENTIE,
                due_date=date(2026, 12, 3),
            )
        )
    assert by_key(moments(db, ids))[f"interventie:{si}"].due == date(2026, 12, 3)
    with db.session() as s:
        row = s.scalars(sa.select(EvaluationMoment)).one()
        row.done_on = date(2026, 12, 2)
    assert f"interventie:{si}" not in by_key(moments(db, ids))
    assert by_key(moments(db, ids, include_done=True))[f"interventie:{si}"].done_on == date(
        2026, 12, 2
    )


def test_moment_planned_by_hand_is_listed(world) -> None:
    db, ids = world
    with db.session() as s:
        s.add(
            EvaluationMoment(
                school_id=ids.school_id,
                key="gepland:1",
                kind=MomentKind.GROEPSBESPREKING,
                title="Extra groepsbespreking",
                group_id=ids.group_id,
                due_date=date(2026, 12, 5),
            )
        )
    m = by_key(moments(db, ids))["gepland:1"]
    assert m.due == date(2026, 12, 7)
    assert m.title == "Extra groepsbespreking"
    assert m.source_kind == "gepland"


def test_leavers_are_not_planned(world) -> None:
    db, ids = world
    with db.session() as s:
        si = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26)).id
        p = s.get(Pupil, ids.pupil_id)
        p.status, p.left_on = PupilStatus.VERTROKKEN, date(2026, 11, 10)
    assert f"interventie:{si}" not in by_key(moments(db, ids, include_done=True))


# ---------------------------------------------------------------------------- queries


def test_window_filters_on_due_date(world) -> None:
    db, ids = world
    with db.session() as s:
        a = intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26)).id
        b = intervention(s, ids, date(2026, 11, 2), date(2027, 1, 14)).id
    keys = by_key(moments(db, ids, start=date(2026, 12, 1), end=date(2027, 1, 31)))
    assert f"interventie:{b}" in keys
    assert f"interventie:{a}" not in keys


def test_next_due_by_pupil_prefers_overdue(world) -> None:
    db, ids = world
    with db.session() as s:
        intervention(s, ids, date(2026, 11, 2), date(2026, 11, 26))
        late = intervention(s, ids, date(2026, 10, 1), date(2026, 11, 5)).id
        other = add_pupil(s, ids, "Daan")
    with db.session() as s:
        nxt = next_due_by_pupil(s, ids.school_id, today=TODAY)
    assert nxt[ids.pupil_id].key == f"interventie:{late}"
    assert nxt[ids.pupil_id].is_overdue(TODAY)
    assert other not in nxt


def test_directory_names(world) -> None:
    db, ids = world
    with db.session() as s:
        d = directory(s, ids.school_id)
    assert d.pupil(ids.pupil_id) == "Sanne de Vries"
    assert d.group(ids.group_id) == "5A"
    assert d.person(ids.teacher_id) == "Tom Visser"


def test_calendar_without_rows_for_a_year_still_knows_national_days() -> None:
    cal = SchoolCalendar([(date(2026, 12, 19), date(2027, 1, 3))])
    assert not cal.is_school_day(date(2031, 4, 14))  # Tweede Paasdag 2031
    assert cal.next_school_day(date(2026, 12, 20)) == date(2027, 1, 4)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 9, 21), 6) == date(2027, 3, 21)


def test_demo_school_has_each_kind(demo_db) -> None:
    with demo_db.session() as s:
        ms = compute_moments(s, demo_db.school_id, today=TODAY, include_done=True)
        cal = school_calendar(s, demo_db.school_id)
    kinds = {m.kind for m in ms}
    assert {
        MomentKind.INTERVENTIE,
        MomentKind.GROEIDOCUMENT,
        MomentKind.OPP_EVALUATIE,
        MomentKind.OPP_DOEL,
        MomentKind.GROEPSBESPREKING,
        MomentKind.MDO,
        MomentKind.ZORGPLICHT,
        MomentKind.OUDERGESPREK,
    } <= kinds
    assert all(cal.is_school_day(m.due) for m in ms)
    assert len({m.key for m in ms}) == len(ms)


# ---------------------------------------------------------------------------- properties

from dataclasses import dataclass as _dataclass  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ib_desktop.models import (  # noqa: E402
    Holiday,
    LevelAssignment,
    Meeting,
    Opp,
)

DAY0 = date(2025, 8, 1)
days = st.integers(min_value=0, max_value=3 * 365)


@_dataclass
class Scenario:
    """Plain data of one generated school situation."""

    interventions: list[tuple[int, int, int, bool]]  # pupil, start, length, evaluated
    periods: list[tuple[int, int, int, bool]]  # pupil, start, length, closed
    opps: list[tuple[int, int, int | None, int | None]]  # pupil, start, fixed +d, next +d
    registrations: list[tuple[int, bool]]  # received, extended
    levels: list[tuple[int, int, int]]  # pupil, level position 2-4, start
    meetings: list[tuple[str, int, bool]]  # kind, day, held
    holidays: list[tuple[int, int]]  # start, length
    per_year: int
    today: int
    moves: list[tuple[int, int]]  # (intervention, days) a stored moment moves the due date


@st.composite
def scenarios(draw) -> Scenario:
    pupil = st.integers(min_value=0, max_value=2)
    return Scenario(
        interventions=draw(
            st.lists(st.tuples(pupil, days, st.integers(0, 70), st.booleans()), max_size=4)
        ),
        periods=draw(
            st.lists(st.tuples(pupil, days, st.integers(0, 120), st.booleans()), max_size=3)
        ),
        opps=draw(
            st.lists(
                st.tuples(
                    pupil,
                    days,
                    st.none() | st.integers(0, 90),
                    st.none() | st.integers(-30, 3 * 365),
                ),
                max_size=3,
            )
        ),
        registrations=draw(st.lists(st.tuples(days, st.booleans()), max_size=2)),
        levels=draw(
            st.lists(
                st.tuples(pupil, st.integers(2, 4), days),
                max_size=3,
                unique_by=lambda t: t[0],
            )
        ),
        meetings=draw(
            st.lists(
                st.tuples(st.sampled_from(["groepsbespreking", "mdo"]), days, st.booleans()),
                max_size=3,
            )
        ),
        holidays=draw(st.lists(st.tuples(days, st.integers(0, 20)), max_size=3)),
        per_year=draw(st.integers(1, 4)),
        today=draw(days),
        moves=draw(
            st.lists(
                st.tuples(st.integers(0, 3), st.integers(-90, 90)),
                max_size=2,
                unique_by=lambda t: t[0],
            )
        ),
    )


@pytest.fixture
def prop_world(school_db):
    """The test school with three pupils, reused (and emptied) across generated examples."""
    with school_db.session() as s:
        ids = base_school(s, school_db.school_id, TODAY)
        others = [add_pupil(s, ids, "Daan"), add_pupil(s, ids, "Fleur")]
    return school_db, ids, [ids.pupil_id, *others]


def load(db, ids: Ids, pupils: list[int], sc: Scenario) -> dict[str, date]:
    """Write the scenario (after clearing the previous one); returns each key's start date."""
    d = lambda n: DAY0 + timedelta(days=n)  # noqa: E731
    starts: dict[str, date] = {}
    with db.session() as s:
        for model in (
            ShortIntervention,
            GrowthDocument,
            Opp,
            Registration,
            LevelAssignment,
            Meeting,
            EvaluationMoment,
        ):
            s.execute(sa.delete(model))
        s.execute(sa.delete(Holiday).where(Holiday.name == "Extra"))
        s.get(School, ids.school_id).opp_evaluations_per_year = sc.per_year
        region = s.get(School, ids.school_id).region
        taken = set(s.scalars(sa.select(Holiday.start_date).where(Holiday.region == region)))
        for i, (start, length) in enumerate(sc.holidays):
            first = d(start) + timedelta(days=i * 500)
            while first in taken:  # one holiday per start date and region
                first += timedelta(days=1)
            taken.add(first)
            s.add(
                Holiday(
                    region=region,
                    name="Extra",
                    start_date=first,
                    end_date=first + timedelta(days=length),
                )
            )
        s.flush()
        for p, start, length, evaluated in sc.interventions:
            si = ShortIntervention(
                pupil_id=pupils[p],
                status=DocumentStatus.ACTIEF,
                start_date=d(start),
                end_date=d(start + length),
                evaluated_on=d(start + length) if evaluated else None,
            )
            s.add(si)
            s.flush()
            starts[f"interventie:{si.id}"] = d(start)
        keys = [k for k in starts if k.startswith("interventie:")]
        for index, shift in sc.moves:
            if index < len(keys):
                si = s.get(ShortIntervention, int(keys[index].split(":")[1]))
                s.add(
                    EvaluationMoment(
                        school_id=ids.school_id,
                        key=keys[index],
                        kind=MomentKind.INTERVENTIE,
                        due_date=si.end_date + timedelta(days=shift),
                    )
                )
        for p, start, length, closed in sc.periods:
            doc = GrowthDocument(pupil_id=pupils[p], status=DocumentStatus.ACTIEF)
            doc.periods.append(
                GrowthPeriod(
                    number=1, start_date=d(start), end_date=d(start + length), closed=closed
                )
            )
            s.add(doc)
            s.flush()
            starts[f"groeiperiode:{doc.periods[0].id}"] = d(start)
        for p, start, fixed, nxt in sc.opps:
            o = opp(
                s,
                pupils[p],
                d(start),
                fixed_on=d(start + fixed) if fixed is not None else None,
                next_evaluation_on=d(start + nxt) if nxt is not None else None,
            )
            starts[f"opp:{o.id}"] = d(start)
        for received, extended in sc.registrations:
            reg = Registration(
                school_id=ids.school_id,
                child_name="Kind",
                received_on=d(received),
                extended_on=d(received + 10) if extended else None,
            )
            s.add(reg)
            s.flush()
            starts[f"zorgplicht:{reg.id}"] = d(received)
        for p, position, start in sc.levels:
            place(s, pupils[p], level(s, ids.school_id, position), d(start))
            starts[f"oudergesprek:{pupils[p]}"] = d(start)
        for kind, day, held in sc.meetings:
            m = meeting(s, ids.school_id, MeetingKind(kind), d(day), held=held)
            starts[f"meeting:{m.id}"] = d(day)
    return starts


def start_of(key: str, starts: dict[str, date]) -> date:
    prefix, _, rest = key.partition(":")
    head = rest.split(":", 1)[0]
    return starts[f"{prefix}:{head}"]


PROPS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPS
@given(sc=scenarios())
def test_property_no_moment_in_a_holiday_or_weekend(prop_world, sc: Scenario) -> None:
    db, ids, pupils = prop_world
    load(db, ids, pupils, sc)
    today = DAY0 + timedelta(days=sc.today)
    with db.session() as s:
        ms = compute_moments(
            s, ids.school_id, today=today, end=today + timedelta(days=800), include_done=True
        )
        cal = school_calendar(s, ids.school_id)
        extra = s.execute(sa.select(Holiday.start_date, Holiday.end_date)).all()
    for m in ms:
        assert m.due.weekday() < 5, m
        assert cal.is_school_day(m.due), m
        assert not any(a <= m.due <= b for a, b in extra), m


@PROPS
@given(sc=scenarios())
def test_property_no_moment_before_its_document_starts(prop_world, sc: Scenario) -> None:
    db, ids, pupils = prop_world
    starts = load(db, ids, pupils, sc)
    today = DAY0 + timedelta(days=sc.today)
    with db.session() as s:
        ms = compute_moments(
            s, ids.school_id, today=today, end=today + timedelta(days=800), include_done=True
        )
    for m in ms:
        assert m.due >= start_of(m.key, starts), m


@PROPS
@given(sc=scenarios())
def test_property_opp_never_a_year_without_evaluation(prop_world, sc: Scenario) -> None:
    db, ids, pupils = prop_world
    starts = load(db, ids, pupils, sc)
    today = DAY0 + timedelta(days=sc.today)
    end = DAY0 + timedelta(days=6 * 365)
    with db.session() as s:
        ms = compute_moments(s, ids.school_id, today=today, end=end, include_done=True)
    for key, start in starts.items():
        if not key.startswith("opp:"):
            continue
        evals = sorted(
            (m for m in ms if m.key.startswith(f"{key}:evaluatie:")),
            key=lambda m: int(m.key.rsplit(":", 1)[1]),
        )
        assert evals, key
        previous = start
        for m in evals:
            assert previous < m.due <= add_months(previous, 12), (previous, m)
            previous = m.due
        # the chain reaches the end of the window: no gap of more than a year there either
        assert add_months(previous, 12) > end


@PROPS
@given(sc=scenarios())
def test_property_deterministic(prop_world, sc: Scenario) -> None:
    db, ids, pupils = prop_world
    load(db, ids, pupils, sc)
    today = DAY0 + timedelta(days=sc.today)
    with db.session() as s:
        first = compute_moments(s, ids.school_id, today=today, include_done=True)
    with db.session() as s:
        second = compute_moments(s, ids.school_id, today=today, include_done=True)
        third = compute_moments(s, ids.school_id, today=today, include_done=True)
    assert first == second == third
    assert len({m.key for m in first}) == len(first)
    assert first == sorted(first, key=Moment.sort_key)


@PROPS
@given(sc=scenarios())
def test_property_engine_never_writes(prop_world, sc: Scenario) -> None:
    from ib_desktop.storage import open_database

    db, ids, pupils = prop_world
    load(db, ids, pupils, sc)
    today = DAY0 + timedelta(days=sc.today)
    with db.session() as s:
        raw = s.connection().connection.driver_connection
        before = raw.total_changes
        compute_moments(s, ids.school_id, today=today, include_done=True)
        next_due_by_pupil(s, ids.school_id, today=today)
        assert raw.total_changes == before
        assert not s.new
        assert not s.dirty
        assert not s.deleted
    # and on a read-only connection it works all the same
    ro = open_database(db.path, readonly=True)
    try:
        with ro.session() as s:
            assert compute_moments(s, ids.school_id, today=today) == moments(db, ids, today=today)
    finally:
        ro.dispose()

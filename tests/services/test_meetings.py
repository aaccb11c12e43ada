"""The school's meetings (issue 20): planned from the rhythm, a proposed agenda, decisions."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from ib_desktop.models import (
    DocumentStatus,
    LevelAssignment,
    Meeting,
    MeetingKind,
    ShortIntervention,
    ViewLogEntry,
)
from ib_desktop.reports.meetings import invitation_pdf, minutes_pdf
from ib_desktop.schedule.school_days import school_calendar
from ib_desktop.services import deadlines
from ib_desktop.services.meetings import agenda, minutes, planning
from ib_desktop.services.meetings.sheet import meeting_sheet, record_print
from ib_desktop.services.school import create_school
from ib_desktop.storage import open_database
from ib_desktop.validation import ValidationErrors
from tests.services.schedule_data import add_pupil, base_school, level, place

TODAY = date(2026, 11, 18)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path):
    url = str(tmp_path / "t.sqlite") if request.param == "sqlite" else request.getfixturevalue(
        "pg_url"
    )
    database = open_database(url)
    with database.session() as s:
        database.school_id = create_school(s, "De Balein", today=TODAY).id  # type: ignore[attr-defined]
    yield database
    database.dispose()


def test_plan_year_puts_meetings_in_the_rhythm_weeks_and_never_in_a_holiday(db) -> None:
    with db.session() as s:
        ids = base_school(s, db.school_id, TODAY)
        # week 43 is the herfstvakantie (midden, 2026) and week 52 the kerstvakantie
        rhythm = [
            planning.RhythmLine(MeetingKind.GROEPSBESPREKING, [40, 43, 6], 1, True),
            planning.RhythmLine(MeetingKind.MDO, [39, 52, 10], 3, False),
        ]
        planning.save_rhythm(s, db.school_id, rhythm)
        proposals = planning.propose_year(s, db.school_id, today=TODAY)
        calendar = school_calendar(s, db.school_id)
        assert len(proposals) == 6
        for p in proposals:
            assert calendar.is_school_day(p.date), p
        groups = [p for p in proposals if p.kind == MeetingKind.GROEPSBESPREKING]
        assert {p.group_id for p in groups} == {ids.group_id}
        weeks = sorted((p.date.isocalendar().week, p.date.weekday()) for p in groups)
        # weeks 40 and 6 on the Tuesday; week 43 closed, moved to the next school day
        assert (40, 1) in weeks
        assert (6, 1) in weeks
        moved = next(p for p in groups if p.week == 43)
        assert moved.date.isocalendar().week == 44
        assert "vakantie" in moved.note
        mdo = [p.date for p in proposals if p.kind == MeetingKind.MDO]
        assert date(2026, 9, 24) in mdo  # week 39, a Thursday
        assert all(d.year == 2027 for d in mdo if d.month < 8)
        assert [p.accepted for p in proposals] == [p.date >= TODAY for p in proposals]
        for p in proposals:
            p.accepted = True
        created = planning.accept_proposals(s, db.school_id, proposals)
        assert len(created) == 6
        # planned twice: nothing is added again
        again = planning.propose_year(s, db.school_id, today=TODAY)
        assert all(p.exists and not p.accepted for p in again)
        assert planning.accept_proposals(s, db.school_id, again) == []
        # an edited date in a holiday is refused
        again[0].accepted, again[0].exists = True, False
        again[0].date = date(2026, 12, 25)
        with pytest.raises(ValidationErrors):
            planning.accept_proposals(s, db.school_id, again)


def test_rhythm_weeks_parse_dutch_errors() -> None:
    assert planning.parse_weeks("40, 5 23;5") == [40, 5, 23]
    with pytest.raises(ValueError, match="weeknummer"):
        planning.parse_weeks("40, 60")


def _school_with_pupils(s, school_id: int):
    ids = base_school(s, school_id, TODAY)
    late = add_pupil(s, ids, "Łukasz")
    s.add(
        ShortIntervention(
            pupil_id=late, status=DocumentStatus.ACTIEF, teacher_id=ids.teacher_id,
            start_date=TODAY - timedelta(weeks=10), end_date=TODAY - timedelta(weeks=2),
        )
    )  # fmt: skip
    leveled = add_pupil(s, ids, "Zoë")
    lvl = level(s, school_id, 3)
    lvl.parent_meeting_weeks = 6
    place(s, leveled, lvl, TODAY - timedelta(weeks=12))
    tidy = ids.pupil_id  # Sanne: no level with a rhythm, nothing late
    meeting = Meeting(school_id=school_id, kind=MeetingKind.KINDBESPREKING,
                      date=TODAY + timedelta(days=6), title="Kindbespreking",
                      group_id=ids.group_id)  # fmt: skip
    s.add(meeting)
    s.flush()
    return ids, late, leveled, tidy, meeting


def test_proposed_agenda_has_the_late_and_the_level_pupil_not_the_tidy_one(db) -> None:
    with db.session() as s:
        _ids, late, leveled, tidy, meeting = _school_with_pupils(s, db.school_id)
        proposed = {a.pupil_id: a for a in agenda.propose_pupils(s, meeting.id, today=TODAY)}
        assert late in proposed
        assert "te laat" in proposed[late].reason
        assert leveled in proposed
        assert "Niveau vraagt een gesprek" in proposed[leveled].reason
        assert tidy not in proposed
        # accepted ones leave the proposal; removed ones can come back with their notes
        assert agenda.add_pupil(s, meeting.id, late, proposed[late].reason)
        assert not agenda.add_pupil(s, meeting.id, late)
        assert late not in {a.pupil_id for a in agenda.propose_pupils(s, meeting.id, today=TODAY)}
        minutes.save_minutes(s, meeting.id, late, "Gaat beter 🙂", "Doorgaan")
        gone = agenda.remove_pupil(s, meeting.id, late)
        assert gone is not None
        assert agenda.agenda_of(s, meeting.id) == []
        agenda.restore_pupil(s, meeting.id, gone)
        (line,) = agenda.agenda_of(s, meeting.id)
        assert (line.minutes, line.decision) == ("Gaat beter 🙂", "Doorgaan")


def test_decision_changes_the_level_with_the_meeting_as_source(db) -> None:
    with db.session() as s:
        _ids, _late, leveled, _tidy, meeting = _school_with_pupils(s, db.school_id)
        meeting.date = TODAY
        up = level(s, db.school_id, 4)
        change = minutes.decide_level(
            s, meeting.id, leveled, up.id, "Meer steun nodig", today=TODAY
        )
        assert change.direction == "op"
        history = s.scalars(
            sa.select(LevelAssignment)
            .where(LevelAssignment.pupil_id == leveled)
            .order_by(LevelAssignment.start_date, LevelAssignment.id)
        ).all()
        assert history[-1].level_id == up.id
        assert history[-1].meeting_id == meeting.id
        assert history[-2].end_date == TODAY
        (line,) = agenda.agenda_of(s, meeting.id)
        assert "Meer steun nodig" in line.decision


def test_a_task_decided_shows_among_the_deadlines_until_done(db) -> None:
    with db.session() as s:
        _ids, late, _lev, _tidy, meeting = _school_with_pupils(s, db.school_id)
        with pytest.raises(ValidationErrors):
            minutes.add_task(s, meeting.id, "  ", meeting.date)
        task = minutes.add_task(s, meeting.id, "Logopedist bellen", meeting.date + timedelta(7),
                                pupil_id=late)  # fmt: skip
        lines = [d for d in deadlines.collect(s, db.school_id, TODAY) if d.kind == "vergadertaak"]
        assert [d.what.split(" (")[0] for d in lines] == ["Logopedist bellen"]
        assert lines[0].pupil_id == late
        minutes.set_task_done(s, task)
        assert not [
            d for d in deadlines.collect(s, db.school_id, TODAY) if d.kind == "vergadertaak"
        ]


def test_invitation_and_minutes_pdf_text_and_the_print_is_logged(db) -> None:
    with db.session() as s:
        _ids, late, leveled, _tidy, meeting = _school_with_pupils(s, db.school_id)
        for a in agenda.propose_pupils(s, meeting.id, today=TODAY):
            agenda.add_pupil(s, meeting.id, a.pupil_id, a.reason)
        minutes.set_attendees(s, meeting.id, [
            minutes.Attendee("Ilse Bakker", "intern begeleider"),
            minutes.Attendee("Mevr. Çelik", "ouder/verzorger"),
            minutes.Attendee("Jeroen de Wit", "consulent SWV"),
        ])  # fmt: skip
        with pytest.raises(ValidationErrors):
            minutes.set_attendees(s, meeting.id, [minutes.Attendee(" ", "jeugdhulp")])
        sheet = meeting_sheet(s, meeting.id)
        reader = PdfReader(io.BytesIO(invitation_pdf(sheet)))
        text = reader.pages[0].extract_text()
        assert len(reader.pages) == 1
        assert "Uitnodiging" in text
        assert "Kindbespreking" in text
        assert "Łukasz" in text
        assert "Zoë" in text
        assert "Sanne" not in text
        assert "consulent SWV" in text
        minutes.save_minutes(s, meeting.id, leveled, "Besproken met ouders", "Niveau blijft")
        text = PdfReader(io.BytesIO(minutes_pdf(meeting_sheet(s, meeting.id)))).pages[0]
        assert "Niveau blijft" in text.extract_text()
        assert record_print(s, sheet, "Uitnodiging", actor="Ilse") == 2
        logged = s.scalars(sa.select(ViewLogEntry.pupil_id)).all()
        assert sorted(logged) == sorted([late, leveled])


def test_meetings_of_every_kind_are_in_the_schedule(db) -> None:
    from ib_desktop.schedule import compute_moments

    with db.session() as s:
        _ids, _late, _lev, _tidy, meeting = _school_with_pupils(s, db.school_id)
        keys = {m.key: m for m in compute_moments(s, db.school_id, today=TODAY,
                                                  end=TODAY + timedelta(30))}  # fmt: skip
        assert f"meeting:{meeting.id}" in keys
        assert keys[f"meeting:{meeting.id}"].title == "Kindbespreking"


def test_a_planned_kindbespreking_and_ot_are_in_the_calendar_export(db) -> None:
    from ib_desktop.calendar_export import export_calendar

    with db.session() as s:
        _ids, _late, _lev, _tidy, meeting = _school_with_pupils(s, db.school_id)
        ot = Meeting(school_id=db.school_id, kind=MeetingKind.OT, date=TODAY + timedelta(8),
                     title="OT met SWV")  # fmt: skip
        s.add(ot)
        s.flush()
        data = export_calendar(s, db.school_id, today=TODAY).data
        text = data.decode() if isinstance(data, bytes) else data
        assert "SUMMARY:Kindbespreking" in text
        assert "SUMMARY:OT met SWV" in text


def test_a_decision_starts_a_korte_interventie_through_its_service(db) -> None:
    with db.session() as s:
        _ids, _late, leveled, _tidy, meeting = _school_with_pupils(s, db.school_id)
        before = s.scalar(sa.select(sa.func.count()).select_from(ShortIntervention)
                          .where(ShortIntervention.pupil_id == leveled))  # fmt: skip
        doc_id = minutes.start_document(s, meeting.id, leveled, "korte_interventie", today=TODAY)
        doc = s.get(ShortIntervention, doc_id)
        assert doc is not None
        assert doc.pupil_id == leveled
        after = s.scalar(sa.select(sa.func.count()).select_from(ShortIntervention)
                         .where(ShortIntervention.pupil_id == leveled))  # fmt: skip
        assert after == before + 1
        (line,) = agenda.agenda_of(s, meeting.id)
        assert "Korte interventie gestart" in line.decision
        with pytest.raises(ValueError, match="Onbekend"):
            minutes.start_document(s, meeting.id, leveled, "brief", today=TODAY)

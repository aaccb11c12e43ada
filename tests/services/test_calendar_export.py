"""Calendar export: a valid .ics with stable event ids, per teacher or for the IB-er."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import sqlalchemy as sa

from ib_desktop.calendar_export import (
    DEFAULT_WEEKS_AHEAD,
    event_uid,
    export_calendar,
    initials,
    school_uid_part,
    suggested_file_name,
)
from ib_desktop.models import ShortIntervention, Staff, StaffRole
from ib_desktop.schedule import compute_moments, directory

TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)


def events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return [c for c in cal.walk("VEVENT")]


def test_ics_parses_and_has_what_outlook_and_google_need(demo_db) -> None:
    with demo_db.session() as s:
        result = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW)
    cal = icalendar.Calendar.from_ical(result.data)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["VERSION"]) == "2.0"
    assert "PRODID" in cal
    evs = events(result.data)
    assert len(evs) == result.events > 20
    for ev in evs:
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert type(start) is date  # an all-day event
        assert (end - start).days == 1
        assert ev["UID"].endswith("@ib-desktop")
        assert ev.decoded("DTSTAMP").tzinfo is not None
        assert int(ev["SEQUENCE"]) > 0
        assert str(ev["TRANSP"]) == "TRANSPARENT"
    summaries = " ".join(str(ev["SUMMARY"]) for ev in evs)
    assert "Evaluatie korte interventie" in summaries
    assert any("Verantwoordelijk:" in str(ev["DESCRIPTION"]) for ev in evs)
    assert len({str(ev["UID"]) for ev in evs}) == len(evs)


def test_second_export_has_the_same_ids_and_a_higher_sequence(demo_db) -> None:
    later = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    with demo_db.session() as s:
        first = events(export_calendar(s, demo_db.school_id, today=TODAY, now=NOW).data)
        second = events(export_calendar(s, demo_db.school_id, today=TODAY, now=later).data)
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert all(int(b["SEQUENCE"]) > int(a["SEQUENCE"]) for a, b in zip(first, second, strict=True))


def test_done_moment_keeps_its_uid_and_is_marked_done(demo_db) -> None:
    with demo_db.session() as s:
        before = {
            str(e["UID"]): e
            for e in events(export_calendar(s, demo_db.school_id, today=TODAY, now=NOW).data)
        }
        moment = next(
            m
            for m in compute_moments(s, demo_db.school_id, today=TODAY)
            if m.source_kind == "korte_interventie" and m.due < TODAY
        )
        si = s.get(ShortIntervention, moment.source_id)
        si.evaluation, si.evaluated_on, si.outcome = "Gedaan", TODAY, "behaald"
        s.flush()
        after = {
            str(e["UID"]): e
            for e in events(export_calendar(s, demo_db.school_id, today=TODAY, now=NOW).data)
        }
        s.rollback()
    school_part = next(iter(before)).split(".", 1)[1].split("@")[0]
    uid = event_uid(moment.key, school_part)
    assert uid in before
    assert "(gedaan)" not in str(before[uid]["SUMMARY"])
    assert "Te laat" in str(before[uid]["DESCRIPTION"])
    assert uid in after
    assert str(after[uid]["SUMMARY"]).endswith("(gedaan)")


def test_teacher_gets_only_their_moments(demo_db) -> None:
    with demo_db.session() as s:
        all_moments = compute_moments(
            s, demo_db.school_id, today=TODAY, end=TODAY + timedelta(weeks=DEFAULT_WEEKS_AHEAD)
        )
        names = directory(s, demo_db.school_id)
        teacher = s.scalars(
            sa.select(Staff.id).where(Staff.role == StaffRole.LEERKRACHT).order_by(Staff.id)
        ).first()
        result = export_calendar(s, demo_db.school_id, today=TODAY, teacher_id=teacher, now=NOW)
        everyone = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW)
    assert 0 < result.events < everyone.events
    teacher_groups = {g for g, ts in names.group_teachers.items() if teacher in ts}
    mine = {
        m.key for m in all_moments if m.responsible_id == teacher or m.group_id in teacher_groups
    }
    uids = {str(e["UID"]) for e in events(result.data)}
    part = school_uid_part(demo_db.school_id, "12AB")
    assert {event_uid(k, part) for k in mine} <= uids
    assert names.person(teacher) in result.name


def test_initials_only_keeps_full_names_out(demo_db) -> None:
    with demo_db.session() as s:
        # Issue 16: initials became the default; full names only when asked for.
        full = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW, only_initials=False)
        short = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW, only_initials=True)
        default = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW)
        moment = next(m for m in compute_moments(s, demo_db.school_id, today=TODAY) if m.pupil_id)
        name = directory(s, demo_db.school_id).pupil(moment.pupil_id)
    assert name in full.data.decode()
    assert name not in short.data.decode()
    assert initials(name) in short.data.decode()
    assert default.data == short.data


def test_uid_and_name_helpers() -> None:
    assert (
        event_uid("opp:5:evaluatie:1", "school1-12ab")
        == "opp-5-evaluatie-1.school1-12ab@ib-desktop"
    )
    assert school_uid_part(3, "12 AB") == "school3-12ab"
    assert initials("Sanne de Vries") == "S. de V."
    assert initials("Noël") == "N."
    assert suggested_file_name("IB Desktop – Zoë Çelik", TODAY) == "agenda-zoe-celik-2026-11-18.ics"

"""Calendar export that keeps calendars clean: vanished moments come back as cancelled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import sqlalchemy as sa

from ib_desktop.calendar_export import (
    CANCELLED_PREFIX,
    event_uid,
    export_calendar,
    feed_key,
    load_memory,
    remember_export,
    school_uid_part,
    target_key,
)
from ib_desktop.models import Opp, Setting
from ib_desktop.schedule import compute_moments
from ib_desktop.services.pupil import LeaveKind, leave_school

TODAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def _export(db, key: str, now: datetime, today: date = TODAY):
    with db.session() as s:
        result = export_calendar(s, db.school_id, today=today, now=now, memory_key=key)
    with db.session() as s:
        remember_export(s, result, label="test")
    return result


def _pupil_with_opp(db) -> tuple[int, int, set[str]]:
    """A pupil with a running OPP in the calendar: id, version and the UIDs of their moments."""
    with db.session() as s:
        moments = compute_moments(
            s, db.school_id, today=TODAY, end=TODAY + timedelta(weeks=52), include_done=True
        )
        opp_ids = {m.source_id for m in moments}
        opp = s.scalars(
            sa.select(Opp).where(Opp.end_date.is_(None), Opp.id.in_(opp_ids)).order_by(Opp.id)
        ).first()
        part = school_uid_part(db.school_id, opp.pupil.school.brin)
        uids = {event_uid(m.key, part) for m in moments if m.pupil_id == opp.pupil_id}
        return opp.pupil_id, opp.pupil.version, uids


def test_a_leavers_moments_come_back_cancelled_with_a_higher_sequence(demo_db, tmp_path) -> None:
    key = target_key(tmp_path / "agenda.ics")
    first = by_uid(_export(demo_db, key, NOW).data)
    pupil_id, version, theirs = _pupil_with_opp(demo_db)
    assert theirs & set(first)  # the pupil is in the calendar
    with demo_db.session() as s:
        leave_school(
            s, pupil_id, date(2026, 11, 18), LeaveKind.VERHUIZING, "Zwolle",
            expected_version=version, today=TODAY,
        )  # fmt: skip
    second_result = _export(demo_db, key, LATER)
    second = by_uid(second_result.data)
    gone = set(first) - {u for u, e in second.items() if str(e["STATUS"]) != "CANCELLED"}
    assert gone, "leaving must take some moments out of the calendar"
    assert gone <= theirs  # only the leaver's moments vanish
    for uid in gone:
        ev = second[uid]  # still in the file ...
        assert str(ev["STATUS"]) == "CANCELLED"  # ... but cancelled
        assert int(ev["SEQUENCE"]) == int(first[uid]["SEQUENCE"]) + 1
        assert ev.decoded("DTSTART") == first[uid].decoded("DTSTART")
        assert str(ev["SUMMARY"]) == CANCELLED_PREFIX + str(first[uid]["SUMMARY"])
    assert second_result.cancelled == len(gone)
    # The moments that stay are confirmed, under the same UID.
    for uid, ev in second.items():
        if uid not in gone:
            assert str(ev["STATUS"]) == "CONFIRMED"
    # A third export repeats the cancellation without raising the sequence again.
    third = by_uid(_export(demo_db, key, datetime(2026, 12, 2, 8, 0, tzinfo=UTC)).data)
    for uid in gone:
        assert str(third[uid]["STATUS"]) == "CANCELLED"
        assert int(third[uid]["SEQUENCE"]) == int(second[uid]["SEQUENCE"])


def test_without_memory_nothing_is_cancelled(demo_db) -> None:
    with demo_db.session() as s:
        result = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW)
    assert result.cancelled == 0
    assert "CANCELLED" not in result.data.decode()


def test_each_target_has_its_own_memory(demo_db, tmp_path) -> None:
    a, b = target_key(tmp_path / "a.ics"), target_key(tmp_path / "b.ics")
    assert a != b
    assert target_key(tmp_path / "x" / ".." / "a.ics") == a
    assert feed_key("Agenda  IB") == feed_key("agenda ib") != feed_key("Agenda leerkrachten")
    assert len(a) <= 100  # fits the settings table's key
    _export(demo_db, a, NOW)
    with demo_db.session() as s:
        assert load_memory(s, a)
        assert load_memory(s, b) == {}


def test_an_unreadable_memory_is_ignored(demo_db, tmp_path) -> None:
    key = target_key(tmp_path / "agenda.ics")
    with demo_db.session() as s:
        s.add(Setting(key=key, value={"events": {"x@ib-desktop": {"start": "gisteren"}}}))
    with demo_db.session() as s:
        result = export_calendar(s, demo_db.school_id, today=TODAY, now=NOW, memory_key=key)
    assert result.cancelled == 0

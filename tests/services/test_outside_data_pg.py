"""Issue 16 on PostgreSQL: holidays from a file, the calendar's memory, the register check."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import icalendar

from ib_desktop.models import Opp, Pupil, PupilStatus, Region
from tests.conftest import TODAY

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays"


def test_issue_16_on_postgresql(pg_url, tmp_path) -> None:
    from ib_desktop.calendar_export import export_calendar, remember_export, target_key
    from ib_desktop.services import holidays as hol
    from ib_desktop.services import opp as opp_service
    from ib_desktop.services import pupil as pf
    from ib_desktop.services.holiday_import import apply_changes, plan_changes, read_holiday_file
    from ib_desktop.services.opp.register import TWO_OPEN, check_register, opp_register
    from ib_desktop.services.school import create_school
    from ib_desktop.storage import open_database

    db = open_database(pg_url)
    try:
        with db.session() as s:
            school_id = create_school(s, "De Test", brin="99ZZ", swv_name="SWV", today=TODAY).id
            data = pf.PupilData(
                first_name="Çağrı", last_name="Öztürk", birth_date=date(2017, 2, 3),
                enrolled_on=date(2023, 8, 28),
            )  # fmt: skip
            pid = pf.create_pupil(s, school_id, data, today=TODAY).id
        with db.session() as s:
            opp_service.start_opp(s, pid, on=date(2025, 9, 1))

        # Holidays from the school's .ics: previewed, then applied.
        loaded = read_holiday_file(
            (DATA / "schoolkalender.ics").read_bytes(), "schoolkalender.ics",
            ics_regions=[Region.MIDDEN],
        )  # fmt: skip
        with db.session() as s:
            plan = plan_changes(s, loaded, [Region.MIDDEN])
            assert len(plan) == 4
        with db.session() as s:
            assert apply_changes(s, plan) == 4
        with db.session() as s:
            assert plan_changes(s, loaded, [Region.MIDDEN]) == []
            assert "Studiedag team" in {h.name for h in hol.list_holidays(s, Region.MIDDEN)}

        # The calendar remembers what the file held (a JSON value in the settings table).
        key = target_key(tmp_path / "agenda.ics")
        now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
        with db.session() as s:
            first = export_calendar(s, school_id, today=TODAY, now=now, memory_key=key)
        assert first.events > 0
        assert "Öztürk" not in first.data.decode()  # initials by default
        with db.session() as s:
            remember_export(s, first, label="agenda.ics")
        with db.session() as s:
            pupil = s.get(Pupil, pid)
            pf.leave_school(s, pid, TODAY, pf.LeaveKind.VERHUIZING, "Zwolle",
                            expected_version=pupil.version, today=TODAY)  # fmt: skip
        with db.session() as s:
            second = export_calendar(s, school_id, today=TODAY, now=now, memory_key=key)
        cancelled = [
            e for e in icalendar.Calendar.from_ical(second.data).walk("VEVENT")
            if str(e["STATUS"]) == "CANCELLED"
        ]  # fmt: skip
        assert cancelled
        assert second.cancelled == len(cancelled)

        # The register check: a second open OPP for the same pupil is flagged.
        with db.session() as s:
            s.get(Opp, s.query(Opp.id).filter(Opp.pupil_id == pid).scalar()).end_date = None
            s.add(Opp(pupil_id=pid, start_date=date(2026, 1, 5)))
            assert s.get(Pupil, pid).status == PupilStatus.VERTROKKEN
        with db.session() as s:
            problems = check_register(opp_register(s, school_id, today=TODAY))
        assert TWO_OPEN in {p.code for p in problems}
        assert all(p.pupil_name == "Çağrı Öztürk" for p in problems)
    finally:
        db.dispose()

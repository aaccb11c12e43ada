"""Holidays loaded from the Rijksoverheid open data (JSON, CSV) or a school's .ics, previewed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_desktop.models import Region
from ib_desktop.services import holidays as hol
from ib_desktop.services.holiday_import import (
    ADDED,
    CHANGED,
    REMOVED,
    HolidayFileError,
    apply_changes,
    parse_day,
    plan_changes,
    read_holiday_file,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays"


def load(name: str, regions=tuple(Region)):
    return read_holiday_file((DATA / name).read_bytes(), name, ics_regions=regions)


def spans(changes, kind=None):
    return [
        (c.kind, (c.old.name, c.old.start, c.old.end) if c.old else None,
         (c.new.name, c.new.start, c.new.end) if c.new else None)
        for c in changes if kind is None or c.kind == kind
    ]  # fmt: skip


def test_open_data_json_gives_every_region_its_vacations() -> None:
    loaded = load("schoolvakanties-2028-2029.json")
    assert loaded.school_years == {"2028-2029"}
    assert loaded.warnings == []
    midden = {h.name: (h.start, h.end) for h in loaded.periods[Region.MIDDEN]}
    assert midden == {
        "Herfstvakantie": (date(2028, 10, 14), date(2028, 10, 22)),  # trailing space gone
        # "heel Nederland", midnight Dutch time written as 23:00 UTC the day before
        "Kerstvakantie": (date(2028, 12, 23), date(2029, 1, 7)),
        "Voorjaarsvakantie": (date(2029, 2, 10), date(2029, 2, 18)),
        "Meivakantie": (date(2029, 4, 28), date(2029, 5, 6)),
        "Zomervakantie": (date(2029, 7, 14), date(2029, 8, 26)),
    }
    noord = {h.name: h.start for h in loaded.periods[Region.NOORD]}
    assert noord["Zomervakantie"] == date(2029, 7, 21)
    assert noord["Kerstvakantie"] == date(2028, 12, 23)


def test_loading_open_data_json_previews_then_applies(school_db) -> None:
    loaded = load("schoolvakanties-2028-2029.json")
    with school_db.session() as s:
        before = hol.list_holidays(s, Region.MIDDEN)
        plan = plan_changes(s, loaded, [Region.MIDDEN])
        assert hol.list_holidays(s, Region.MIDDEN) == before  # a preview saves nothing
    assert [c.kind for c in plan] == [ADDED] * 5
    assert plan[1].describe() == "Kerstvakantie: 23-12-2028 t/m 07-01-2029 (nieuw)"
    with school_db.session() as s:
        assert apply_changes(s, plan) == 5
    with school_db.session() as s:
        after = hol.list_holidays(s, Region.MIDDEN)
        assert len(after) == len(before) + 5
        assert plan_changes(s, loaded, [Region.MIDDEN]) == []  # loading again changes nothing


def test_loading_open_data_csv_changes_and_removes_with_preview(school_db) -> None:
    with school_db.session() as s:
        rows = {h.name: h for h in hol.list_holidays(s, Region.MIDDEN) if h.start.year == 2027}
        herfst = rows["Herfstvakantie"]
        assert herfst.start == date(2027, 10, 16)
        # The school still has the old, wrong dates: herfst of zuid, and the advised extra week.
        hol.save_holiday(s, Region.MIDDEN, "Herfstvakantie", date(2027, 10, 23),
                         date(2027, 10, 31), holiday_id=herfst.id)  # fmt: skip
        hol.save_holiday(s, Region.MIDDEN, "Meivakantie", date(2028, 4, 22), date(2028, 4, 30))
    loaded = load("schoolvakanties.csv")
    assert loaded.school_years == {"2027-2028"}
    assert any("Regel 9" in w and "Oost" in w for w in loaded.warnings)
    with school_db.session() as s:
        plan = plan_changes(s, loaded, [Region.MIDDEN])
    assert spans(plan) == [
        (
            CHANGED,
            ("Herfstvakantie", date(2027, 10, 23), date(2027, 10, 31)),
            ("Herfstvakantie", date(2027, 10, 16), date(2027, 10, 24)),
        ),
        (REMOVED, ("Meivakantie", date(2028, 4, 22), date(2028, 4, 30)), None),
    ]
    assert "16-10-2027 t/m 24-10-2027" in plan[0].describe()
    assert plan[1].describe().endswith("(vervalt)")
    with school_db.session() as s:
        assert apply_changes(s, plan) == 2
    with school_db.session() as s:
        meis = [h for h in hol.list_holidays(s, Region.MIDDEN) if h.name == "Meivakantie"]
        assert date(2028, 4, 22) not in {h.start for h in meis}
        assert date(2028, 4, 29) in {h.start for h in meis}
        assert plan_changes(s, loaded, [Region.MIDDEN]) == []
        # national days and study days are never removed by open data
        assert any(h.name == hol.KINGS_DAY for h in hol.list_holidays(s, Region.MIDDEN))


def test_csv_with_commas_and_english_headers() -> None:
    text = (
        "schoolyear,type,region,startdate,enddate\n"
        "2028-2029,Meivakantie ,heel Nederland,2029-04-28,2029-05-06\n"
    )
    loaded = read_holiday_file(text.encode("cp1252"), "vakanties.CSV")
    assert {r: [(h.name, h.start) for h in rows] for r, rows in loaded.periods.items()} == {
        r: [("Meivakantie", date(2029, 4, 28))] for r in Region
    }


def test_loading_a_schools_ics_with_study_days(school_db) -> None:
    loaded = load("schoolkalender.ics", regions=[Region.MIDDEN])
    assert set(loaded.periods) == {Region.MIDDEN}
    assert any("Ouderavond" in w and "tijd" in w for w in loaded.warnings)
    with school_db.session() as s:
        plan = plan_changes(s, loaded, [Region.MIDDEN])
    assert spans(plan) == [
        (ADDED, None, ("Studiedag team", date(2026, 11, 27), date(2026, 11, 27))),
        (
            CHANGED,
            ("Kerstvakantie", date(2026, 12, 19), date(2027, 1, 3)),
            ("Kerstvakantie", date(2026, 12, 18), date(2027, 1, 3)),  # DTEND is exclusive
        ),
        (ADDED, None, ("Studiedagen rekenen", date(2027, 2, 8), date(2027, 2, 9))),
        (ADDED, None, ("Vrije dag 🎉 Çağrı's feest", date(2027, 4, 12), date(2027, 4, 12))),
    ]
    with school_db.session() as s:
        apply_changes(s, plan)
    with school_db.session() as s:
        stored = {h.name: (h.start, h.end) for h in hol.list_holidays(s, Region.MIDDEN)}
        assert stored["Studiedagen rekenen"] == (date(2027, 2, 8), date(2027, 2, 9))
        assert not hol.list_holidays(s, Region.ZUID) or all(
            h.name != "Studiedag team" for h in hol.list_holidays(s, Region.ZUID)
        )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.json", b"{nee", "geen leesbaar JSON"),
        ("x.json", json.dumps([{"content": []}]).encode(), "geen schoolvakanties"),
        ("x.csv", b"a;b\n1;2\n", "ontbreken de kolommen"),
        ("x.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "hele dag"),
        ("x.pdf", b"%PDF-1.4", "Kies een open-databestand"),
    ],
)
def test_unreadable_files_get_a_dutch_message(name, data, message) -> None:
    with pytest.raises(HolidayFileError, match=message):
        read_holiday_file(data, name)


def test_parse_day_forms() -> None:
    assert parse_day("2026-10-17T00:00:00.000Z") == date(2026, 10, 17)
    assert parse_day("2026-10-16T22:00:00.000Z") == date(2026, 10, 17)  # summer time
    assert parse_day("17-10-2026") == date(2026, 10, 17)
    assert parse_day("2026-10-17") == date(2026, 10, 17)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), name=st.sampled_from(["a.csv", "a.json", "a.ics", "a"]))
def test_any_untidy_file_is_read_or_refused_in_dutch(text, name) -> None:
    try:
        loaded = read_holiday_file(text.encode("utf-8"), name)
    except HolidayFileError as exc:
        message = str(exc)
        assert message  # noqa: PT017 - any other exception fails the test
    else:
        for rows in loaded.periods.values():
            assert all(h.start <= h.end for h in rows)


def test_dates_shipped_wrongly_before_are_corrected_unless_the_school_changed_them(
    school_db,
) -> None:
    from ib_desktop.models import Holiday
    from ib_desktop.services.holiday_import import outdated_shipped_changes

    # A school seeded by an earlier version: the old meivakantie and summer of 2026-2027, no
    # Koningsdag (it fell in the old meivakantie); the school moved its own summer of 2027-2028.
    with school_db.session() as s:
        rows = {(h.name, h.start.year): h for h in hol.list_holidays(s, Region.MIDDEN)}
        for (name, year), old in (
            (("Meivakantie", 2027), (date(2027, 4, 24), date(2027, 5, 2))),
            (("Zomervakantie", 2027), (date(2027, 7, 10), date(2027, 8, 22))),
            (("Zomervakantie", 2028), (date(2028, 7, 1), date(2028, 8, 13))),  # the school's own
        ):
            row = s.get(Holiday, rows[(name, year)].id)
            row.start_date, row.end_date = old
        hol.delete_holiday(s, rows[(hol.KINGS_DAY, 2027)].id)
    with school_db.session() as s:
        plan = outdated_shipped_changes(s, Region.MIDDEN)
    assert spans(plan) == [
        (ADDED, None, (hol.KINGS_DAY, date(2027, 4, 27), date(2027, 4, 27))),
        (
            CHANGED,
            ("Meivakantie", date(2027, 4, 24), date(2027, 5, 2)),
            ("Meivakantie", date(2027, 5, 1), date(2027, 5, 9)),
        ),
        (
            CHANGED,
            ("Zomervakantie", date(2027, 7, 10), date(2027, 8, 22)),
            ("Zomervakantie", date(2027, 7, 17), date(2027, 8, 29)),
        ),
    ]
    with school_db.session() as s:
        apply_changes(s, plan)
    with school_db.session() as s:
        assert outdated_shipped_changes(s, Region.MIDDEN) == []
        own = [h for h in hol.list_holidays(s, Region.MIDDEN) if h.start.year == 2028]
        assert date(2028, 7, 1) in {h.start for h in own}  # the school's own choice stays

"""Holidays: shipped per region and school year, national days computed, editable by the school."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ib_desktop.models import Holiday, Region
from ib_desktop.services import holidays as hol
from ib_desktop.validation import ValidationErrors


def test_shipped_years_cover_this_and_the_next_two_school_years() -> None:
    assert {"2025-2026", "2026-2027", "2027-2028"} <= set(hol.shipped_school_years())
    assert "controleer" in hol.shipped_note().lower()


@pytest.mark.parametrize("region", list(Region))
@pytest.mark.parametrize("label", ["2025-2026", "2026-2027", "2027-2028"])
def test_every_region_has_the_five_vacations_inside_its_school_year(region, label) -> None:
    vacations = hol.shipped_vacations(region, label)
    names = [v.name for v in vacations]
    assert names == [
        "Herfstvakantie",
        "Kerstvakantie",
        "Voorjaarsvakantie",
        "Meivakantie",
        "Zomervakantie",
    ]
    first, last = date(int(label[:4]), 8, 1), date(int(label[:4]) + 1, 9, 30)
    for v in vacations:
        assert first <= v.start <= v.end <= last
        assert v.start.weekday() == 5  # vacations run Saturday to Sunday
        assert v.end.weekday() == 6
    assert 42 <= vacations[-1].days <= 44  # six weeks of summer, weekends included
    christmas = vacations[1]
    assert christmas.contains(date(int(label[:4]), 12, 25))
    assert christmas.contains(date(int(label[:4]) + 1, 1, 1))


def test_regions_differ_in_summer() -> None:
    summers = {r: hol.shipped_vacations(r, "2026-2027")[-1].start for r in Region}
    assert len(set(summers.values())) == 3


def test_national_days_off_computed_from_easter() -> None:
    days = {h.name: h.start for h in hol.national_days_off("2026-2027")}
    # Easter 2027 is 28 March.
    assert days[hol.GOOD_FRIDAY] == date(2027, 3, 26)
    assert days[hol.EASTER_MONDAY] == date(2027, 3, 29)
    assert days[hol.KINGS_DAY] == date(2027, 4, 27)
    assert days[hol.ASCENSION_DAY] == date(2027, 5, 6)
    assert days[hol.WHIT_MONDAY] == date(2027, 5, 17)
    assert hol.LIBERATION_DAY not in days  # 2027 is no lustrum year


def test_kings_day_moves_to_saturday_when_on_sunday_and_liberation_in_lustrum() -> None:
    assert hol.kings_day(2025) == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    days = {h.name: h.start for h in hol.national_days_off(2029)}
    assert days[hol.LIBERATION_DAY] == date(2030, 5, 5)


def test_good_friday_is_optional() -> None:
    names = {h.name for h in hol.national_days_off("2026-2027", good_friday=False)}
    assert hol.GOOD_FRIDAY not in names
    assert hol.EASTER_MONDAY in names


def test_defaults_leave_out_national_days_inside_a_vacation() -> None:
    rows = hol.default_holidays(Region.MIDDEN, school_years=["2025-2026"])
    kings = [h for h in rows if h.name == hol.KINGS_DAY]
    assert kings == []  # 27 April 2026 falls in the meivakantie (25 April - 3 May)
    assert any(h.name == hol.ASCENSION_DAY for h in rows)
    assert rows == sorted(rows, key=lambda h: (h.start, h.end, h.name))
    # In 2027 the meivakantie is 1-9 May: Koningsdag is a day off of its own, Hemelvaart is inside.
    rows = hol.default_holidays(Region.MIDDEN, school_years=["2026-2027"])
    assert [h.start for h in rows if h.name == hol.KINGS_DAY] == [date(2027, 4, 27)]
    assert not any(h.name == hol.ASCENSION_DAY for h in rows)


def test_new_school_gets_its_regions_holidays(school_db) -> None:
    with school_db.session() as s:
        rows = hol.list_holidays(s, Region.MIDDEN)
        assert rows == [
            hol.HolidaySpec(h.name, h.start, h.end, r.id)
            for h, r in zip(hol.default_holidays(Region.MIDDEN), rows, strict=True)
        ]
        assert not hol.has_holidays(s, Region.ZUID)


def test_seeding_never_overwrites_the_schools_own_list(school_db) -> None:
    with school_db.session() as s:
        first = hol.list_holidays(s, Region.MIDDEN)[0]
        hol.delete_holiday(s, first.id)
        assert hol.seed_holidays(s, Region.MIDDEN) == 0
        assert first.start not in {h.start for h in hol.list_holidays(s, Region.MIDDEN)}
        assert hol.seed_holidays(s, Region.ZUID) > 10


def test_add_change_remove_and_reset(school_db) -> None:
    with school_db.session() as s:
        before = len(hol.list_holidays(s, Region.MIDDEN))
        added = hol.save_holiday(
            s, Region.MIDDEN, " Studiedag ", date(2026, 11, 27), date(2026, 11, 27)
        )
        assert added.name == "Studiedag"
        changed = hol.save_holiday(
            s,
            Region.MIDDEN,
            "Studiedagen",
            date(2026, 11, 26),
            date(2026, 11, 27),
            holiday_id=added.id,
        )
        assert changed.days == 2
        assert len(hol.list_holidays(s, Region.MIDDEN)) == before + 1
        hol.delete_holiday(s, added.id)
        assert len(hol.list_holidays(s, Region.MIDDEN)) == before
        hol.save_holiday(s, Region.MIDDEN, "Extra", date(2027, 6, 1), date(2027, 6, 1))
        hol.reset_holidays(s, Region.MIDDEN)
        assert "Extra" not in {h.name for h in hol.list_holidays(s, Region.MIDDEN)}


def test_bad_input_gets_dutch_messages_per_field(school_db) -> None:
    with school_db.session() as s:
        with pytest.raises(ValidationErrors) as err:
            hol.save_holiday(s, Region.MIDDEN, "", date(2026, 12, 5), date(2026, 12, 1))
        assert "naam" in err.value.errors["name"]
        assert "vóór" in err.value.errors["end"]
        with pytest.raises(ValidationErrors) as err:
            hol.save_holiday(s, Region.MIDDEN, "Lang", date(2026, 1, 1), date(2026, 6, 1))
        assert "vergissing" in err.value.errors["end"]
        kerst = next(h for h in hol.list_holidays(s, Region.MIDDEN) if h.name == "Kerstvakantie")
        with pytest.raises(ValidationErrors) as err:
            hol.save_holiday(s, Region.MIDDEN, "Dubbel", kerst.start, kerst.end)
        assert "Kerstvakantie" in err.value.errors["start"]
        with pytest.raises(ValidationErrors) as err:
            hol.save_holiday(
                s, Region.MIDDEN, "Weg", date(2026, 1, 1), date(2026, 1, 1), holiday_id=99999
            )
        assert "bestaat niet meer" in err.value.errors["name"]
        # saving a holiday under its own start date is fine
        hol.save_holiday(s, Region.MIDDEN, "Kerst", kerst.start, kerst.end, holiday_id=kerst.id)
        assert s.scalars(sa.select(Holiday.name).where(Holiday.id == kerst.id)).one() == "Kerst"


# The compulsory vacations (kerst, mei, zomer) per region, from the Rijksoverheid overview as
# summarised in the project's domain notes; zomer zuid 2027 is derived (six-year rule).
OFFICIAL_COMPULSORY = {
    "2025-2026": {
        "Kerstvakantie": {r: ("2025-12-20", "2026-01-04") for r in Region},
        "Meivakantie": {r: ("2026-04-25", "2026-05-03") for r in Region},
        "Zomervakantie": {
            Region.NOORD: ("2026-07-04", "2026-08-16"),
            Region.MIDDEN: ("2026-07-18", "2026-08-30"),
            Region.ZUID: ("2026-07-11", "2026-08-23"),
        },
    },
    "2026-2027": {
        "Kerstvakantie": {r: ("2026-12-19", "2027-01-03") for r in Region},
        "Meivakantie": {r: ("2027-05-01", "2027-05-09") for r in Region},
        "Zomervakantie": {
            Region.NOORD: ("2027-07-10", "2027-08-22"),
            Region.MIDDEN: ("2027-07-17", "2027-08-29"),
            Region.ZUID: ("2027-07-24", "2027-09-05"),
        },
    },
    "2027-2028": {
        "Kerstvakantie": {r: ("2027-12-25", "2028-01-09") for r in Region},
        "Meivakantie": {r: ("2028-04-29", "2028-05-07") for r in Region},
        "Zomervakantie": {
            Region.NOORD: ("2028-07-15", "2028-08-27"),
            Region.MIDDEN: ("2028-07-08", "2028-08-20"),
            Region.ZUID: ("2028-07-22", "2028-09-03"),
        },
    },
}


@pytest.mark.parametrize("label", sorted(OFFICIAL_COMPULSORY))
@pytest.mark.parametrize("region", list(Region))
def test_compulsory_vacations_follow_the_official_overview(label, region) -> None:
    shipped = {
        v.name: (v.start.isoformat(), v.end.isoformat())
        for v in hol.shipped_vacations(region, label)
    }
    for name, per_region in OFFICIAL_COMPULSORY[label].items():
        assert shipped[name] == per_region[region], (label, region, name)


def test_2027_2028_advisory_holidays_follow_the_official_overview() -> None:
    def dates(region: Region, name: str) -> tuple[date, date]:
        v = next(v for v in hol.shipped_vacations(region, "2027-2028") if v.name == name)
        return v.start, v.end

    assert dates(Region.NOORD, "Herfstvakantie") == (date(2027, 10, 16), date(2027, 10, 24))
    assert dates(Region.MIDDEN, "Herfstvakantie") == (date(2027, 10, 16), date(2027, 10, 24))
    assert dates(Region.ZUID, "Herfstvakantie") == (date(2027, 10, 23), date(2027, 10, 31))
    assert dates(Region.NOORD, "Voorjaarsvakantie") == (date(2028, 2, 19), date(2028, 2, 27))
    for region in (Region.MIDDEN, Region.ZUID):
        assert dates(region, "Voorjaarsvakantie") == (date(2028, 2, 26), date(2028, 3, 5))


@pytest.mark.parametrize("label", ["2025-2026", "2026-2027", "2027-2028"])
def test_meivakantie_is_the_compulsory_week_around_iso_week_18(label) -> None:
    """Saturday before the Monday of ISO week 18 to its Sunday; never OCW's advised extra week."""
    spring = int(label[5:])
    monday = date.fromisocalendar(spring, 18, 1)
    for region in Region:
        mei = next(v for v in hol.shipped_vacations(region, label) if v.name == "Meivakantie")
        assert (mei.start, mei.end) == (monday - timedelta(days=2), monday + timedelta(days=6))


@pytest.mark.parametrize("label", ["2025-2026", "2026-2027", "2027-2028"])
def test_summer_regions_start_on_three_consecutive_saturdays(label) -> None:
    starts = sorted(hol.shipped_vacations(r, label)[-1].start for r in Region)
    assert [(b - a).days for a, b in zip(starts, starts[1:], strict=False)] == [7, 7]


def test_the_data_files_name_their_source_date_and_derived_values() -> None:
    for label in hol.shipped_school_years():
        info = hol.shipped_source(label)
        assert "Rijksoverheid" in info.source
        assert info.checked == date(2026, 12, 7)
    derived = hol.derived_vacations("2026-2027")
    assert [(r, v.name) for r, v in derived] == [(Region.ZUID, "Zomervakantie")]
    assert hol.derived_vacations("2027-2028") == []

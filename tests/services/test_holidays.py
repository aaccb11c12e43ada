"""Holidays: shipped per region and school year, national days computed, editable by the school."""

from __future__ import annotations

from datetime import date

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
    rows = hol.default_holidays(Region.MIDDEN, school_years=["2026-2027"])
    kings = [h for h in rows if h.name == hol.KINGS_DAY]
    assert kings == []  # 27 April 2027 falls in the meivakantie
    assert any(h.name == hol.ASCENSION_DAY for h in rows)
    assert rows == sorted(rows, key=lambda h: (h.start, h.end, h.name))


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

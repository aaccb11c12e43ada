"""The school calendar as shipped: vacations per region and the national days off.

No database: the shipped files (``resources/holidays/<year>.json``) hold the vacations per region as
the government advises them; the national days off (Tweede Paasdag, Koningsdag, Hemelvaart, Tweede
Pinksterdag, Bevrijdingsdag in lustrum years and optionally Goede Vrijdag) are computed with
``dateutil.easter``. The schedule engine falls back on these when a database has no holidays yet;
``services.holidays`` copies them into the database, where the school's own edits count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.easter import easter

from ib_desktop.dates import school_year_bounds
from ib_desktop.domain_types import Region
from ib_desktop.resources import list_names, load_json

#: Names of the national days off, in the order they fall in a school year.
GOOD_FRIDAY = "Goede Vrijdag"
EASTER_MONDAY = "Tweede Paasdag"
KINGS_DAY = "Koningsdag"
LIBERATION_DAY = "Bevrijdingsdag"
ASCENSION_DAY = "Hemelvaartsdag"
WHIT_MONDAY = "Tweede Pinksterdag"
NATIONAL_DAY_NAMES = (
    GOOD_FRIDAY,
    EASTER_MONDAY,
    KINGS_DAY,
    LIBERATION_DAY,
    ASCENSION_DAY,
    WHIT_MONDAY,
)
MAX_HOLIDAY_DAYS = 70  # the longest vacation (summer) is six or seven weeks


@dataclass(frozen=True, slots=True)
class HolidaySpec:
    """A period when the school is closed, first and last day included."""

    name: str
    start: date
    end: date
    id: int | None = None
    #: The stored version when read (optimistic locking); not part of what the holiday *is*.
    version: int | None = field(default=None, compare=False)

    def contains(self, day: date) -> bool:
        """True when ``day`` falls in this holiday."""
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Number of calendar days, weekends included."""
        return (self.end - self.start).days + 1


def shipped_school_years() -> list[str]:
    """The school years ("2025-2026", ...) for which vacation dates ship with the app."""
    return [name.removesuffix(".json") for name in list_names("holidays", suffix=".json")]


def shipped_note(label: str | None = None) -> str:
    """The remark in the shipped data that the school should check the dates."""
    labels = [label] if label else shipped_school_years()
    for lbl in labels:
        data = load_json("holidays", f"{lbl}.json")
        if data.get("note"):
            return str(data["note"])
    return ""


@dataclass(frozen=True, slots=True)
class ShippedSource:
    """Where a shipped year's dates come from and when they were checked."""

    source: str
    url: str
    checked: date | None
    status: str


def shipped_source(label: str) -> ShippedSource:
    """The source, check date and remarks recorded in a shipped school year's file."""
    data = load_json("holidays", f"{label}.json")
    checked = data.get("checked")
    return ShippedSource(
        str(data.get("source", "")),
        str(data.get("source_url", "")),
        date.fromisoformat(checked) if checked else None,
        str(data.get("status", "")),
    )


def derived_vacations(label: str) -> list[tuple[Region, HolidaySpec]]:
    """The vacations of a shipped year that were derived from the rules, not read from a source.

    The school should check these first; the editor says so.
    """
    if label not in shipped_school_years():
        return []
    data = load_json("holidays", f"{label}.json")
    out = []
    for region in Region:
        for r in data["regions"].get(region.value, []):
            if r.get("derived"):
                spec = HolidaySpec(
                    r["name"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"])
                )
                out.append((region, spec))
    return out


def kings_day(year: int) -> date:
    """Koningsdag: 27 April, or the 26th when the 27th is a Sunday."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def national_days_off(school_year: str | int, *, good_friday: bool = True) -> list[HolidaySpec]:
    """The national days off in a school year (``"2026-2027"`` or its first calendar year).

    Christmas and New Year are left out: they always fall in the Christmas vacation.
    Bevrijdingsdag is a day off for schools only in lustrum years (2025, 2030, ...).
    """
    first_year = int(str(school_year)[:4])
    start, end = school_year_bounds(f"{first_year}-{first_year + 1}")
    spring = first_year + 1
    e = easter(spring)
    days = [
        (GOOD_FRIDAY, e - timedelta(days=2)),
        (EASTER_MONDAY, e + timedelta(days=1)),
        (KINGS_DAY, kings_day(spring)),
        (ASCENSION_DAY, e + timedelta(days=39)),
        (WHIT_MONDAY, e + timedelta(days=50)),
    ]
    if not good_friday:
        days = days[1:]
    if spring % 5 == 0:
        days.append((LIBERATION_DAY, date(spring, 5, 5)))
    out = [HolidaySpec(name, d, d) for name, d in days if start <= d <= end]
    return sorted(out, key=lambda h: h.start)


def shipped_vacations(region: Region | str, label: str) -> list[HolidaySpec]:
    """The vacations of a region in one shipped school year (empty when not shipped)."""
    if label not in shipped_school_years():
        return []
    data = load_json("holidays", f"{label}.json")
    rows = data["regions"].get(Region(region).value, [])
    return [
        HolidaySpec(r["name"], date.fromisoformat(r["start"]), date.fromisoformat(r["end"]))
        for r in rows
    ]


def default_holidays(
    region: Region | str,
    *,
    school_years: Iterable[str] | None = None,
    good_friday: bool = True,
) -> list[HolidaySpec]:
    """Vacations plus the national days off that fall outside them, sorted by date."""
    out: list[HolidaySpec] = []
    for label in school_years or shipped_school_years():
        vacations = shipped_vacations(region, label)
        out += vacations
        for day in national_days_off(label, good_friday=good_friday):
            if not any(v.contains(day.start) for v in vacations):
                out.append(day)
    return sorted(out, key=lambda h: (h.start, h.end, h.name))

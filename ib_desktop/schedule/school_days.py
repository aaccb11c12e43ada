"""Which days the school is open, and the steps between moments (months or days)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from ib_desktop.dates import school_year_label
from ib_desktop.models import School
from ib_desktop.schedule.rows import fetch_rows


class SchoolCalendar:
    """Which days the school is open: not in a weekend, not in a holiday of its region.

    Holidays come from the ``holidays`` table; for a school year without any row there (beyond
    the shipped years) the national days off are computed, so Easter Monday is never a
    deadline in 2031 either.
    """

    def __init__(self, closed_periods: Iterable[tuple[date, date]], *, good_friday: bool = True):
        self._closed: set[date] = set()
        self._years: set[str] = set()
        self._good_friday = good_friday
        for start, end in closed_periods:
            self._years.add(school_year_label(start))
            day = start
            while day <= end:
                self._closed.add(day)
                day += timedelta(days=1)
        self._filled: set[int] = set()
        self._next: dict[date, date] = {}

    def _fill(self, day: date) -> None:
        first_year = day.year if day.month >= 8 else day.year - 1
        if first_year in self._filled:
            return
        self._filled.add(first_year)
        label = f"{first_year}-{first_year + 1}"
        if label in self._years:
            return
        from ib_desktop.holiday_calendar import national_days_off

        for h in national_days_off(label, good_friday=self._good_friday):
            self._closed.add(h.start)

    def is_school_day(self, day: date) -> bool:
        """True on a weekday outside the holidays."""
        if day.weekday() >= 5:
            return False
        self._fill(day)
        return day not in self._closed

    def next_school_day(self, day: date) -> date:
        """``day`` itself when school is open, else the first school day after it."""
        try:
            return self._next[day]
        except KeyError:
            pass
        d = day
        for _ in range(400):
            if self.is_school_day(d):
                break
            d += timedelta(days=1)
        self._next[day] = d
        return d

    def previous_school_day(self, day: date) -> date:
        """``day`` itself when school is open, else the last school day before it."""
        d = day
        for _ in range(400):
            if self.is_school_day(d):
                return d
            d -= timedelta(days=1)
        return day

    def within(self, day: date, latest: date, earliest: date) -> date:
        """The next school day from ``day``, but never after ``latest`` (a legal limit).

        When the next school day would pass the limit, the last school day before it is taken
        instead; it stays after ``earliest``.
        """
        d = self.next_school_day(day)
        if d > latest:
            d = self.previous_school_day(latest)
            if d <= earliest:
                d = latest
        return d


def school_calendar(session: Session, school_id: int) -> SchoolCalendar:
    """The calendar of the school's region (read-only; shipped defaults when none stored)."""
    from ib_desktop.holiday_calendar import default_holidays

    row = (
        session.connection()
        .execute(sa.select(School.region, School.settings).where(School.id == school_id))
        .first()
    )
    if row is None:
        return SchoolCalendar([])
    region, settings = row
    good_friday = bool((settings or {}).get("good_friday_off", True))
    from ib_desktop.models import Holiday

    periods = [
        (s, e)
        for s, e in fetch_rows(
            session,
            sa.select(Holiday.start_date, Holiday.end_date).where(Holiday.region == region),
            dates=(0, 1),
        )
    ]
    if not periods:
        periods = [(h.start, h.end) for h in default_holidays(region, good_friday=good_friday)]
    return SchoolCalendar(periods, good_friday=good_friday)


@dataclass(frozen=True, slots=True)
class Interval:
    """A step of whole months or of days; adding months keeps the day (31 Jan + 1 = 28 Feb)."""

    months: int = 0
    days: int = 0

    def after(self, day: date) -> date:
        """The date one step after ``day``."""
        if self.months:
            return add_months(day, self.months)
        return day + timedelta(days=self.days)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the end of a shorter month (as relativedelta)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    try:
        return day.replace(year=year, month=month)
    except ValueError:
        return (date(year, month, 1) + relativedelta(day=31)) if month else day


def one_year_after(day: date) -> date:
    """The same date a year later (29 February -> 28 February)."""
    return add_months(day, 12)


def interval_for(per_year: int) -> Interval:
    """The time between two OPP evaluations when the school does ``per_year`` a year."""
    per_year = max(1, int(per_year or 1))
    if per_year <= 12 and 12 % per_year == 0:
        return Interval(months=12 // per_year)
    return Interval(days=max(7, 365 // per_year))

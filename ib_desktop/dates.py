"""Dutch dates at the edges (UI, PDF, CLI) and the school-year calendar in the domain."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def long_date(d: date | None) -> str:
    """"12 maart 2026"."""
    if d is None:
        return ""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date | None) -> str:
    """"12-03-2026"."""
    if d is None:
        return ""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def weekday_date(d: date | None) -> str:
    """"donderdag 12 maart 2026"."""
    if d is None:
        return ""
    return f"{WEEKDAYS[d.weekday()]} {long_date(d)}"


# A time after the date ("12-03-2016 0:00") is what Excel writes when it saves a date cell
# as CSV; it is ignored.
_DMY = re.compile(
    r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$"
)
_YMD = re.compile(r"^\s*(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ].*)?\s*$")
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\s*$")
_LONG = re.compile(r"^\s*(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\s*$", re.IGNORECASE)
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(text: str | date | datetime | int | float | None) -> date | None:
    """Read a date the way Dutch schools write it; None for empty input.

    Accepts 12-03-2016, 12/3/2016, 12.03.16, 2016-03-12 (or 2016/03/12), 20160312,
    "12-03-2016 0:00" (Excel's CSV), "12 maart 2016" (or "12 mrt 2016") and Excel serial
    numbers. Raises ValueError with a Dutch message for anything else.
    """
    if text is None:
        return None
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if isinstance(text, int | float):
        if 1 <= text < 100000:
            return EXCEL_EPOCH + timedelta(days=int(text))
        raise ValueError(f"'{text}' is geen geldige datum")
    s = str(text).strip()
    if not s:
        return None
    try:
        if m := _DMY.match(s):
            d, mth, y = (int(g) for g in m.groups())
            if y < 100:
                y += 2000 if y <= (date.today().year % 100) + 1 else 1900
            return date(y, mth, d)
        if m := _YMD.match(s):
            year, _sep, month, day = m.groups()
            return date(int(year), int(month), int(day))
        if m := _COMPACT.match(s):  # 20160312, as some LVS exports write dates
            y, mth, d = (int(g) for g in m.groups())
            return date(y, mth, d)
        if m := _LONG.match(s):
            day_text, name, year_text = m.groups()
            name = name.lower()
            if name == "mrt":  # the usual abbreviation of maart is not a prefix of it
                name = "maart"
            for i, month_name in enumerate(MONTHS, start=1):
                if month_name.startswith(name[:3]) and month_name.startswith(name):
                    return date(int(year_text), i, int(day_text))
        if s.isdigit() and 20000 < int(s) < 80000:
            return EXCEL_EPOCH + timedelta(days=int(s))
    except ValueError:
        raise ValueError(f"'{s}' is geen bestaande datum") from None
    raise ValueError(f"'{s}' is geen datum (schrijf bijvoorbeeld 12-03-2026)")


def school_year_start(d: date, start_month: int = 8, start_day: int = 1) -> date:
    """The first day of the school year that ``d`` falls in (1 August by default)."""
    start = date(d.year, start_month, start_day)
    return start if d >= start else date(d.year - 1, start_month, start_day)


def school_year_label(d: date) -> str:
    """"2025-2026" for any date in that school year."""
    start = school_year_start(d)
    return f"{start.year}-{start.year + 1}"


def school_year_bounds(label_or_date: str | date) -> tuple[date, date]:
    """First and last day of a school year, given its label or a date in it."""
    if isinstance(label_or_date, date):
        start = school_year_start(label_or_date)
    else:
        start = date(int(label_or_date[:4]), 8, 1)
    return start, date(start.year + 1, 7, 31)

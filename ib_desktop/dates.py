"""Dutch dates at the edges (UI, PDF, CLI) and the school-year calendar in the domain."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

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


# ----------------------------------------------------------------- dates typed into a form field
# The date field of every form reads what people type: 4-12-2026, 04-12-26, 4/12/2026,
# 4 dec 2026, 4 december 2026, 2026-12-04. Numbers are always day-month-year (never the American
# order); a date that does not exist, or text that could mean two things, is refused with a Dutch
# message instead of being "corrected".

_TYPED_DMY = re.compile(r"^(\d{1,2})\s*([-/.\s])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_TYPED_YMD = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
_TYPED_DIGITS = re.compile(r"^\d{6}$|^\d{8}$")
_TYPED_TIME = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*uur\b")
_WORD = re.compile(r"[^\W\d_]+")

#: Month words people write, each with its month (Dutch, with the usual abbreviations).
MONTH_WORDS: dict[str, int] = {}
for _number, _name in enumerate(MONTHS, start=1):
    MONTH_WORDS[_name] = _number
    MONTH_WORDS[_name[:3]] = _number
MONTH_WORDS.update({"mrt": 3, "maa": 3, "sept": 9, "okt": 10, "febr": 2})
#: Weekday words: a weekday that does not match the date is an error, not ignored.
WEEKDAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(WEEKDAYS):
    WEEKDAY_WORDS[_name] = _number
    WEEKDAY_WORDS[_name[:2]] = _number
    WEEKDAY_WORDS[_name[:3]] = _number
del _number, _name


@lru_cache(maxsize=1)
def _dateutil_parser():  # type: ignore[no-untyped-def]
    from dateutil import parser

    class DutchParserInfo(parser.parserinfo):
        MONTHS = [  # noqa: RUF012 - dateutil's own class attribute
            tuple(w for w, n in MONTH_WORDS.items() if n == month) for month in range(1, 13)
        ]
        WEEKDAYS = [  # noqa: RUF012
            tuple(w for w, n in WEEKDAY_WORDS.items() if n == day) for day in range(7)
        ]
        JUMP = [" ", ".", ",", ";", "-", "/", "'", "de", "op"]  # noqa: RUF012

    return parser.parser(DutchParserInfo(dayfirst=True))


def _two_digit_year(yy: int, today: date) -> int:
    """26 is 2026; a year more than 20 years ahead is taken from the last century (98: 1998)."""
    year = 2000 + yy
    return year if year <= today.year + 20 else year - 100


def _make_date(year: int, month: int, day: int, typed: str) -> date:
    if not 1 <= month <= 12:
        raise ValueError(
            f"'{typed}' is geen bestaande datum: er is geen maand {month} "
            "(typ dag-maand-jaar, bijv. 4-12-2026)."
        )
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if day < 1:
        raise ValueError(f"'{typed}' is geen bestaande datum.") from None
    first = date(year, month, 1)
    days = ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days
    raise ValueError(
        f"'{typed}' is geen bestaande datum: {MONTHS[month - 1]} {year} heeft {days} dagen."
    ) from None


def parse_typed_date(text: str | None, today: date | None = None) -> date | None:
    """The date typed into a form field; None for an empty field.

    Raises ValueError with a Dutch message (to show beside the field) for text that is no date,
    a date that does not exist (31-02-2026) or text that leaves the date open ("4-12" has no
    year, "ju" is juni or juli). Two-digit years are read as 2000-2099 up to 20 years ahead,
    else 1900-1999.
    """
    s = " ".join((text or "").split())
    if not s:
        return None
    today = today or date.today()
    if m := _TYPED_DMY.match(s):
        day, month, year_text = int(m.group(1)), int(m.group(3)), m.group(4)
        year = int(year_text) if len(year_text) == 4 else _two_digit_year(int(year_text), today)
        return _make_date(year, month, day, s)
    if m := _TYPED_YMD.match(s):
        return _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), s)
    if _TYPED_DIGITS.match(s):
        # 04122026 (or 041226): day, month, year without separators. 20261204 is year-month-day;
        # the two never clash: read as day-month-year its month would be 19 or 20.
        if len(s) == 6:
            return _make_date(_two_digit_year(int(s[4:]), today), int(s[2:4]), int(s[:2]), s)
        if s[4:6] not in ("19", "20") and s[:2] in ("19", "20"):
            return _make_date(int(s[:4]), int(s[4:6]), int(s[6:]), s)
        return _make_date(int(s[4:]), int(s[2:4]), int(s[:2]), s)
    if _TYPED_TIME.search(s):
        raise ValueError("Typ alleen een datum, zonder tijd.")
    if re.fullmatch(r"\d{1,2}\s*[-/.]\s*\d{1,2}", s):
        raise ValueError(f"'{s}': vul ook het jaar in, bijvoorbeeld 4-12-2026.")
    words = [w.lower() for w in _WORD.findall(s)]
    if not words or not any(c.isdigit() for c in s):
        raise ValueError(
            f"'{s}' is geen datum. Typ dag-maand-jaar, bijvoorbeeld 4-12-2026 of 4 december 2026."
        )
    weekday: int | None = None
    for word in words:
        if word in MONTH_WORDS or word in ("de", "op"):
            continue
        if word in WEEKDAY_WORDS:
            weekday = WEEKDAY_WORDS[word]
            continue
        candidates = sorted({n for w, n in MONTH_WORDS.items() if w.startswith(word)})
        if len(candidates) > 1:
            names = " of ".join(MONTHS[n - 1] for n in candidates)
            raise ValueError(f"'{word}' kan {names} zijn; schrijf de maand voluit.")
        if len(candidates) == 1 and len(word) >= 3 and MONTHS[candidates[0] - 1].startswith(word):
            s = re.sub(rf"\b{re.escape(word)}\b", MONTHS[candidates[0] - 1], s, flags=re.I)
            continue
        raise ValueError(
            f"'{word}' is geen maand. Typ bijvoorbeeld 4 december 2026 of 4-12-2026."
        )
    parse = _dateutil_parser().parse
    try:
        # Parsed against two different defaults: where the results differ, a part was missing
        # and dateutil would have filled it in without saying so.
        a = parse(s, default=datetime(2001, 1, 1))
        b = parse(s, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError) as exc:
        message = str(exc)
        if "day is out of range" in message:
            raise ValueError(f"'{s}' is geen bestaande datum.") from None
        raise ValueError(
            f"'{s}' is geen datum. Typ dag-maand-jaar, bijvoorbeeld 4 december 2026."
        ) from None
    if a.year != b.year:
        raise ValueError(f"'{s}': vul ook het jaar in, bijvoorbeeld 4 december 2026.")
    if a.month != b.month or a.day != b.day:
        raise ValueError(f"'{s}': vul dag, maand en jaar in, bijvoorbeeld 4 december 2026.")
    if a.time() != b.time() or a.time() != datetime.min.time():
        raise ValueError("Typ alleen een datum, zonder tijd.")
    result = a.date()
    if weekday is not None and result.weekday() != weekday:
        raise ValueError(f"{long_date(result)} is een {WEEKDAYS[result.weekday()]}.")
    return result


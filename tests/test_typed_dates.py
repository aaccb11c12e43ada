"""Dates typed into a form field: every usual Dutch way reads back as the same date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ib_desktop.dates import MONTHS, long_date, parse_typed_date

TODAY = date(2026, 11, 18)
ABBREVIATIONS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

FORMATS: dict[str, Callable[[date], str]] = {
    "d-m-jjjj": lambda d: f"{d.day}-{d.month}-{d.year}",
    "dd-mm-jjjj": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    "d/m/jjjj": lambda d: f"{d.day}/{d.month}/{d.year}",
    "d.m.jjjj": lambda d: f"{d.day}.{d.month}.{d.year}",
    "d mmm jjjj": lambda d: f"{d.day} {ABBREVIATIONS[d.month - 1]} {d.year}",
    "d mmm. jjjj": lambda d: f"{d.day} {ABBREVIATIONS[d.month - 1]}. {d.year}",
    "d maand jjjj": long_date,
    "D MAAND JJJJ": lambda d: long_date(d).upper(),
    "ddmmjjjj": lambda d: f"{d.day:02d}{d.month:02d}{d.year}",
    "jjjj-mm-dd": lambda d: d.isoformat(),
}


@given(d=st.dates(date(1900, 1, 1), date(2099, 12, 31)), fmt=st.sampled_from(sorted(FORMATS)))
def test_every_format_reads_back(d: date, fmt: str) -> None:
    assert parse_typed_date(FORMATS[fmt](d), TODAY) == d


@given(d=st.dates(date(TODAY.year - 79, 1, 1), date(TODAY.year + 20, 12, 31)))
def test_two_digit_years_read_back_within_the_window(d: date) -> None:
    assert parse_typed_date(f"{d.day:02d}-{d.month:02d}-{d.year % 100:02d}", TODAY) == d
    assert parse_typed_date(f"{d.day}-{d.month}-{d.year % 100:02d}", TODAY) == d


@pytest.mark.parametrize(
    "typed",
    ["4-12-2026", "04-12-2026", "04-12-26", "4 dec 2026", "4 december 2026", "4/12/2026",
     "4 December 2026", "  4-12-2026 ", "vrijdag 4 december 2026", "04122026", "2026-12-04"],
)  # fmt: skip
def test_the_ways_people_type_4_december_2026(typed: str) -> None:
    assert parse_typed_date(typed, TODAY) == date(2026, 12, 4)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty_is_no_date(typed: str | None) -> None:
    assert parse_typed_date(typed, TODAY) is None


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("31-02-2026", "februari 2026 heeft 28 dagen"),
        ("29-02-2027", "februari 2027 heeft 28 dagen"),
        ("12-31-2026", "geen maand 31"),  # the American order is not guessed
        ("4-12", "vul ook het jaar in"),
        ("4 december", "vul ook het jaar in"),
        ("december 2026", "vul dag, maand en jaar in"),
        ("4 ju 2026", "juni of juli"),
        ("4 xyz 2026", "geen maand"),
        ("maandag 4 december 2026", "is een vrijdag"),
        ("4-12-2026 10:30", "zonder tijd"),
        ("morgen", "geen datum"),
        ("-04122026", "geen datum"),
    ],
)
def test_wrong_or_ambiguous_text_says_why(typed: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_typed_date(typed, TODAY)


def test_month_names_are_the_dutch_ones() -> None:
    for number, name in enumerate(MONTHS, start=1):
        assert parse_typed_date(f"1 {name} 2027", TODAY) == date(2027, number, 1)

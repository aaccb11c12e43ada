"""The date forms LVS exports add to ``parse_date``, and the forms it already read."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ib_desktop.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # already understood before the import work; must stay so
        ("12-03-2016", date(2016, 3, 12)),
        ("12/3/2016", date(2016, 3, 12)),
        ("12.03.16", date(2016, 3, 12)),
        ("2016-03-12", date(2016, 3, 12)),
        ("2016-03-12T00:00:00", date(2016, 3, 12)),
        ("12 maart 2016", date(2016, 3, 12)),
        ("12 mrt 2016", date(2016, 3, 12)),
        ("42441", date(2016, 3, 12)),
        (42441, date(2016, 3, 12)),
        (42441.0, date(2016, 3, 12)),
        (datetime(2016, 3, 12, 0, 0), date(2016, 3, 12)),
        ("", None),
        (None, None),
        # added for exports
        ("2016/03/12", date(2016, 3, 12)),
        ("2016.03.12", date(2016, 3, 12)),
        ("20160312", date(2016, 3, 12)),
        ("12-3-2016 0:00", date(2016, 3, 12)),
        ("12-03-2016 00:00:00", date(2016, 3, 12)),
    ],
)
def test_dutch_and_export_date_forms(text, expected) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2016", "geen bestaande datum"),
        ("2016/02/30", "geen bestaande datum"),
        ("20161312", "geen datum"),  # month 13: not a compact date, not a serial either
        ("2016-03/12", "geen datum"),  # mixed separators
        ("12-03-2016 half negen", "geen datum"),
        ("morgen", "geen datum"),
    ],
)
def test_what_is_not_a_date_says_so_in_dutch(text, message) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)

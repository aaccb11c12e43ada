"""Splitting names as LVS exports write them (``split_last_name``, ``split_full_name``)."""

from __future__ import annotations

import pytest

from ib_desktop.names import (
    split_full_name,
    split_last_name,
    split_trailing_tussenvoegsel,
    split_tussenvoegsel,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("van der Berg", ("van der", "Berg")),
        ("Berg, van der", ("van der", "Berg")),
        ("Berg van der", ("van der", "Berg")),
        ("Vries, de", ("de", "Vries")),
        ("Jansen", ("", "Jansen")),
        ("Jansen-de Wit", ("", "Jansen-de Wit")),
        ("  van  Dijk ", ("van", "Dijk")),
    ],
)
def test_split_last_name(text, expected) -> None:
    assert split_last_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sanne van der Berg", ("Sanne", "van der", "Berg")),
        ("Berg, Sanne van der", ("Sanne", "van der", "Berg")),
        ("van der Berg, Sanne", ("Sanne", "van der", "Berg")),
        ("Jansen, Piet", ("Piet", "", "Jansen")),
        ("J. de Vries", ("J.", "de", "Vries")),
        ("Anne Marie Jansen", ("Anne Marie", "", "Jansen")),
        ("Jansen", ("", "", "Jansen")),
        ("Berg, van der", ("", "van der", "Berg")),
        ("", ("", "", "")),
    ],
)
def test_split_full_name(text, expected) -> None:
    assert split_full_name(text) == expected


def test_existing_splitters_are_unchanged() -> None:
    assert split_tussenvoegsel("van der Berg") == ("van der", "Berg")
    assert split_tussenvoegsel("Berg") == ("", "Berg")
    assert split_trailing_tussenvoegsel("Berg, van der") == ("van der", "Berg")

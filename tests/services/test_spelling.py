"""The Dutch spell checker without Qt: what is flagged, what is offered, what is remembered."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_desktop.spelling import SpellChecker


@pytest.fixture
def checker(tmp_path: Path) -> SpellChecker:
    c = SpellChecker(tmp_path / "spelling")
    assert c.load(), "the shipped Dutch dictionary must load (is libenchant-2-2 installed?)"
    return c


def flagged(checker: SpellChecker, text: str) -> list[str]:
    return [m.word for m in checker.misspellings(text)]


@pytest.mark.parametrize(
    "word",
    [
        "rekenstrategieën",
        "leerkrachtjes",
        "zelfstandigheid",
        "begrijpend",
        "lezen",
        "Rekenen",  # capital at the start of a sentence
        "auto's",
        "ideeën",
    ],
)
def test_correct_dutch_with_compounds_and_diminutives_is_accepted(checker, word) -> None:
    assert flagged(checker, f"Zij oefent {word} elke dag.") == []


@pytest.mark.parametrize(
    "word",
    [
        "groeidocument",
        "Groeidocument",
        "leerlingdossier",
        "IB-er",
        "onderwijsassistent",
        "samenwerkingsverband",
        "uitstroomperspectief",
        "handelingsdeel",
        "zienswijze",
    ],
)
def test_domain_words_are_accepted(checker, word) -> None:
    assert flagged(checker, f"Het {word} is besproken.") == []


def test_misspellings_are_found_where_they_are(checker) -> None:
    text = "Hij kan goed rekennen en leesen."
    found = checker.misspellings(text)
    assert [m.word for m in found] == ["rekennen", "leesen"]
    for m in found:
        assert text[m.start : m.end] == m.word


def test_suggestions_are_dutch_and_at_most_five(checker) -> None:
    suggestions = checker.suggestions("rekennen")
    assert suggestions[0] == "rekenen"
    assert len(checker.suggestions("leesen")) <= 5
    assert "lessen" in checker.suggestions("leesen")


@pytest.mark.parametrize(
    "text",
    [
        "Het OPP, SWV en TLV; AVI E5 en M6 gehaald.",
        "Zie https://www.opentaal.org/xyzabc?q=qwrtz en www.qqzzyy.nl/bla.",
        "Mail jzzqqx@basisschool-wiel.nl of kijk op schoolqwzz.nl",
        "3x per week, 2e rondje, 12-03-2026, 10min",
        "😀👍🏽 ... !!! ?? — – «» () [] {} * • ~ € %",
        "a b c x y z",
    ],
)
def test_codes_addresses_emoji_and_punctuation_are_not_flagged(checker, text) -> None:
    assert flagged(checker, text) == []


def test_nfd_text_is_checked_as_nfc(checker) -> None:
    text = unicodedata.normalize("NFD", "De rekenstrategieën en ideeën, maar reekenën niet.")
    found = checker.misspellings(text)
    assert [unicodedata.normalize("NFC", m.word) for m in found] == ["reekenën"]
    assert text[found[0].start : found[0].end] == found[0].word


def test_added_word_is_accepted_and_kept_for_the_next_session(tmp_path: Path) -> None:
    first = SpellChecker(tmp_path / "spelling")
    first.load()
    assert flagged(first, "Kwiebelstap oefenen") == ["Kwiebelstap"]
    first.add_word("Kwiebelstap")
    assert flagged(first, "Kwiebelstap oefenen") == []

    second = SpellChecker(tmp_path / "spelling")
    second.load()
    assert flagged(second, "Kwiebelstap oefenen") == []
    path = second.user_words_path
    assert path.read_text(encoding="utf-8").splitlines() == ["Kwiebelstap"]
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_word_list_does_not_stop_checking(tmp_path: Path) -> None:
    folder = tmp_path / "spelling"
    folder.mkdir()
    (folder / "eigen-woorden.txt").write_bytes(b"Kwiebelstap\n\xff\xfe kapot\n")
    c = SpellChecker(folder)
    c.load()
    assert flagged(c, "Kwiebelstap en leesen") == ["leesen"]


def test_ignored_word_is_accepted_in_this_session_only(tmp_path: Path) -> None:
    first = SpellChecker(tmp_path / "spelling")
    first.load()
    first.ignore_word("leesen")
    assert flagged(first, "leesen") == []
    second = SpellChecker(tmp_path / "spelling")
    second.load()
    assert flagged(second, "leesen") == ["leesen"]


def test_a_word_goes_to_the_dictionary_once(checker) -> None:
    text = "Hij kan goed rekennen en lezen. " * 5000
    before = checker.lookups
    assert len(checker.misspellings(text)) == 5000
    assert checker.lookups - before <= len(set(text.split()))


def test_nothing_is_flagged_before_the_dictionary_is_loaded(tmp_path: Path) -> None:
    loads: list[Path] = []

    class Slow:
        def check(self, word: str) -> bool:
            return False

        def suggest(self, word: str) -> list[str]:
            return ["x"]

    def factory(folder: Path) -> Slow:
        loads.append(folder)
        return Slow()

    c = SpellChecker(tmp_path / "spelling", backend_factory=factory)
    assert not c.is_ready()
    assert c.misspellings("qqq zzz") == []
    assert c.suggestions("qqq") == []
    done: list[bool] = []
    c.load_in_background(lambda: done.append(True))
    assert c.wait_until_loaded(10)
    assert done == [True]
    assert [m.word for m in c.misspellings("qqq zzz")] == ["qqq", "zzz"]
    # Loaded once per process: a second checker shares it.
    other = SpellChecker(tmp_path / "other", backend_factory=factory)
    assert other.is_ready()
    assert loads == [tmp_path / "spelling"]


def test_a_missing_library_turns_checking_off_quietly(tmp_path: Path) -> None:
    def broken(_folder: Path):
        raise ImportError("libenchant not found")

    c = SpellChecker(tmp_path / "spelling", backend_factory=broken)
    assert not c.load()
    assert not c.is_available()
    assert c.misspellings("qqq zzz") == []


def test_the_dictionary_is_copied_into_a_private_folder(checker: SpellChecker) -> None:
    # The process loads the dictionary once, into the first checker's folder; this test loads
    # it on its own to see where it goes.
    from ib_desktop.spelling import enchant_backend

    folder = checker.config_dir.parent / "own"
    backend = enchant_backend(folder)
    assert backend.check("rekenen")
    assert (folder / "enchant" / "hunspell" / "nl.dic").is_file()
    if os.name == "posix":
        assert stat.S_IMODE((folder / "enchant").stat().st_mode) == 0o700


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_checking_never_raises(checker, text) -> None:
    for m in checker.misspellings(text):
        assert text[m.start : m.end] == m.word
        assert m.word.strip()
        checker.suggestions(m.word)

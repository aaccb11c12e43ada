"""Names shown in a terminal or used as a file name: nothing hidden, nothing that acts."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pathvalidate import ValidationError, is_valid_filename, validate_filename

from ib_desktop.display_safety import (
    FILENAME_MAX_CHARS,
    TerminalSafeStream,
    safe_filename,
    terminal_safe,
)
from ib_desktop.reports.batch import BatchItem, file_names

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = BIDI_CONTROLS + "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"

# ------------------------------------------------------------------------------ terminal


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Ali\x1b[2J\x1b]0;pwned\x07", "Ali"),  # clear screen, set the window title
        ("\x1b]8;;http://x\x1b\\klik\x1b]8;;\x1b\\", "klik"),  # a terminal hyperlink
        ("Bo\x9b31mrood\x9b0m", "Borood"),  # the 8-bit CSI
        ("Sem\x1bc", "Sem"),  # reset the terminal
        ("a\x00b\x07c\x7fd\x85e", "abcde"),  # C0, DEL, C1
        ("Ali\rBob", "AliBob"),  # a lone carriage return would overwrite "Ali"
        ("regel 1\r\nregel 2\tx\n", "regel 1\r\nregel 2\tx\n"),  # CRLF ends a line: kept
        ("\u202eexe.fdp", "exe.fdp"),
        ("Yılmaz Çelik Zoë 😀", "Yılmaz Çelik Zoë 😀"),
    ],
)
def test_terminal_safe_drops_what_a_terminal_would_act_on(text, shown) -> None:
    assert terminal_safe(text) == shown


@given(st.text())
def test_terminal_safe_leaves_no_control_character(text: str) -> None:
    out = terminal_safe(text)
    assert "\x1b" not in out
    assert all(c in "\n\t" or unicodedata.category(c) != "Cc" for c in out.replace("\r\n", ""))
    assert not set(out) & set(BIDI_CONTROLS)
    assert terminal_safe(out) == out


@given(st.text(st.characters(exclude_categories=["C"])))
def test_terminal_safe_keeps_every_visible_character(text: str) -> None:
    assert terminal_safe(text) == text


def test_the_stream_keeps_a_progress_line_but_not_a_hidden_overwrite() -> None:
    buf = io.StringIO()
    stream = TerminalSafeStream(buf)
    assert stream.write("\r  40% ...") == len("\r  40% ...")
    stream.write("Ali\rBob\x1b[2J\n")
    assert buf.getvalue() == "\r  40% ...AliBob\n"
    assert stream.getvalue() == buf.getvalue()  # the rest is the wrapped stream's


# ----------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("OPP Vries, Sanne de", "OPP Vries, Sanne de"),
        ("Yılmaz", "Yılmaz"),
        ("Çelik", "Çelik"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308 Şükrü", "Zoë Şükrü"),  # NFD in, NFC out
        ("'t Hart", "'t Hart"),
        ("\u202eexe.fdp", "exe.fdp"),
        ("An\u200bna\u2066", "Anna"),
        ("groep 5/6", "groep 5 6"),
        ("../../etc/passwd", "etc passwd"),
        ('a\\b:c*d?"e"<f>|g', "a b c d e f g"),
        ("Ali\x1b[2J\x1b]0;pwned\x07", "Ali"),
        ("CON", "CON_"),
        ("lpt1", "lpt1_"),
        ("  . naam .  ", "naam"),
        ("", "document"),
        ("\u202e", "document"),
        ("...", "document"),
    ],
)
def test_safe_filename(name, expected) -> None:
    assert safe_filename(name) == expected


def hostile_text() -> st.SearchStrategy[str]:
    """Any text, with the characters that matter here more often than chance gives them."""
    special = st.sampled_from(list(INVISIBLE + '/\\:*?"<>|.\x00\x1b\r\n\t ') + ["CON", "é"])
    return st.lists(st.one_of(st.text(max_size=30), special), max_size=40).map("".join)


@given(hostile_text())
def test_any_text_gives_a_valid_short_visible_file_name(text: str) -> None:
    name = safe_filename(text)
    assert name
    assert len(name) <= FILENAME_MAX_CHARS
    assert len(name.encode("utf-8")) <= 200  # room for " (123).pdf" within 255 bytes
    assert not set(name) & set('/\\:*?"<>|')
    assert all(not unicodedata.category(c).startswith("C") for c in name)  # Cc, Cf...
    assert name == unicodedata.normalize("NFC", name)
    assert name == name.strip(" .")
    for platform in ("windows", "linux", "macos"):
        try:
            validate_filename(name, platform=platform)
        except ValidationError as exc:  # pragma: no cover - the message says why
            pytest.fail(f"{name!r} is no valid file name on {platform}: {exc}")
    assert safe_filename(name) == name


@given(st.text(st.characters(categories=["L", "M", "N"]), min_size=1, max_size=60))
def test_names_of_letters_survive_in_nfc(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    # Windows reserves some names of letters and digits (CON, LPT0...): those must change.
    assume(all(is_valid_filename(nfc, platform=p) for p in ("windows", "linux", "macos")))
    assert safe_filename(text) == nfc


def test_a_reserved_windows_name_is_changed() -> None:
    assert safe_filename("LPT0") != "LPT0"
    assert safe_filename("con") != "con"


def test_batch_file_names_have_no_override_and_never_clash() -> None:
    items = [
        BatchItem(1, "\u202eexe.fdp", "\u202eexe.fdp", 11),
        BatchItem(2, "exe.fdp", "exe.fdp", 12),  # the same once the override is gone
        BatchItem(3, "Zoe\u0308", "Zoe\u0308", 13),
        BatchItem(4, "x" * 300, "x" * 300 + "a", 14),  # the same once cut to length
        BatchItem(5, "x" * 300, "x" * 300 + "b", 15),
    ]
    names = file_names("opp", items)
    assert names[1] == "OPP exe.fdp (1).pdf"
    assert names[2] == "OPP exe.fdp (2).pdf"
    assert names[3] == "OPP Zoë.pdf"
    assert len(set(names.values())) == len(items)
    assert all("\u202e" not in n for n in names.values())

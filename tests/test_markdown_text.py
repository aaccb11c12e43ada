"""Stored rich text is unwrapped: soft-wrapped lines joined, all Markdown structure kept."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ib_desktop.markdown_text import unwrap_markdown

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def html(text: str) -> str:
    """What the Markdown means; a soft break renders as a newline, so normalise it to a space."""
    return _MD.render(text).replace("\n", " ").replace("  ", " ")


def test_a_wrapped_paragraph_becomes_one_line() -> None:
    assert unwrap_markdown("Sanne oefent drie keer per\nweek met de\nrekenmaatjes.") == (
        "Sanne oefent drie keer per week met de rekenmaatjes."
    )


def test_lists_paragraphs_quotes_and_hard_breaks_stay() -> None:
    wrapped = (
        "Doel voor deze\nperiode.\n\n"
        "- eerste punt dat\n  doorloopt\n  - genest punt dat\n    ook doorloopt\n- tweede\n\n"
        "1.  genummerd dat\n    doorloopt\n2.  twee\n\n"
        "> citaat dat\n> doorloopt\n\n"
        "regel met harde breuk  \nvolgende regel\\\nen nog een\n\n"
        "```\ncode blijft\nzoals hij is\n```"
    )
    assert unwrap_markdown(wrapped) == (
        "Doel voor deze periode.\n\n"
        "- eerste punt dat doorloopt\n  - genest punt dat ook doorloopt\n- tweede\n\n"
        "1.  genummerd dat doorloopt\n2.  twee\n\n"
        "> citaat dat doorloopt\n\n"
        "regel met harde breuk  \nvolgende regel\\\nen nog een\n\n"
        "```\ncode blijft\nzoals hij is\n```"
    )


def test_unwrapped_text_is_left_alone() -> None:
    text = "Een alinea.\n\n- een\n- twee\n\n**vet** en *cursief*"
    assert unwrap_markdown(text) == text
    assert unwrap_markdown("") == ""
    assert unwrap_markdown(None) == ""


_WORD = st.text(alphabet="abcdeëfghijklmnopqrstuvwxyzé0123456789", min_size=1, max_size=12)
_INLINE = st.one_of(_WORD, _WORD.map(lambda w: f"**{w}**"), _WORD.map(lambda w: f"*{w}*"))
_SENTENCE = st.lists(_INLINE, min_size=1, max_size=40).map(" ".join)


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    """Paragraphs and (nested) lists, each wrapped the way Qt wraps: at a width, indented."""
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        width = draw(st.integers(20, 80))
        if draw(st.booleans()):
            blocks.append(textwrap.fill(draw(_SENTENCE), width))
            continue
        items = []
        for _ in range(draw(st.integers(1, 4))):
            depth = draw(st.integers(0, 2))
            indent = "  " * depth
            filled = textwrap.fill(
                draw(_SENTENCE),
                width,
                initial_indent=indent + "- ",
                subsequent_indent=indent + "  ",
            )
            items.append(filled)
        blocks.append("\n".join(items))
    return "\n\n".join(blocks)


@settings(max_examples=150, deadline=None)
@given(markdown_documents())
def test_unwrap_keeps_the_meaning_and_leaves_no_soft_break(text: str) -> None:
    unwrapped = unwrap_markdown(text)
    assert html(unwrapped) == html(text)
    # No paragraph or list item spans two lines any more...
    for token in _MD.parse(unwrapped):
        if token.type == "paragraph_open":
            start, end = token.map
            assert end - start == 1, unwrapped
    # ...and doing it again changes nothing.
    assert unwrap_markdown(unwrapped) == unwrapped


def test_plain_text_of_a_wrapped_goal_is_not_split_into_items() -> None:
    """The printed overview showed "per; som": a wrapped line read as a list item."""
    from ib_desktop.reports.markdown import markdown_plain

    assert markdown_plain("Tafels tot tien oefenen, twee minuten per\nsom.\n\n- een\n- twee") == (
        "Tafels tot tien oefenen, twee minuten per som.; een; twee"
    )

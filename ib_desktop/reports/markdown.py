"""Markdown (as Qt's text editor writes it) turned into reportlab flowables.

Rich text is stored as the Markdown that ``QTextDocument.toMarkdown()`` writes in the GitHub
dialect: paragraphs, "- " / "1. " lists nested by indentation, ``**bold**``, ``*italic*``,
``~~struck~~``, "#" headings and backslash escapes. A real CommonMark parser (markdown-it-py)
reads it, so mis-nested emphasis or a thousand asterisks can never produce broken markup; the
paragraph markup is then written from the parser's tokens with every character of text escaped.

Whatever a teacher typed must print, readably and quickly:

* Lists become indented paragraphs with a bullet, one per item, however deep the nesting (the
  indentation stops growing after a few levels so a narrow table column keeps room for text).
  A paragraph always splits cleanly over a page or a table row; a reportlab ListFlowable did not.
* Only the Markdown the editors write is understood. Everything else prints as typed: ``<tags>``,
  ``&entities;``, backticks, ``[links](...)``, ``> quotes`` and ``---`` stay literal text.
* Control characters are dropped; emoji and right-to-left text are kept (DejaVu Sans has no
  emoji, so those print as an empty box, but nothing fails).
* A long paragraph is cut into pieces of a few thousand characters (reportlab lays out one
  paragraph in time that grows with the square of its length), and a word longer than a line
  is broken where the line ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .base import FONT, FONT_BOLD, chunks, derived_style, esc, paragraph, printable, styles

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: Emphasis costs time: markdown-it needs some microseconds per marker, and reportlab ten
#: times that per change of font. A text with more markers than MAX_EMPHASIS is printed
#: without bold and italic (the markers still read as markup, so they do not show); one with
#: more than MAX_MARKERS is not read for emphasis at all and shows its markers as typed.
MAX_EMPHASIS = 20_000
MAX_MARKERS = 200_000
#: A paragraph's text is read in segments of at most this many characters.
SEGMENT = 10_000
#: Deeper block nesting than this and markdown-it stops reading the nested lines (it drops
#: them); such a text is printed line by line instead (see :func:`blocks`).
MAX_NESTING = 100
#: Indentation per list level (points), and the most a nested item is indented: deeper
#: levels stay there, so a narrow table column keeps room for the text.
INDENT_STEP = 11.0
MAX_INDENT = 66.0
BULLETS = ("•", "–", "◦", "▪")
NBSP = "\u00a0"  # the text of an empty list item (reportlab draws no bullet without text)

#: A backslash escape as CommonMark has them: any ASCII punctuation.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")

BOLD, ITALIC, STRIKE = 1, 2, 4
_TAGS = ((BOLD, "b"), (ITALIC, "i"), (STRIKE, "strike"))

#: A run of text with its emphasis (a bit set of BOLD, ITALIC, STRIKE); "\n" is a hard break.
Run = tuple[str, int]


def _make_parser() -> MarkdownIt:
    """CommonMark with strikethrough, limited to what the editors write."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    md.enable("strikethrough")
    # These would eat characters a teacher typed as text: keep them literal, as before.
    md.disable(
        [
            "code",
            "fence",
            "blockquote",
            "hr",
            "reference",
            "html_block",
            "lheading",
            "backticks",
            "link",
            "image",
            "autolink",
            "html_inline",
            "entity",
        ],
        ignoreInvalid=True,
    )
    return md


@cache
def _inline_parser() -> MarkdownIt:
    """The parser for the text of one paragraph (made once)."""
    return _make_parser()


@cache
def _block_parser() -> MarkdownIt:
    """The parser for paragraphs, headings and lists only; their text is read apart.

    Emphasis in one huge paragraph costs markdown-it more than linear time, so the text of a
    long paragraph is read in segments (see :func:`_text_runs`).
    """
    md = _make_parser()
    md.core.ruler.disable(["inline", "text_join"])
    return md


def _segments(content: str) -> Iterator[tuple[str, bool]]:
    """``content`` in pieces of at most SEGMENT characters, cut at a line end or a space.

    Each piece comes with whether a line end or space was cut away after it.
    """
    while len(content) > SEGMENT:
        cut = content.rfind("\n", 0, SEGMENT)
        if cut <= 0:
            cut = content.rfind(" ", 0, SEGMENT)
        if cut <= 0:
            yield content[:SEGMENT], False
            content = content[SEGMENT:]
            continue
        yield content[:cut], True
        content = content[cut + 1 :]
    yield content, False


def _text_runs(content: str, markers: int = 0) -> list[Run]:
    """The runs of a paragraph's text (emphasis does not reach across a segment).

    ``markers`` is the number of emphasis markers in the whole text (see MAX_EMPHASIS): with
    too many the emphasis is dropped, with far too many the text is taken as typed (only
    backslash escapes undone).
    """
    if markers > MAX_MARKERS:
        return [(_ESCAPED.sub(r"\1", content).replace("\n", " "), 0)]
    runs: list[Run] = []
    for segment, spaced in _segments(content):
        tokens = _inline_parser().parseInline(segment)
        runs += _inline_runs(tokens[0].children if tokens else None)
        if spaced:
            runs.append((" ", 0))
    if markers > MAX_EMPHASIS:
        return [("".join(text for text, _ in runs), 0)]
    return runs


# ---------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """One printed paragraph: a list item, a heading or an ordinary paragraph."""

    runs: list[Run]
    depth: int = 0  # list nesting: 0 outside a list, 1 for a top-level item
    bullet: str | None = None  # the item's bullet or number, on its first paragraph only
    heading: bool = False
    last_in_list: bool = False  # the last paragraph of a top-level list (space below it)
    indents: tuple[float, float] = field(default=(0.0, 0.0))  # (bullet x, text x)


def _inline_runs(children: Sequence[Token] | None) -> list[Run]:
    """The text of one inline token as runs; emphasis comes from the parser's open/close pairs.

    Counting opens and closes (rather than copying tags) means overlapping or unbalanced
    emphasis still gives well-formed markup.
    """
    runs: list[Run] = []
    depth = {BOLD: 0, ITALIC: 0, STRIKE: 0}
    kinds = {"strong": BOLD, "em": ITALIC, "s": STRIKE}
    for tok in children or ():
        kind, _, edge = tok.type.rpartition("_")
        if kind in kinds and edge in ("open", "close"):
            depth[kinds[kind]] += 1 if edge == "open" else -1
            continue
        flags = sum(bit for bit, n in depth.items() if n > 0)
        if tok.type == "softbreak":
            runs.append((" ", flags))
        elif tok.type == "hardbreak":
            runs.append(("\n", flags))
        elif tok.content:
            runs.append((tok.content, flags))  # text, and anything else: its text is kept
    return runs


def _bullet_x(stack: list[tuple[float, float]]) -> float:
    return stack[-1][1] if stack else 0.0


def _blocks_from_tokens(tokens: Sequence[Token], markers: int) -> list[Block]:
    blocks: list[Block] = []
    lists: list[tuple[bool, int]] = []  # (ordered, nesting) of the open lists
    indents: list[tuple[float, float]] = []  # (bullet x, text x) per open list
    pending: str | None = None  # the bullet of an item whose first paragraph is to come
    heading = False
    base = styles().body
    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            if pending is not None:  # "- - a": the outer item has no text of its own
                blocks.append(Block([(NBSP, 0)], len(lists), pending, indents=indents[-1]))
                pending = None
            ordered = t == "ordered_list_open"
            x = _bullet_x(indents)
            width = INDENT_STEP
            if ordered:
                width = max(INDENT_STEP, stringWidth("99.", FONT, base.fontSize) + 4)
            # (A bullet wider than its room pushes the first line along; nothing overlaps.)
            lists.append((ordered, len(lists)))
            indents.append((x, x + width) if x + width <= MAX_INDENT else indents[-1])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            indents.pop()
            if not lists and blocks:
                blocks[-1].last_in_list = True
        elif t == "list_item_open":
            ordered, level = lists[-1]
            pending = f"{tok.info}{tok.markup}" if ordered else BULLETS[level % len(BULLETS)]
        elif t == "list_item_close":
            if pending is not None:  # an empty item still shows its bullet
                blocks.append(Block([(NBSP, 0)], len(lists), pending, indents=indents[-1]))
                pending = None
        elif t == "heading_open":
            heading = True
        elif t == "heading_close":
            heading = False
        elif t == "inline":
            runs = _text_runs(tok.content, markers)
            where = indents[-1] if indents else (0.0, 0.0)
            blocks.append(Block(runs, len(lists), pending, heading=heading, indents=where))
            pending = None
    return blocks


def _plain_blocks(text: str) -> list[Block]:
    """Every line as its own paragraph, exactly as typed (for text nested beyond reason)."""
    return [Block([(line.strip(), 0)]) for line in text.split("\n") if line.strip()]


def _clean(text: str) -> str:
    return printable(text.replace("\r\n", "\n").replace("\r", "\n"))


def blocks(text: str | None) -> list[Block]:
    """The paragraphs of a Markdown text, with their list depth, bullet and emphasis runs."""
    if not text or not text.strip():
        return []
    source = _clean(text)
    try:
        tokens = _block_parser().parse(source)
    except RecursionError:  # nesting deeper than Python's stack: print it as it was typed
        return _plain_blocks(source)
    if any(tok.level >= MAX_NESTING - 1 for tok in tokens):
        # markdown-it skipped the lines it found nested too deep; nothing may be left out.
        return _plain_blocks(source)
    markers = source.count("*") + source.count("_") + source.count("~")
    return _blocks_from_tokens(tokens, markers)


# ---------------------------------------------------------------------------- markup


def runs_markup(runs: Sequence[Run]) -> str:
    """Runs as reportlab paragraph markup: text escaped, emphasis as well-formed tags."""
    out: list[str] = []
    merged: list[list] = []
    for text, flags in runs:
        if merged and merged[-1][1] == flags:
            merged[-1][0].append(text)
        else:
            merged.append([[text], flags])
    for parts, flags in merged:
        body = esc("".join(parts)).replace("\n", "<br/>")
        if not flags:
            out.append(body)
            continue
        tags = [tag for bit, tag in _TAGS if flags & bit]
        out.append("".join(f"<{t}>" for t in tags) + body + "".join(f"</{t}>" for t in tags[::-1]))
    return "".join(out)


def inline(text: str) -> str:
    """One line of Markdown as reportlab paragraph markup (escaped, with <b>, <i>, <strike>)."""
    return runs_markup(_text_runs(_clean(text))).strip()


# ---------------------------------------------------------------------------- flowables


def _block_style(base: ParagraphStyle, block: Block, first: bool, last: bool) -> ParagraphStyle:
    """The style of one piece of a block: indentation, bullet font and the space around it."""
    in_list = block.depth > 0
    bullet_x, text_x = block.indents
    item_space = min(base.spaceAfter, 1.5)
    space_after = base.spaceAfter if not in_list or block.last_in_list else item_space
    space_before = base.spaceBefore if first and not in_list else 0
    if not last:
        space_after = 0
    font = FONT_BOLD if block.heading else base.fontName
    key = f"md-{bullet_x:g}-{text_x:g}-{space_before:g}-{space_after:g}-{int(block.heading)}"
    return derived_style(
        base,
        key,
        fontName=font,
        leftIndent=base.leftIndent + text_x,
        bulletIndent=base.leftIndent + bullet_x,
        bulletFontName=FONT,
        bulletFontSize=base.fontSize,
        spaceBefore=space_before,
        spaceAfter=space_after,
        keepWithNext=block.heading and last,
        splitLongWords=1,
        spaceShrinkage=0,
    )


def block_flowables(items: Sequence[Block], style: ParagraphStyle) -> list[Flowable]:
    """Paragraph flowables for blocks; a long block becomes several pieces."""
    out: list[Flowable] = []
    for block in items:
        pieces = list(chunks(block.runs)) or [[]]
        for i, piece in enumerate(pieces):
            first, last = i == 0, i == len(pieces) - 1
            piece_style = _block_style(style, block, first, last)
            bullet = block.bullet if first else None
            out.append(paragraph(runs_markup(piece), piece_style, bullet=bullet))
    return out


def markdown_flowables(text: str | None, style: ParagraphStyle | None = None) -> list[Flowable]:
    """The flowables of a Markdown text; an empty list for empty text."""
    return block_flowables(blocks(text), style or styles().body)


def markdown_plain(text: str | None, limit: int | None = None) -> str:
    """Markdown reduced to plain text (for a single table cell line or a title).

    Paragraphs and list items are joined with "; ". With ``limit`` the text is shortened to
    about that many characters, ending in "…" (an overview line, not the document itself).
    """
    parts = []
    for block in blocks(text):
        line = " ".join("".join(t for t, _ in block.runs).split())
        if line:
            parts.append(line)
    plain = "; ".join(parts)
    if limit is not None and len(plain) > limit:
        cut = plain.rfind(" ", 0, limit)
        plain = plain[: cut if cut > limit // 2 else limit].rstrip(" ;") + " …"
    return plain

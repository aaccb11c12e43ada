"""What the one-page documents share: always exactly one A4 page, shortened in a fixed order.

The profile for a meeting and the OPP summary for parents must fit one sheet whatever the
file holds (a 1 MB text, a hundred meetings, deeply nested lists). The method is deterministic,
so the same file always prints the same page:

1. Every text is cut beforehand to at most :data:`RAW_LIMIT` characters (nobody reads more on
   one page, and the Markdown parser then never sees a megabyte).
2. The story is built for a :class:`Fit`: a font scale and a text budget. Each section gets a
   number of characters and items proportional to the budget; a text that is longer is cut at
   a word and ends in "… (zie het volledige dossier)" (or "OPP").
3. The document is laid out with reportlab (the real layout, no estimate) and its pages are
   counted. The steps of :data:`STEPS` are tried in order, first a smaller font (never below
   8 points), then ever smaller budgets, and the first that gives one page is printed.
4. The last step (budget 0) keeps only headings, names, dates and the notes; should even that
   not fit, the whole story is put in a ``KeepInFrame`` that shrinks it onto the page.

When anything was shortened the page also says so at its foot, so a reader knows where to
look for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame

from .base import (
    FONT_BOLD,
    FOOTER_SPACE,
    HEADER_SPACE,
    MARGIN,
    ReportInfo,
    build_pdf,
    content_width,
    derived_style,
    esc,
    page_size,
    paragraph,
    styles,
)
from .markdown import ITALIC, Block, block_flowables, blocks

#: Characters of one text read at all (more never fits a page).
RAW_LIMIT = 20_000
#: A cut is made at a space when one lies within this many characters of the limit.
WORD_ROOM = 30


@dataclass(frozen=True)
class Fit:
    """One attempt: font size factor and the share of each section's text budget."""

    scale: float
    budget: float


#: The attempts, in order (see the module docstring). 8.5 pt * 0.95 is the smallest body text.
STEPS: tuple[Fit, ...] = (
    Fit(1.0, 1.0),
    Fit(0.95, 1.0),
    Fit(0.95, 0.7),
    Fit(0.95, 0.5),
    Fit(0.95, 0.35),
    Fit(0.95, 0.2),
    Fit(0.95, 0.1),
    Fit(0.95, 0.0),
)


@dataclass
class Page:
    """The styles of one attempt and what was shortened while building it."""

    fit: Fit
    note: str  # "zie het volledige dossier"
    shortened: list[str] = field(default_factory=list)

    def _style(
        self, base: ParagraphStyle, name: str, size: float, **extra: object
    ) -> ParagraphStyle:
        s = self.fit.scale
        return derived_style(
            base,
            f"onepage-{name}-{s:g}",
            fontSize=size * s,
            leading=size * s * 1.3,
            **extra,
        )

    @property
    def body(self) -> ParagraphStyle:
        """Running text."""
        return self._style(styles().body, "body", 9, spaceAfter=2)

    @property
    def small(self) -> ParagraphStyle:
        """Notes and table cells."""
        return self._style(styles().small, "small", 8.5, spaceAfter=1)

    @property
    def heading(self) -> ParagraphStyle:
        """A section heading."""
        return self._style(
            styles().h3, "h", 10.5, fontName=FONT_BOLD, spaceBefore=5, spaceAfter=1.5
        )

    @property
    def title(self) -> ParagraphStyle:
        """The page title."""
        return self._style(styles().title, "title", 16, spaceAfter=1)

    def chars(self, full: int) -> int:
        """This attempt's share of a section's ``full`` character budget."""
        return int(full * self.fit.budget)

    def items(self, full: int) -> int:
        """This attempt's share of a section's ``full`` number of items (at least one while
        there is any budget)."""
        if self.fit.budget <= 0:
            return 0
        return max(1, round(full * self.fit.budget))

    def shortened_note(self) -> list[Flowable]:
        """The line at the foot that says the page is shortened (nothing when it is not)."""
        if not self.shortened:
            return []
        what = ", ".join(dict.fromkeys(self.shortened))
        return [
            paragraph(
                f"<i>{esc(f'Ingekort om op één pagina te passen ({what}): {self.note}.')}</i>",
                derived_style(self.small, "note", spaceBefore=4),
            )
        ]

    def h(self, text: str) -> Flowable:
        """A heading."""
        return paragraph(esc(text), self.heading)

    def p(self, text: str, *, small: bool = False) -> Flowable:
        """A plain paragraph (escaped)."""
        return paragraph(esc(text), self.small if small else self.body)

    def text(
        self, text: str | None, full: int, *, what: str, small: bool = False, empty: str = ""
    ) -> list[Flowable]:
        """A Markdown text in at most this attempt's share of ``full`` characters.

        Lists, nesting and emphasis are kept for what is printed; a cut ends in the note.
        ``what`` names the section in the list of shortened parts.
        """
        style = self.small if small else self.body
        items = list(_parsed((text or "")[:RAW_LIMIT]))
        if not items:
            return [paragraph(esc(empty), self.small)] if empty else []
        limit = self.chars(full)
        kept, cut = shorten(items, limit, max_blocks=max(1, limit // 50))
        if cut or len(text or "") > RAW_LIMIT:
            self.shortened.append(what)
            if kept:
                last = kept[-1]
                kept[-1] = Block(
                    [*last.runs, (f" … ({self.note})", ITALIC)],
                    last.depth,
                    last.bullet,
                    last.heading,
                    True,
                    last.indents,
                )
            else:
                kept = [Block([(f"… ({self.note})", ITALIC)])]
        return block_flowables(kept, style)


@lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[Block, ...]:
    """The blocks of a text, parsed once for all attempts (blocks are never changed)."""
    return tuple(blocks(text))


def shorten(items: list[Block], limit: int, *, max_blocks: int) -> tuple[list[Block], bool]:
    """The first blocks of a text within ``limit`` characters and ``max_blocks`` paragraphs.

    The last block kept may be cut inside, at a word. Returns the blocks and whether anything
    was left out.
    """
    kept: list[Block] = []
    used = 0
    for block in items:
        size = sum(len(t) for t, _ in block.runs)
        if len(kept) >= max_blocks:
            return kept, True
        if used + size <= limit:
            kept.append(block)
            used += size
            continue
        room = limit - used
        if room >= 20:
            kept.append(_cut_block(block, room))
        return kept, True
    return kept, False


def _cut_block(block: Block, room: int) -> Block:
    """``block`` cut to about ``room`` characters, at a space when there is one near."""
    runs: list[tuple[str, int]] = []
    left = room
    for text, flags in block.runs:
        if len(text) <= left:
            runs.append((text, flags))
            left -= len(text)
            continue
        piece = text[:left]
        space = piece.rfind(" ")
        if space >= len(piece) - WORD_ROOM and space > 0:
            piece = piece[:space]
        runs.append((piece.rstrip(), flags))
        break
    return Block(runs, block.depth, block.bullet, block.heading, True, block.indents)


def one_page_pdf(
    info: ReportInfo, make_story: Callable[[Page], list[Flowable]], *, note: str
) -> bytes:
    """Build ``make_story`` at the first :data:`STEPS` attempt that fits one page.

    ``make_story`` is called once per attempt with a fresh :class:`Page`; it reads nothing
    from the database (the caller has read everything before), so attempts are cheap.
    """
    for fit in STEPS:
        page = Page(fit, note)
        story = make_story(page)
        pdf, pages = _build(info, story)
        if pages == 1:
            return pdf
    # Even headings and names alone overflow (a page of guardians?): shrink it onto the page.
    page = Page(STEPS[-1], note)
    story = make_story(page)
    _width, height = page_size(info)
    frame_height = height - (MARGIN + HEADER_SPACE) - (MARGIN + FOOTER_SPACE - 6 * mm)
    shrunk = KeepInFrame(content_width(info), frame_height, story, mode="shrink")
    pdf, _pages = _build(info, [shrunk])
    return pdf


def _build(info: ReportInfo, story: list[Flowable]) -> tuple[bytes, int]:
    pages = 0

    def count(_canv: object, doc: object) -> None:
        nonlocal pages
        pages = max(pages, doc.page)  # type: ignore[attr-defined]

    return build_pdf(info, story, on_page=count), pages  # type: ignore[arg-type]

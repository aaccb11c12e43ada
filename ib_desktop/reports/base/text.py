"""Text for reports: paragraphs made and measured with less work, escaping, table cells of
any length, and dates in words."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Paragraph,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from ib_desktop.dates import long_date

from .style import styles


def paragraph(markup: str, style: ParagraphStyle, *, bullet: str | None = None) -> Paragraph:
    """A reportlab Paragraph of ``markup``, made and measured with less work.

    Two costs of a report are cut here without changing a single line of the page. Most
    paragraphs are plain text (a name, a date, a table header): for those the one fragment
    the XML parser would make is the style's fragment with the text, so the parser is
    skipped. And platypus asks a paragraph for its size several times at the same width (a
    table measures its cells for the row heights and again when it draws them, a
    KeepTogether measures before the frame does); breaking the lines, the costliest step,
    depends on the width only, so the last answer is reused while the width is the same.
    ``bullet`` is drawn at the style's bullet indent (a list item).
    """
    frags = None
    text = markup
    if markup and "<" not in markup and "&" not in markup:
        cleaned = cleanBlockQuotedText(markup)
        template = _plain_fragment(style) if cleaned else None
        if template is not None:
            frags = [template.clone(text=cleaned, link=[], us_lines=[])]
            text = cleaned
    return MemoParagraph(text, style, bulletText=bullet, frags=frags)


class MemoParagraph(Paragraph):
    """A Paragraph that answers ``wrap`` again from memory for the width it measured last.

    Paragraph.wrap reads the width only (never the height) and keeps the broken lines on the
    paragraph for split() and draw(), so reusing them is exact. The memory lives on the
    paragraph itself: platypus copies flowables when it splits a table row, and a copy must
    answer for itself (a memo that pointed back at the original left the copy unwrapped,
    which is the "no attribute blPara" crash). The pieces of a split are of this class too.
    """

    _memo_width: float | None = None
    _memo_size: tuple[float, float] = (0, 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth != self._memo_width or not hasattr(self, "blPara"):
            self._memo_size = Paragraph.wrap(self, availWidth, availHeight)
            self._memo_width = availWidth
        return self._memo_size


_plain_fragments: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()


def _plain_fragment(style: ParagraphStyle) -> Any:
    """The fragment the paragraph parser makes for plain text in ``style`` (None: parse it).

    Made once per style by the parser itself, so it carries exactly what the parser puts in.
    """
    try:
        return _plain_fragments[style]
    except KeyError:
        pass
    template = None
    if not getattr(style, "textTransform", None) and not getattr(style, "bulletText", None):
        parsed_style, frags, bullet = ParaParser().parse("x", style)
        if parsed_style is style and not bullet and frags and len(frags) == 1:
            template = frags[0]
    _plain_fragments[style] = template
    return template


#: Characters that print as nothing or as a box: C0 and C1 controls (tab and newline kept),
#: DEL, lone surrogates and the two non-characters U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without control characters (a pasted terminal colour code, a stray NUL)."""
    return _UNPRINTABLE.sub("", text)


def esc(text: object) -> str:
    """Text made safe for a reportlab Paragraph (which reads a small XML dialect)."""
    s = printable("" if text is None else str(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: object, style: ParagraphStyle | None = None, *, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped) or, with ``markup``, of reportlab markup."""
    return paragraph(str(text) if markup else esc(text), style or styles().body)


def cell(text: object, *, bold: bool = False, muted: bool = False) -> Paragraph | list[Flowable]:
    """A table cell that wraps its text (several paragraphs for a very long text)."""
    st = styles()
    style = st.cell_bold if bold else st.muted if muted else st.cell
    if text in (None, ""):
        return paragraph("–", style)
    pieces = list(chunks([(str(text), 0)]))
    if len(pieces) == 1:
        return paragraph(esc(text), style)
    return [paragraph(esc(piece[0][0]), style) for piece in pieces]


#: Characters per paragraph flowable. Laying out a paragraph takes time that grows with the
#: square of its length (every page split lays out the rest again), so a long text is cut
#: into paragraphs of this size; each still breaks its lines and pages as usual.
CHUNK = 4000


def chunks(runs: Sequence[tuple[str, int]], limit: int = CHUNK) -> Iterator[list[tuple[str, int]]]:
    """Runs of (text, emphasis) cut into pieces of at most ``limit`` characters.

    A piece ends at a space where there is one; a word longer than a piece is cut hard (it is
    broken over lines anyway).
    """
    chunk: list[tuple[str, int]] = []
    size = 0
    for text, flags in runs:
        while size + len(text) > limit:
            room = limit - size
            cut = text.rfind(" ", 0, room + 1)
            if cut <= 0:
                if size:  # start the word on a fresh piece rather than cutting it
                    yield chunk
                    chunk, size = [], 0
                    continue
                cut = room
            chunk.append((text[:cut], flags))
            yield chunk
            chunk, size = [], 0
            text = text[cut:].lstrip(" ")
        if text:
            chunk.append((text, flags))
            size += len(text)
    if chunk:
        yield chunk


def fmt_date(d: date | str | None) -> str:
    """ "12 maart 2026" for a date or an ISO string (as kept in a frozen snapshot)."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return long_date(d)


def fmt_period(start: date | str | None, end: date | str | None) -> str:
    """ "2 september 2026 t/m 11 november 2026" (or just one end)."""
    a, b = fmt_date(start), fmt_date(end)
    if a and b:
        return f"{a} t/m {b}"
    if a:
        return f"vanaf {a}"
    return f"tot {b}" if b else ""

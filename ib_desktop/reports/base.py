"""What every printed document shares: page, fonts, styles, header and footer, small tables.

The look is deliberately calm: one sans-serif family, generous leading, thin grey rules instead
of heavy grids, and margins of 20 mm so that a school printer never clips a word. The fonts are
shipped in ``resources/fonts`` (DejaVu Sans) because the built-in PDF fonts cannot print every
Dutch name ("Dvořák", "Ĳsbrand") and a Windows laptop may not have DejaVu installed.
"""

from __future__ import annotations

import io
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from ib_desktop.dates import long_date
from ib_desktop.resources import resource_path

from .errors import BuildCancelled

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

MARGIN = 20 * mm  # a school printer clips up to about 5 mm; 20 mm leaves room for a punch too
HEADER_SPACE = 12 * mm
FOOTER_SPACE = 10 * mm

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#c9ced6")
SHADE = colors.HexColor("#f1f3f6")
ACCENT = colors.HexColor("#2f5d8a")
ALERT_HEX = "#b3261e"
ALERT = colors.HexColor(ALERT_HEX)

_font_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Register DejaVu Sans and its family once per process (reading the TTFs costs time)."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if _fonts_ready:
            return
        files = {
            FONT: "DejaVuSans.ttf",
            FONT_BOLD: "DejaVuSans-Bold.ttf",
            FONT_ITALIC: "DejaVuSans-Oblique.ttf",
            FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
        }
        for name, filename in files.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
        )
        _fonts_ready = True


# ---------------------------------------------------------------------------- paragraphs


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


# ---------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every report, built once after the fonts are registered."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    bullet: ParagraphStyle
    alert: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    """The shared styles (fonts registered on first use)."""
    global _styles
    if _styles is None:
        register_fonts()
        body = ParagraphStyle(
            "body",
            fontName=FONT,
            fontSize=10,
            leading=14.5,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=4,
        )
        cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12.5, spaceAfter=0)
        _styles = Styles(
            body=body,
            small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5),
            muted=ParagraphStyle("muted", parent=body, fontSize=9, leading=12.5, textColor=MUTED),
            cell=cell,
            cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
            cell_head=ParagraphStyle(
                "cell_head", parent=cell, fontName=FONT_BOLD, fontSize=8.5, textColor=MUTED
            ),
            title=ParagraphStyle(
                "title",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=22,
                leading=28,
                textColor=ACCENT,
                spaceAfter=6,
            ),
            subtitle=ParagraphStyle(
                "subtitle", parent=body, fontSize=13, leading=18, textColor=MUTED, spaceAfter=14
            ),
            h1=ParagraphStyle(
                "h1",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=14,
                leading=19,
                textColor=ACCENT,
                spaceBefore=14,
                spaceAfter=6,
                keepWithNext=True,
            ),
            h2=ParagraphStyle(
                "h2",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=11.5,
                leading=16,
                spaceBefore=10,
                spaceAfter=4,
                keepWithNext=True,
            ),
            h3=ParagraphStyle(
                "h3",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=10,
                leading=14,
                spaceBefore=6,
                spaceAfter=2,
                keepWithNext=True,
            ),
            bullet=ParagraphStyle("bullet", parent=body, spaceAfter=1),
            alert=ParagraphStyle("alert", parent=cell, fontName=FONT_BOLD, textColor=ALERT),
        )
    return _styles


_derived: dict[tuple[int, str], tuple[ParagraphStyle, ParagraphStyle]] = {}


def derived_style(base: ParagraphStyle, suffix: str, **changes: Any) -> ParagraphStyle:
    """``base`` with ``changes``, made once per base and suffix rather than per table or text.

    (Every new style also costs the plain-text fast path of :func:`paragraph` a parse.)
    """
    key = (id(base), suffix)
    hit = _derived.get(key)
    if hit is None or hit[0] is not base:
        hit = (base, ParagraphStyle(f"{base.name}-{suffix}", parent=base, **changes))
        _derived[key] = hit
    return hit[1]


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


# ---------------------------------------------------------------------------- tables


class FlowableStack(Flowable):
    """Several flowables measured, drawn and split as one: how table cells hold their content.

    A table splits a tall row over pages by measuring every flowable of the cell again at each
    page; a cell with thousands of list items (a long pasted list) made that quadratic. In
    stacks the table measures a few dozen things, and each stack remembers its height. A
    stack also splits at the width it was laid out at (see :meth:`split`).
    """

    def __init__(self, content: Sequence[Flowable]) -> None:
        super().__init__()
        self.content = list(content)
        self._memo_width: float | None = None
        self.width = self.height = 0.0

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab API
        return self.content[0].getSpaceBefore() if self.content else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab API
        return self.content[-1].getSpaceAfter() if self.content else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth != self._memo_width:
            total = 0.0
            last = len(self.content) - 1
            for i, f in enumerate(self.content):
                _w, h = f.wrap(availWidth, availHeight)
                total += (
                    h + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < last else 0)
                )
            self.width, self.height = availWidth, total
            self._memo_width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for i, f in enumerate(self.content):
            if i:
                y -= f.getSpaceBefore()
            y -= f.height
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # A table asks a cell to split at the column's width, but lays it out at that width
        # less the cell padding; split at the width the stack was laid out at, so the lines
        # of the first part are the lines that will be drawn (and nothing is measured twice).
        if self._memo_width is not None:
            availWidth = self._memo_width
        self.wrap(availWidth, availHeight)
        used = 0.0
        for i, f in enumerate(self.content):
            before = f.getSpaceBefore() if i else 0.0
            if used + before + f.height <= availHeight:
                used += before + f.height + f.getSpaceAfter()
                continue
            parts = f.split(availWidth, availHeight - used - before) if used < availHeight else []
            if not parts:
                # A paragraph that cannot split forgets its lines: measure again next time.
                self._memo_width = None
            head = self.content[:i] + parts[:1]
            tail = parts[1:] + self.content[i + 1 :] if parts else self.content[i:]
            return self._pieces(head, tail)
        return self._pieces(self.content, [])

    @staticmethod
    def _pieces(head: list[Flowable], tail: list[Flowable]) -> list[Flowable]:
        """Two stacks; a table cell needs two parts, even when all fitted after all."""
        if not tail and len(head) > 1:
            head, tail = head[:-1], head[-1:]
        if not head or not tail:
            return []
        return [FlowableStack(head), FlowableStack(tail)]


#: Flowables per stack in a table cell (see :class:`FlowableStack`).
STACK = 40


def stacked(value: Any) -> Any:
    """A table cell's flowables in stacks (of at most STACK), so that they split well.

    Anything else (a string, an empty list) is returned as it is.
    """
    if isinstance(value, Flowable):
        value = [value]
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Flowable) for v in value):
        return [FlowableStack(value[i : i + STACK]) for i in range(0, len(value), STACK)]
    return value


#: A table row taller than what is left of the page is split inside the row: a long text in
#: a cell continues on the next page (a row taller than a page could not be printed at all).
#: reportlab reads the number as the least height in points of each part; anything above 1
#: made a row just taller than a page unprintable, its second part being too short.
SPLIT_IN_ROW = 1


class Plain(str):
    """A short table cell drawn as it is (no wrapping): much faster than a Paragraph.

    Long schedules have thousands of cells; dates, group names and status words never wrap,
    so they need no paragraph layout.
    """

    __slots__ = ()


def table_style(commands: Sequence[tuple]) -> TableStyle:
    """A TableStyle whose plain-text cells use our font (reportlab's default is Helvetica)."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("LEADING", (0, 0), (-1, -1), 12.5),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            *commands,
        ]
    )


def grid_table(
    header: Sequence[str] | None,
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    *,
    zebra: bool = True,
    extra_style: Sequence[tuple] = (),
    repeat_header: bool = True,
    center_from: int | None = None,
) -> Table:
    """A calm table: a light header, thin horizontal rules, text cells that wrap.

    Cells may be strings (escaped and wrapped), :class:`Plain` strings, Paragraphs or lists of
    flowables; header cells from column ``center_from`` on are centred (for number columns).
    """
    data: list[list[Any]] = []
    if header:
        head = styles().cell_head
        centered = derived_style(head, "center", alignment=TA_CENTER)
        data.append(
            [
                paragraph(
                    esc(h), centered if center_from is not None and i >= center_from else head
                )
                for i, h in enumerate(header)
            ]
        )
    for row in rows:
        data.append(
            [
                c
                if isinstance(c, Plain)
                else stacked(c if not isinstance(c, str) and c is not None else cell(c))
                for c in row
            ]
        )
    if not data:
        data = [[cell("")]]
    table = Table(
        data,
        colWidths=list(widths),
        repeatRows=1 if header and repeat_header else 0,
        hAlign="LEFT",
        splitInRow=SPLIT_IN_ROW,
    )
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 12.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style += [("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED)]
    if zebra:
        first = 1 if header else 0
        for i in range(first + 1, len(data), 2):
            style.append(("BACKGROUND", (0, i), (-1, i), SHADE))
    style += list(extra_style)
    table.setStyle(table_style(style))
    return table


def field_table(
    rows: Iterable[tuple[str, Any]], width: float, *, label_width: float = 45 * mm
) -> Table:
    """Label/value pairs, as a form: "Leerling: Sanne de Vries"."""
    st = styles()
    data = []
    for label, value in rows:
        value_cell = stacked(
            value if not isinstance(value, str) and value is not None else cell(value)
        )
        data.append([paragraph(esc(label), st.cell_head), value_cell])
    table = Table(
        data, colWidths=[label_width, width - label_width], hAlign="LEFT", splitInRow=SPLIT_IN_ROW
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
    )
    return table


def empty_note(text: str = "Niet ingevuld.") -> Paragraph:
    """What an empty part says, so a reader sees it was not forgotten by the printer."""
    return paragraph(esc(text), styles().muted)


def section_heading(title: str, *, room_mm: float = 35) -> list[Flowable]:
    """A heading above a long table: a new page only when less than ``room_mm`` is left.

    (A heading that keeps with a long table would push the whole table to the next page.)
    """
    st = styles()
    free = derived_style(st.h2, "free", keepWithNext=False)
    return [CondPageBreak(room_mm * mm), paragraph(esc(title), free)]


def heading_block(title: str, *flowables: Flowable) -> KeepTogether:
    """A heading kept together with the first lines that follow it."""
    return KeepTogether([paragraph(esc(title), styles().h2), *flowables])


# ---------------------------------------------------------------------------- markers


class PageMeta(Flowable):
    """An invisible flowable that sets the footer text (and its page-count section) from here on.

    The per-teacher schedule starts a new section per teacher so that each handout counts
    its own pages ("pagina 1 van 2").
    """

    def __init__(self, footer: str | None = None, section: str | None = None) -> None:
        super().__init__()
        self.footer = footer
        self.section = section
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        if self.footer is not None:
            canv._ib_footer = self.footer  # type: ignore[attr-defined]
        if self.section is not None:
            canv._ib_section = self.section  # type: ignore[attr-defined]


class NumberedCanvas(rl_canvas.Canvas):
    """A canvas that writes "pagina x van y" once it knows y (the classic two-pass trick).

    Every page's drawing is kept until ``save``; then the footers are drawn with the totals,
    counted per section when the document has sections.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Start every page in our own font: the default (Helvetica) would be listed in the PDF
        # as a font that is not embedded. (The doc template passes None explicitly.)
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
        super().__init__(*args, **kwargs)
        self._saved_page_states: list[dict[str, Any]] = []
        self._ib_footer = ""
        self._ib_section = ""

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[str, int] = {}
        for state in self._saved_page_states:
            key = state.get("_ib_section", "")
            totals[key] = totals.get(key, 0) + 1
        seen: dict[str, int] = {}
        for state in self._saved_page_states:
            self.__dict__.update(state)
            key = state.get("_ib_section", "")
            seen[key] = seen.get(key, 0) + 1
            self._draw_footer(seen[key], totals[key])
            rl_canvas.Canvas.showPage(self)
        rl_canvas.Canvas.save(self)

    def _draw_footer(self, page: int, total: int) -> None:
        width, _height = self._pagesize
        parts = [p for p in (self._ib_footer, f"pagina {page} van {total}") if p]
        text = " · ".join(parts)
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN, MARGIN - 3 * mm, width - MARGIN, MARGIN - 3 * mm)
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, MARGIN - 7.5 * mm, text)
        self.restoreState()


# ---------------------------------------------------------------------------- document


@dataclass
class ReportInfo:
    """What a document's pages show around the content: header, footer, logo, metadata."""

    title: str
    footer: str
    header_right: str = ""
    logo_png: bytes | None = None
    subject: str = ""
    landscape: bool = False
    author: str = "IB Desktop"
    _logo: ImageReader | None = field(default=None, init=False, repr=False)

    def logo(self) -> ImageReader | None:
        """The school logo, decoded once per document; None when there is none or it is bad."""
        if self._logo is None and self.logo_png:
            try:
                self._logo = ImageReader(io.BytesIO(self.logo_png))
            except Exception:  # a broken logo must not stop printing an OPP
                self.logo_png = None
        return self._logo


def page_size(info: ReportInfo) -> tuple[float, float]:
    """A4, portrait or landscape."""
    return landscape(A4) if info.landscape else A4


def content_width(info: ReportInfo) -> float:
    """The width between the margins."""
    return page_size(info)[0] - 2 * MARGIN


def _draw_header(canv: rl_canvas.Canvas, info: ReportInfo) -> None:
    width, height = page_size(info)
    top = height - MARGIN + HEADER_SPACE - 2 * mm
    canv.saveState()
    logo = info.logo()
    if logo is not None:
        iw, ih = logo.getSize()
        h = 10 * mm
        w = min(40 * mm, h * iw / ih if ih else h)
        h = w * ih / iw if iw else h
        canv.drawImage(logo, MARGIN, top - h + 1 * mm, width=w, height=h, mask="auto")
    if info.header_right:
        canv.setFont(FONT, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(width - MARGIN, top - 3 * mm, info.header_right)
    canv.restoreState()


def build_pdf(
    info: ReportInfo,
    story: list[Flowable],
    *,
    on_page: Callable[[rl_canvas.Canvas, BaseDocTemplate], None] | None = None,
    progress: Callable[[int], bool] | None = None,
) -> bytes:
    """Lay out ``story`` on A4 pages with header and footer and return the PDF bytes.

    ``progress`` is called with the number of each new page; when it returns False the build
    stops with :class:`BuildCancelled` (a long schedule can be cancelled from a dialog).
    """
    register_fonts()
    buf = io.BytesIO()
    size = page_size(info)
    doc = BaseDocTemplate(
        buf,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_SPACE,
        bottomMargin=MARGIN + FOOTER_SPACE - 6 * mm,
        title=info.title,
        subject=info.subject or info.title,
        author=info.author,
        creator="IB Desktop",
        lang="nl-NL",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="content",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def page(canv: rl_canvas.Canvas, d: BaseDocTemplate) -> None:
        if not getattr(canv, "_ib_footer", ""):
            canv._ib_footer = info.footer  # type: ignore[attr-defined]
        if progress is not None and not progress(d.page):
            raise BuildCancelled("Afgebroken.")
        _draw_header(canv, info)
        if on_page is not None:
            on_page(canv, d)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page)])
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def spacer(height_mm: float) -> Spacer:
    """Vertical room."""
    return Spacer(1, height_mm * mm)

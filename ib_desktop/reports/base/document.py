"""The document around the content: header with logo, footer with "pagina x van y", A4
page size and the build of the PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
)

from ..errors import BuildCancelled
from .style import FONT, FOOTER_SPACE, HEADER_SPACE, MARGIN, MUTED, RULE, register_fonts


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

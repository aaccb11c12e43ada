"""The look of every report: fonts (DejaVu Sans, registered once), colours, margins and
the shared paragraph styles."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ib_desktop.resources import resource_path

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

"""What every printed document shares: page, fonts, styles, header and footer, small tables.

The look is deliberately calm: one sans-serif family, generous leading, thin grey rules instead
of heavy grids, and margins of 20 mm so that a school printer never clips a word. The fonts are
shipped in ``resources/fonts`` (DejaVu Sans) because the built-in PDF fonts cannot print every
Dutch name ("Dvořák", "Ĳsbrand") and a Windows laptop may not have DejaVu installed.

The package: ``style`` (fonts, colours, paragraph styles), ``text`` (paragraphs, escaping,
cells, dates), ``tables`` (grids and forms) and ``document`` (header, footer, the PDF build).
Every report imports from ``reports.base`` itself.
"""

from __future__ import annotations

from .document import (
    NumberedCanvas,
    PageMeta,
    ReportInfo,
    build_pdf,
    content_width,
    page_size,
    spacer,
)
from .style import (
    ACCENT,
    ALERT,
    ALERT_HEX,
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    FOOTER_SPACE,
    HEADER_SPACE,
    INK,
    MARGIN,
    MUTED,
    RULE,
    SHADE,
    Styles,
    derived_style,
    register_fonts,
    styles,
)
from .tables import (
    SPLIT_IN_ROW,
    STACK,
    FlowableStack,
    Plain,
    empty_note,
    field_table,
    grid_table,
    heading_block,
    section_heading,
    stacked,
    table_style,
)
from .text import (
    CHUNK,
    MemoParagraph,
    cell,
    chunks,
    esc,
    fmt_date,
    fmt_period,
    para,
    paragraph,
    printable,
)

__all__ = [
    "ACCENT",
    "ALERT",
    "ALERT_HEX",
    "CHUNK",
    "FONT",
    "FONT_BOLD",
    "FONT_BOLD_ITALIC",
    "FONT_ITALIC",
    "FOOTER_SPACE",
    "HEADER_SPACE",
    "INK",
    "MARGIN",
    "MUTED",
    "RULE",
    "SHADE",
    "SPLIT_IN_ROW",
    "STACK",
    "FlowableStack",
    "MemoParagraph",
    "NumberedCanvas",
    "PageMeta",
    "Plain",
    "ReportInfo",
    "Styles",
    "build_pdf",
    "cell",
    "chunks",
    "content_width",
    "derived_style",
    "empty_note",
    "esc",
    "field_table",
    "fmt_date",
    "fmt_period",
    "grid_table",
    "heading_block",
    "page_size",
    "para",
    "paragraph",
    "printable",
    "register_fonts",
    "section_heading",
    "spacer",
    "stacked",
    "styles",
    "table_style",
]

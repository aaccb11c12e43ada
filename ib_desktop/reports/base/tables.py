"""Tables of reports: calm grids and label/value forms whose cells split well over pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

from .style import FONT, INK, MUTED, RULE, SHADE, derived_style, styles
from .text import cell, esc, paragraph


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

"""The support staircase drawn for print: a pupil's levels over the school years, and the
legend of the level colours (shared by the pupil and the group overview)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from ib_desktop.dates import school_year_bounds

from .base import FONT, MUTED, RULE, esc, styles


def level_color(value: str | None) -> colors.Color:
    """The level's colour; grey when it has none or it cannot be read."""
    try:
        return colors.HexColor(value or "#9e9e9e")
    except (ValueError, TypeError):
        return colors.HexColor("#9e9e9e")


@dataclass(frozen=True)
class Step:
    """A period on one level: from, to, the level's position, label and colour."""

    start: date
    end: date
    position: int
    label: str
    color: str


def level_timeline(
    steps: list[Step], levels: list[tuple[int, str, str]], first: date, last: date, width: float
) -> Drawing:
    """The staircase over time: a coloured block per period at the height of its level.

    Vertical lines mark the school years (1 August) with the year's label beneath, so a reader
    sees at once in which year a pupil went up or down.
    """
    top_level = max([p for p, _n, _c in levels] + [s.position for s in steps] + [1])
    left, bottom, plot_h = 14 * mm, 9 * mm, 38 * mm
    plot_w = width - left - 2 * mm
    height = bottom + plot_h + 4 * mm
    d = Drawing(width, height)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * max(0, min(span, (day - first).days)) / span

    unit = plot_h / top_level
    # level guide lines with their numbers
    for pos in range(1, top_level + 1):
        y = bottom + pos * unit
        d.add(Line(left, y, left + plot_w, y, strokeColor=RULE, strokeWidth=0.3))
        d.add(
            String(
                left - 3 * mm,
                y - unit / 2 - 3,
                str(pos),
                fontName=FONT,
                fontSize=8,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    d.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    d.add(
        String(2, bottom + plot_h + 1.5 * mm, "niveau", fontName=FONT, fontSize=7, fillColor=MUTED)
    )
    # the blocks (a level that started only days ago still shows as a visible block)
    for s in steps:
        x0, x1 = x(s.start), x(s.end)
        d.add(
            Rect(
                x0,
                bottom,
                max(x1 - x0, 1.5 * mm),
                s.position * unit,
                fillColor=level_color(s.color),
                strokeColor=colors.white,
                strokeWidth=0.4,
            )
        )
    # school years
    y_start, _ = school_year_bounds(first)
    while y_start <= last:
        y_end = date(y_start.year + 1, 7, 31)
        if y_start >= first:
            d.add(
                Line(
                    x(y_start),
                    bottom - 1.5 * mm,
                    x(y_start),
                    bottom + plot_h,
                    strokeColor=MUTED,
                    strokeWidth=0.3,
                    strokeDashArray=[1, 2],
                )
            )
        a, b = x(max(y_start, first)), x(min(y_end, last))
        if b - a > 12 * mm:
            d.add(
                String(
                    (a + b) / 2,
                    bottom - 5.5 * mm,
                    f"{y_start.year}-{y_start.year + 1}",
                    fontName=FONT,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
        y_start = date(y_start.year + 1, 8, 1)
    return d


def legend(levels: list[tuple[int, str, str]], width: float) -> Flowable:
    """A line of coloured squares with each level's number and name."""
    st = styles()
    items = []
    for pos, name, color in levels:
        items.append(f"<font color='{color}'>■</font> {pos} · {esc(name)}")
    return Paragraph("&nbsp;&nbsp;&nbsp; ".join(items), st.small)

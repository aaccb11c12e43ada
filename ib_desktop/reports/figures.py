"""The school support profile's figures as a PDF: the table, a chart, pupils per level per group.

Landscape A4, so five school years fit side by side. The bar charts are reportlab's own
(``reportlab.graphics.charts``), the same library as every other printed document.
"""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from ib_desktop.dates import long_date
from ib_desktop.services.figures import Figures, fmt_value, level_rows, table_rows

from .base import (
    FONT,
    Plain,
    ReportInfo,
    build_pdf,
    content_width,
    grid_table,
    paragraph,
    section_heading,
    spacer,
    styles,
)

BAR_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]
#: Tighter rows and centred numbers, so that the table and its charts share the first page.
COMPACT = [
    ("TOPPADDING", (0, 1), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
    ("ALIGN", (1, 1), (-1, -1), "CENTER"),
]
DEFINITIONS = (
    "Teldatum 1 oktober. Een leerling telt mee als die op of voor de teldatum is ingeschreven "
    "en niet op of voor de teldatum is vertrokken. MDO: leerlingen op de lijst van een gehouden "
    "MDO in het schooljaar. Verwijzing: vertrokken in het schooljaar naar een SBO- of SO-school. "
    "Terugplaatsing: een periode op een SBO- of SO-school die in het schooljaar eindigde. "
    "Evaluaties: korte interventies, groeidocumentdoelen en OPP-evaluaties met een einddatum in "
    "het schooljaar; te laat is later geëvalueerd of nog open na de datum."
)


def _chart(figures: Figures, keys: list[tuple[str, str]], width: float, height: float,
           title: str) -> Drawing:  # fmt: skip
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 30
    chart.width, chart.height = width - 170, height - 55
    chart.data = [[float(y.value(k)) for y in figures.years] for k, _l in keys]
    chart.categoryAxis.categoryNames = [y.label for y in figures.years]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 1
    chart.groupSpacing = 8
    for i in range(len(keys)):
        chart.bars[i].fillColor = colors.HexColor(BAR_COLORS[i % len(BAR_COLORS)])
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 130, height - 30
    legend.fontName = FONT
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(BAR_COLORS[i % len(BAR_COLORS)]), label)
        for i, (_k, label) in enumerate(keys)
    ]
    drawing.add(legend)
    drawing.add(String(30, height - 12, title, fontName=FONT, fontSize=10))
    return drawing


def figures_pdf(figures: Figures, school: str, *, today: date) -> bytes:
    """The figures of ``figures`` for ``school`` as a landscape PDF."""
    info = ReportInfo(
        title="Kengetallen schoolondersteuningsprofiel",
        footer=f"Kengetallen {school} · {long_date(today)}",
        header_right=school,
        landscape=True,
    )
    width = content_width(info)
    st = styles()
    rows = table_rows(figures)
    n = len(figures.years)
    first = width * 0.34
    story: list[Flowable] = [
        paragraph("Kengetallen schoolondersteuningsprofiel", st.title),
        paragraph(f"{school} · teldatum 1 oktober · gemaakt op {long_date(today)}", st.muted),
        spacer(3),
        grid_table(
            [str(c) for c in rows[0]],
            [[str(r[0])] + [Plain(fmt_value(c)) for c in r[1:]] for r in rows[1:]],
            [first] + [(width - first) / n] * n,
            center_from=1,
            extra_style=COMPACT,
        ),
        spacer(3),
        # The two charts side by side, so that they stay on the page with the table.
        Table(
            [
                [
                    _chart(
                        figures,
                        [("pupils", "Leerlingen"), ("opps", "Lopende OPP's"),
                         ("mdo", "Besproken in MDO")],  # fmt: skip
                        width / 2 - 4 * mm,
                        38 * mm,
                        "Leerlingen, OPP's en MDO per schooljaar",
                    ),
                    _chart(
                        figures,
                        [("on_time", "Op tijd"), ("late", "Te laat")],
                        width / 2 - 4 * mm,
                        38 * mm,
                        "Evaluaties op tijd en te laat",
                    ),
                ]
            ],
            colWidths=[width / 2, width / 2],
            style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
        ),
        spacer(2),
        paragraph(DEFINITIONS, st.muted),
    ]
    for year in reversed(figures.years):
        lv = level_rows(year, figures.levels)
        cols = len(lv[0])
        story += section_heading(
            f"Leerlingen per niveau per groep op {long_date(year.counting_date)}"
        )
        story.append(
            grid_table([str(c) for c in lv[0]], [[str(c) for c in r] for r in lv[1:]],
                       [width * 0.12] + [width * 0.88 / (cols - 1)] * (cols - 1),
                       center_from=1)  # fmt: skip
        )
    return build_pdf(info, story)

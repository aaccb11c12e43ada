"""Parts 4-8 of the printed OPP: support, factors, needs, care and the outflow perspective.

These parts are short; the document keeps each on one page (``PartRule.kept_together``).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from ib_desktop.services.opp.parts import NEED_ASPECTS, OppPart

from ..base import (
    MUTED,
    RULE,
    SPLIT_IN_ROW,
    cell,
    field_table,
    fmt_date,
    fmt_period,
    grid_table,
    paragraph,
    stacked,
    styles,
    table_style,
)
from .common import PartPrint, md, md_or_dash, part_heading, widths


def part4(pp: PartPrint) -> list[Flowable]:
    """Inzet van extra ondersteuning: the arrangement or TLV."""
    version = pp.version
    out = part_heading(OppPart.INZET)
    rows: list[tuple[str, Any]] = [
        ("Soort ondersteuning", version.arrangement_kind),
        ("Toegekend op", fmt_date(version.arrangement_granted_on)),
        ("Looptijd", fmt_period(version.arrangement_start, version.arrangement_end)),
        ("Bekostigingscategorie", version.funding_category),
        ("Bekostigd door", version.funder),
    ]
    if version.arrangement_notes.strip():
        rows.append(("Toelichting", md(version.arrangement_notes)))
    out.append(field_table(rows, pp.width))
    return out


def part5(pp: PartPrint) -> list[Flowable]:
    """Bevorderende en belemmerende factoren, side by side."""
    st = styles()
    out = part_heading(OppPart.FACTOREN)
    half = pp.width / 2
    table = Table(
        [
            [
                paragraph("Wat helpt (bevorderend)", st.cell_head),
                paragraph("Wat het moeilijker maakt (belemmerend)", st.cell_head),
            ],
            [
                stacked(md_or_dash(pp.version.promoting_factors)),
                stacked(md_or_dash(pp.version.hindering_factors)),
            ],
        ],
        colWidths=[half, half],
        splitInRow=SPLIT_IN_ROW,
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
                ("LINEBELOW", (0, 1), (-1, 1), 0.4, RULE),
                ("LINEBEFORE", (1, 0), (1, -1), 0.4, RULE),
            ]
        )
    )
    out.append(table)
    return out


def part6(pp: PartPrint) -> list[Flowable]:
    """Ondersteunings- en onderwijsbehoeften: the five aspects."""
    out = part_heading(OppPart.BEHOEFTEN)
    rows = [
        [cell(lbl, bold=True), md_or_dash(getattr(pp.version, attr))] for attr, lbl in NEED_ASPECTS
    ]
    out.append(
        grid_table(["Aspect", "Wat heeft de leerling nodig?"], rows, widths(pp.width, [0.3, 0.7]))
    )
    return out


def part7(pp: PartPrint) -> list[Flowable]:
    """Jeugdhulp, Wlz en zorgverzekering; samenwerking en regie."""
    version = pp.version
    out = part_heading(OppPart.ZORG)
    out.append(
        field_table(
            [
                ("Jeugdwet", md_or_dash(version.youth_act)),
                ("Wet langdurige zorg", md_or_dash(version.long_term_care_act)),
                ("Zorgverzekering", md_or_dash(version.health_insurance)),
                ("Samenwerking en afstemming", md_or_dash(version.coordination)),
                ("Regie bij", version.lead_by),
            ],
            pp.width,
            label_width=50 * mm,
        )
    )
    return out


def part8(pp: PartPrint) -> list[Flowable]:
    """Uitstroomperspectief en onderbouwing, with the expected level per subject."""
    st = styles()
    version = pp.version
    out = part_heading(OppPart.UITSTROOM)
    outflow = version.outflow.value if version.outflow else ""
    out.append(
        field_table(
            [
                ("Verwachte uitstroom", cell(outflow, bold=True)),
                ("Onderbouwing", md_or_dash(version.outflow_rationale)),
            ],
            pp.width,
        )
    )
    levels = version.subject_levels or {}
    if levels:
        out.append(paragraph("Verwacht niveau per vak", st.h3))
        out.append(
            grid_table(
                ["Vak", "Verwacht niveau"],
                [[str(k), str(v)] for k, v in levels.items()],
                widths(pp.width, [0.5, 0.5]),
            )
        )
    return out

"""The cover of the printed OPP: who and which version, and a reading guide for the parents."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table

from ib_desktop.models import OppVersion
from ib_desktop.services import labels
from ib_desktop.services.opp.parts import PARTS, OppPart

from ..base import (
    SHADE,
    cell,
    esc,
    field_table,
    fmt_date,
    para,
    paragraph,
    spacer,
    styles,
    table_style,
)


def version_text(version: OppVersion) -> str:
    """ "Versie 2 (vorige versie: 1, 12-03-2026)"."""
    text = f"Versie {version.number}"
    prev = version.previous_version
    if prev is not None:
        when = prev.fixed_on or prev.discussed_on
        text += f" (vorige versie: {prev.number}" + (f", {fmt_date(when)})" if when else ")")
    return text


def _facts(
    version: OppVersion, p: dict[str, Any], school_name: str, today: date
) -> list[tuple[str, Any]]:
    """The pupil, the version and its dates, as label-value rows."""
    rows: list[tuple[str, Any]] = [
        ("Leerling", cell(p.get("full_name", ""), bold=True)),
        ("Geboortedatum", fmt_date(p.get("birth_date"))),
        ("Groep", p.get("group", "")),
        ("School", p.get("school") or school_name),
        ("Versie", version_text(version)),
        ("Status", labels.label(labels.OPP_STATUS, version.status)),
    ]
    for label, day in (
        ("Besproken met ouders", version.discussed_on),
        ("Vastgesteld op", version.fixed_on),
        ("Geëvalueerd op", version.evaluated_on),
        ("Volgende evaluatie", version.next_evaluation_on),
    ):
        if day:
            rows.append((label, fmt_date(day)))
    rows.append(("Afgedrukt op", fmt_date(today)))
    return rows


def _guide(width: float) -> Table:
    """How to read the plan: the 13 parts, and where the parents' consent comes in."""
    st = styles()
    guide: list[Any] = [
        paragraph("Zo leest u dit plan", st.h2),
        para(
            "In dit ontwikkelingsperspectiefplan (OPP) staat wat uw kind nodig heeft om zich "
            "goed te ontwikkelen, welke doelen school en ouders samen stellen en hoe we daaraan "
            "werken. Het plan heeft dertien delen:"
        ),
    ]
    contents = [[cell(f"{part.number}.", muted=True), cell(part.title)] for part in PARTS]
    toc = Table(contents, colWidths=[10 * mm, width - 20 * mm])
    toc.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    goals = OppPart.HANDELINGSDEEL
    guide += [
        toc,
        spacer(3),
        para(
            f"<b>Deel {goals.number} ({esc(goals.title)})</b> beschrijft de doelen voor de komende "
            "periode. Voor dit deel vragen wij uw toestemming; u tekent op de laatste pagina. Bent "
            "u het ergens niet mee eens, of ziet u het anders? Zeg het ons: uw mening komt in "
            "deel 11.",
            markup=True,
        ),
    ]
    box = Table([[guide]], colWidths=[width])
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
            ]
        )
    )
    return box


def cover(
    version: OppVersion, snap: dict[str, Any], school_name: str, width: float, today: date
) -> list[Flowable]:
    """The first page: title, the facts of this version, and the reading guide."""
    st = styles()
    p = snap.get("pupil", {})
    return [
        spacer(10),
        paragraph("Ontwikkelingsperspectiefplan", st.title),
        paragraph(esc(p.get("full_name", "")), st.subtitle),
        field_table(_facts(version, p, school_name, today), width),
        spacer(10),
        _guide(width),
        PageBreak(),
    ]

"""Parts 1-3 of the printed OPP: the pupil file as the version shows it (frozen once fixed)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from reportlab.platypus import Flowable, Paragraph

from ib_desktop.models import ParentView
from ib_desktop.services import labels
from ib_desktop.services.opp.parts import OppPart

from ..base import (
    cell,
    empty_note,
    esc,
    field_table,
    fmt_date,
    fmt_period,
    grid_table,
    paragraph,
    spacer,
    styles,
)
from .common import PartPrint, md, md_or_dash, part_heading, widths

SENSITIVE_LINE = "vertrouwelijk onderzoek, niet afgedrukt"


def _guardians(snap: dict[str, Any], width: float) -> Flowable:
    guardians = snap.get("guardians", [])
    if not guardians:
        return empty_note("Geen ouders of verzorgers vastgelegd.")
    return grid_table(
        ["Naam", "Relatie", "Gezag", "Telefoon", "Adres"],
        [
            [
                g.get("name", ""),
                g.get("relation", ""),
                "ja" if g.get("has_custody") else "nee",
                g.get("phone", ""),
                g.get("address", ""),
            ]
            for g in guardians
        ],
        widths(width, [0.27, 0.13, 0.09, 0.17, 0.34]),
    )


def _care(snap: dict[str, Any], width: float) -> Flowable:
    care = snap.get("care_providers", [])
    if not care:
        return empty_note("Geen hulpverlening vastgelegd.")
    return grid_table(
        ["Bij", "Organisatie", "Contactpersoon", "Soort hulp", "Periode"],
        [
            [
                labels.label(labels.CARE_SCOPE, c.get("scope")),
                c.get("organisation", ""),
                c.get("contact_name", ""),
                c.get("kind", ""),
                fmt_period(c.get("start_date"), c.get("end_date")),
            ]
            for c in care
        ],
        widths(width, [0.16, 0.24, 0.2, 0.17, 0.23]),
    )


def part1(pp: PartPrint) -> list[Flowable]:
    """Algemene gegevens: the pupil, the guardians, the family and the care providers."""
    st = styles()
    p = pp.snap.get("pupil", {})
    out: list[Flowable] = part_heading(OppPart.ALGEMEEN)
    out.append(
        field_table(
            [
                ("Naam", cell(p.get("full_name", ""), bold=True)),
                ("Geboortedatum", fmt_date(p.get("birth_date"))),
                ("Groep", p.get("group", "")),
                ("School", p.get("school", "")),
                ("Ingeschreven op", fmt_date(p.get("enrolled_on"))),
            ],
            pp.width,
        )
    )
    out.append(paragraph("Ouders en verzorgers", st.h2))
    out.append(_guardians(pp.snap, pp.width))
    out.append(paragraph("Gezinssituatie", st.h2))
    out += md(p.get("family_composition"), st.body) or [empty_note()]
    out.append(paragraph("Hulpverlening", st.h2))
    out.append(_care(pp.snap, pp.width))
    if pp.version.general_notes.strip():
        out.append(paragraph("Toelichting", st.h2))
        out += md(pp.version.general_notes, st.body)
    return out


def part2(pp: PartPrint) -> list[Flowable]:
    """Verloop van de schoolloopbaan: the first school day, the schools, and the notes."""
    st = styles()
    version, width = pp.version, pp.width
    p = pp.snap.get("pupil", {})
    out = part_heading(OppPart.SCHOOLLOOPBAAN)
    out.append(field_table([("Eerste schooldag", fmt_date(p.get("first_school_day")))], width))
    history = pp.snap.get("school_history", [])
    if history:
        out.append(spacer(2))
        out.append(
            grid_table(
                ["Periode", "School of instelling", "Van – tot", "Toelichting"],
                [
                    [
                        labels.label(labels.HISTORY_KIND, h.get("kind")),
                        h.get("institution", ""),
                        fmt_period(h.get("start_date"), h.get("end_date")),
                        h.get("notes", ""),
                    ]
                    for h in history
                ],
                widths(width, [0.2, 0.3, 0.28, 0.22]),
            )
        )
    if version.school_career_notes.strip():
        out += [spacer(2), *md(version.school_career_notes, st.body)]
    elif not history:
        out.append(empty_note())
    return out


def _parent_views(pp: PartPrint) -> dict[int, list[Any]]:
    """Zienswijze ouders per assessment id of the pupil (issue 19), oldest first."""
    views = pp.session.scalars(
        sa.select(ParentView)
        .where(ParentView.pupil_id == pp.version.opp.pupil_id, ParentView.entity == "assessment")
        .order_by(ParentView.given_on, ParentView.id)
    ).all()
    out: dict[int, list[Any]] = {}
    for v in views:
        out.setdefault(v.entity_id, []).append(v)
    return out


def _conclusion_with_views(text: str | None, views: list[Any]) -> list[Flowable] | Paragraph:
    """The conclusion, and under it the parents' own view on it, as the file shows them."""
    flow = md_or_dash(text)
    if not views:
        return flow
    out = list(flow) if isinstance(flow, list) else [flow]
    for v in views:
        out.append(
            paragraph(
                f"<i>Zienswijze ouders ({esc(v.guardian_name)}, {fmt_date(v.given_on)}):</i> "
                f"{esc(v.text)}",
                styles().cell,
            )
        )
    return out


def part3(pp: PartPrint) -> list[Flowable]:
    """Onderzoek en diagnostiek; a sensitive assessment only when asked for.

    The parents' own view on a report (zienswijze ouders) is printed under its conclusion.
    """
    st = styles()
    out = part_heading(OppPart.ONDERZOEK)
    views = _parent_views(pp)
    rows: list[list[Any]] = []
    extra: list[tuple] = []
    for a in pp.snap.get("assessments", []):
        if a.get("sensitive") and not pp.include_sensitive:
            extra.append(("SPAN", (1, len(rows) + 1), (-1, len(rows) + 1)))
            rows.append([fmt_date(a.get("date")), paragraph(esc(SENSITIVE_LINE), st.muted), "", ""])
            continue
        rows.append(
            [
                fmt_date(a.get("date")),
                a.get("kind", ""),
                a.get("performed_by", ""),
                _conclusion_with_views(a.get("conclusion"), views.get(a.get("id") or 0, [])),
            ]
        )
    if rows:
        out.append(
            grid_table(
                ["Datum", "Onderzoek", "Door", "Belangrijkste conclusies"],
                rows,
                widths(pp.width, [0.17, 0.25, 0.2, 0.38]),
                extra_style=extra,
            )
        )
    if pp.version.assessment_notes.strip():
        out += [spacer(2), *md(pp.version.assessment_notes, st.body)]
    elif not rows:
        out.append(empty_note("Geen onderzoek vastgelegd."))
    return out

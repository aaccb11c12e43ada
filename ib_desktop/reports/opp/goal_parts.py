"""Parts 9-12 of the printed OPP: the goals, the adjustments, the views and the evaluation."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Paragraph

from ib_desktop.models import OppVersion
from ib_desktop.services import labels
from ib_desktop.services.opp.parts import OppPart

from ..base import cell, empty_note, esc, fmt_date, grid_table, para, paragraph, styles
from .common import PartPrint, md, md_or_dash, part_heading, widths


def part9(pp: PartPrint) -> list[Flowable]:
    """Handelingsdeel: the goals with their tussendoelen and evaluation dates."""
    version = pp.version
    out = part_heading(OppPart.HANDELINGSDEEL)
    out.append(
        para(
            "Dit zijn de doelen voor de komende periode, met de tussenstappen en de datum "
            "waarop we samen kijken hoe het gaat.",
            styles().muted,
        )
    )
    if not version.goals:
        out.append(empty_note("Nog geen doelen vastgelegd."))
        return out
    rows = [
        [
            cell(g.area, bold=True),
            md_or_dash(g.goal),
            md_or_dash(g.intermediate_goals),
            fmt_date(g.evaluation_date),
        ]
        for g in version.goals
    ]
    out.append(
        grid_table(
            ["Gebied", "Doel", "Tussendoelen", "Evaluatie op"],
            rows,
            widths(pp.width, [0.23, 0.31, 0.31, 0.15]),
        )
    )
    return out


def part10(pp: PartPrint) -> list[Flowable]:
    """Aanpassingen van het reguliere programma."""
    adjustments = md(pp.version.adjustments, styles().body)
    return part_heading(OppPart.AANPASSINGEN) + (adjustments or [empty_note()])


def _conversations(version: OppVersion, width: float) -> Flowable:
    return grid_table(
        ["Datum", "Aanwezig", "Belangrijkste punten"],
        [[fmt_date(c.date), c.participants, md_or_dash(c.summary)] for c in version.conversations],
        widths(width, [0.18, 0.27, 0.55]),
    )


def _consents(version: OppVersion, width: float) -> Flowable:
    rows = []
    for c in version.consents:
        answer = "Toestemming gegeven" if c.consent else "Geen toestemming"
        rows.append([c.guardian_name, answer, fmt_date(c.date), md_or_dash(c.view)])
    return grid_table(
        ["Ouder/verzorger", "Besluit", "Datum", "Zienswijze"],
        rows,
        widths(width, [0.27, 0.2, 0.18, 0.35]),
    )


def part11(pp: PartPrint) -> list[Flowable]:
    """Zienswijze van ouders en leerling, the conversations and the answers to consent."""
    st = styles()
    version = pp.version
    out = part_heading(OppPart.ZIENSWIJZE)
    out.append(paragraph("Zienswijze van de ouders of verzorgers", st.h2))
    out += md(version.parents_view, st.body) or [empty_note()]
    out.append(paragraph("Wat de leerling zelf zegt", st.h2))
    out += md(version.pupil_view, st.body) or [empty_note()]
    if version.conversations:
        out.append(paragraph("Gesprekken", st.h2))
        out.append(_conversations(version, pp.width))
    if version.consents:
        out.append(paragraph("Toestemming voor het handelingsdeel", st.h2))
        out.append(_consents(version, pp.width))
    return out


def _result(goal: Any) -> list[Flowable] | Paragraph:
    flow: list[Flowable] = []
    if goal.outcome:
        flow.append(paragraph(esc(labels.label(labels.OUTCOME, goal.outcome)), styles().cell_bold))
    flow += md(goal.result)
    return flow or cell("")


def _compared(version: OppVersion, prev: OppVersion, width: float) -> list[Flowable]:
    """The previous version's goals, their results, and this version's goal per area."""
    if prev.evaluated_on:
        when = f" (geëvalueerd op {fmt_date(prev.evaluated_on)})"
    elif prev.fixed_on:
        when = f" (vastgesteld op {fmt_date(prev.fixed_on)})"
    else:
        when = ""
    title = f"Vergeleken met versie {prev.number}{when}"
    current = {g.area: g for g in version.goals}
    rows = []
    used: set[str] = set()
    for g in prev.goals:
        now = current.get(g.area)
        used.add(g.area)
        rows.append(
            [
                cell(g.area, bold=True),
                md_or_dash(g.goal),
                _result(g),
                md_or_dash(now.goal if now else ""),
            ]
        )
    for g in version.goals:
        if g.area not in used:
            rows.append([cell(g.area, bold=True), cell(""), cell(""), md_or_dash(g.goal)])
    return [
        paragraph(esc(title), styles().h2),
        grid_table(
            [
                "Gebied",
                f"Doel in versie {prev.number}",
                "Resultaat",
                f"Doel in versie {version.number}",
            ],
            rows,
            widths(width, [0.22, 0.26, 0.26, 0.26]),
        ),
    ]


def part12(pp: PartPrint) -> list[Flowable]:
    """Evaluatie: the evaluation, compared with the previous version, and this one's results."""
    st = styles()
    version = pp.version
    out = part_heading(OppPart.EVALUATIE)
    if version.evaluation.strip():
        out += md(version.evaluation, st.body)
    prev = version.previous_version
    if prev is not None:
        out += _compared(version, prev, pp.width)
    elif not version.evaluation.strip():
        out.append(
            empty_note(
                "Dit is de eerste versie van het OPP; er is nog geen eerdere versie om mee "
                "te vergelijken."
            )
        )
    if any(g.result or g.outcome for g in version.goals):
        out.append(paragraph(f"Resultaten van versie {version.number}", st.h2))
        out.append(
            grid_table(
                ["Gebied", "Doel", "Resultaat"],
                [[cell(g.area, bold=True), md_or_dash(g.goal), _result(g)] for g in version.goals],
                widths(pp.width, [0.23, 0.36, 0.41]),
            )
        )
    return out

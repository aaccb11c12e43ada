"""The import report for the command line, and the rejected rows as a CSV file to fix."""

from __future__ import annotations

import os
from pathlib import Path

from ib_desktop.dates import short_date
from ib_desktop.importer.apply import ImportResult
from ib_desktop.importer.columns import describe_mapping
from ib_desktop.importer.plan_items import ImportPlan
from ib_desktop.spreadsheet_safety import write_csv

SECTION_LABELS = {
    "nieuw": "Nieuw",
    "gewijzigd": "Gewijzigd",
    "ongewijzigd": "Ongewijzigd",
    "vertrekt": "Vertrekt",
    "afgewezen": "Afgewezen",
}


def write_rejected_csv(plan: ImportPlan, path: str | os.PathLike[str]) -> Path:
    """Write the rejected rows (row number, reason, the row as it was) to a CSV to fix.

    UTF-8 with a BOM and semicolons: what Excel on a Dutch laptop opens without asking. A
    value that would be a formula in Excel ("=1+1") is written as text.
    """
    rows: list[list[object]] = [["Rij", "Reden", *plan.headers]]
    for r in plan.rejected:
        values = list(r.values) + [""] * (len(plan.headers) - len(r.values))
        rows.append([r.row, r.reason, *values[: len(plan.headers)]])
    return write_csv(path, rows)


def _some(names: list[str], limit: int = 12) -> str:
    """"a, b, c" or "a, b, ... (en nog 28)" so that one line stays readable."""
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", ... (en nog {len(names) - limit})"


def format_report(
    plan: ImportPlan,
    *,
    result: ImportResult | None = None,
    dry_run: bool = False,
    max_lines: int = 50,
) -> str:
    """The plain-text report: source, counts, rejected rows with reasons, proposed leavers."""
    out: list[str] = []
    out.append(f"Bestand:     {plan.path.name} ({plan.source}, {plan.rows_read} rijen)")
    out.append(f"Schooljaar:  {plan.school_year}")
    out.append("Kolommen:    " + "; ".join(describe_mapping(plan.headers, plan.mapping)))
    out.append("")
    counts = plan.counts
    width = max(len(v) for v in SECTION_LABELS.values()) + 1
    for key, label in SECTION_LABELS.items():
        line = f"  {label + ':':<{width}} {counts[key]:>6}"
        if key == "vertrekt" and counts[key]:
            if result is not None:
                line += f"  (als vertrokken gemarkeerd: {result.left})"
            else:
                line += "  (voorgesteld; bevestig met --confirm-leavers)"
        out.append(line)
    if plan.new_groups:
        out.append("  Nieuwe groepen:      " + _some([g.name for g in plan.new_groups]))
    if plan.new_teachers:
        out.append("  Nieuwe leerkrachten: " + _some([t.full_name for t in plan.new_teachers]))
    for warning in plan.warnings:
        out.append("")
        out.append(f"Let op: {warning}")
    if plan.rejected:
        out.append("")
        out.append("Afgewezen rijen (niet geïmporteerd):")
        for r in plan.rejected[:max_lines]:
            out.append(f"  rij {r.row}: {r.reason}")
        if len(plan.rejected) > max_lines:
            out.append(
                f"  ... en nog {len(plan.rejected) - max_lines}; schrijf ze allemaal weg met "
                "--rejected-out BESTAND.csv"
            )
    if plan.changed:
        out.append("")
        out.append("Gewijzigd:")
        for c in plan.changed[:max_lines]:
            out.append(f"  rij {c.row}: {c.name}: {c.summary}")
        if len(plan.changed) > max_lines:
            out.append(f"  ... en nog {len(plan.changed) - max_lines}")
    if plan.twins:
        out.append("")
        out.append(
            "Twijfel: zelfde leerling of niet? (niet ingelezen tot u beslist; geef per "
            "leerlingnummer uit het bestand --same-pupil NUMMER of --other-pupil NUMMER)"
        )
        for t in plan.twins[:max_lines]:
            out.append(f"  {t.description}")
        if len(plan.twins) > max_lines:
            out.append(f"  ... en nog {len(plan.twins) - max_lines}")
    if plan.leavers:
        out.append("")
        when = short_date(plan.left_on) if plan.left_on else short_date(plan.today)
        out.append(
            f"Niet meer in het bestand (voorgesteld als vertrokken per {when}, of kies een "
            "datum met --left-on):"
        )
        for lv in plan.leavers[:max_lines]:
            group = f"groep {lv.group_name}, " if lv.group_name else ""
            out.append(f"  {lv.name} ({group}geboren {short_date(lv.birth_date)})")
        if len(plan.leavers) > max_lines:
            out.append(f"  ... en nog {len(plan.leavers) - max_lines}")
    out.append("")
    if dry_run:
        out.append("Proefimport (--dry-run): er is niets gewijzigd.")
    elif result is not None:
        out.append(
            f"Geïmporteerd: {result.created} nieuw, {result.updated} bijgewerkt, "
            f"{result.left} als vertrokken gemarkeerd, {result.groups_created} nieuwe groepen, "
            f"{result.teachers_created} nieuwe leerkrachten."
        )
    return "\n".join(out)

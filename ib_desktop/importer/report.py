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
    """ "a, b, c" or "a, b, ... (en nog 28)" so that one line stays readable."""
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
    out: list[str] = [
        f"Bestand:     {plan.path.name} ({plan.source}, {plan.rows_read} rijen)",
        f"Schooljaar:  {plan.school_year}",
        "Kolommen:    " + "; ".join(describe_mapping(plan.headers, plan.mapping)),
        "",
    ]
    out += _counts(plan, result)
    for warning in plan.warnings:
        out += ["", f"Let op: {warning}"]
    if plan.rejected:
        out += _listed(
            "Afgewezen rijen (niet geïmporteerd):",
            [f"  rij {r.row}: {r.reason}" for r in plan.rejected[:max_lines]],
            len(plan.rejected),
            max_lines,
            "; schrijf ze allemaal weg met --rejected-out BESTAND.csv",
        )
    if plan.changed:
        out += _listed(
            "Gewijzigd:",
            [f"  rij {c.row}: {c.name}: {c.summary}" for c in plan.changed[:max_lines]],
            len(plan.changed),
            max_lines,
        )
    if plan.twins:
        out += _listed(
            "Twijfel: zelfde leerling of niet? (niet ingelezen tot u beslist; geef per "
            "leerlingnummer uit het bestand --same-pupil NUMMER of --other-pupil NUMMER)",
            [f"  {t.description}" for t in plan.twins[:max_lines]],
            len(plan.twins),
            max_lines,
        )
    if plan.leavers:
        out += _leavers(plan, max_lines)
    out.append("")
    out += _outcome(result, dry_run)
    return "\n".join(out)


def _counts(plan: ImportPlan, result: ImportResult | None) -> list[str]:
    """A line per section with its number, and the new groups and teachers."""
    out = []
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
    return out


def _listed(
    heading: str, lines: list[str], total: int, max_lines: int, more: str = ""
) -> list[str]:
    """A blank line, the heading, the first lines and how many more there are."""
    out = ["", heading, *lines]
    if total > max_lines:
        out.append(f"  ... en nog {total - max_lines}{more}")
    return out


def _leavers(plan: ImportPlan, max_lines: int) -> list[str]:
    when = short_date(plan.left_on) if plan.left_on else short_date(plan.today)
    lines = []
    for lv in plan.leavers[:max_lines]:
        group = f"groep {lv.group_name}, " if lv.group_name else ""
        lines.append(f"  {lv.name} ({group}geboren {short_date(lv.birth_date)})")
    return _listed(
        f"Niet meer in het bestand (voorgesteld als vertrokken per {when}, of kies een "
        "datum met --left-on):",
        lines,
        len(plan.leavers),
        max_lines,
    )


def _outcome(result: ImportResult | None, dry_run: bool) -> list[str]:
    if dry_run:
        return ["Proefimport (--dry-run): er is niets gewijzigd."]
    if result is not None:
        return [
            f"Geïmporteerd: {result.created} nieuw, {result.updated} bijgewerkt, "
            f"{result.left} als vertrokken gemarkeerd, {result.groups_created} nieuwe groepen, "
            f"{result.teachers_created} nieuwe leerkrachten."
        ]
    return []

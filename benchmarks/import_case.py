"""Case 7 in process: read, map, plan and apply an export the way ``ib-desktop import`` does."""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import TODAY


def run_import(db, export: Path) -> str:
    """Import ``export`` into the school of ``db``; returns a short summary for the table."""
    from ib_desktop.importer import apply_plan, build_plan, initial_mapping, read_table
    from ib_desktop.services.school import get_school

    table = read_table(export)
    with db.session() as s:
        school_id = get_school(s).id
        mapping, _ = initial_mapping(s, table.headers)
        plan = build_plan(s, table, mapping, school_id=school_id, today=TODAY, full_export=True)
        s.rollback()
    result = apply_plan(db, plan, confirmed_leavers=[])
    return f"{len(plan.new)} nieuw, {len(plan.rejected)} afgewezen" + ("" if result else "")

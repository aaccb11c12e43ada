"""Screenshot steps: Instellingen > Groepen en medewerkers, with group 5/6 chosen
(see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    window.show_page("instellingen")
    tab = window.page("instellingen").tab("Groepen en medewerkers")
    model = tab.groups_model
    rows = [r for r in range(model.rowCount()) if "/" in (model.index(r, 0).data() or "")]
    tab.groups_table.selectRow(rows[0] if rows else 0)
    tab.staff_table.selectRow(0)
    return None

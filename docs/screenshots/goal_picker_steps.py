"""Screenshot steps: a groeidocument with the goal picker open on "tafels" (Ctrl+Shift+D)
(see tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    import sqlalchemy as sa

    from ib_desktop.models import GrowthDocument
    from ib_desktop.services import writing
    from ib_desktop.services.school import development_areas
    from ib_desktop.ui.plans import growth_editor
    from ib_desktop.ui.writing.goal_picker import GoalPickerDialog

    with ctx.db.session() as s:
        doc_id = s.scalars(sa.select(GrowthDocument.id).order_by(GrowthDocument.id)).first()
    editor = growth_editor.open_editor(ctx, window, doc_id=doc_id)
    editor.move(0, 0)
    editor.resize(1366, 740)
    editor.show()
    page = editor.tabs.currentWidget()
    cell = page.cells.get("Rekenen") or next(iter(page.cells.values()))
    cell.goal_edit.setFocus()
    with ctx.db.session() as s:
        goals = writing.load_goal_bank(s, ctx.school_id)
        areas = development_areas(s, ctx.school_id)
        grades = writing.pupil_grades(s, editor.data.pupil_id)
    dialog = GoalPickerDialog(goals, areas, area=None, grades=grades, parent=editor)
    dialog.grade_check.setChecked(False)
    dialog.search.setText("tafels")
    dialog.move(270, 110)
    dialog.show()
    window._keep = (editor, dialog)  # noqa: SLF001 - keep them alive until the shot
    return None

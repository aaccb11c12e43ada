"""Screenshot steps: the preview of the move to a new school year (see tools/screenshot.py)."""

def setup(window, ctx, app):
    from ib_desktop.services import school_year as sy
    from ib_desktop.ui.school_year_move import SchoolYearMoveDialog

    window.show_page("instellingen")
    window.page("instellingen").tab("Groepen en medewerkers")
    with ctx.db.session() as s:
        plan = sy.plan_move(s, ctx.school_id)
    d = SchoolYearMoveDialog(ctx, plan, window)
    d.show()
    d.move(200, 60)
    return None

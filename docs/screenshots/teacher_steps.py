"""Screenshot steps: the main window as a teacher's account (one group), on the group overview,
and (``TEACHER_SHOT=file``) their pupil file with the care buttons disabled (see
tools/screenshot.py)."""

from __future__ import annotations


def setup(window, ctx, app):  # noqa: ANN001, ANN201 - called by tools/screenshot.py
    import os

    import sqlalchemy as sa

    from ib_desktop.models import Group, Pupil, SchoolYear, group_teachers
    from ib_desktop.services import accounts
    from ib_desktop.ui.context import AppContext
    from ib_desktop.ui.main_window import MainWindow

    today = ctx.today()
    with ctx.db.session() as s:
        year = s.scalar(
            sa.select(SchoolYear.id).where(
                SchoolYear.start_date <= today, SchoolYear.end_date >= today
            )
        )
        staff_id, group_id = s.execute(
            sa.select(group_teachers.c.staff_id, sa.func.min(group_teachers.c.group_id))
            .join(Group, Group.id == group_teachers.c.group_id)
            .where(Group.school_year_id == year)
            .group_by(group_teachers.c.staff_id)
            .having(sa.func.count() == 1)
            .order_by(group_teachers.c.staff_id)
        ).first()
        if not s.scalar(sa.select(sa.func.count()).select_from(accounts.manage.Account)):
            accounts.add_account(s, ctx.school_id, "beheer1", "beheer", "Voorbeeld-2026")
        accounts.add_account(s, ctx.school_id, "juf.voorbeeld", "leerkracht", "Voorbeeld-2026",
                             staff=str(staff_id))  # fmt: skip
        access = accounts.sign_in(s, "juf.voorbeeld", "Voorbeeld-2026")
        pupil_id = s.scalar(sa.select(Pupil.id).where(Pupil.group_id == group_id))
    teacher_ctx = AppContext(db=ctx.db, school_id=ctx.school_id, access=access)
    window.hide()
    teacher = MainWindow(teacher_ctx)
    teacher.resize(window.size())
    teacher.move(0, 0)
    teacher.show()
    teacher.show_page("groepen")
    if os.environ.get("TEACHER_SHOT") == "file":
        teacher.open_pupil(pupil_id)
    app._keep = teacher  # noqa: SLF001 - alive until the grab
    return None

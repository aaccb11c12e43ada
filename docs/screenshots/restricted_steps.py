"""Screenshot steps (tools/screenshot.py --script): the pupil file with a restricted report.

``IB_SHOT=teacher`` opens the file as a teacher account (the report blanked, its dialog
read-only); ``IB_SHOT=release`` shows the IB-er's assessment dialog with the release to the SWV;
``IB_SHOT=viewlog`` opens it as the IB-er on the "Wie zag wat" tab after a teacher
opened and printed it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa

from ib_desktop.domain_types import AccountRole, StaffRole
from ib_desktop.models import Assessment
from ib_desktop.services import view_log
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.pupil_file.shell import PupilFileWindow


@dataclass(frozen=True)
class AccountUser:
    staff_id: int
    name: str
    role: StaffRole
    login: str
    account_role: AccountRole


def setup(window, ctx, app):
    with ctx.db.session() as s:
        report = s.scalars(
            sa.select(Assessment).where(Assessment.sensitive).order_by(Assessment.id)
        ).first()
        pupil_id = report.pupil_id
        report_id = report.id
    shot = os.environ.get("IB_SHOT", "teacher")
    teacher = AppContext(
        db=ctx.db, school_id=ctx.school_id,
        user=AccountUser(1, "Bram Visser", StaffRole.LEERKRACHT, "bvisser", AccountRole.LEERKRACHT),
    )  # fmt: skip
    if shot == "release":
        from ib_desktop.services import pupil as pf
        from ib_desktop.ui.pupil_file.child_dialogs import AssessmentDialog

        with ctx.db.session() as s:
            file = pf.load_pupil_file(s, pupil_id, today=ctx.today())
            mother = next(g for g in file.guardians if g.has_custody)
            data = pf.load_assessment(s, pupil_id, report_id)
            data.swv_released_on, data.swv_guardian_id = ctx.today(), mother.id
            pf.save_assessment(s, pupil_id, data, today=ctx.today(), actor="Marieke de Boer")
        dialog = AssessmentDialog(window, ctx, pupil_id, report_id)
        dialog.load()
        dialog.move(300, 60)
        dialog.show()
        return dialog
    if shot == "teacher":
        w = PupilFileWindow(teacher, window, pupil_id)
        w.resize(1366, 768)
        w.move(0, 0)
        w.show()
        tab = w.record_tabs["assessments"]
        w.tabs.setCurrentWidget(tab)
        tab.select_where(lambda a: a.id == report_id)
        return None
    with ctx.db.session() as s:
        view_log.record_view(s, pupil_id, view_log.OPENED, "leerlingdossier",
                             actor="Bram Visser", login="bvisser")  # fmt: skip
        view_log.record_view(s, pupil_id, view_log.PRINTED, "Eén pagina voor overleg",
                             actor="Bram Visser", login="bvisser")  # fmt: skip
        view_log.record_view(s, pupil_id, view_log.PRINTED, "OPP (ib-desktop print)",
                             actor="mdeboer", login="mdeboer")  # fmt: skip
    w = PupilFileWindow(ctx, window, pupil_id)
    w.resize(1366, 768)
    w.move(0, 0)
    w.show()
    w.tabs.setCurrentWidget(w.view_log_tab)
    return None

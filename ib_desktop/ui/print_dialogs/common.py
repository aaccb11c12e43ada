"""What the print dialogs share: the groups and staff to choose from, a progress dialog that
can be cancelled, the count of OPPs in words, the message of a failed print."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.ui.context import AppContext

FOLDER_SETTING = "print/last_folder"


def _groups_and_staff(ctx: AppContext) -> tuple[list[tuple[int, str, int]], list[tuple[int, str]]]:
    """(id, name, running OPPs) of the current groups and (id, "name (role)") of active staff."""
    import sqlalchemy as sa

    from ib_desktop.models import Opp, Pupil, PupilStatus
    from ib_desktop.reports.batch import active_staff, current_groups

    roles = {
        "ib": "IB-er",
        "leerkracht": "leerkracht",
        "directie": "directie",
        "onderwijsassistent": "onderwijsassistent",
        "overig": "overig",
    }
    with ctx.db.session() as s:
        groups = current_groups(s, ctx.school_id, ctx.today())
        counts = dict(
            s.execute(
                sa.select(Pupil.group_id, sa.func.count(sa.distinct(Pupil.id)))
                .join(Opp, Opp.pupil_id == Pupil.id)
                .where(Pupil.status != PupilStatus.VERTROKKEN, Opp.end_date.is_(None))
                .group_by(Pupil.group_id)
            ).all()
        )
        staff = [
            (st.id, f"{st.full_name} ({roles.get(st.role.value, st.role.value)})")
            for st in active_staff(s, ctx.school_id)
        ]
        return [(g.id, g.name, int(counts.get(g.id, 0))) for g in groups], staff


def run_with_progress(
    parent: QWidget | None, label: str, build: Callable[[Callable[[int], bool]], bytes]
) -> bytes | None:
    """Build a long PDF with a busy progress dialog; None when the user cancelled.

    ``build`` gets a callback to call for each new page; it returns False once "Annuleren" was
    pressed, and the report stops.
    """
    from ib_desktop.reports import BuildCancelled

    dialog = QProgressDialog(
        label, QCoreApplication.translate("print_dialogs", "Annuleren"), 0, 0, parent
    )
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(page: int) -> bool:
        dialog.setLabelText(
            QCoreApplication.translate("print_dialogs", "%s\nPagina %d wordt opgemaakt…")
            % (label, page)
        )
        QApplication.processEvents()
        return not dialog.wasCanceled()

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return build(progress)
    except BuildCancelled:
        return None
    finally:
        QApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()


def _opp_count(n: int) -> str:
    """ "geen OPP", "1 OPP", "4 OPP's"."""
    if n == 0:
        return QCoreApplication.translate("print_dialogs", "geen OPP")
    return (
        QCoreApplication.translate("print_dialogs", "1 OPP")
        if n == 1
        else QCoreApplication.translate("print_dialogs", "%d OPP's") % n
    )


def _report_failed(parent: QWidget | None, exc: Exception) -> None:
    QMessageBox.warning(
        parent,
        APP_NAME,
        QCoreApplication.translate("print_dialogs", "Afdrukken is niet gelukt: %s") % str(exc),
    )

"""The "Wie zag wat" tab of the pupil file: who opened, printed or exported this file (issue 19).

Shown to a role that reads restricted content only (the IB-er, the directie; everyone with
accounts off); a teacher's pupil file has no such tab and the service refuses them anyway.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ib_desktop.dates import short_date
from ib_desktop.ui.pupil_file.record_table import RecordTab, column

VIEW_LOG_COLUMNS = [
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Wanneer"),
        lambda r: f"{short_date(r.at.date())} {r.at:%H:%M}",
        lambda r: r.at,
    ),
    column(QT_TRANSLATE_NOOP("RecordTable", "Wie"), lambda r: r.actor),
    column(QT_TRANSLATE_NOOP("RecordTable", "Login"), lambda r: r.login),
    column(
        QT_TRANSLATE_NOOP("RecordTable", "Wat"),
        lambda r: QCoreApplication.translate("ViewLog", _label(r.action)),
    ),
    column(QT_TRANSLATE_NOOP("RecordTable", "Omschrijving"), lambda r: r.what),
]


def _label(action: str) -> str:
    from ib_desktop.services.view_log import ACTION_LABELS

    return ACTION_LABELS.get(action, action)


class ViewLogMixin:
    """The view log tab of :class:`PupilFileWindow`; owns ``view_log_tab`` (None when hidden).

    Uses the window's ``tabs`` and ``pupil_id``; :meth:`_fill_view_log` runs in the window's
    reload session.
    """

    def _build_view_log(self, shown: bool) -> None:
        self.view_log_tab: RecordTab | None = None
        if not shown:
            return
        tab = RecordTab(
            VIEW_LOG_COLUMNS,
            add_text="",
            name="view-log",
            intro=QCoreApplication.translate(
                "PupilFileWindow",
                "Wie dit dossier opende, afdrukte of exporteerde. Deze regels worden nooit "
                "gewijzigd; ze verdwijnen pas met het hele dossier na de bewaartermijn.",
            ),
            sort_column=0,
            descending=True,
        )
        for button in (tab.add_button, tab.edit_button, tab.remove_button):
            button.hide()
        self.view_log_tab = tab
        self.tabs.addTab(tab, QCoreApplication.translate("PupilFileWindow", "Wie zag wat"))  # type: ignore[attr-defined]

    def _fill_view_log(self, session: Any, role: Any) -> None:
        if self.view_log_tab is None:
            return
        from ib_desktop.services.view_log import pupil_view_log

        rows = pupil_view_log(session, self.pupil_id, role=role)  # type: ignore[attr-defined]
        self.view_log_tab.set_rows(
            rows,
            QCoreApplication.translate(
                "PupilFileWindow", "Nog niemand heeft dit dossier ingezien."
            ),
        )

"""The dialogs of Instellingen > Vakanties: one holiday, and the preview of a loaded calendar.

:class:`HolidayDialog` adds or changes one holiday and saves it at once; the import dialog shows
what a loaded file would add, change and remove before anything is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import weekday_date
from ib_desktop.models import Region
from ib_desktop.services import holidays as hol
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.forms import ErrorMap, date_edit, from_qdate, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationErrors

COMMON_NAMES = [
    "Herfstvakantie",
    "Kerstvakantie",
    "Voorjaarsvakantie",
    "Meivakantie",
    "Zomervakantie",
    "Studiedag",
    "Vrije dag",
    *hol.NATIONAL_DAY_NAMES,
]


class HolidayDialog(QDialog):
    """Add or change one holiday; the Dutch error shows beside the field that is wrong."""

    def __init__(
        self,
        ctx: AppContext,
        region: Region,
        holiday: hol.HolidaySpec | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.region = region
        self.holiday = holiday
        self.saved: hol.HolidaySpec | None = None
        self.setWindowTitle(
            self.tr("Vakantie wijzigen") if holiday else self.tr("Vakantie toevoegen")
        )
        self.name_edit = QLineEdit(holiday.name if holiday else "")
        self.name_edit.setPlaceholderText(self.tr("bijv. Studiedag"))
        completer = QCompleter(COMMON_NAMES, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.name_edit.setCompleter(completer)
        first = holiday.start if holiday else ctx.today()
        self.start_edit = date_edit(first)
        self.end_edit = date_edit(holiday.end if holiday else first)
        self.errors = ErrorMap()
        form = QFormLayout()
        form.addRow(self.tr("&Naam:"), self.errors.wrap("name", self.name_edit))
        form.addRow(self.tr("&Eerste vrije dag:"), self.errors.wrap("start", self.start_edit))
        form.addRow(self.tr("&Laatste vrije dag:"), self.errors.wrap("end", self.end_edit))
        self.buttons = ok_cancel_buttons(self, self.tr("Opslaan"), self._on_save)
        self.start_edit.dateChanged.connect(self._on_start_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.name_edit, self.start_edit)
        self.setTabOrder(self.start_edit, self.end_edit)
        size_window(self, "holidays_editor.HolidayDialog", 420, self.sizeHint().height())

    @Slot()
    def _on_start_changed(self) -> None:
        # A one-day holiday is the common case: the last day follows the first until changed.
        start, end = from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())
        if start and end and end < start:
            self.end_edit.setDate(to_qdate(start))

    @Slot()
    def _on_save(self) -> None:
        name = self.name_edit.text()
        start, end = from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())
        holiday_id = self.holiday.id if self.holiday else None

        def save(version: int | None) -> hol.HolidaySpec:
            with self.ctx.db.session() as s:
                return hol.save_holiday(
                    s, self.region, name, start, end,
                    holiday_id=holiday_id, version=version, actor=self.ctx.actor,
                )  # fmt: skip

        try:
            outcome = save_or_choose(self, save, self.holiday.version if self.holiday else None)
        except ValidationErrors as exc:
            rest = self.errors.show(exc.errors)
            if rest:
                QMessageBox.warning(self, APP_NAME, "\n".join(rest))
            return
        if outcome.saved:
            self.saved = outcome.result
            self.accept()
        elif outcome.choice is ConflictChoice.THEIRS and holiday_id is not None:
            # Keep what the other person saved: close, and the list shows (and selects) it.
            with self.ctx.db.session() as s:
                self.saved = hol.get_holiday(s, holiday_id)
            self.accept()
        # "Verder bewerken": stay, with the edits as typed.

    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        region: Region,
        holiday: hol.HolidaySpec | None = None,
    ) -> hol.HolidaySpec | None:
        """Run the dialog; the saved holiday, or None when cancelled."""
        dialog = cls(ctx, region, holiday, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.saved


class HolidayImportDialog(QDialog):
    """The preview of a loaded file: what would be added, changed and removed, per region."""

    def __init__(
        self,
        file_name: str,
        loaded: Any,
        changes: list[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from ib_desktop.services.holiday_import import ADDED, CHANGED, REMOVED

        kinds = {
            ADDED: self.tr("nieuw"),
            CHANGED: self.tr("gewijzigd"),
            REMOVED: self.tr("vervalt"),
        }
        self.setWindowTitle(self.tr("Vakanties laden: controleer de wijzigingen"))
        counts = {k: sum(1 for c in changes if c.kind == k) for k in (ADDED, CHANGED, REMOVED)}
        self.summary = QLabel(
            self.tr(
                "%s (%s, schooljaar %s): %d nieuw, %d gewijzigd, %d vervalt. Er is nog niets "
                "opgeslagen; kies Toepassen om deze wijzigingen op te slaan."
            )
            % (
                file_name,
                loaded.kind,
                ", ".join(sorted(loaded.school_years)),
                counts[ADDED],
                counts[CHANGED],
                counts[REMOVED],
            )
        )
        self.summary.setWordWrap(True)
        self.warnings = QLabel("\n".join(f"• {w}" for w in loaded.warnings[:20]))
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(bool(loaded.warnings))
        headers = [
            self.tr("Regio"),
            self.tr("Wijziging"),
            self.tr("Vakantie of vrije dag"),
            self.tr("Nu"),
            self.tr("Wordt"),
        ]
        self.table = QTableWidget(len(changes), len(headers))
        self.table.setObjectName("holiday-import-changes")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()

        def span(h: Any) -> str:
            if h is None:
                return ""
            if h.start == h.end:
                return weekday_date(h.start)
            return self.tr("%s t/m %s") % (weekday_date(h.start), weekday_date(h.end))

        for row, c in enumerate(changes):
            name = (c.new or c.old).name
            if c.old is not None and c.new is not None and c.old.name != c.new.name:
                name = f"{c.old.name} → {c.new.name}"
            for col, text in enumerate(
                (c.region.value, kinds[c.kind], name, span(c.old), span(c.new))
            ):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = ok_cancel_buttons(self, self.tr("Toepassen"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 480)

    def rows_text(self) -> list[list[str]]:
        """The table as text, row by row (what the school reads)."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]

    @classmethod
    def confirm(
        cls, parent: QWidget | None, file_name: str, loaded: Any, changes: list[Any]
    ) -> bool:
        """Show the preview; True when the school chose Toepassen."""
        dialog = cls(file_name, loaded, changes, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

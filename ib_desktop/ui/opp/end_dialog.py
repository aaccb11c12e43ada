"""Ending an OPP ("OPP beëindigen…"): the end date, the reason and a confirmation.

The end date goes to the national registry and the reason to the change log. The dialog checks
what it can itself (a reason is required) and leaves the rest to the service through ``submit``,
so a refusal (an end before the start or before the newest fixed version) is shown beside the
field it belongs to while the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.ui.widgets.forms import ErrorMap, date_edit, from_qdate, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.window_size import size_window

#: Tries to end the OPP; returns the refusals per field (empty when the OPP was ended).
Submit = Callable[[date, str], dict[str, str]]


class OppEndDialog(QDialog):
    """The end date (today by default) and the reason the OPP ends."""

    def __init__(
        self,
        *,
        pupil_name: str,
        today: date,
        start_date: date,
        submit: Submit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP beëindigen"))
        self.setObjectName("oppEndDialog")
        self.pupil_name = pupil_name
        self._submit = submit
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr(
                "Beëindig het OPP van %s wanneer de extra ondersteuning stopt. Het OPP loopt tot "
                "en met de einddatum; daarna komen er geen evaluaties of doelen meer in de "
                "planning. Het OPP kan daarna alleen nog worden ingezien. De einddatum gaat mee "
                "naar de landelijke registratie. U kunt de beëindiging later ongedaan maken."
            )
            % pupil_name
        )
        intro.setWordWrap(True)
        self.end_date = date_edit(today)
        self.end_date.setObjectName("endDate")
        self.end_date.setMinimumDate(to_qdate(min(start_date, today)))
        self.end_date.setMaximumDate(to_qdate(today))
        self.end_date.setAccessibleName(self.tr("Einddatum van het OPP"))
        self.reason = QLineEdit()
        self.reason.setObjectName("endReason")
        self.reason.setAccessibleName(self.tr("Reden van beëindigen"))
        self.reason.setPlaceholderText(
            self.tr("Bijvoorbeeld: doelen behaald, extra ondersteuning niet meer nodig")
        )
        self.reason.textChanged.connect(self._on_reason_changed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Einddatum:"), self.errors.wrap("end_date", self.end_date))
        form.addRow(self.tr("&Reden:"), self.errors.wrap("reason", self.reason))
        self.buttons = ok_cancel_buttons(self, self.tr("OPP beëindigen"), self._on_accept)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.reason.setFocus()
        # as tall as the wrapped text needs at this width: no empty band above the buttons
        height = lay.totalHeightForWidth(560)
        size_window(self, "opp_end_dialog.OppEndDialog", 560, height if height > 0 else 220)

    def value(self) -> tuple[date, str]:
        """The end date and the reason as entered."""
        return from_qdate(self.end_date.date()) or date.today(), self.reason.text().strip()

    @Slot(str)
    def _on_reason_changed(self, text: str) -> None:
        if text.strip() and self.errors.message("reason"):
            self.errors.fields["reason"].set_error("")

    @Slot()
    def _on_accept(self) -> None:
        end, reason = self.value()
        if not reason:
            self.errors.show({"reason": self.tr("Vul de reden in waarom het OPP wordt beëindigd.")})
            return
        self.errors.clear()
        answer = QMessageBox.question(
            self,
            self.tr("OPP beëindigen"),
            self.tr(
                "Het OPP van %s beëindigen op %s?\n\n"
                "Het OPP wordt daarna niet meer gepland en kan alleen nog worden ingezien. "
                "U kunt dit ongedaan maken met 'Beëindiging ongedaan maken…'."
            )
            % (self.pupil_name, long_date(end)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        refused = self._submit(end, reason)
        if not refused:
            self.accept()
            return
        unplaced = self.errors.show(refused)
        if unplaced:
            QMessageBox.warning(self, APP_NAME, "\n".join(unplaced))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        pupil_name: str,
        today: date,
        start_date: date,
        submit: Submit,
    ) -> bool:
        """Run the dialog; True when the OPP was ended."""
        dialog = cls(
            pupil_name=pupil_name, today=today, start_date=start_date, submit=submit, parent=parent
        )
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

"""For whom to export the calendar (.ics), and whether pupils appear with initials only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.ui.widgets.forms import ok_cancel_buttons
from ib_desktop.ui.widgets.window_size import size_window


class IcsExportDialog(QDialog):
    """For whom to export the calendar, and whether pupils appear with initials only."""

    def __init__(
        self, staff: list[tuple[int, str]], staff_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exporteren naar agenda"))
        self.who = QComboBox()
        self.who.addItem(self.tr("Iedereen (agenda van de IB-er)"), None)
        for sid, name in staff:
            self.who.addItem(name, sid)
        if staff_id is not None:
            self.who.setCurrentIndex(max(0, self.who.findData(staff_id)))
        self.initials = QCheckBox(self.tr("Alleen de initialen van leerlingen (privacy)"))
        self.initials.setChecked(True)  # a calendar is often shared or kept in the cloud
        self.initials.setToolTip(
            self.tr(
                "Een agenda wordt vaak gedeeld of staat in de cloud (Google, Outlook.com): daar "
                "horen geen volledige namen van leerlingen in. Met initialen blijft de afspraak "
                "herkenbaar. Zet dit alleen uit voor een agenda die niemand anders ziet."
            )
        )
        info = QLabel(
            self.tr(
                "Het bestand bevat de evaluaties, gesprekken en termijnen van het komende half "
                "jaar als afspraken van een hele dag. Importeer het in Outlook of Google "
                "Agenda.\n\n"
                "Sla een nieuwe export op in hetzelfde bestand: het programma onthoudt wat erin "
                "stond, en afspraken die vervallen zijn (bijvoorbeeld omdat een leerling de school "
                "verliet) gaan mee als 'geannuleerd'. Let op: alleen een agenda die de vaste "
                "kenmerken (UID) van afspraken volgt, werkt ze bij of haalt ze weg. Google Agenda "
                "en sommige versies van Outlook doen dat bij opnieuw importeren niet altijd; "
                "verwijder daar zo nodig de oude afspraken met de hand."
            )
        )
        info.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Voor wie:"), self.who)
        form.addRow("", self.initials)
        buttons = ok_cancel_buttons(self, self.tr("Exporteren…"))
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)
        size_window(self, "agenda.IcsExportDialog", 460, self.sizeHint().height())

    @classmethod
    def ask(
        cls, parent: QWidget | None, staff: list[tuple[int, str]], staff_id: int | None
    ) -> tuple[int | None, bool] | None:
        """(staff id or None for everyone, initials only), or None when cancelled."""
        dialog = cls(staff, staff_id, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.who.currentData(), dialog.initials.isChecked()

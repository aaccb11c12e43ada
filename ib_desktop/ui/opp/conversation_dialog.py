"""The one dialog for a conversation with the parents: date, who took part, the relevant points.

A conversation is written down in two ways: logged or changed in part 11 of the OPP, and with
"Besproken met ouders…", which records that this version was discussed (the conversation then
goes into part 11 too). Both use :class:`ConversationDialog`; :class:`DiscussedDialog` is the
second way, with a word of explanation above the fields.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.ui.opp.common import OptionalDateEdit, prose
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.window_size import size_window


class ConversationDialog(QDialog):
    """A conversation with the parents: date, who took part, the relevant points.

    With ``discussed`` the dialog records "Besproken met ouders" for the version.
    """

    def __init__(
        self,
        conversation: svc.ConversationData | None,
        today: date,
        parent: QWidget | None = None,
        *,
        discussed: bool = False,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._discussed = discussed
        self._id = conversation.id if conversation else None
        self.setWindowTitle(self._title(conversation))
        self.errors = ErrorMap()
        self.date = OptionalDateEdit()
        self.date.set_value(conversation.date if conversation else today)
        self.date.setMaximumDate(to_qdate(today))
        self.participants = QLineEdit(
            conversation.participants
            if conversation
            else self.tr("ouders/verzorgers, leerkracht, IB-er")
        )
        self.summary = prose(min_lines=4)
        self.summary.setMarkdown(conversation.summary if conversation else "")
        if discussed:
            self.summary.setPlaceholderText(self.tr("Wat is besproken en afgesproken?"))
        lay = QVBoxLayout(self)
        if discussed:
            lay.addWidget(self._intro())
        lay.addLayout(self._form())
        lay.addStretch(1)
        ok_text = self.tr("Vastleggen") if discussed else self.tr("Opslaan")
        lay.addWidget(ok_cancel_buttons(self, ok_text, self._on_accept))
        # The keys are those of the two dialogs this one replaced: sizes users gave them stay.
        if discussed:
            size_window(self, "opp_editor.DiscussedDialog", 560, 380)
        else:
            size_window(self, "opp_parts_pages.ConversationDialog", 560, 360)

    def _title(self, conversation: svc.ConversationData | None) -> str:
        if self._discussed:
            return self.tr("Besproken met ouders")
        return (
            self.tr("Gesprek met ouders") if conversation is None else self.tr("Gesprek wijzigen")
        )

    def _intro(self) -> QLabel:
        intro = QLabel(
            self.tr(
                "Leg vast dat deze versie met de ouders/verzorgers is besproken. Het gesprek komt "
                "in deel 11; daarna kunnen de toestemming en de handtekeningen worden vastgelegd."
            )
        )
        intro.setWordWrap(True)
        return intro

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        date_label = self.tr("&Datum gesprek:") if self._discussed else self.tr("&Datum:")
        form.addRow(date_label, self.errors.wrap("date", self.date))
        form.addRow(self.tr("D&eelnemers:"), self.participants)
        form.addRow(self.tr("&Relevante punten:"), self.errors.wrap("summary", self.summary))
        return form

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum van het gesprek in.")
        if not self.summary.markdown().strip():
            errors["summary"] = (
                self.tr("Noteer kort wat er is besproken.")
                if self._discussed
                else self.tr("Noteer de relevante punten uit het gesprek.")
            )
        self.errors.show(errors)
        if not errors:
            self.accept()

    def result_data(self) -> svc.ConversationData:
        """What was entered."""
        return svc.ConversationData(
            date=self.date.value() or self._today,
            participants=self.participants.text().strip(),
            summary=self.summary.markdown(),
            id=self._id,
        )

    def run(self) -> svc.ConversationData | None:
        """Show the dialog; the conversation, or None when cancelled."""
        try:
            return self.result_data() if self.exec() == QDialog.DialogCode.Accepted else None
        finally:
            self.deleteLater()

    @classmethod
    def edit(
        cls, parent: QWidget | None, conversation: svc.ConversationData | None, today: date
    ) -> svc.ConversationData | None:
        """Log a new conversation (``conversation`` None) or change one; None when cancelled."""
        return cls(conversation, today, parent).run()


class DiscussedDialog(ConversationDialog):
    """ "Besproken met ouders": the conversation about this version (logged in part 11)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(None, today, parent, discussed=True)

    @classmethod
    def ask(cls, parent: QWidget | None, today: date) -> svc.ConversationData | None:
        """Run the dialog; the conversation, or None when cancelled."""
        return cls(today, parent).run()

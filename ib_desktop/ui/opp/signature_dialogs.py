"""The dialogs of part 13: a guardian's consent to the handelingsdeel, and a signature."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.models import SignatureRole
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import SIGNATURE_ROLE_LABELS
from ib_desktop.ui.opp.common import OptionalDateEdit, esc, prose
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.window_size import size_window


class ConsentDialog(QDialog):
    """A guardian's answer to the handelingsdeel: yes or no, the date, and their view."""

    def __init__(
        self,
        name: str,
        existing: svc.ConsentData | None,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Toestemming handelingsdeel"))
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr("Geeft <b>%s</b> toestemming voor het handelingsdeel (deel 9) van deze versie?")
            % esc(name)
        )
        intro.setWordWrap(True)
        self.yes = QRadioButton(self.tr("&Ja, geeft toestemming"))
        self.no = QRadioButton(self.tr("&Nee, geeft geen toestemming"))
        group = QButtonGroup(self)
        group.addButton(self.yes)
        group.addButton(self.no)
        (self.no if existing is not None and not existing.consent else self.yes).setChecked(True)
        self.date = OptionalDateEdit()
        self.date.set_value(existing.date if existing else today)
        self.date.setMaximumDate(to_qdate(today))
        self.view = prose(min_lines=3)
        self.view.setMarkdown(existing.view if existing else "")
        self.view.setPlaceholderText(
            self.tr("Verplicht bij 'nee': waarom niet, en wat willen de ouders anders?")
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Datum:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("&Zienswijze:"), self.errors.wrap("view", self.view))
        buttons = ok_cancel_buttons(self, self.tr("Vastleggen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.yes)
        lay.addWidget(self.no)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        size_window(self, "opp_parts_pages.ConsentDialog", 520, 340)
        self._id = existing.id if existing else None

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum in.")
        if self.no.isChecked() and not self.view.markdown().strip():
            errors["view"] = self.tr("Noteer de zienswijze van de ouder: waarom geen toestemming?")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def answer(self, guardian_id: int, name: str) -> svc.ConsentData:
        """What was entered."""
        return svc.ConsentData(
            guardian_id=guardian_id,
            guardian_name=name,
            consent=self.yes.isChecked(),
            date=self.date.value() or date.today(),
            view=self.view.markdown(),
            id=self._id,
        )

    @classmethod
    def record(
        cls,
        parent: QWidget | None,
        guardian_id: int,
        name: str,
        existing: svc.ConsentData | None,
        today: date,
    ) -> svc.ConsentData | None:
        """Run the dialog; the consent, or None when cancelled."""
        dialog = cls(name, existing, today, parent)
        try:
            return (
                dialog.answer(guardian_id, name)
                if dialog.exec() == QDialog.DialogCode.Accepted
                else None
            )
        finally:
            dialog.deleteLater()


class SignatureEntryDialog(QDialog):
    """Who signs, when, and optionally the signature drawn on screen."""

    OTHER = -1

    def __init__(
        self,
        signers: list[svc.SignerChoice],
        today: date,
        parent: QWidget | None = None,
        *,
        me: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handtekening toevoegen"))
        self.errors = ErrorMap()
        self.signers = signers
        self.png: bytes | None = None
        self.who = QComboBox()
        self.who.setAccessibleName(self.tr("Wie tekent"))
        for index, s in enumerate(signers):
            self.who.addItem(f"{SIGNATURE_ROLE_LABELS[s.role.value]}: {s.name}", index)
        self.who.addItem(self.tr("Iemand anders…"), self.OTHER)
        self.role = QComboBox()
        for role in SignatureRole:
            self.role.addItem(SIGNATURE_ROLE_LABELS[role.value], role.value)
        self.name = QLineEdit()
        self.date = OptionalDateEdit()
        self.date.set_value(today)
        self.date.setMaximumDate(to_qdate(today))
        self.draw_button = QPushButton(self.tr("Op het scherm &tekenen…"))
        self.preview = QLabel(
            self.tr("Geen handtekening op het scherm: er wordt op papier getekend.")
        )
        self.preview.setMinimumHeight(60)
        self.preview.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Wie tekent:"), self.who)
        form.addRow(self.tr("&Rol:"), self.role)
        form.addRow(self.tr("&Naam:"), self.errors.wrap("name", self.name))
        form.addRow(self.tr("&Datum:"), self.errors.wrap("date", self.date))
        form.addRow(self.tr("Handtekening:"), self.draw_button)
        form.addRow("", self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Toevoegen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.who.currentIndexChanged.connect(self._on_who_changed)
        self.draw_button.clicked.connect(self._on_draw)
        # The person working ("Ik ben") signs most often: they come first.
        mine = [i for i, s in enumerate(signers) if me is not None and s.staff_id == me]
        if mine:
            self.who.setCurrentIndex(self.who.findData(mine[0]))
        self._on_who_changed()
        size_window(self, "opp_parts_pages.SignatureEntryDialog", 520, 320)

    def choice(self) -> svc.SignerChoice | None:
        """The chosen signer from the list (None for "iemand anders")."""
        index = self.who.currentData()
        return None if index == self.OTHER or index is None else self.signers[index]

    def select(self, role: SignatureRole, name: str | None = None) -> bool:
        """Choose a signer from the list by role (and name); True when found."""
        for i in range(self.who.count()):
            index = self.who.itemData(i)
            if index in (None, self.OTHER):
                continue
            s = self.signers[index]
            if s.role == role and (name is None or s.name == name):
                self.who.setCurrentIndex(i)
                return True
        return False

    @Slot()
    def _on_who_changed(self, *_args: Any) -> None:
        choice = self.choice()
        other = choice is None
        self.role.setEnabled(other)
        self.name.setReadOnly(not other)
        if choice is not None:
            self.role.setCurrentIndex(self.role.findData(choice.role.value))
            self.name.setText(choice.name)
        else:
            self.name.clear()
            self.name.setFocus()

    @Slot()
    def _on_draw(self) -> None:
        from ib_desktop.ui.widgets.signature_pad import SignatureDialog

        name = self.name.text().strip() or self.tr("de ondertekenaar")
        png = SignatureDialog.capture(self, name)
        if png:
            self.png = png
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.preview.setPixmap(
                pixmap.scaled(
                    QSize(320, 80),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if not self.name.text().strip():
            errors["name"] = self.tr("Vul de naam in van wie tekent.")
        if self.date.value() is None:
            errors["date"] = self.tr("Vul de datum in.")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def signature(self) -> svc.SignatureData:
        """What was entered."""
        choice = self.choice()
        return svc.SignatureData(
            role=SignatureRole(self.role.currentData()),
            name=self.name.text().strip(),
            signed_on=self.date.value() or date.today(),
            guardian_id=choice.guardian_id if choice else None,
            staff_id=choice.staff_id if choice else None,
            image_png=self.png,
            captured_at=datetime.now().replace(microsecond=0) if self.png else None,
        )

    @classmethod
    def get(
        cls,
        parent: QWidget | None,
        signers: list[svc.SignerChoice],
        today: date,
        *,
        me: int | None = None,
    ) -> svc.SignatureData | None:
        """Run the dialog (``me``, the person working, chosen); the signature or None."""
        dialog = cls(signers, today, parent, me=me)
        try:
            return dialog.signature() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

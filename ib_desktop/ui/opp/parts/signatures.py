"""Part 13: consent of every guardian with gezag, and the signatures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QWidget

from ib_desktop.dates import short_date
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import SIGNATURE_ROLE_LABELS
from ib_desktop.services.opp.parts import OppPart
from ib_desktop.ui.opp.common import ordinal
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.opp.signature_dialogs import ConsentDialog, SignatureEntryDialog
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    first_line,
    proxy_for,
    select_source_row,
    selected_source_row,
    table_view,
)


@dataclass
class ConsentRow:
    """Part 13: a guardian with gezag and their answer (None while not recorded)."""

    guardian_id: int
    name: str
    relation: str
    consent: svc.ConsentData | None = None


def _consent_text(row: ConsentRow) -> str:
    if row.consent is None:
        return QCoreApplication.translate("opp", "Nog niet vastgelegd")
    return (
        QCoreApplication.translate("opp", "Ja, toestemming")
        if row.consent.consent
        else QCoreApplication.translate("opp", "Nee, geen toestemming")
    )


class ConsentModel(TableModel):
    """Part 13: consent to the handelingsdeel per guardian with gezag."""

    TR_CONTEXT = "opp"
    GUARDIAN, ANSWER, DATE, VIEW = range(4)
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("opp", "Ouder/verzorger met gezag"),
            lambda r: f"{r.name} ({r.relation})" if r.relation else r.name,
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Toestemming"),
            _consent_text,
            sort=lambda r: -1 if r.consent is None else int(r.consent.consent),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Datum"),
            lambda r: short_date(r.consent.date) if r.consent else "",
            sort=lambda r: ordinal(r.consent.date) if r.consent else 0,
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Zienswijze"),
            lambda r: first_line(r.consent.view) if r.consent else "",
            tooltip=lambda r: r.consent.view if r.consent else "",
        ),
    )

    def extra_data(self, item: ConsentRow, column: int, role: int) -> Any:
        """Refusals in red, missing answers in orange."""
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ANSWER:
            if item.consent is None:
                return QColor("#b45309")
            if not item.consent.consent:
                return QColor("#b00020")
        return None


class SignatureModel(TableModel):
    """Part 13: who signed, when, and a thumbnail of a signature drawn on screen."""

    TR_CONTEXT = "opp"
    ROLE, NAME, DATE, IMAGE = range(4)
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("opp", "Rol"), lambda s: SIGNATURE_ROLE_LABELS[s.role.value]),
        Column(QT_TRANSLATE_NOOP("opp", "Naam"), lambda s: s.name),
        Column(
            QT_TRANSLATE_NOOP("opp", "Datum"),
            lambda s: short_date(s.signed_on),
            sort=lambda s: ordinal(s.signed_on),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Handtekening"),
            lambda s: (
                QCoreApplication.translate("opp", "op het scherm getekend")
                if s.image_png
                else QCoreApplication.translate("opp", "op papier")
            ),
        ),
    )

    def extra_data(self, item: svc.SignatureData, column: int, role: int) -> Any:
        """The drawn signature as a small picture in the last column."""
        if role == Qt.ItemDataRole.DecorationRole and column == self.IMAGE and item.image_png:
            pixmap = QPixmap()
            pixmap.loadFromData(item.image_png, "PNG")
            return pixmap.scaledToHeight(28, Qt.TransformationMode.SmoothTransformation)
        return None


class SignaturesPage(PartPage):
    """Part 13: consent of every guardian with gezag, and the signatures.

    Giving consent and signing are legal acts: the page does not keep them as a draft but asks
    the editor to store each at once (``legalActGiven``: "consent" with a ConsentData,
    "signature" with a SignatureData, "remove_signature" with the SignatureData to take off);
    the editor reloads the page from what was stored.
    """

    legalActGiven = Signal(str, object)  # noqa: N815 - Qt naming

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        intro = QLabel(
            self.tr(
                "Ouders met gezag geven toestemming voor het handelingsdeel. Zonder toestemming "
                "kan het OPP niet worden vastgesteld; de ondersteuning gaat intussen door. "
                "Ouders tekenen op de afgedrukte handtekeningenpagina of hier op het scherm. "
                "Toestemming en handtekeningen worden meteen opgeslagen, los van de rest van "
                "het OPP."
            )
        )
        intro.setWordWrap(True)
        self.form.addWidget(intro)
        self.consent_model = ConsentModel(self)
        self.consent_proxy = proxy_for(self.consent_model, self)
        self.consent_view = table_view(self.consent_proxy, name=self.tr("Toestemming"))
        self.consent_view.setMinimumHeight(110)
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.GUARDIAN, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.ANSWER, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.horizontalHeader().setSectionResizeMode(
            ConsentModel.DATE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_view.doubleClicked.connect(self._on_consent)
        self.consent_button = self.edit_button(QPushButton(self.tr("&Toestemming vastleggen…")))
        self.consent_button.clicked.connect(self._on_consent)
        self.form.addWidget(QLabel(f"<b>{self.tr('Toestemming voor het handelingsdeel')}</b>"))
        self.form.addWidget(self.consent_view)
        row = QHBoxLayout()
        row.addWidget(self.consent_button)
        row.addStretch(1)
        self.form.addLayout(row)

        self.signature_model = SignatureModel(self)
        self.signature_proxy = proxy_for(self.signature_model, self)
        self.signature_view = table_view(self.signature_proxy, name=self.tr("Handtekeningen"))
        self.signature_view.setMinimumHeight(150)
        self.signature_view.setIconSize(QSize(110, 28))
        self.signature_view.verticalHeader().setDefaultSectionSize(34)
        for col, width in (
            (SignatureModel.ROLE, 150),
            (SignatureModel.NAME, 220),
            (SignatureModel.DATE, 100),
        ):
            self.signature_view.setColumnWidth(col, width)
        self.add_signature_button = self.edit_button(
            QPushButton(self.tr("&Handtekening toevoegen…"))
        )
        self.remove_signature_button = self.edit_button(
            QPushButton(self.tr("Handtekening &verwijderen…"))
        )
        self.add_signature_button.clicked.connect(self._on_add_signature)
        self.remove_signature_button.clicked.connect(self._on_remove_signature)
        self.form.addWidget(
            QLabel(
                f"<b>{self.tr('Handtekeningen')}</b> &nbsp; "
                + self.tr("(verplicht: intern begeleider en directie)")
            )
        )
        self.form.addWidget(self.signature_view)
        row2 = QHBoxLayout()
        row2.addWidget(self.add_signature_button)
        row2.addWidget(self.remove_signature_button)
        row2.addStretch(1)
        self.form.addLayout(row2)
        self.form.addStretch(1)
        self._extra_consents: list[svc.ConsentData] = []

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        self.signature_model.set_rows([replace(s) for s in data.signatures])
        self._set_consents(data.consents, pupil)

    def _set_consents(self, consents: list[svc.ConsentData], pupil: dict[str, Any]) -> None:
        by_guardian = {c.guardian_id: c for c in consents}
        rows = [
            ConsentRow(g["id"], g["name"], g.get("relation", ""), by_guardian.pop(g["id"], None))
            for g in pupil.get("guardians", [])
            if g.get("has_custody")
        ]
        # Answers of guardians no longer in the file (or without gezag now) are kept, not shown.
        self._extra_consents = list(by_guardian.values())
        self.consent_model.set_rows(rows)

    def refresh_pupil(self, pupil: dict[str, Any]) -> None:
        """Guardians with gezag may have changed in the pupil file."""
        current = [r.consent for r in self.consent_model.rows() if r.consent] + self._extra_consents
        self._set_consents(current, pupil)

    def collect(self, data: svc.OppVersionData) -> None:
        """Consents and signatures."""
        data.consents = [replace(r.consent) for r in self.consent_model.rows() if r.consent] + [
            replace(c) for c in self._extra_consents
        ]
        data.signatures = [replace(s) for s in self.signature_model.rows()]

    def select_guardian(self, guardian_id: int) -> None:
        """Select a guardian's consent row."""
        for row, r in enumerate(self.consent_model.rows()):
            if r.guardian_id == guardian_id:
                select_source_row(self.consent_view, row)

    @Slot()
    def _on_consent(self, *_args: Any) -> None:
        if self.read_only:
            return
        row = selected_source_row(self.consent_view)
        if row < 0 and self.consent_model.rowCount() == 1:
            row = 0
        if row < 0:
            QMessageBox.information(
                self, self.tr("Toestemming"), self.tr("Kies eerst de ouder/verzorger in de lijst.")
            )
            return
        r = self.consent_model.row_at(row)
        today = self.env.today if self.env else date.today()
        answer = ConsentDialog.record(self, r.guardian_id, r.name, r.consent, today)
        if answer is not None:
            self.legalActGiven.emit("consent", answer)

    @Slot()
    def _on_add_signature(self) -> None:
        today = self.env.today if self.env else date.today()
        me = getattr(self.env.ctx, "user_staff_id", None) if self.env else None
        signature = SignatureEntryDialog.get(
            self, self.env.signers if self.env else [], today, me=me
        )
        if signature is not None:
            self.legalActGiven.emit("signature", signature)

    @Slot()
    def _on_remove_signature(self) -> None:
        row = selected_source_row(self.signature_view)
        if row < 0:
            return
        s = self.signature_model.row_at(row)
        answer = QMessageBox.question(
            self,
            self.tr("Handtekening verwijderen"),
            self.tr("De handtekening van %s verwijderen uit deze versie?") % s.name,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.legalActGiven.emit("remove_signature", s)

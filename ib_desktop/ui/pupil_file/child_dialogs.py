"""Edit dialogs for the records of a pupil file: guardian, care provider, school career,
assessment, meeting.

Each runs with :meth:`RecordDialog.edit <ib_desktop.ui.pupil_file.record_dialog.RecordDialog.edit>`
and returns the saved id or None::

    gid = GuardianDialog.edit(parent, ctx, pupil_id)            # new guardian
    GuardianDialog.edit(parent, ctx, pupil_id, guardian_id=gid)  # change it
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from ib_desktop.services import pupil as pf
from ib_desktop.ui.pupil_file.form_helpers import plain_edit, set_combo_data
from ib_desktop.ui.pupil_file.record_dialog import RecordDialog
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.view_logging import account_role

# ---------------------------------------------------------------------------- guardian


class GuardianDialog(RecordDialog):
    """A parent or guardian: name, relation, gezag, contact details."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Ouder/verzorger toevoegen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Ouder/verzorger wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "de ouder/verzorger")
    ID_NAME = "guardian_id"

    def _build(self) -> None:
        self.name_edit = self.row(self.tr("&Naam:"), "name", QLineEdit())
        self.relation_combo = QComboBox()
        self.relation_combo.setEditable(True)
        self.relation_combo.addItems(pf.GUARDIAN_RELATIONS)
        self.row(self.tr("&Relatie:"), "relation", self.relation_combo)
        self.custody_check = QCheckBox(self.tr("Heeft &gezag (ondertekent het OPP)"))
        self.row(self.tr("Gezag:"), "has_custody", self.custody_check)
        self.phone_edit = self.row(self.tr("&Telefoon:"), "phone", QLineEdit())
        self.phone_edit.setPlaceholderText("06-12345678")
        self.email_edit = self.row(self.tr("&E-mail:"), "email", QLineEdit())
        self.email_edit.setPlaceholderText(self.tr("naam@voorbeeld.nl"))
        self.address_edit = self.row(self.tr("&Adres:"), "address", QLineEdit())
        self.notes_edit = self.row(self.tr("N&otities:"), "notes", plain_edit(3))

    def _default(self) -> pf.GuardianData:
        return pf.GuardianData()

    def _load(self, session: Any) -> pf.GuardianData:
        return pf.load_guardian(session, self.pupil_id, self.record_id)  # type: ignore[arg-type]

    def _fill(self, data: pf.GuardianData) -> None:
        self.name_edit.setText(data.name)
        self.relation_combo.setCurrentText(data.relation)
        self.custody_check.setChecked(data.has_custody)
        self.phone_edit.setText(data.phone)
        self.email_edit.setText(data.email)
        self.address_edit.setText(data.address)
        self.notes_edit.setPlainText(data.notes)

    def _collect(self, errors: dict[str, str]) -> pf.GuardianData:
        return pf.GuardianData(
            name=self.name_edit.text(),
            relation=self.relation_combo.currentText().strip(),
            has_custody=self.custody_check.isChecked(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            address=self.address_edit.text(),
            notes=self.notes_edit.toPlainText(),
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.GuardianData) -> int:
        return pf.save_guardian(session, self.pupil_id, data, actor=self.ctx.actor)


# ---------------------------------------------------------------------------- care provider

CARE_KINDS = [
    QT_TRANSLATE_NOOP("CareProviderDialog", "jeugdhulp"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "behandeling (GGZ)"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "logopedie"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "fysiotherapie"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "ergotherapie"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "gezinsbegeleiding"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "ambulante begeleiding"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "schoolmaatschappelijk werk"),
    QT_TRANSLATE_NOOP("CareProviderDialog", "jeugdarts (GGD)"),
]


class CareProviderDialog(RecordDialog):
    """Hulpverlening around the pupil, the school or the family."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Hulpverlening toevoegen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Hulpverlening wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "de hulpverlening")
    ID_NAME = "care_id"

    def _build(self) -> None:
        self.scope_combo = QComboBox()
        for scope, label in pf.CARE_SCOPE_LABELS.items():
            self.scope_combo.addItem(self.tr(label), scope)
        self.row(self.tr("&Rondom:"), "scope", self.scope_combo)
        self.organisation_edit = self.row(self.tr("&Organisatie:"), "organisation", QLineEdit())
        self.contact_edit = self.row(self.tr("&Contactpersoon:"), "contact_name", QLineEdit())
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems([""] + [self.tr(kind) for kind in CARE_KINDS])
        self.row(self.tr("&Soort hulp:"), "kind", self.kind_combo)
        self.phone_edit = self.row(self.tr("&Telefoon:"), "phone", QLineEdit())
        self.email_edit = self.row(self.tr("&E-mail:"), "email", QLineEdit())
        self.start_edit = self.row(self.tr("&Van:"), "start_date", DateField())
        self.end_edit = self.row(self.tr("Tot en &met:"), "end_date", DateField())
        self.notes_edit = self.row(self.tr("Notit&ies:"), "notes", plain_edit(3))
        self.confidential_check = QCheckBox(
            self.tr("Notities &vertrouwelijk: alleen voor IB en directie")
        )
        self.row(self.tr("Vertrouwelijk:"), "confidential", self.confidential_check)

    def _default(self) -> pf.CareProviderData:
        return pf.CareProviderData()

    def _load(self, session: Any) -> pf.CareProviderData:
        return pf.load_care_provider(
            session, self.pupil_id, self.record_id, role=account_role(self.ctx)  # type: ignore[arg-type]
        )

    def _fill(self, data: pf.CareProviderData) -> None:
        set_combo_data(self.scope_combo, data.scope)
        self.organisation_edit.setText(data.organisation)
        self.contact_edit.setText(data.contact_name)
        self.kind_combo.setCurrentText(data.kind)
        self.phone_edit.setText(data.phone)
        self.email_edit.setText(data.email)
        self.start_edit.set_value(data.start_date)
        self.end_edit.set_value(data.end_date)
        self.notes_edit.setPlainText(data.notes)
        self.confidential_check.setChecked(data.confidential)

    def _collect(self, errors: dict[str, str]) -> pf.CareProviderData:
        return pf.CareProviderData(
            scope=self.scope_combo.currentData(),
            organisation=self.organisation_edit.text(),
            contact_name=self.contact_edit.text(),
            kind=self.kind_combo.currentText(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            start_date=self.date_value(self.start_edit, "start_date", errors),
            end_date=self.date_value(self.end_edit, "end_date", errors),
            notes=self.notes_edit.toPlainText(),
            confidential=self.confidential_check.isChecked(),
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.CareProviderData) -> int:
        return pf.save_care_provider(
            session, self.pupil_id, data, actor=self.ctx.actor, role=account_role(self.ctx)
        )


# ---------------------------------------------------------------------------- school career


class HistoryDialog(RecordDialog):
    """A step of the school career: voorschoolse periode, previous school, SBO/SO."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Schoolloopbaan aanvullen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Schoolloopbaan wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "de schoolloopbaan")
    ID_NAME = "entry_id"

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind, label in pf.HISTORY_KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), kind)
        self.row(self.tr("&Soort:"), "kind", self.kind_combo)
        self.institution_edit = self.row(
            self.tr("Sc&hool/voorziening:"), "institution", QLineEdit()
        )
        self.start_edit = self.row(self.tr("&Van:"), "start_date", DateField())
        self.end_edit = self.row(self.tr("Tot en &met:"), "end_date", DateField())
        self.notes_edit = self.row(self.tr("&Toelichting:"), "notes", plain_edit(3))

    def _default(self) -> pf.HistoryData:
        return pf.HistoryData()

    def _load(self, session: Any) -> pf.HistoryData:
        return pf.load_history(session, self.pupil_id, self.record_id)  # type: ignore[arg-type]

    def _fill(self, data: pf.HistoryData) -> None:
        set_combo_data(self.kind_combo, data.kind)
        self.institution_edit.setText(data.institution)
        self.start_edit.set_value(data.start_date)
        self.end_edit.set_value(data.end_date)
        self.notes_edit.setPlainText(data.notes)

    def _collect(self, errors: dict[str, str]) -> pf.HistoryData:
        return pf.HistoryData(
            kind=self.kind_combo.currentData(),
            institution=self.institution_edit.text(),
            start_date=self.date_value(self.start_edit, "start_date", errors),
            end_date=self.date_value(self.end_edit, "end_date", errors),
            notes=self.notes_edit.toPlainText(),
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.HistoryData) -> int:
        return pf.save_history(
            session, self.pupil_id, data, today=self.ctx.today(), actor=self.ctx.actor
        )


# ---------------------------------------------------------------------------- assessment

ASSESSMENT_KINDS = [
    QT_TRANSLATE_NOOP("AssessmentDialog", "Intelligentieonderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Dyslexieonderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Dyscalculieonderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Observatie in de groep"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Psychologisch onderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Logopedisch onderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Medisch onderzoek"),
    QT_TRANSLATE_NOOP("AssessmentDialog", "Didactisch onderzoek"),
]


class AssessmentDialog(RecordDialog):
    """Onderzoek en diagnostiek: what, when, by whom, conclusion, declaration, sensitivity."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Onderzoek toevoegen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Onderzoek wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "het onderzoek")
    ID_NAME = "assessment_id"

    def _build(self) -> None:
        self.date_edit = self.row(self.tr("&Datum:"), "date", DateField())
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems([""] + [self.tr(kind) for kind in ASSESSMENT_KINDS])
        self.row(self.tr("&Soort onderzoek:"), "kind", self.kind_combo)
        self.by_edit = self.row(self.tr("&Uitgevoerd door:"), "performed_by", QLineEdit())
        self.conclusion_edit = self.row(self.tr("&Conclusie:"), "conclusion", plain_edit(5))
        self.declaration_combo = QComboBox()
        self.declaration_combo.addItem(self.tr("Geen verklaring"), None)
        for value, label in pf.DECLARATION_LABELS.items():
            if value is not None:
                self.declaration_combo.addItem(self.tr(label), value)
        self.row(self.tr("&Verklaring:"), "declaration", self.declaration_combo)
        self.sensitive_check = QCheckBox(
            self.tr("&Gevoelig (medisch/psychologisch): niet in overzichten")
        )
        self.sensitive_check.setToolTip(
            self.tr(
                "De conclusie staat dan niet in tabellen en overzichten; u leest haar alleen "
                "door het onderzoek te openen."
            )
        )
        self.row(self.tr("Vertrouwelijk:"), "sensitive", self.sensitive_check)
        # Release to the samenwerkingsverband: per report, with a guardian's permission.
        self.release_check = QCheckBox(
            self.tr("Ouders gaven &toestemming om dit verslag te delen met het SWV")
        )
        self.release_check.setObjectName("swv-release")
        self.row(self.tr("Samenwerkingsverband:"), "swv_release", self.release_check)
        self.release_guardian = QComboBox()
        self.release_guardian.setObjectName("swv-guardian")
        self.release_guardian.addItem(self.tr("Kies de ouder/verzorger met gezag"), None)
        with self.ctx.db.session() as s:
            for gid, name in pf.guardian_choices(s, self.pupil_id, custody_only=True):
                self.release_guardian.addItem(name, gid)
        self.row(self.tr("Toestemming &van:"), "swv_guardian_id", self.release_guardian)
        self.release_date = self.row(
            self.tr("Toestemming &op:"), "swv_released_on", DateField()
        )
        self.release_by = QLabel()
        self.release_by.setObjectName("swv-released-by")
        self.form.addRow("", self.release_by)
        self.release_check.toggled.connect(self._on_release_toggled)
        self._on_release_toggled(False)

    def _on_release_toggled(self, on: bool) -> None:
        self.release_guardian.setEnabled(on and not self.read_only)
        self.release_date.setEnabled(on and not self.read_only)
        if on and not self.release_date.line.text().strip():
            self.release_date.set_value(self.ctx.today())

    def _default(self) -> pf.AssessmentData:
        return pf.AssessmentData()

    def _load(self, session: Any) -> pf.AssessmentData:
        return pf.load_assessment(
            session, self.pupil_id, self.record_id, role=account_role(self.ctx)  # type: ignore[arg-type]
        )

    def _fill(self, data: pf.AssessmentData) -> None:
        self.date_edit.set_value(data.date)
        self.kind_combo.setCurrentText(data.kind)
        self.by_edit.setText(data.performed_by)
        self.conclusion_edit.setPlainText(data.conclusion)
        set_combo_data(self.declaration_combo, data.declaration)
        self.sensitive_check.setChecked(data.sensitive)
        released = data.swv_released_on is not None
        if released and self.release_guardian.findData(data.swv_guardian_id) < 0:
            # The guardian left the file (or lost gezag): the record still names them.
            self.release_guardian.addItem(data.swv_guardian_name, data.swv_guardian_id)
        set_combo_data(self.release_guardian, data.swv_guardian_id)
        self.release_date.set_value(data.swv_released_on)
        self.release_check.setChecked(released)
        self._on_release_toggled(released)
        self.release_by.setText(
            self.tr("Vrijgegeven door %s") % data.swv_released_by if data.swv_released_by else ""
        )

    def _collect(self, errors: dict[str, str]) -> pf.AssessmentData:
        released = self.release_check.isChecked()
        on = self.date_value(self.release_date, "swv_released_on", errors) if released else None
        return pf.AssessmentData(
            date=self.date_value(self.date_edit, "date", errors),
            kind=self.kind_combo.currentText(),
            performed_by=self.by_edit.text(),
            conclusion=self.conclusion_edit.toPlainText(),
            declaration=self.declaration_combo.currentData(),
            sensitive=self.sensitive_check.isChecked(),
            swv_released_on=on,
            swv_guardian_id=self.release_guardian.currentData() if released else None,
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.AssessmentData) -> int:
        return pf.save_assessment(
            session,
            self.pupil_id,
            data,
            today=self.ctx.today(),
            actor=self.ctx.actor,
            role=account_role(self.ctx),
        )


# ---------------------------------------------------------------------------- meeting


class MeetingDialog(RecordDialog):
    """A meeting about the pupil: kind, date, notes and decisions."""

    TITLE_NEW = QT_TRANSLATE_NOOP("RecordDialog", "Vergadering toevoegen")
    TITLE_EDIT = QT_TRANSLATE_NOOP("RecordDialog", "Vergadering wijzigen")
    WHAT = QT_TRANSLATE_NOOP("RecordDialog", "de vergadering")
    ID_NAME = "meeting_id"

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind, label in pf.MEETING_KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), kind)
        self.row(self.tr("&Soort:"), "kind", self.kind_combo)
        self.date_edit = self.row(self.tr("&Datum:"), "date", DateField())
        self.held_check = QCheckBox(self.tr("De vergadering is &gehouden"))
        self.row(self.tr("Gehouden:"), "held", self.held_check)
        self.title_edit = self.row(self.tr("&Titel:"), "title", QLineEdit())
        self.title_edit.setPlaceholderText(self.tr("bijv. MDO met de orthopedagoog"))
        self.notes_edit = self.row(self.tr("&Aantekeningen:"), "notes", plain_edit(4))
        self.decisions_edit = self.row(self.tr("&Besluiten:"), "decisions", plain_edit(3))
        self.confidential_check = QCheckBox(
            self.tr("Aantekeningen en besluiten &vertrouwelijk: alleen voor IB en directie")
        )
        self.row(self.tr("Vertrouwelijk:"), "confidential", self.confidential_check)

    def _default(self) -> pf.MeetingData:
        return pf.MeetingData(date=self.ctx.today(), held=True)

    def _load(self, session: Any) -> pf.MeetingData:
        return pf.load_meeting(
            session, self.pupil_id, self.record_id, role=account_role(self.ctx)  # type: ignore[arg-type]
        )

    def _fill(self, data: pf.MeetingData) -> None:
        set_combo_data(self.kind_combo, data.kind)
        self.date_edit.set_value(data.date)
        self.held_check.setChecked(data.held)
        self.title_edit.setText(data.title)
        self.notes_edit.setPlainText(data.notes)
        self.decisions_edit.setPlainText(data.decisions)
        self.confidential_check.setChecked(data.confidential)
        if data.other_pupils:
            self.note.setText(
                self.tr(
                    "Deze vergadering gaat ook over %n andere leerling(en); wijzigingen gelden "
                    "voor allen.",
                    "",
                    data.other_pupils,
                )
            )
            self.note.show()

    def _collect(self, errors: dict[str, str]) -> pf.MeetingData:
        return pf.MeetingData(
            kind=self.kind_combo.currentData(),
            date=self.date_value(self.date_edit, "date", errors),
            title=self.title_edit.text(),
            held=self.held_check.isChecked(),
            notes=self.notes_edit.toPlainText(),
            decisions=self.decisions_edit.toPlainText(),
            confidential=self.confidential_check.isChecked(),
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.MeetingData) -> int:
        return pf.save_meeting(
            session,
            self.pupil_id,
            data,
            today=self.ctx.today(),
            actor=self.ctx.actor,
            role=account_role(self.ctx),
        )

"""Edit dialogs of the pupil file: guardian, care provider, school career, assessment, meeting.

Each dialog is self-contained (its own short session, no navigator needed), so the OPP editor can
reuse them to complete parts 1-3 without leaving the OPP. Each has a classmethod that runs it and
returns the saved id or None::

    gid = GuardianDialog.edit(parent, ctx, pupil_id)            # new guardian
    GuardianDialog.edit(parent, ctx, pupil_id, guardian_id=gid)  # change it

Bad input is shown in Dutch right under the field; cancelling with changes asks first.
This module also holds the dialogs for a new pupil, for leaving school and for deleting a file,
and the small widgets they share (a date field that may be empty and accepts Dutch dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import Pupil, School
from ib_desktop.names import split_tussenvoegsel
from ib_desktop.services import pupil as pf
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.date_field import DateField, calendar_icon  # noqa: F401 - re-exported
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap, FieldWithError
from ib_desktop.ui.widgets.level_style import swatch
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors

WARNING_STYLE = "color: #8a5300;"


# ---------------------------------------------------------------------------- shared widgets


def show_warning(wrapper: FieldWithError, message: str) -> None:
    """A warning under a field: shown in amber, the field keeps its normal border."""
    wrapper.error_label.setText(message)
    wrapper.error_label.setStyleSheet(WARNING_STYLE)
    wrapper.error_label.setVisible(bool(message))


def show_problems(
    errors_map: ErrorMap, errors: dict[str, str], warnings: dict[str, str] | None = None
) -> list[str]:
    """Errors (red) and warnings (amber) beside their fields; returns errors without a field."""
    for w in errors_map.fields.values():
        w.error_label.setStyleSheet(ERROR_STYLE)
    unplaced = errors_map.show(errors)
    for name, message in (warnings or {}).items():
        if name in errors_map.fields and name not in errors:
            show_warning(errors_map.fields[name], message)
    return unplaced


def _tr(text: str) -> str:
    return QCoreApplication.translate("pupil_dialogs", text)


def ask_unsaved(parent: QWidget | None, what: str) -> QMessageBox.StandardButton:
    """Opslaan / Niet opslaan / Annuleren before closing a window with unsaved changes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(_tr("Er zijn wijzigingen in %s die nog niet zijn opgeslagen.") % what)
    box.setInformativeText(
        _tr("Wilt u ze opslaan voordat u sluit? Met 'Niet opslaan' gaan ze verloren.")
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Save).setText(_tr("Opslaan"))
    box.button(QMessageBox.StandardButton.Discard).setText(_tr("Niet opslaan"))
    box.button(QMessageBox.StandardButton.Cancel).setText(_tr("Annuleren"))
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return QMessageBox.StandardButton(box.exec())


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question whose safe answer (No) is the default."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def fill_combo(combo: QComboBox, items: list[tuple[Any, str]], current: Any = None) -> None:
    """Replace a combo's items by (data, text) pairs and select ``current``."""
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def set_combo_data(combo: QComboBox, value: Any) -> None:
    """Select the item whose data is ``value`` (the first item when absent)."""
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)


def widget_state(widget: QWidget) -> Any:
    """What a field currently holds, to notice unsaved changes."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    states = tuple(widget_state(w) for w in widget.findChildren(QWidget) if w is not widget)
    return states


def make_read_only(widget: QWidget, read_only: bool) -> None:
    """Text stays readable and selectable; choices are disabled."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | DateField):
        widget.setReadOnly(read_only)
    else:
        widget.setEnabled(not read_only)


class PlainTextField(QPlainTextEdit):
    """A multi-line form field: opens a few lines high, grows with its dialog.

    Tab moves on to the next field (as in a form) instead of typing a tab.
    """

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * min(lines, 3) + 12)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As high as the number of lines asked for."""
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * self._lines + 14)


def plain_edit(height_lines: int = 4) -> QPlainTextEdit:
    """A multi-line field of ``height_lines`` lines where Tab moves on."""
    return PlainTextField(height_lines)


# ---------------------------------------------------------------------------- the base dialog


class RecordDialog(QDialog):
    """Base of the small edit dialogs: a form, errors beside fields, Opslaan/Annuleren."""

    savedRecord = Signal(int)  # noqa: N815 - Qt naming

    TITLE_NEW: ClassVar[str] = ""
    TITLE_EDIT: ClassVar[str] = ""
    WHAT: ClassVar[str] = "deze gegevens"
    ID_NAME: ClassVar[str] = "record_id"

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        record_id: int | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.record_id = record_id
        self.read_only = read_only
        self.saved_id: int | None = None
        #: The record's version as loaded: the save hands it back, so a change someone else
        #: saved in between is shown instead of silently overwritten.
        self.loaded_version: int | None = None
        self.errors = ErrorMap()
        self.setWindowTitle(self.tr(self.TITLE_EDIT if record_id else self.TITLE_NEW))
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()
        self.buttons = QDialogButtonBox()
        if read_only:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setText(self.tr("Sluiten"))
            self.buttons.rejected.connect(self.reject)
        else:
            self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
            self.save_button.setText(self.tr("Opslaan"))
            self.save_button.setDefault(True)
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(self.tr("Annuleren"))
            self.buttons.accepted.connect(self.accept)
            self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._build()
        self._initial: Any = None

    # -------------------------------------------------------------- for subclasses
    def _build(self) -> None:
        raise NotImplementedError

    def _load(self, session: Any) -> Any:
        """The record's data (called only when editing)."""
        raise NotImplementedError

    def _default(self) -> Any:
        raise NotImplementedError

    def _fill(self, data: Any) -> None:
        raise NotImplementedError

    def _collect(self, errors: dict[str, str]) -> Any:
        """The data in the fields; unreadable input goes into ``errors``."""
        raise NotImplementedError

    def _store(self, session: Any, data: Any) -> int:
        raise NotImplementedError

    # -------------------------------------------------------------- helpers
    def row(self, label: str, name: str, widget: QWidget) -> QWidget:
        """Add a labelled field whose errors show under it."""
        wrapper = self.errors.wrap(name, widget)
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        self.form.addRow(lbl, wrapper)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        return widget

    def date_value(self, field: DateField, name: str, errors: dict[str, str]) -> date | None:
        """The date of a field; a Dutch message in ``errors`` when the text is no date."""
        try:
            return field.value()
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    def _state(self) -> Any:
        return [widget_state(w.field) for w in self.errors.fields.values()]

    def load(self) -> bool:
        """Fill the fields; False (after telling the user) when the record is gone."""
        try:
            if self.record_id is None:
                data = self._default()
            else:
                with self.ctx.db.session() as s:
                    data = self._load(s)
        except pf.RecordGoneError as exc:
            QMessageBox.warning(self.parentWidget(), APP_NAME, str(exc))
            return False
        self.loaded_version = getattr(data, "version", None)
        self._fill(data)
        if self.read_only:
            for w in self.errors.fields.values():
                make_read_only(w.field, True)
        self._initial = self._state()
        return True

    def is_dirty(self) -> bool:
        """True when a field differs from what was loaded."""
        return not self.read_only and self._state() != self._initial

    # -------------------------------------------------------------- slots
    @Slot()
    def accept(self) -> None:
        """Validate and save in one short session; stay open on bad input."""
        if self.read_only:
            super().reject()
            return
        errors: dict[str, str] = {}
        data = self._collect(errors)
        if errors:
            show_problems(self.errors, errors)
            return
        if hasattr(data, "version"):
            data.version = self.loaded_version
        while True:
            try:
                with self.ctx.db.session() as s:
                    saved = self._store(s, data)
                break
            except ValidationErrors as exc:
                for message in show_problems(self.errors, exc.errors):
                    QMessageBox.warning(self, APP_NAME, message)
                return
            except EditConflict as conflict:
                choice = ConflictDialog.choose(self, conflict)
                if choice is ConflictChoice.MINE and conflict.current_version is not None:
                    # On purpose: save again over the version the other person saved.
                    data.version = self.loaded_version = conflict.current_version
                    continue
                if choice is ConflictChoice.THEIRS:
                    # The other version stays; the caller shows it when it reloads.
                    self.saved_id = self.record_id
                    super().accept()
                return  # ConflictChoice.EDIT: back to the fields, nothing lost
            except (ReadOnlyError, pf.RecordGoneError, ConcurrentEditError) as exc:
                QMessageBox.warning(self, APP_NAME, str(exc))
                return
        self.saved_id = saved
        self.savedRecord.emit(saved)
        super().accept()

    @Slot()
    def reject(self) -> None:
        """Cancel; with unsaved changes only after the user agrees to throw them away."""
        if self.is_dirty() and not confirm(
            self,
            self.tr("Wijzigingen weggooien?"),
            self.tr("U heeft %s gewijzigd maar nog niet opgeslagen. Wijzigingen weggooien?")
            % self.tr(self.WHAT),
        ):
            return
        super().reject()

    # -------------------------------------------------------------- entry points
    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        record_id: int | None = None,
        **named_id: int | None,
    ) -> int | None:
        """Run the dialog (new record without an id); the saved id, or None.

        The id may also be named after the record (``guardian_id=``, ``care_id=``,
        ``entry_id=``, ``assessment_id=``, ``meeting_id=``), as the OPP editor calls it.
        """
        if named_id:
            if set(named_id) != {cls.ID_NAME}:
                raise TypeError(
                    f"{cls.__name__}.edit() takes {cls.ID_NAME}=, not {sorted(named_id)}"
                )
            record_id = named_id[cls.ID_NAME]
        dialog = cls(parent, ctx, pupil_id, record_id)
        if not dialog.load():
            return None
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved_id
        return None

    @classmethod
    def view(cls, parent: QWidget | None, ctx: AppContext, pupil_id: int, record_id: int) -> None:
        """Show a record without the possibility to change it (file of a pupil who left)."""
        dialog = cls(parent, ctx, pupil_id, record_id, read_only=True)
        if dialog.load():
            dialog.exec()


# ---------------------------------------------------------------------------- guardian


class GuardianDialog(RecordDialog):
    """A parent or guardian: name, relation, gezag, contact details."""

    TITLE_NEW = "Ouder/verzorger toevoegen"
    TITLE_EDIT = "Ouder/verzorger wijzigen"
    WHAT = "de ouder/verzorger"
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
        self.email_edit.setPlaceholderText("naam@voorbeeld.nl")
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
    "jeugdhulp",
    "behandeling (GGZ)",
    "logopedie",
    "fysiotherapie",
    "ergotherapie",
    "gezinsbegeleiding",
    "ambulante begeleiding",
    "schoolmaatschappelijk werk",
    "jeugdarts (GGD)",
]


class CareProviderDialog(RecordDialog):
    """Hulpverlening around the pupil, the school or the family."""

    TITLE_NEW = "Hulpverlening toevoegen"
    TITLE_EDIT = "Hulpverlening wijzigen"
    WHAT = "de hulpverlening"
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
        self.kind_combo.addItems([""] + CARE_KINDS)
        self.row(self.tr("&Soort hulp:"), "kind", self.kind_combo)
        self.phone_edit = self.row(self.tr("&Telefoon:"), "phone", QLineEdit())
        self.email_edit = self.row(self.tr("&E-mail:"), "email", QLineEdit())
        self.start_edit = self.row(self.tr("&Van:"), "start_date", DateField())
        self.end_edit = self.row(self.tr("Tot en &met:"), "end_date", DateField())
        self.notes_edit = self.row(self.tr("Notit&ies:"), "notes", plain_edit(3))

    def _default(self) -> pf.CareProviderData:
        return pf.CareProviderData()

    def _load(self, session: Any) -> pf.CareProviderData:
        return pf.load_care_provider(session, self.pupil_id, self.record_id)  # type: ignore[arg-type]

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
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.CareProviderData) -> int:
        return pf.save_care_provider(session, self.pupil_id, data, actor=self.ctx.actor)


# ---------------------------------------------------------------------------- school career


class HistoryDialog(RecordDialog):
    """A step of the school career: voorschoolse periode, previous school, SBO/SO."""

    TITLE_NEW = "Schoolloopbaan aanvullen"
    TITLE_EDIT = "Schoolloopbaan wijzigen"
    WHAT = "de schoolloopbaan"
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
    "Intelligentieonderzoek",
    "Dyslexieonderzoek",
    "Dyscalculieonderzoek",
    "Observatie in de groep",
    "Psychologisch onderzoek",
    "Logopedisch onderzoek",
    "Medisch onderzoek",
    "Didactisch onderzoek",
]


class AssessmentDialog(RecordDialog):
    """Onderzoek en diagnostiek: what, when, by whom, conclusion, declaration, sensitivity."""

    TITLE_NEW = "Onderzoek toevoegen"
    TITLE_EDIT = "Onderzoek wijzigen"
    WHAT = "het onderzoek"
    ID_NAME = "assessment_id"

    def _build(self) -> None:
        self.date_edit = self.row(self.tr("&Datum:"), "date", DateField())
        self.kind_combo = QComboBox()
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems([""] + ASSESSMENT_KINDS)
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

    def _default(self) -> pf.AssessmentData:
        return pf.AssessmentData()

    def _load(self, session: Any) -> pf.AssessmentData:
        return pf.load_assessment(session, self.pupil_id, self.record_id)  # type: ignore[arg-type]

    def _fill(self, data: pf.AssessmentData) -> None:
        self.date_edit.set_value(data.date)
        self.kind_combo.setCurrentText(data.kind)
        self.by_edit.setText(data.performed_by)
        self.conclusion_edit.setPlainText(data.conclusion)
        set_combo_data(self.declaration_combo, data.declaration)
        self.sensitive_check.setChecked(data.sensitive)

    def _collect(self, errors: dict[str, str]) -> pf.AssessmentData:
        return pf.AssessmentData(
            date=self.date_value(self.date_edit, "date", errors),
            kind=self.kind_combo.currentText(),
            performed_by=self.by_edit.text(),
            conclusion=self.conclusion_edit.toPlainText(),
            declaration=self.declaration_combo.currentData(),
            sensitive=self.sensitive_check.isChecked(),
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.AssessmentData) -> int:
        return pf.save_assessment(
            session, self.pupil_id, data, today=self.ctx.today(), actor=self.ctx.actor
        )


# ---------------------------------------------------------------------------- meeting


class MeetingDialog(RecordDialog):
    """A meeting about the pupil: kind, date, notes and decisions."""

    TITLE_NEW = "Vergadering toevoegen"
    TITLE_EDIT = "Vergadering wijzigen"
    WHAT = "de vergadering"
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

    def _default(self) -> pf.MeetingData:
        return pf.MeetingData(date=self.ctx.today(), held=True)

    def _load(self, session: Any) -> pf.MeetingData:
        return pf.load_meeting(session, self.pupil_id, self.record_id)  # type: ignore[arg-type]

    def _fill(self, data: pf.MeetingData) -> None:
        set_combo_data(self.kind_combo, data.kind)
        self.date_edit.set_value(data.date)
        self.held_check.setChecked(data.held)
        self.title_edit.setText(data.title)
        self.notes_edit.setPlainText(data.notes)
        self.decisions_edit.setPlainText(data.decisions)
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
            id=self.record_id,
        )

    def _store(self, session: Any, data: pf.MeetingData) -> int:
        return pf.save_meeting(
            session, self.pupil_id, data, today=self.ctx.today(), actor=self.ctx.actor
        )


# ---------------------------------------------------------------------------- name row


@dataclass
class NameFields:
    """First name, tussenvoegsel and last name side by side, with errors under each."""

    row: QWidget
    first: QLineEdit
    tussenvoegsel: QLineEdit
    last: QLineEdit


def name_fields(errors: ErrorMap, parent: QWidget) -> NameFields:
    """The three name fields in one row; the row itself shows the duplicate-pupil message."""
    first = QLineEdit()
    first.setPlaceholderText(parent.tr("voornaam"))
    first.setAccessibleName(parent.tr("Voornaam"))
    tv = QLineEdit()
    tv.setPlaceholderText(parent.tr("tussenv."))
    tv.setAccessibleName(parent.tr("Tussenvoegsel"))
    tv.setMinimumWidth(72)
    tv.setMaximumWidth(110)
    last = QLineEdit()
    last.setPlaceholderText(parent.tr("achternaam"))
    last.setAccessibleName(parent.tr("Achternaam"))
    inner = QWidget()
    lay = QHBoxLayout(inner)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(errors.wrap("first_name", first), 3)
    lay.addWidget(errors.wrap("tussenvoegsel", tv), 1)
    lay.addWidget(errors.wrap("last_name", last), 4)
    lay.setAlignment(Qt.AlignmentFlag.AlignTop)
    row = errors.wrap("name", inner)
    row.setFocusProxy(first)

    def split() -> None:
        # "van der Berg" typed as last name: move the tussenvoegsel to its own field.
        if not tv.text().strip():
            found, rest = split_tussenvoegsel(last.text())
            if found:
                tv.setText(found)
                last.setText(rest)

    last.editingFinished.connect(split)
    return NameFields(row, first, tv, last)


# ---------------------------------------------------------------------------- new pupil


class NewPupilDialog(QDialog):
    """Add a pupil by hand; refuses a second pupil with the same name and birth date."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id: int | None = None
        self.setWindowTitle(self.tr("Nieuwe leerling"))
        self.setMinimumWidth(560)
        self.errors = ErrorMap()
        with ctx.db.session() as s:
            groups = pf.group_choices(s, ctx.school_id, ctx.today())
            levels = pf.school_levels(s, ctx.school_id)
        form = QFormLayout()
        self.names = name_fields(self.errors, self)
        name_label = QLabel(self.tr("&Naam:"))
        name_label.setBuddy(self.names.first)
        form.addRow(name_label, self.names.row)
        self.birth_edit = DateField()
        self.birth_edit.setAccessibleName(self.tr("Geboortedatum"))
        self._add(form, self.tr("&Geboortedatum:"), "birth_date", self.birth_edit)
        self.group_combo = QComboBox()
        self.group_combo.addItem(self.tr("(nog geen groep)"), None)
        for gid, name in groups:
            self.group_combo.addItem(self.tr("Groep %s") % name, gid)
        self._add(form, self.tr("G&roep:"), "group_id", self.group_combo)
        if not groups:
            hint = QLabel(
                self.tr(
                    "Er zijn nog geen groepen. Maak ze onder Instellingen > Groepen en "
                    "medewerkers, of importeer ze uit het LVS."
                )
            )
            hint.setObjectName("no-groups-hint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555555;")
            form.addRow("", hint)
        self.first_day_edit = DateField()
        self._add(form, self.tr("&Eerste schooldag:"), "first_school_day", self.first_day_edit)
        self.enrolled_edit = DateField()
        self._add(form, self.tr("Datum &inschrijving:"), "enrolled_on", self.enrolled_edit)
        self.lvs_edit = QLineEdit()
        self.lvs_edit.setPlaceholderText(
            self.tr("optioneel, bijv. het leerlingnummer in ParnasSys")
        )
        self._add(form, self.tr("&LVS-nummer:"), "lvs_id", self.lvs_edit)
        self.level_combo = QComboBox()
        for lvl in levels:
            self.level_combo.addItem(level_icon(lvl.color), lvl.label, lvl.id)
        self._add(form, self.tr("&Startniveau:"), "level_id", self.level_combo)
        # The start level runs from the enrolment date unless the IB-er says otherwise.
        self.level_start_edit = DateField(ctx.today())
        self._add(form, self.tr("Startniveau &vanaf:"), "level_start", self.level_start_edit)
        self.enrolled_edit.textChanged.connect(self._on_enrolled_changed)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("Toevoegen en openen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.names.first.setFocus()

    def _add(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(lbl, self.errors.wrap(name, widget))

    def data(self, errors: dict[str, str]) -> pf.PupilData:
        """What was typed; unreadable dates go into ``errors``."""
        out = pf.PupilData(
            first_name=self.names.first.text(),
            tussenvoegsel=self.names.tussenvoegsel.text(),
            last_name=self.names.last.text(),
            group_id=self.group_combo.currentData(),
            lvs_id=self.lvs_edit.text(),
        )
        for name, edit in (
            ("birth_date", self.birth_edit),
            ("first_school_day", self.first_day_edit),
            ("enrolled_on", self.enrolled_edit),
        ):
            try:
                setattr(out, name, edit.value())
            except ValueError as exc:
                errors[name] = str(exc)
        return out

    def level_start(self, errors: dict[str, str]) -> date | None:
        """The date the start level runs from (None: the enrolment date, or today)."""
        try:
            return self.level_start_edit.value()
        except ValueError as exc:
            errors["level_start"] = str(exc)
            return None

    @Slot(str)
    def _on_enrolled_changed(self, text: str) -> None:
        # Until the IB-er changes it, the start level follows the enrolment date.
        if not self.level_start_edit.isModified():
            try:
                enrolled = self.enrolled_edit.value()
            except ValueError:
                return
            self.level_start_edit.set_value(enrolled or self.ctx.today())

    def _dirty(self) -> bool:
        return any(
            w.text().strip()
            for w in (
                self.names.first,
                self.names.tussenvoegsel,
                self.names.last,
                self.birth_edit,
                self.first_day_edit,
                self.enrolled_edit,
                self.lvs_edit,
            )
        )

    @Slot()
    def accept(self) -> None:
        """Check and add the pupil; the dialog stays open with the reasons beside the fields."""
        errors: dict[str, str] = {}
        data = self.data(errors)
        level_start = self.level_start(errors)
        if errors:
            show_problems(self.errors, errors)
            return
        try:
            with self.ctx.db.session() as s:
                pupil = pf.create_pupil(
                    s,
                    self.ctx.school_id,
                    data,
                    level_id=self.level_combo.currentData(),
                    level_start=level_start,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
                self.pupil_id = pupil.id
        except ValidationErrors as exc:
            for message in show_problems(self.errors, exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return
        super().accept()

    @Slot()
    def reject(self) -> None:
        """Cancel; what was typed is only thrown away after asking."""
        if self._dirty() and not confirm(
            self,
            self.tr("Nieuwe leerling"),
            self.tr("De leerling is nog niet toegevoegd. Wat u heeft ingevuld weggooien?"),
        ):
            return
        super().reject()

    @classmethod
    def create(cls, parent: QWidget | None, ctx: AppContext) -> int | None:
        """Run the dialog; the new pupil's id, or None when cancelled."""
        dialog = cls(parent, ctx)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.pupil_id
        return None


def level_icon(color: str, size: int = 12) -> QIcon:
    """A small square in a level's colour (the shared look from ``level_style``)."""
    return swatch(color, size)


# ---------------------------------------------------------------------------- leaving school


class LeaveSchoolDialog(QDialog):
    """The pupil leaves: date and destination; the file becomes read-only."""

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, pupil_id: int, expected_version: int | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.expected_version = expected_version
        self.delete_after: date | None = None
        self.errors = ErrorMap()
        with ctx.db.session() as s:
            pupil = s.get(Pupil, pupil_id)
            self._name = pupil.full_name if pupil else ""
            self._school = s.get(School, ctx.school_id)
            self._settings = dict(self._school.settings or {}) if self._school else {}
        self.setWindowTitle(self.tr("Leerling vertrekt - %s") % self._name)
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Leg vast dat %s de school verlaat. Het lopende ondersteuningsniveau en een "
                "lopend OPP worden op de datum van vertrek afgesloten en het dossier wordt "
                "alleen-lezen. Het dossier blijft bewaard tot het einde van de bewaartermijn."
            )
            % self._name
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.date_edit = DateField(ctx.today())
        self._add(form, self.tr("&Datum van vertrek:"), "left_on", self.date_edit)
        self.kind_combo = QComboBox()
        for kind, label in pf.LEAVE_KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), kind)
        self._add(form, self.tr("&Gaat naar:"), "kind", self.kind_combo)
        self.destination_edit = QLineEdit()
        self.destination_edit.setPlaceholderText(
            self.tr("naam van de school of plaats, bijv. SBO De Brug")
        )
        self._add(form, self.tr("&Bestemming:"), "destination", self.destination_edit)
        self.retention_label = QLabel()
        self.retention_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("Vertrek vastleggen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuleren"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.retention_label)
        layout.addWidget(buttons)
        self.date_edit.textChanged.connect(self._on_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_changed)
        self._on_changed()

    def _add(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        lbl = QLabel(label)
        lbl.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        form.addRow(lbl, self.errors.wrap(name, widget))

    @Slot()
    def _on_changed(self) -> None:
        try:
            left_on = self.date_edit.value()
        except ValueError:
            left_on = None
        kind = self.kind_combo.currentData()
        years = pf.retention_years(self._school, kind)
        if left_on is None:
            self.retention_label.setText(self.tr("Bewaartermijn: %d jaar na vertrek.") % years)
        else:
            self.retention_label.setText(
                self.tr("Bewaartermijn: %d jaar. Het dossier mag worden verwijderd vanaf %s.")
                % (years, long_date(pf.delete_after_for(self._school, left_on, kind)))
            )

    @Slot()
    def accept(self) -> None:
        """Register the departure (one transaction); stay open on bad input."""
        errors: dict[str, str] = {}
        try:
            left_on = self.date_edit.value()
        except ValueError as exc:
            errors["left_on"] = str(exc)
            left_on = None
        if errors:
            show_problems(self.errors, errors)
            return
        try:
            with self.ctx.db.session() as s:
                self.delete_after = pf.leave_school(
                    s,
                    self.pupil_id,
                    left_on,
                    self.kind_combo.currentData(),
                    self.destination_edit.text(),
                    expected_version=self.expected_version,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except ValidationErrors as exc:
            for message in show_problems(self.errors, exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return
        except (ReadOnlyError, ConcurrentEditError, pf.RecordGoneError) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        super().accept()

    @classmethod
    def leave(
        cls,
        parent: QWidget | None,
        ctx: AppContext,
        pupil_id: int,
        expected_version: int | None = None,
    ) -> date | None:
        """Run the dialog; the date from which the file may be deleted, or None when cancelled."""
        dialog = cls(parent, ctx, pupil_id, expected_version)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.delete_after
        return None


# ---------------------------------------------------------------------------- deleting a file


class DeleteFileDialog(QDialog):
    """Strong confirmation before a pupil's whole file is deleted; a record of it is kept."""

    def __init__(self, parent: QWidget | None, ctx: AppContext, pupil_id: int) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.errors = ErrorMap()
        with ctx.db.session() as s:
            pupil = s.get(Pupil, pupil_id)
            self.full_name = pupil.full_name if pupil else ""
            self.delete_after = pupil.delete_after if pupil else None
            self.left_on = pupil.left_on if pupil else None
        self.early = bool(self.delete_after and ctx.today() < self.delete_after)
        self.setWindowTitle(self.tr("Dossier verwijderen - %s") % self.full_name)
        self.setMinimumWidth(560)
        text = QLabel(
            self.tr(
                "<b>Het volledige dossier van %s wordt definitief verwijderd</b>: "
                "persoonsgegevens, ouders, hulpverlening, onderzoek, vergaderingen, niveaus, "
                "korte interventies, groeidocumenten en OPP's. Dit kan niet ongedaan worden "
                "gemaakt. Alleen een registratie dat het dossier is verwijderd blijft bewaard "
                "(zonder naam of inhoud)."
            )
            % self.full_name
        )
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.early_check: QCheckBox | None = None
        if self.early:
            warn = QLabel(
                self.tr(
                    "Let op: de bewaartermijn loopt nog tot %s. Verwijder het dossier alleen "
                    "eerder "
                    "als daar een reden voor is, bijvoorbeeld een verzoek van de ouders."
                )
                % long_date(self.delete_after)
            )
            warn.setWordWrap(True)
            warn.setStyleSheet(ERROR_STYLE)
            layout.addWidget(warn)
            self.early_check = QCheckBox(
                self.tr("Ik verwijder het dossier &vóór het einde van de bewaartermijn")
            )
            layout.addWidget(self.errors.wrap("delete_after", self.early_check))
        prompt = QLabel(
            self.tr("Typ ter bevestiging de naam van de leerling: <b>%s</b>") % self.full_name
        )
        prompt.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Naam van de leerling ter bevestiging"))
        prompt.setBuddy(self.name_edit)
        layout.addWidget(prompt)
        layout.addWidget(self.errors.wrap("confirm_name", self.name_edit))
        buttons = QDialogButtonBox()
        self.delete_button = QPushButton(self.tr("Definitief verwijderen"))
        self.delete_button.setEnabled(False)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Annuleren"))
        cancel.setDefault(True)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(self._on_changed)
        if self.early_check is not None:
            self.early_check.toggled.connect(self._on_changed)

    @Slot()
    def _on_changed(self) -> None:
        typed = pf.clean(self.name_edit.text()).lower() == pf.clean(self.full_name).lower()
        early_ok = self.early_check is None or self.early_check.isChecked()
        self.delete_button.setEnabled(typed and early_ok)

    @Slot()
    def accept(self) -> None:
        """Delete in one transaction, writing the retention record."""
        try:
            with self.ctx.db.session() as s:
                pf.delete_file(
                    s,
                    self.pupil_id,
                    confirm_name=self.name_edit.text(),
                    today=self.ctx.today(),
                    allow_early=bool(self.early_check and self.early_check.isChecked()),
                    actor=self.ctx.actor,
                )
        except ValidationErrors as exc:
            for message in show_problems(self.errors, exc.errors):
                QMessageBox.warning(self, APP_NAME, message)
            return
        except pf.RecordGoneError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        super().accept()

    @classmethod
    def delete(cls, parent: QWidget | None, ctx: AppContext, pupil_id: int) -> bool:
        """Run the dialog; True when the file was deleted."""
        return cls(parent, ctx, pupil_id).exec() == QDialog.DialogCode.Accepted

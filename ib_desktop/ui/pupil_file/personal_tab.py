"""The tab Persoonsgegevens of the pupil file: edited in place, saved with Ctrl+S.

Saving hands back the version that was loaded (optimistic locking on ``Pupil.version``); a
conflict is shown in the conflict dialog. The recovery guard keeps what is typed, so a crash
loses at most the field being typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.services import pupil as pf
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.pupil_file.form_helpers import (
    confirm,
    name_fields,
    plain_edit,
    show_problems,
)
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors


class PersonalDataMixin:
    """The personal data form of :class:`PupilFileWindow`: build, fill, check, save, recover.

    Owns the form fields, ``_dirty``, ``_filling`` and ``_version`` (the version the form was
    loaded at); uses the window's ``ctx``, ``file``, ``errors``, ``guard``, ``tabs``, ``reload``
    and ``_changed``.
    """

    def _build_personal(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.names = name_fields(self.errors, self)
        label = QLabel(QCoreApplication.translate("PupilFileWindow", "&Naam:"))
        label.setBuddy(self.names.first)
        form.addRow(label, self.names.row)
        self.gender_combo = QComboBox()
        for value, text in pf.GENDER_LABELS.items():
            self.gender_combo.addItem(QCoreApplication.translate("PupilFileWindow", text), value)
        self.birth_edit = DateField()
        self.first_day_edit = DateField()
        self.enrolled_edit = DateField()
        self.lvs_edit = QLineEdit()
        self.lvs_edit.setMaximumWidth(220)
        self.group_combo = QComboBox()
        self.family_edit = plain_edit(3)
        self.family_edit.setMaximumHeight(self.family_edit.fontMetrics().lineSpacing() * 6 + 12)
        self.family_edit.setPlaceholderText(
            QCoreApplication.translate(
                "PupilFileWindow",
                "Bijv. woont bij moeder en stiefvader, twee oudere broers; om het weekend bij "
                "vader.",
            )
        )
        self.notes_edit = plain_edit(4)
        for text, name, widget in (
            (
                QCoreApplication.translate("PupilFileWindow", "&Geslacht:"),
                "gender",
                self.gender_combo,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "Ge&boortedatum:"),
                "birth_date",
                self.birth_edit,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "&Eerste schooldag:"),
                "first_school_day",
                self.first_day_edit,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "&Ingeschreven op:"),
                "enrolled_on",
                self.enrolled_edit,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "&LVS-nummer:"),
                "lvs_id",
                self.lvs_edit,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "G&roep:"),
                "group_id",
                self.group_combo,
            ),
            (
                QCoreApplication.translate("PupilFileWindow", "Gezinssa&menstelling:"),
                "family_composition",
                self.family_edit,
            ),
            (QCoreApplication.translate("PupilFileWindow", "Notitie&s:"), "notes", self.notes_edit),
        ):
            lbl = QLabel(text)
            lbl.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(lbl, self.errors.wrap(name, widget))
        self.gender_combo.setMaximumWidth(260)
        self.group_combo.setMaximumWidth(260)
        self.save_button = QPushButton(QCoreApplication.translate("PupilFileWindow", "Opslaan"))
        self.save_button.setToolTip(QCoreApplication.translate("PupilFileWindow", "Ctrl+S"))
        self.revert_button = QPushButton(
            QCoreApplication.translate("PupilFileWindow", "Wijzigingen ongedaan maken")
        )
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._on_revert)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.saved_label, 1)
        inner = QWidget()
        inner_lay = QVBoxLayout(inner)
        inner_lay.addLayout(form)
        inner_lay.addLayout(buttons)
        inner_lay.addStretch(1)
        inner.setMaximumWidth(820)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)
        for edit in (
            self.names.first,
            self.names.tussenvoegsel,
            self.names.last,
            self.birth_edit,
            self.first_day_edit,
            self.enrolled_edit,
            self.lvs_edit,
        ):
            edit.textChanged.connect(self._on_form_edited)
        for combo in (self.gender_combo, self.group_combo):
            combo.currentIndexChanged.connect(self._on_form_edited)
        for text_edit in (self.family_edit, self.notes_edit):
            text_edit.textChanged.connect(self._on_form_edited)
        return page

    def _form_widgets(self) -> list[QWidget]:
        return [
            self.names.first,
            self.names.tussenvoegsel,
            self.names.last,
            self.gender_combo,
            self.birth_edit,
            self.first_day_edit,
            self.enrolled_edit,
            self.lvs_edit,
            self.group_combo,
            self.family_edit,
            self.notes_edit,
        ]

    def _fill_form(self, file: pf.PupilFile, groups: list[tuple[int, str]]) -> None:
        self._filling = True
        try:
            data = file.data
            self.names.first.setText(data.first_name)
            self.names.tussenvoegsel.setText(data.tussenvoegsel)
            self.names.last.setText(data.last_name)
            index = self.gender_combo.findData(data.gender)
            self.gender_combo.setCurrentIndex(max(0, index))
            self.birth_edit.set_value(data.birth_date)
            self.first_day_edit.set_value(data.first_school_day)
            self.enrolled_edit.set_value(data.enrolled_on)
            self.lvs_edit.setText(data.lvs_id)
            self.group_combo.clear()
            self.group_combo.addItem(
                QCoreApplication.translate("PupilFileWindow", "(geen groep)"), None
            )
            for gid, name in groups:
                self.group_combo.addItem(
                    QCoreApplication.translate("PupilFileWindow", "Groep %s") % name, gid
                )
            if data.group_id is not None and self.group_combo.findData(data.group_id) < 0:
                self.group_combo.addItem(
                    QCoreApplication.translate("PupilFileWindow", "Groep %s (ander schooljaar)")
                    % file.group_name,
                    data.group_id,
                )
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(data.group_id)))
            self.family_edit.setPlainText(data.family_composition)
            self.notes_edit.setPlainText(data.notes)
        finally:
            self._filling = False
        self._version = file.version
        self._set_dirty(False)
        self.errors.clear()
        with self.ctx.db.session() as s:
            _errors, warnings = pf.check_pupil(
                s, self.ctx.school_id, data, today=self.ctx.today(), pupil_id=self.pupil_id
            )
        show_problems(self.errors, {}, warnings)

    # -------------------------------------------------------------- the form
    def is_dirty(self) -> bool:
        """The personal data holds edits that are not saved."""
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.setWindowModified(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.saved_label.setText(
                QCoreApplication.translate("PupilFileWindow", "Niet opgeslagen wijzigingen")
            )

    @Slot()
    def _on_form_edited(self, *_args: Any) -> None:
        if self._filling or (self.file is not None and self.file.read_only):
            return
        self._set_dirty(True)
        self.guard.changed()

    def form_data(self, errors: dict[str, str]) -> pf.PupilData:
        """The personal data in the form; unreadable dates go into ``errors``."""
        data = pf.PupilData(
            first_name=self.names.first.text(),
            tussenvoegsel=self.names.tussenvoegsel.text(),
            last_name=self.names.last.text(),
            gender=self.gender_combo.currentData() or "",
            group_id=self.group_combo.currentData(),
            lvs_id=self.lvs_edit.text(),
            family_composition=self.family_edit.toPlainText(),
            notes=self.notes_edit.toPlainText(),
        )
        for name, edit in (
            ("birth_date", self.birth_edit),
            ("first_school_day", self.first_day_edit),
            ("enrolled_on", self.enrolled_edit),
        ):
            try:
                setattr(data, name, edit.value())
            except ValueError as exc:
                errors[name] = str(exc)
        return data

    @Slot()
    def save(self) -> bool:
        """Save the personal data (Ctrl+S); False when it could not be saved (reason shown)."""
        if self.file is None or self.file.read_only:
            return False
        if not self._dirty:
            return True
        errors: dict[str, str] = {}
        data = self.form_data(errors)
        if errors:
            self._show_form_errors(errors)
            return False
        expected = self._version or 0
        try:
            while True:
                try:
                    with self.ctx.db.session() as s:
                        self._version, warnings = pf.update_pupil(
                            s,
                            self.pupil_id,
                            data,
                            expected_version=expected,
                            today=self.ctx.today(),
                            actor=self.ctx.actor,
                        )
                    break
                except EditConflict as conflict:
                    choice = ConflictDialog.choose(self, conflict)
                    if choice is ConflictChoice.MINE and conflict.current_version is not None:
                        expected = conflict.current_version  # overwrite, on purpose
                        continue
                    if choice is ConflictChoice.THEIRS:
                        # The other version stays: show it, nothing of this form is kept.
                        self.guard.discard()
                        self._set_dirty(False)
                        self.reload(form=True)
                        self.statusBar().showMessage(
                            QCoreApplication.translate(
                                "PupilFileWindow", "De versie van %s is gehouden."
                            )
                            % conflict.who,
                            5000,
                        )
                        return True
                    return False  # back to editing, the form keeps every change
        except ValidationErrors as exc:
            self._show_form_errors(exc.errors)
            return False
        except (ConcurrentEditError, ReadOnlyError, pf.RecordGoneError) as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                str(exc)
                + "\n\n"
                + QCoreApplication.translate(
                    "PupilFileWindow",
                    "Uw wijzigingen staan nog in het venster. Met 'Opnieuw laden' (F5) haalt u "
                    "de opgeslagen gegevens op.",
                ),
            )
            return False
        self.guard.saved()
        self._set_dirty(False)
        self.reload(form=True)
        show_problems(self.errors, {}, warnings)
        self.saved_label.setText(QCoreApplication.translate("PupilFileWindow", "Opgeslagen"))
        self.statusBar().showMessage(
            QCoreApplication.translate("PupilFileWindow", "Persoonsgegevens opgeslagen."), 5000
        )
        self._changed()
        return True

    def _show_form_errors(self, errors: dict[str, str]) -> None:
        self.tabs.setCurrentIndex(0)
        for message in show_problems(self.errors, errors):
            QMessageBox.warning(self, APP_NAME, message)

    @Slot()
    def _on_revert(self) -> None:
        if self._dirty and confirm(
            self,
            QCoreApplication.translate("PupilFileWindow", "Wijzigingen ongedaan maken"),
            QCoreApplication.translate(
                "PupilFileWindow",
                "De niet-opgeslagen wijzigingen in de persoonsgegevens weggooien?",
            ),
        ):
            self.guard.discard()
            self._set_dirty(False)
            self.reload(form=True)

    @Slot()
    def _on_reload(self) -> None:
        if self._dirty and not confirm(
            self,
            QCoreApplication.translate("PupilFileWindow", "Opnieuw laden"),
            QCoreApplication.translate(
                "PupilFileWindow",
                "Bij opnieuw laden gaan de niet-opgeslagen wijzigingen in de persoonsgegevens "
                "verloren. Doorgaan?",
            ),
        ):
            return
        if self._dirty:
            self.guard.discard()
        self._set_dirty(False)
        self.reload(form=True)

    # -------------------------------------------------------------- recovery
    def _recovery_payload(self) -> dict[str, Any]:
        return {
            "first_name": self.names.first.text(),
            "tussenvoegsel": self.names.tussenvoegsel.text(),
            "last_name": self.names.last.text(),
            "gender": self.gender_combo.currentData() or "",
            "birth_date": self.birth_edit.text(),
            "first_school_day": self.first_day_edit.text(),
            "enrolled_on": self.enrolled_edit.text(),
            "lvs_id": self.lvs_edit.text(),
            "group_id": self.group_combo.currentData(),
            "family_composition": self.family_edit.toPlainText(),
            "notes": self.notes_edit.toPlainText(),
        }

    def apply_recovered(self, payload: dict[str, Any]) -> None:
        """Put edits kept after a crash back into the form (saved only when the user saves)."""
        texts = {
            "first_name": self.names.first,
            "tussenvoegsel": self.names.tussenvoegsel,
            "last_name": self.names.last,
            "birth_date": self.birth_edit,
            "first_school_day": self.first_day_edit,
            "enrolled_on": self.enrolled_edit,
            "lvs_id": self.lvs_edit,
        }
        for key, edit in texts.items():
            if key in payload:
                edit.setText(str(payload[key] or ""))
        if "gender" in payload:
            self.gender_combo.setCurrentIndex(max(0, self.gender_combo.findData(payload["gender"])))
        if "group_id" in payload:
            self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(payload["group_id"])))
        if "family_composition" in payload:
            self.family_edit.setPlainText(payload["family_composition"] or "")
        if "notes" in payload:
            self.notes_edit.setPlainText(payload["notes"] or "")
        self._set_dirty(True)
        self.tabs.setCurrentIndex(0)

    @Slot()
    def _offer_recovery(self) -> None:
        if self.file is None or self.file.read_only:
            return
        from ib_desktop.ui.recovery import ask_restore

        payload = ask_restore(self.ctx, self.guard.key, self)
        if payload:
            self.apply_recovered(payload)

"""The dialogs of a pupil's life cycle: a new pupil, leaving school, deleting the file.

``new_pupil_action`` is the menu action Bestand > Nieuwe leerling… (Ctrl+N).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import Pupil, School
from ib_desktop.services import pupil as pf
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.pupil_file.form_helpers import confirm, level_icon, name_fields, show_problems
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors


def add_form_row(
    form: QFormLayout, errors: ErrorMap, label: str, name: str, widget: QWidget
) -> None:
    """A labelled field whose errors show under it, named for screen readers after its label."""
    lbl = QLabel(label)
    lbl.setBuddy(widget)
    widget.setAccessibleName(label.replace("&", "").rstrip(":"))
    form.addRow(lbl, errors.wrap(name, widget))


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
        add_form_row(form, self.errors, label, name, widget)

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
        add_form_row(form, self.errors, label, name, widget)

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


def new_pupil_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Bestand > Nieuwe leerling… (Ctrl+N): add a pupil by hand and open the new file."""
    pupil_id = NewPupilDialog.create(parent, ctx)
    if pupil_id is not None:
        nav.notify_changed()
        nav.open_pupil(pupil_id)

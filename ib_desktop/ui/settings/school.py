"""Instellingen > School: the school's name, BRIN, region, logo and the rhythms it keeps."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.models import Region
from ib_desktop.services.school_settings import (
    SchoolSettings,
    check_school_settings,
    load_school_settings,
    save_school_settings,
)
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.validation import ValidationErrors

LOGO_MAX = (800, 400)


class SchoolTab(QWidget):
    """The school's name, BRIN, samenwerkingsverband, region, logo and rhythms."""

    dirtyChanged = Signal(bool)  # noqa: N815

    REGIONS = (
        (Region.NOORD, QT_TRANSLATE_NOOP("SchoolTab", "Noord")),
        (Region.MIDDEN, QT_TRANSLATE_NOOP("SchoolTab", "Midden")),
        (Region.ZUID, QT_TRANSLATE_NOOP("SchoolTab", "Zuid")),
    )

    def __init__(
        self, ctx: AppContext, nav: Navigator | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._saved: SchoolSettings | None = None
        self._logo: bytes | None = None
        self._loading = False
        self._build()
        self.reload()

    def _build(self) -> None:
        self.errors = ErrorMap()
        self.name_edit = QLineEdit()
        self.brin_edit = QLineEdit()
        self.brin_edit.setPlaceholderText(self.tr("bijv. 12AB"))
        self.brin_edit.setMaximumWidth(120)
        self.swv_edit = QLineEdit()
        self.region_combo = QComboBox()
        for region, text in self.REGIONS:
            self.region_combo.addItem(QCoreApplication.translate("SchoolTab", text), region.value)
        self.address_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setMaximumWidth(200)
        self.evaluations_spin = QSpinBox()
        self.evaluations_spin.setRange(1, 12)
        self.evaluations_spin.setSuffix(self.tr(" keer per jaar"))
        self.zorgplicht_spin = QSpinBox()
        self.zorgplicht_spin.setRange(1, 52)
        self.zorgplicht_spin.setSuffix(self.tr(" weken"))
        self.extension_spin = QSpinBox()
        self.extension_spin.setRange(0, 52)
        self.extension_spin.setSuffix(self.tr(" weken"))
        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(1, 20)
        self.retention_spin.setSuffix(self.tr(" jaar na vertrek"))
        self.retention_special_spin = QSpinBox()
        self.retention_special_spin.setRange(1, 20)
        self.retention_special_spin.setSuffix(self.tr(" jaar na vertrek"))
        self.retention_special_spin.setToolTip(
            self.tr("Voor leerlingen die naar het SBO of SO zijn verwezen")
        )
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(240, 90)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #c0c0c0; background: white;")
        self.logo_choose = QPushButton(self.tr("Afbeelding &kiezen…"))
        self.logo_remove = QPushButton(self.tr("Logo &weghalen"))
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.logo_choose)
        logo_buttons.addWidget(self.logo_remove)
        logo_buttons.addStretch(1)
        logo_row = QWidget()
        logo_layout = QHBoxLayout(logo_row)
        logo_layout.setContentsMargins(0, 0, 0, 0)
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addLayout(logo_buttons)
        logo_layout.addStretch(1)

        school_box = QGroupBox(self.tr("School"))
        form = QFormLayout(school_box)
        form.addRow(self.tr("&Naam:"), self.errors.wrap("name", self.name_edit))
        form.addRow(self.tr("&BRIN-nummer:"), self.errors.wrap("brin", self.brin_edit))
        form.addRow(self.tr("&Samenwerkingsverband:"), self.swv_edit)
        form.addRow(self.tr("Vakantie&regio:"), self.region_combo)
        form.addRow(self.tr("&Adres:"), self.address_edit)
        form.addRow(self.tr("&Telefoon:"), self.phone_edit)
        form.addRow(self.tr("&Logo:"), self.errors.wrap("logo", logo_row))
        rhythm_box = QGroupBox(self.tr("Ritme en termijnen"))
        rhythm = QFormLayout(rhythm_box)
        rhythm.addRow(
            self.tr("OPP met ouders &evalueren:"),
            self.errors.wrap("opp_evaluations_per_year", self.evaluations_spin),
        )
        rhythm.addRow(
            self.tr("&Zorgplicht na aanmelding:"),
            self.errors.wrap("zorgplicht_weeks", self.zorgplicht_spin),
        )
        rhythm.addRow(
            self.tr("&Eenmaal verlengen met:"),
            self.errors.wrap("zorgplicht_extension_weeks", self.extension_spin),
        )
        rhythm.addRow(
            self.tr("&Dossier bewaren:"),
            self.errors.wrap("retention_years", self.retention_spin),
        )
        rhythm.addRow(
            self.tr("Na verwijzing naar SBO/SO &bewaren:"),
            self.errors.wrap("retention_years_special", self.retention_special_spin),
        )
        for f in (form, rhythm):
            for row in range(f.rowCount()):
                label = f.itemAt(row, QFormLayout.ItemRole.LabelRole)
                field = f.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if label and field and isinstance(label.widget(), QLabel):
                    label.widget().setBuddy(field.widget())

        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.setToolTip(self.tr("Opslaan (Ctrl+S)"))
        self.undo_button = QPushButton(self.tr("Wijzigingen &ongedaan maken"))
        self.status_label = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.save_button)
        for spin in self._spins():
            spin.setMinimumWidth(170)
            spin.setMaximumWidth(200)
        for box in (school_box, rhythm_box):
            box.setMaximumWidth(820)
        layout = QVBoxLayout(self)
        layout.addWidget(school_box)
        layout.addWidget(rhythm_box)
        layout.addStretch(1)
        layout.addLayout(bottom)

        for w in (
            self.name_edit,
            self.brin_edit,
            self.swv_edit,
            self.address_edit,
            self.phone_edit,
        ):
            w.textEdited.connect(self._on_edited)
        self.region_combo.currentIndexChanged.connect(self._on_edited)
        for spin in self._spins():
            spin.valueChanged.connect(self._on_edited)
        self.logo_choose.clicked.connect(self._on_choose_logo)
        self.logo_remove.clicked.connect(self._on_remove_logo)
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self._on_undo)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Show the saved settings."""
        with self.ctx.db.session() as s:
            self._saved = load_school_settings(s, self.ctx.school_id)
        self._show(self._saved)

    def _show(self, data: SchoolSettings) -> None:
        self._loading = True
        self.name_edit.setText(data.name)
        self.brin_edit.setText(data.brin)
        self.swv_edit.setText(data.swv_name)
        self.region_combo.setCurrentIndex(self.region_combo.findData(Region(data.region).value))
        self.address_edit.setText(data.address)
        self.phone_edit.setText(data.phone)
        self.evaluations_spin.setValue(data.opp_evaluations_per_year)
        self.zorgplicht_spin.setValue(data.zorgplicht_weeks)
        self.extension_spin.setValue(data.zorgplicht_extension_weeks)
        self.retention_spin.setValue(data.retention_years)
        self.retention_special_spin.setValue(data.retention_years_special)
        self._logo = data.logo_png
        self._show_logo()
        self._loading = False
        self.errors.clear()
        self._update_status()

    def _show_logo(self) -> None:
        if self._logo:
            pix = QPixmap()
            pix.loadFromData(QByteArray(self._logo), "PNG")
            self.logo_preview.setPixmap(
                pix.scaled(
                    self.logo_preview.size() - QSize(8, 8),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("geen logo"))
        self.logo_remove.setEnabled(self._logo is not None)

    def data(self) -> SchoolSettings:
        """The settings as the form shows them."""
        return SchoolSettings(
            name=self.name_edit.text(),
            brin=self.brin_edit.text(),
            swv_name=self.swv_edit.text(),
            region=Region(self.region_combo.currentData()),
            address=self.address_edit.text(),
            phone=self.phone_edit.text(),
            opp_evaluations_per_year=self.evaluations_spin.value(),
            zorgplicht_weeks=self.zorgplicht_spin.value(),
            zorgplicht_extension_weeks=self.extension_spin.value(),
            logo_png=self._logo,
            retention_years=self.retention_spin.value(),
            retention_years_special=self.retention_special_spin.value(),
        )

    def _spins(self) -> tuple[QSpinBox, ...]:
        return (
            self.evaluations_spin,
            self.zorgplicht_spin,
            self.extension_spin,
            self.retention_spin,
            self.retention_special_spin,
        )

    def has_unsaved_changes(self) -> bool:
        """True when the form differs from what is saved."""
        return self._saved is not None and self.data() != self._saved

    def discard(self) -> None:
        """Back to the saved settings."""
        if self._saved is not None:
            self._show(self._saved)

    @Slot()
    def _on_edited(self) -> None:
        if self._loading:
            return
        errors = check_school_settings(self.data())
        # Live: only clear messages that are fixed; new ones appear on save (no nagging).
        for key, w in self.errors.fields.items():
            if w.error_label.isVisible() and key not in errors:
                w.set_error("")
            elif w.error_label.isVisible():
                w.set_error(errors[key])
        self._update_status()

    def _update_status(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        if dirty:
            self.status_label.setText(self.tr("Er zijn wijzigingen die nog niet zijn opgeslagen."))
            self.status_label.setStyleSheet("color: #8a6d00;")
        else:
            self.status_label.setText(self.tr("Alle wijzigingen zijn opgeslagen."))
            self.status_label.setStyleSheet("color: #2e7d32;")
        self.dirtyChanged.emit(dirty)

    @Slot()
    def save(self) -> bool:
        """Save the form; False with messages beside the fields when something is wrong."""
        data = self.data()

        def store(version: int | None) -> SchoolSettings:
            data.version = version
            with self.ctx.db.session() as s:
                return save_school_settings(s, self.ctx.school_id, data, actor=self.ctx.actor)

        try:
            outcome = save_or_choose(
                self, store, self._saved.version if self._saved is not None else None
            )
        except ValidationErrors as exc:
            unplaced = self.errors.show(exc.errors)
            self.status_label.setText(
                self.tr("Niet opgeslagen: verbeter eerst wat rood is gemarkeerd.")
                + ("" if not unplaced else " " + " ".join(unplaced))
            )
            self.status_label.setStyleSheet(ERROR_STYLE)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:
                self.reload()  # what the other person saved, in the form
                if self.nav is not None:
                    self.nav.notify_changed()
            return False
        self._saved = outcome.result
        self._show(self._saved)
        setter = getattr(self.nav, "setWindowTitle", None)
        if setter is not None:
            setter(f"{APP_NAME} - {self._saved.name}")
        if self.nav is not None:
            self.nav.notify_changed()
        return True

    @Slot()
    def _on_undo(self) -> None:
        if not self.has_unsaved_changes():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Wijzigingen ongedaan maken"),
            self.tr("De niet-opgeslagen wijzigingen aan de schoolgegevens ongedaan maken?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.discard()

    @Slot()
    def _on_choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Logo kiezen"),
            "",
            self.tr("Afbeeldingen (*.png *.jpg *.jpeg *.bmp *.gif);;Alle bestanden (*)"),
        )
        if not path:
            return
        image = QImage(path)
        if image.isNull():
            self.errors.fields["logo"].set_error(
                self.tr("Dit bestand is geen afbeelding die kan worden gelezen.")
            )
            return
        self.set_logo_image(image)

    def set_logo_image(self, image: QImage) -> None:
        """Use an image as the logo: scaled down to fit and stored as PNG."""
        if image.width() > LOGO_MAX[0] or image.height() > LOGO_MAX[1]:
            image = image.scaled(
                LOGO_MAX[0],
                LOGO_MAX[1],
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        self._logo = bytes(buffer.data().data())
        self.errors.fields["logo"].set_error("")
        self._show_logo()
        self._update_status()

    @Slot()
    def _on_remove_logo(self) -> None:
        self._logo = None
        self._show_logo()
        self._update_status()

"""Instellingen: the school, its support structure, development areas, holidays and backups.

Each tab is a widget ``Cls(ctx, nav, parent)`` listed in :data:`SETTINGS_TABS` and built the first
time it is shown, so colleagues add a tab with one line. A tab that edits may offer
``has_unsaved_changes() -> bool``, ``save() -> bool`` and ``discard()``; the page then asks before
the main window closes with unsaved settings.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.models import Region
from ib_desktop.services.school_settings import (
    AreaDraft,
    SchoolSettings,
    check_areas,
    check_school_settings,
    load_areas,
    load_school_settings,
    save_areas,
    save_school_settings,
)
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog, save_or_choose
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.validation import ValidationErrors

# title, "module:Class" -- built lazily; a module that is not there yet is left out.
SETTINGS_TABS: list[tuple[str, str]] = [
    ("School", "ib_desktop.ui.settings:SchoolTab"),
    ("Ondersteuningsstructuur", "ib_desktop.ui.structure_editor:StructureEditor"),
    ("Ontwikkelingsgebieden", "ib_desktop.ui.settings:AreasTab"),
    ("Groepen en medewerkers", "ib_desktop.ui.groups_staff:GroupsStaffTab"),
    ("Vakanties", "ib_desktop.ui.holidays_editor:HolidaysTab"),
    ("Back-ups", "ib_desktop.ui.backup:BackupSettingsTab"),
]

LOGO_MAX = (800, 400)


def _module_exists(path: str) -> bool:
    module_name = path.partition(":")[0]
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:
        return False


class SettingsPage(QWidget):
    """The settings, one tab per subject, each built when first opened."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings-tabs")
        self.tabs.setDocumentMode(True)
        self._paths: list[str] = []
        self._built: dict[int, QWidget] = {}
        for title, path in SETTINGS_TABS:
            if not _module_exists(path):
                continue
            placeholder = QWidget()
            self.tabs.addTab(placeholder, self.tr(title))
            self._paths.append(path)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        if self.tabs.count():
            self._build(0)
        if isinstance(nav, QObject):
            nav.installEventFilter(self)

    # ------------------------------------------------------------------ tabs
    def titles(self) -> list[str]:
        """The titles of the tabs shown."""
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab(self, title: str) -> QWidget:
        """The tab with this title, built (and shown) on demand."""
        index = self.titles().index(title)
        self.tabs.setCurrentIndex(index)
        return self._build(index)

    def _build(self, index: int) -> QWidget:
        if index in self._built:
            return self._built[index]
        from ib_desktop.ui.main_window import load_symbol

        cls = load_symbol(self._paths[index])
        if cls is None:
            widget: QWidget = QLabel(self.tr("Dit onderdeel is nog niet beschikbaar."))
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            widget = cls(self.ctx, self.nav, self)
        title = self.tabs.tabText(index)
        old = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        old.deleteLater()
        self._built[index] = widget
        return widget

    @Slot(int)
    def _on_tab_changed(self, index: int) -> None:
        if index >= 0:
            self._build(index)

    # ------------------------------------------------------------------ unsaved changes
    def unsaved_tabs(self) -> list[tuple[str, QWidget]]:
        """The tabs with edits that are not saved yet."""
        out = []
        for index, widget in self._built.items():
            check = getattr(widget, "has_unsaved_changes", None)
            if check is not None and check():
                out.append((self.tabs.tabText(index), widget))
        return out

    def has_unsaved_changes(self) -> bool:
        """True when any tab has unsaved edits."""
        return bool(self.unsaved_tabs())

    def confirm_close(self) -> bool:
        """Ask what to do with unsaved settings; False when the user wants to stay."""
        dirty = self.unsaved_tabs()
        if not dirty:
            return True
        names = ", ".join(f"'{title}'" for title, _w in dirty)
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr("De instellingen %s hebben wijzigingen die nog niet zijn opgeslagen. Opslaan?")
            % names,
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            for _title, widget in dirty:
                if not widget.save():  # type: ignore[attr-defined]
                    self.tabs.setCurrentWidget(widget)
                    if hasattr(self.nav, "show_page"):
                        self.nav.show_page("instellingen")
                    return False
            return True
        if answer == QMessageBox.StandardButton.Discard:
            for _title, widget in dirty:
                widget.discard()  # type: ignore[attr-defined]
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Before the main window closes, make sure no setting is dropped silently."""
        if watched is self.nav and event.type() == QEvent.Type.Close and not self.confirm_close():
            event.ignore()
            return True
        return False


# ---------------------------------------------------------------------------- school tab


class SchoolTab(QWidget):
    """The school's name, BRIN, samenwerkingsverband, region, logo and rhythms."""

    dirtyChanged = Signal(bool)  # noqa: N815

    REGIONS = ((Region.NOORD, "Noord"), (Region.MIDDEN, "Midden"), (Region.ZUID, "Zuid"))

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
            self.region_combo.addItem(self.tr(text), region.value)
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
        for spin in (self.evaluations_spin, self.zorgplicht_spin, self.extension_spin):
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
        for spin in (self.evaluations_spin, self.zorgplicht_spin, self.extension_spin):
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
                pix.scaled(self.logo_preview.size() - QSize(8, 8),
                           Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )  # fmt: skip
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


# ---------------------------------------------------------------------------- development areas


class AreasModel(QAbstractTableModel):
    """The school's development areas in their order (the order groeidocumenten use)."""

    COL_NAME, COL_STATUS, COL_USED = range(3)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._areas: list[AreaDraft] = []
        self._headers = [
            self.tr("Ontwikkelingsgebied"),
            self.tr("Status"),
            self.tr("Gebruikt in doelen"),
        ]
        self._grey = QBrush(QColor("#757575"))
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_areas(self, areas: list[AreaDraft]) -> None:
        """Show this list (the tab's draft list itself)."""
        self.beginResetModel()
        self._areas = areas
        self.endResetModel()

    def refresh(self) -> None:
        """The list changed in place."""
        if self._areas:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._areas) - 1, 2))

    def area(self, row: int) -> AreaDraft | None:
        """The area on a row."""
        return self._areas[row] if 0 <= row < len(self._areas) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._areas)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 3
        ):
            return self._headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        area = self.area(index.row()) if index.isValid() else None
        if area is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return area.name
            if col == self.COL_STATUS:
                if area.id is None:
                    return self.tr("nieuw")
                return self.tr("in gebruik") if area.active else self.tr("uit gebruik")
            return str(area.used) if area.used else ""
        if role == self.SortRole:
            return (index.row(), area.active, area.used)[col]
        if role == self.RowRole:
            return area
        if role == Qt.ItemDataRole.ForegroundRole and not area.active:
            return self._grey
        if role == Qt.ItemDataRole.FontRole and not area.active:
            return self._italic
        return None


class AreasTab(QWidget):
    """Add, rename, reorder and switch off the development areas of groeidocumenten."""

    def __init__(
        self, ctx: AppContext, nav: Navigator | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._saved: list[AreaDraft] = []
        self._areas: list[AreaDraft] = []
        self._loading = False
        self._build()
        self.reload()

    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "De ontwikkelingsgebieden van een groeidocument, in deze volgorde. Een gebied dat "
                "al is opgeslagen kan niet worden verwijderd, wel uit gebruik worden genomen; "
                "bestaande groeidocumenten houden de naam waarmee ze zijn geschreven."
            )
        )
        intro.setWordWrap(True)
        self.model = AreasModel(self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Ontwikkelingsgebieden"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(AreasModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(AreasModel.COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(AreasModel.COL_USED, QHeaderView.ResizeMode.ResizeToContents)
        self.errors = ErrorMap()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName(self.tr("Naam van het ontwikkelingsgebied"))
        name_form = QFormLayout()
        name_label = QLabel(self.tr("&Naam:"))
        name_field = self.errors.wrap("name", self.name_edit)
        name_label.setBuddy(name_field)
        name_form.addRow(name_label, name_field)
        self.add_button = QPushButton(self.tr("&Toevoegen"))
        self.up_button = QPushButton(self.tr("Om&hoog"))
        self.down_button = QPushButton(self.tr("Om&laag"))
        self.active_button = QPushButton(self.tr("&Uit gebruik nemen"))
        self.delete_button = QPushButton(self.tr("&Verwijderen"))
        self.delete_button.setToolTip(self.tr("Alleen voor een gebied dat nog niet is opgeslagen"))
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.up_button,
            self.down_button,
            self.active_button,
            self.delete_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.list_error = QLabel()
        self.list_error.setStyleSheet(ERROR_STYLE)
        self.list_error.hide()
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.undo_button = QPushButton(self.tr("Wijzigingen &ongedaan maken"))
        self.status_label = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.save_button)
        content = QWidget()
        content.setMaximumWidth(820)
        content.setMinimumWidth(620)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(intro)
        inner.addWidget(self.table, 1)
        inner.addLayout(name_form)
        inner.addWidget(self.list_error)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(content, 1, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(bottom)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.add_button.clicked.connect(self._on_add)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.active_button.clicked.connect(self._on_toggle_active)
        self.delete_button.clicked.connect(self._on_delete)
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self._on_undo)
        for key, slot in (
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence("Ctrl+Up"), lambda: self._move(-1)),
            (QKeySequence("Ctrl+Down"), lambda: self._move(1)),
            (QKeySequence(Qt.Key.Key_Insert), self._on_add),
        ):
            sc = QShortcut(key, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    def reload(self) -> None:
        """Show the saved list."""
        with self.ctx.db.session() as s:
            self._saved = load_areas(s, self.ctx.school_id)
        self._show([AreaDraft(a.id, a.name, a.active, a.used, a.version) for a in self._saved], 0)

    def _show(self, areas: list[AreaDraft], row: int) -> None:
        self._areas = areas
        self.model.set_areas(areas)
        if areas:
            self.select_row(min(row, len(areas) - 1))
        self._changed()

    def current_row(self) -> int:
        """The selected row (-1 when none)."""
        return self.table.currentIndex().row()

    def select_row(self, row: int) -> None:
        """Select an area and put its name in the field."""
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows,
        )
        self._fill(row)

    def _fill(self, row: int) -> None:
        area = self.model.area(row)
        self._loading = True
        self.name_edit.setText(area.name if area else "")
        self.name_edit.setEnabled(area is not None)
        self._loading = False
        self._update_buttons()
        self._show_errors()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._fill(current.row())

    def _update_buttons(self) -> None:
        row = self.current_row()
        area = self.model.area(row)
        self.up_button.setEnabled(area is not None and row > 0)
        self.down_button.setEnabled(area is not None and row < len(self._areas) - 1)
        self.active_button.setEnabled(area is not None and area.id is not None)
        self.active_button.setText(
            self.tr("&Weer in gebruik nemen")
            if area is not None and not area.active
            else self.tr("&Uit gebruik nemen")
        )
        self.delete_button.setEnabled(area is not None and area.id is None)

    @Slot()
    def _on_name_edited(self) -> None:
        area = self.model.area(self.current_row())
        if area is None or self._loading:
            return
        area.name = self.name_edit.text()
        self._changed()

    @Slot()
    def _on_add(self) -> None:
        self._areas.append(AreaDraft(name=self.tr("Nieuw gebied")))
        self.model.set_areas(self._areas)
        self.select_row(len(self._areas) - 1)
        self._changed()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _move(self, delta: int) -> None:
        row = self.current_row()
        target = row + delta
        if row < 0 or not 0 <= target < len(self._areas):
            return
        self._areas[row], self._areas[target] = self._areas[target], self._areas[row]
        self.model.set_areas(self._areas)
        self.select_row(target)
        self._changed()

    @Slot()
    def _on_toggle_active(self) -> None:
        area = self.model.area(self.current_row())
        if area is None or area.id is None:
            return
        area.active = not area.active
        self._changed()

    @Slot()
    def _on_delete(self) -> None:
        row = self.current_row()
        area = self.model.area(row)
        if area is None:
            return
        if area.id is not None:
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr(
                    "Een opgeslagen ontwikkelingsgebied kan niet worden verwijderd; "
                    "neem het uit gebruik."
                ),
            )
            return
        del self._areas[row]
        self.model.set_areas(self._areas)
        if self._areas:
            self.select_row(min(row, len(self._areas) - 1))
        self._changed()

    def _changed(self) -> None:
        self.model.refresh()
        self._update_buttons()
        self._show_errors()
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        if self._errors:
            self.status_label.setText(
                self.tr("Niet opgeslagen: verbeter eerst wat rood is gemarkeerd.")
            )
            self.status_label.setStyleSheet(ERROR_STYLE)
        elif dirty:
            self.status_label.setText(self.tr("Er zijn wijzigingen die nog niet zijn opgeslagen."))
            self.status_label.setStyleSheet("color: #8a6d00;")
        else:
            self.status_label.setText(self.tr("Alle wijzigingen zijn opgeslagen."))
            self.status_label.setStyleSheet("color: #2e7d32;")

    def _show_errors(self) -> None:
        self._errors = check_areas(self._areas)
        self.errors.fields["name"].set_error(self._errors.get(f"{self.current_row()}.name", ""))
        general = self._errors.get("areas", "")
        self.list_error.setText(general)
        self.list_error.setVisible(bool(general))

    def has_unsaved_changes(self) -> bool:
        """True when the list differs from what is saved."""
        return [(a.id, a.name, a.active) for a in self._areas] != [
            (a.id, a.name, a.active) for a in self._saved
        ]

    def discard(self) -> None:
        """Back to the saved list."""
        self._show(
            [AreaDraft(a.id, a.name, a.active, a.used, a.version) for a in self._saved],
            self.current_row(),
        )

    @Slot()
    def save(self) -> bool:
        """Save the list; False (with the message beside the field) when it cannot be."""
        errors = check_areas(self._areas)
        if errors:
            bad = [int(k.split(".")[0]) for k in errors if k[:1].isdigit()]
            if bad:
                self.select_row(min(bad))
                self.name_edit.setFocus()
            self._changed()
            return False
        row = self.current_row()
        while True:
            try:
                with self.ctx.db.session() as s:
                    saved = save_areas(
                        s, self.ctx.school_id, self._areas, actor=self.ctx.actor,
                        loaded_ids=[a.id for a in self._saved if a.id is not None],
                    )  # fmt: skip
                break
            except ValidationErrors as exc:
                self.list_error.setText("; ".join(exc.errors.values()))
                self.list_error.show()
                return False
            except EditConflict as conflict:
                choice = ConflictDialog.choose(self, conflict)
                mine = next((a for a in self._areas if a.id == conflict.record_id), None)
                if choice is ConflictChoice.MINE and conflict.current_version is not None and mine:
                    mine.version = conflict.current_version  # on purpose, over the other's
                    continue
                if choice is ConflictChoice.THEIRS:
                    self.reload()  # the list as the other person saved it
                    if self.nav is not None:
                        self.nav.notify_changed()
                return False
        self._saved = saved
        self._show([AreaDraft(a.id, a.name, a.active, a.used, a.version) for a in self._saved], max(row, 0))
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
            self.tr("De niet-opgeslagen wijzigingen aan de ontwikkelingsgebieden ongedaan maken?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.discard()

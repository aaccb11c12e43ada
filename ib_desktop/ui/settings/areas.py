"""Instellingen > Ontwikkelingsgebieden: the development areas groeidocumenten use, in order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.services.school_settings import (
    AreaDraft,
    check_areas,
    load_areas,
    save_areas,
)
from ib_desktop.services.versioned import EditConflict
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, ConflictDialog
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, TableModel
from ib_desktop.validation import ValidationErrors


class AreasModel(TableModel):
    """The school's development areas in their order (the order groeidocumenten use)."""

    COL_NAME, COL_STATUS, COL_USED = range(3)
    SortRole = SORT_ROLE
    RowRole = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        self._rows = areas
        self.endResetModel()

    def refresh(self) -> None:
        """The list changed in place."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 2))

    def area(self, row: int) -> AreaDraft | None:
        """The area on a row."""
        return self.row_at(row)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        area = self.area(index.row()) if index.isValid() else None
        if area is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(area, col)
        if role == self.SortRole:
            return (index.row(), area.active, area.used)[col]
        if role == self.RowRole:
            return area
        if role == Qt.ItemDataRole.ForegroundRole and not area.active:
            return self._grey
        if role == Qt.ItemDataRole.FontRole and not area.active:
            return self._italic
        return None

    def _text(self, area: AreaDraft, col: int) -> str:
        if col == self.COL_NAME:
            return area.name
        if col == self.COL_STATUS:
            if area.id is None:
                return self.tr("nieuw")
            return self.tr("in gebruik") if area.active else self.tr("uit gebruik")
        return str(area.used) if area.used else ""


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
        self._show(
            [AreaDraft(a.id, a.name, a.active, a.used, a.version) for a in self._saved], max(row, 0)
        )
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

"""The support-structure editor: the school's staircase of levels, edited and saved explicitly.

Edits go into a draft (``services.structure.StructureDraft``); "Opslaan" stores it in one unit of
work, "Wijzigingen ongedaan maken" returns to what is saved. A level that a pupil was ever placed
on cannot be deleted, only retired, so no pupil's history is ever lost.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.services.structure import (
    LevelDraft,
    LevelUsage,
    StructureDraft,
    delete_refusal,
    first_error_level,
    level_errors,
    level_usage,
    load_structure,
    new_level,
    save_structure,
    usage_of,
    validate,
)
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.settings.level_details import LevelDetails, set_buddies
from ib_desktop.ui.settings.structure_model import LevelListModel
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.validation import ValidationErrors


class StructureEditor(QWidget):
    """Add, rename, reorder, describe and retire the levels of the school's staircase."""

    saved = Signal()
    dirtyChanged = Signal(bool)  # noqa: N815

    def __init__(
        self, ctx: AppContext, nav: Navigator | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._saved_draft: StructureDraft | None = None
        self._draft: StructureDraft | None = None
        self._usage: dict[int, LevelUsage] = {}
        self._loading = False
        self._was_dirty = False
        self._build()
        self._connect()
        self.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.errors = ErrorMap()
        self.structure_name = QLineEdit()
        self.structure_name.setAccessibleName(self.tr("Naam van de ondersteuningsstructuur"))
        self.structure_description = QPlainTextEdit()
        self.structure_description.setTabChangesFocus(True)
        self.structure_description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        top = QFormLayout()
        top.addRow(self.tr("&Naam:"), self.errors.wrap("name", self.structure_name))
        top.addRow(self.tr("Om&schrijving:"), self.structure_description)
        set_buddies(top)

        self.model = LevelListModel(self)
        self.table = QTableView()
        self.table.setObjectName("levels-table")
        self.table.setAccessibleName(self.tr("Niveaus"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(
            LevelListModel.COL_POSITION, QHeaderView.ResizeMode.ResizeToContents
        )
        hh.setSectionResizeMode(LevelListModel.COL_NAME, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(LevelListModel.COL_DOCUMENTS, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(LevelListModel.COL_USE, QHeaderView.ResizeMode.ResizeToContents)
        hh.setMinimumSectionSize(40)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setMinimumWidth(420)

        self.add_button = QPushButton(self.tr("&Toevoegen"))
        self.add_button.setToolTip(self.tr("Een niveau bovenaan de trap toevoegen (Insert)"))
        self.up_button = QPushButton(self.tr("Om&hoog"))
        self.up_button.setToolTip(self.tr("Een plaats lager op de trap zetten (Ctrl+Omhoog)"))
        self.down_button = QPushButton(self.tr("Om&laag"))
        self.down_button.setToolTip(self.tr("Een plaats hoger op de trap zetten (Ctrl+Omlaag)"))
        self.retire_button = QPushButton(self.tr("&Buiten gebruik stellen"))
        self.delete_button = QPushButton(self.tr("&Verwijderen"))
        self.delete_button.setToolTip(
            self.tr("Een niveau dat nooit is gebruikt verwijderen (Delete)")
        )
        buttons = QHBoxLayout()
        for b in (
            self.add_button,
            self.up_button,
            self.down_button,
            self.retire_button,
            self.delete_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.list_error = QLabel()
        self.list_error.setStyleSheet(ERROR_STYLE)
        self.list_error.setWordWrap(True)
        self.list_error.hide()
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.table, 1)
        left.addWidget(self.list_error)
        left.addLayout(buttons)
        left_widget = QWidget()
        left_widget.setLayout(left)

        # -- details of the selected level
        self.details = LevelDetails(self.errors)
        d = self.details
        self.level_name, self.level_description = d.level_name, d.level_description
        self.tier_combo, self.role_combo, self.weeks_edit = d.tier_combo, d.role_combo, d.weeks_edit
        self.doc_checks, self.any_check = d.doc_checks, d.any_check
        self.color_button, self.usage_label = d.color_button, d.usage_label

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])
        splitter.setChildrenCollapsible(False)

        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.setToolTip(self.tr("Wijzigingen opslaan (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.undo_button = QPushButton(self.tr("Wijzigingen &ongedaan maken"))
        self.status_label = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.save_button)

        intro = QLabel(
            self.tr(
                "De trap van ondersteuningsniveaus van de school, van licht (1) naar zwaar. "
                "Een niveau waarop ooit een leerling heeft gestaan, kan niet worden verwijderd: "
                "stel het buiten gebruik, dan blijft de geschiedenis bewaard."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        for key, slot in (
            (QKeySequence(QKeySequence.StandardKey.Save), self._on_save),
            (QKeySequence(Qt.Key.Key_Insert), self._on_add),
            (QKeySequence("Ctrl+Up"), self._on_up),
            (QKeySequence("Ctrl+Down"), self._on_down),
        ):
            sc = QShortcut(key, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.structure_name.textEdited.connect(self._on_structure_edited)
        self.structure_description.textChanged.connect(self._on_structure_edited)
        self.level_name.textEdited.connect(self._on_level_edited)
        self.level_description.textChanged.connect(self._on_level_edited)
        self.tier_combo.currentIndexChanged.connect(self._on_level_edited)
        self.role_combo.currentIndexChanged.connect(self._on_level_edited)
        self.weeks_edit.textEdited.connect(self._on_level_edited)
        for check in self.doc_checks.values():
            check.toggled.connect(self._on_level_edited)
        self.any_check.toggled.connect(self._on_level_edited)
        self.color_button.clicked.connect(self._on_pick_color)
        self.add_button.clicked.connect(self._on_add)
        self.up_button.clicked.connect(self._on_up)
        self.down_button.clicked.connect(self._on_down)
        self.retire_button.clicked.connect(self._on_retire)
        self.delete_button.clicked.connect(self._on_delete)
        self.save_button.clicked.connect(self._on_save)
        self.undo_button.clicked.connect(self._on_undo)
        changed = getattr(self.nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._on_data_changed)

    # ------------------------------------------------------------------ state
    @property
    def draft(self) -> StructureDraft:
        """The staircase as edited (not necessarily saved)."""
        assert self._draft is not None
        return self._draft

    def has_unsaved_changes(self) -> bool:
        """True when the draft differs from what is saved."""
        return self._draft is not None and self._draft != self._saved_draft

    def reload(self) -> None:
        """Load the saved staircase (dropping the draft; callers ask first)."""
        self._show_stored(select=0)

    def _show_stored(self, *, select: int | None) -> None:
        """Load the saved staircase and how its levels are used, and show it as the draft."""
        with self.ctx.db.session() as s:
            draft = load_structure(s, self.ctx.school_id)
            self._usage = level_usage(s, draft.id)
        self._saved_draft = draft
        self._show_draft(draft.copy(), select=select)

    def discard(self) -> None:
        """Throw the unsaved edits away."""
        if self._saved_draft is not None:
            self._show_draft(self._saved_draft.copy(), select=self.current_row())

    def _show_draft(self, draft: StructureDraft, *, select: int | None) -> None:
        self._loading = True
        self._draft = draft
        self.structure_name.setText(draft.name)
        self.structure_description.setPlainText(draft.description)
        self.model.set_levels(draft.levels, self._usage, set())
        self._loading = False
        if draft.levels:
            self.select_row(min(select or 0, len(draft.levels) - 1))
        else:
            self._fill_details(None)
        self._validate()

    def current_row(self) -> int:
        """The selected level's row (-1 when none)."""
        return self.table.currentIndex().row()

    def current_level(self) -> LevelDraft | None:
        """The selected level."""
        return self.model.level(self.current_row())

    def select_row(self, row: int) -> None:
        """Select a level and show its details."""
        index = self.model.index(row, LevelListModel.COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index,
            self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self._fill_details(self.model.level(row))

    # ------------------------------------------------------------------ details
    def _fill_details(self, lvl: LevelDraft | None) -> None:
        self._loading = True
        self.details.setEnabled(lvl is not None)
        row = self.current_row()
        self.details.setTitle(
            self.tr("Niveau %d") % (row + 1) if lvl is not None else self.tr("Niveau")
        )
        self.details.show_level(lvl or LevelDraft())
        self._loading = False
        self._update_buttons()
        self._show_level_errors()

    def _update_buttons(self) -> None:
        lvl = self.current_level()
        row = self.current_row()
        count = self.model.rowCount()
        self.up_button.setEnabled(lvl is not None and row > 0)
        self.down_button.setEnabled(lvl is not None and row < count - 1)
        self.delete_button.setEnabled(lvl is not None)
        self.retire_button.setEnabled(lvl is not None)
        self.retire_button.setText(
            self.tr("Weer in &gebruik nemen")
            if lvl is not None and lvl.retired
            else self.tr("&Buiten gebruik stellen")
        )
        self.details.show_usage(lvl, self.model.usage(lvl) if lvl is not None else None)

    @Slot()
    def _on_level_edited(self) -> None:
        if self._loading:
            return
        lvl = self.current_level()
        if lvl is None:
            return
        self.details.apply_to(lvl)
        self._changed()

    @Slot()
    def _on_structure_edited(self) -> None:
        if self._loading or self._draft is None:
            return
        self._draft.name = self.structure_name.text()
        self._draft.description = self.structure_description.toPlainText()
        self._changed()

    @Slot()
    def _on_pick_color(self) -> None:
        lvl = self.current_level()
        if lvl is None:
            return
        color = QColorDialog.getColor(QColor(lvl.color), self, self.tr("Kleur van het niveau"))
        if color.isValid():
            lvl.color = color.name()
            self.details.show_color(lvl.color)
            self._changed()

    # ------------------------------------------------------------------ list actions
    @Slot()
    def _on_add(self) -> None:
        if self._draft is None:
            return
        self._draft.levels.append(new_level(self._draft))
        self.model.set_levels(self._draft.levels, self._usage, set())
        self.select_row(len(self._draft.levels) - 1)
        self._changed()
        self.level_name.setFocus()
        self.level_name.selectAll()

    def _move(self, delta: int) -> None:
        row = self.current_row()
        target = row + delta
        if self._draft is None or row < 0 or not 0 <= target < len(self._draft.levels):
            return
        levels = self._draft.levels
        levels[row], levels[target] = levels[target], levels[row]
        self.model.set_levels(levels, self._usage, set())
        self.select_row(target)
        self._changed()

    @Slot()
    def _on_up(self) -> None:
        self._move(-1)

    @Slot()
    def _on_down(self) -> None:
        self._move(1)

    @Slot()
    def _on_retire(self) -> None:
        lvl = self.current_level()
        if lvl is None:
            return
        lvl.retired = not lvl.retired
        self._changed()

    @Slot()
    def _on_delete(self) -> None:
        lvl = self.current_level()
        row = self.current_row()
        if lvl is None or self._draft is None:
            return
        name = lvl.name.strip() or self.tr("(zonder naam)")
        if lvl.id is not None:
            with self.ctx.db.session() as s:
                use = usage_of(s, lvl.id)  # fresh: someone may have used it meanwhile
            refusal = delete_refusal(name, use)
            if refusal:
                if lvl.retired:
                    QMessageBox.information(self, APP_NAME, refusal)
                    return
                answer = QMessageBox.question(
                    self,
                    self.tr("Niveau kan niet worden verwijderd"),
                    refusal + "\n\n" + self.tr("Wilt u het niveau nu buiten gebruik stellen?"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer == QMessageBox.StandardButton.Yes:
                    lvl.retired = True
                    self._changed()
                return
        answer = QMessageBox.question(
            self,
            self.tr("Niveau verwijderen"),
            self.tr("Niveau '%s' verwijderen? Dit wordt definitief bij Opslaan.") % name,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        del self._draft.levels[row]
        self.model.set_levels(self._draft.levels, self._usage, set())
        if self._draft.levels:
            self.select_row(min(row, len(self._draft.levels) - 1))
        else:
            self._fill_details(None)
        self._changed()

    # ------------------------------------------------------------------ validation, saving
    def _changed(self) -> None:
        errors = self._validate()
        self.model.refresh({int(k.split(".")[0]) for k in errors if k[:1].isdigit()})
        self._update_buttons()
        dirty = self.has_unsaved_changes()
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _validate(self) -> dict[str, str]:
        errors = validate(self._draft) if self._draft is not None else {}
        self._errors = errors
        self.model.refresh({int(k.split(".")[0]) for k in errors if k[:1].isdigit()})
        self._show_level_errors()
        dirty = self.has_unsaved_changes()
        if errors:
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
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        return errors

    def _show_level_errors(self) -> None:
        errors = getattr(self, "_errors", {})
        row = self.current_row()
        mine = level_errors(errors, row) if row >= 0 else {}
        shown = {
            "name": errors.get("name", ""),
            "level_name": mine.get("name", ""),
            "parent_meeting_weeks": mine.get("parent_meeting_weeks", ""),
            "color": mine.get("color", ""),
        }
        for key, message in shown.items():
            self.errors.fields[key].set_error(message)
        general = errors.get("levels", "")
        self.list_error.setText(general)
        self.list_error.setVisible(bool(general))

    def error_message(self, key: str) -> str:
        """The message shown beside a field ("name", "level_name", "parent_meeting_weeks")."""
        return self.errors.message(key)

    @Slot()
    def _on_save(self) -> bool:
        return self.save()

    def save(self) -> bool:
        """Save the draft; False (and the errors shown) when it cannot be saved."""
        if self._draft is None:
            return True
        errors = self._validate()
        if errors:
            self._point_at_first_error(errors)
            return False
        row = self.current_row()
        draft = self._draft

        def store(version: int | None) -> StructureDraft:
            draft.version = version
            with self.ctx.db.session() as s:
                stored = save_structure(s, self.ctx.school_id, draft, actor=self.ctx.actor)
                self._usage = level_usage(s, stored.id)
            return stored

        loaded = self._saved_draft.version if self._saved_draft is not None else draft.version
        try:
            outcome = save_or_choose(self, store, loaded)
        except ValidationErrors as exc:
            self._show_refused(exc.errors)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # the staircase the other person saved
                self._show_stored(select=row)
                self._changed()
                self._notify()
            return False
        saved = outcome.result
        self._saved_draft = saved
        self._show_draft(saved.copy(), select=row)
        self._changed()
        self.saved.emit()
        self._notify()
        return True

    def _point_at_first_error(self, errors: dict[str, str]) -> None:
        """Select the first level with an error and put the cursor in the first wrong field."""
        first = first_error_level(errors)
        if first is not None:
            self.select_row(first)
        self._show_level_errors()
        for key in ("name", "level_name", "parent_meeting_weeks", "color"):
            if self.errors.message(key):
                self.errors.fields[key].field.setFocus()
                break

    def _show_refused(self, errors: dict[str, str]) -> None:
        """The service refused the staircase: its message above the buttons."""
        self._errors = errors
        self.list_error.setText(errors.get("levels", "") or "; ".join(errors.values()))
        self.list_error.show()
        self.status_label.setText(self.tr("Niet opgeslagen."))
        self.status_label.setStyleSheet(ERROR_STYLE)

    def _notify(self) -> None:
        if self.nav is not None:
            self.nav.notify_changed()

    @Slot()
    def _on_undo(self) -> None:
        if not self.has_unsaved_changes():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Wijzigingen ongedaan maken"),
            self.tr("Alle wijzigingen sinds de laatste keer opslaan ongedaan maken?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.discard()
            self._changed()

    @Slot()
    def _on_data_changed(self) -> None:
        """Someone saved elsewhere: refresh the counts, and the levels when nothing is edited."""
        if self.has_unsaved_changes():
            with self.ctx.db.session() as s:
                self._usage = level_usage(s, self.draft.id)
            self.model.set_levels(self.draft.levels, self._usage, set())
            self._validate()
            return
        self._show_stored(select=self.current_row())

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._loading:
            self._fill_details(self.model.level(current.row()))

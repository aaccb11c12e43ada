"""The support-structure editor: the school's staircase of levels, edited and saved explicitly.

Edits go into a draft (``services.structure.StructureDraft``); "Opslaan" stores it in one unit of
work, "Wijzigingen ongedaan maken" returns to what is saved. A level that a pupil was ever placed
on cannot be deleted, only retired, so no pupil's history is ever lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.models import DocumentKind, StaffRole, Tier
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
from ib_desktop.ui.widgets.conflict_dialog import ConflictChoice, save_or_choose
from ib_desktop.ui.widgets.forms import ERROR_STYLE, ErrorMap
from ib_desktop.ui.widgets.level_style import documents_phrase, role_label, swatch, tier_label
from ib_desktop.validation import ValidationErrors

RETIRED_COLOR = QColor("#757575")


class LevelListModel(QAbstractTableModel):
    """The levels of the draft in staircase order.

    No sort proxy here: the order of the rows *is* the staircase, changed with Omhoog/Omlaag.
    """

    COL_POSITION, COL_NAME, COL_DOCUMENTS, COL_USE = range(4)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._levels: list[LevelDraft] = []
        self._usage: dict[int, LevelUsage] = {}
        self._invalid: set[int] = set()
        self._headers = [
            self.tr("Nr."),
            self.tr("Niveau"),
            self.tr("Vereiste documenten"),
            self.tr("Leerlingen"),
        ]
        self._italic = QFont()
        self._italic.setItalic(True)
        self._grey = QBrush(RETIRED_COLOR)
        self._warning = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )

    def set_levels(
        self, levels: list[LevelDraft], usage: dict[int, LevelUsage], invalid: set[int]
    ) -> None:
        """Show these levels (the editor's draft list itself)."""
        self.beginResetModel()
        self._levels = levels
        self._usage = usage
        self._invalid = invalid
        self.endResetModel()

    def refresh(self, invalid: set[int]) -> None:
        """The draft changed in place: repaint every cell."""
        self._invalid = invalid
        if self._levels:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._levels) - 1, len(self._headers) - 1)
            )

    def level(self, row: int) -> LevelDraft | None:
        """The level on a row."""
        return self._levels[row] if 0 <= row < len(self._levels) else None

    def usage(self, level: LevelDraft) -> LevelUsage:
        """How a (saved) level is used."""
        return self._usage.get(level.id, LevelUsage()) if level.id is not None else LevelUsage()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._levels)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
                return self._headers[section]
            if orientation == Qt.Orientation.Vertical:
                return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        lvl = self.level(index.row()) if index.isValid() else None
        if lvl is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_POSITION:
                return str(index.row() + 1)
            if col == self.COL_NAME:
                name = lvl.name.strip() or self.tr("(zonder naam)")
                return name + (self.tr(" — buiten gebruik") if lvl.retired else "")
            if col == self.COL_DOCUMENTS:
                if not lvl.required_documents:
                    return self.tr("geen")
                joiner = self.tr("of") if lvl.requires_any else self.tr("en")
                return documents_phrase(_ordered(lvl.required_documents), joiner)
            if col == self.COL_USE:
                use = self.usage(lvl)
                if lvl.id is None:
                    return self.tr("nieuw")
                if not use.in_use:
                    return self.tr("niet gebruikt")
                return self.tr("%d nu, %d ooit") % (use.now, use.ever)
        if role == self.SortRole:
            return {
                self.COL_POSITION: index.row() + 1,
                self.COL_NAME: lvl.name.casefold(),
                self.COL_DOCUMENTS: len(lvl.required_documents),
                self.COL_USE: self.usage(lvl).ever,
            }[col]
        if role == self.RowRole:
            return lvl
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_NAME:
            return self._warning if index.row() in self._invalid else swatch(lvl.color, 14)
        if role == Qt.ItemDataRole.ForegroundRole and lvl.retired:
            return self._grey
        if role == Qt.ItemDataRole.FontRole and lvl.retired:
            return self._italic
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_DOCUMENTS:
                return self.data(index, Qt.ItemDataRole.DisplayRole)
            if index.row() in self._invalid:
                return self.tr("Dit niveau heeft een fout; kies het om de melding te zien.")
            return f"{tier_label(lvl.tier)}\n{lvl.description}".strip() or None
        return None


def _ordered(kinds: list[str]) -> list[str]:
    order = [k.value for k in DocumentKind]
    return sorted(kinds, key=order.index)


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
        self._buddies(top)

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
        self.details = QGroupBox(self.tr("Niveau"))
        self.details.setMaximumWidth(460)
        self.details.setMinimumWidth(380)
        self.level_name = QLineEdit()
        self.level_name.setAccessibleName(self.tr("Naam van het niveau"))
        self.level_description = QPlainTextEdit()
        self.level_description.setTabChangesFocus(True)
        self.level_description.setAccessibleName(self.tr("Omschrijving van het niveau"))
        self.level_description.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.level_description.setMaximumHeight(self.fontMetrics().lineSpacing() * 7 + 12)
        self.level_description.setPlaceholderText(
            self.tr("Wat betekent dit niveau, wanneer gaat een leerling erheen of terug?")
        )
        self.tier_combo = QComboBox()
        for tier in Tier:
            self.tier_combo.addItem(tier_label(tier), tier.value)
        self.role_combo = QComboBox()
        for role in (
            StaffRole.LEERKRACHT,
            StaffRole.IB,
            StaffRole.DIRECTIE,
            StaffRole.ONDERWIJSASSISTENT,
            StaffRole.OVERIG,
        ):
            self.role_combo.addItem(role_label(role), role.value)
        self.weeks_edit = QLineEdit()
        self.weeks_edit.setAccessibleName(self.tr("Oudergesprek elke zoveel weken"))
        self.weeks_edit.setPlaceholderText(self.tr("geen vast ritme"))
        self.weeks_edit.setToolTip(self.tr("Laat leeg als er geen vaste oudergesprekken zijn."))
        self.weeks_edit.setMaximumWidth(150)
        weeks_row = QWidget()
        weeks_layout = QHBoxLayout(weeks_row)
        weeks_layout.setContentsMargins(0, 0, 0, 0)
        weeks_layout.addWidget(self.errors.wrap("parent_meeting_weeks", self.weeks_edit))
        weeks_unit = QLabel(self.tr("weken"))
        weeks_unit.setContentsMargins(0, 5, 0, 0)
        weeks_layout.addWidget(weeks_unit, 0, Qt.AlignmentFlag.AlignTop)
        weeks_layout.addStretch(1)
        self.doc_checks: dict[str, QCheckBox] = {}
        docs = QWidget()
        docs_layout = QVBoxLayout(docs)
        docs_layout.setContentsMargins(0, 0, 0, 0)
        docs_layout.setSpacing(2)
        for kind, text in (
            (DocumentKind.KORTE_INTERVENTIE, self.tr("Korte interventie")),
            (DocumentKind.GROEIDOCUMENT, self.tr("Groeidocument")),
            (DocumentKind.OPP, self.tr("OPP (ontwikkelingsperspectiefplan)")),
        ):
            check = QCheckBox(text)
            self.doc_checks[kind.value] = check
            docs_layout.addWidget(check)
        self.any_check = QCheckBox(self.tr("Eén van deze documenten is genoeg"))
        docs_layout.addWidget(self.any_check)
        self.color_button = QPushButton()
        self.color_button.setAccessibleName(self.tr("Kleur"))
        self.color_button.setToolTip(self.tr("Kleur van het niveau in lijsten en grafieken"))
        self.usage_label = QLabel()
        self.usage_label.setWordWrap(True)
        self.usage_label.setStyleSheet("color: #555555;")

        details_layout = QVBoxLayout(self.details)
        form = QFormLayout()
        details_layout.addLayout(form)
        details_layout.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Naa&m:"), self.errors.wrap("level_name", self.level_name))
        form.addRow(self.tr("Omschr&ijving:"), self.level_description)
        form.addRow(self.tr("Laag bij het &SWV:"), self.tier_combo)
        form.addRow(self.tr("&Verantwoordelijk:"), self.role_combo)
        form.addRow(self.tr("&Oudergesprek elke:"), weeks_row)
        form.addRow(self.tr("&Documenten:"), docs)
        form.addRow(self.tr("&Kleur:"), self.errors.wrap("color", self.color_button))
        form.addRow("", self.usage_label)
        self._buddies(form)

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

    @staticmethod
    def _buddies(form: QFormLayout) -> None:
        """Let the &-letters of the labels jump to their fields."""
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            fieldw = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and fieldw and isinstance(label.widget(), QLabel) and fieldw.widget():
                label.widget().setBuddy(fieldw.widget())

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
        with self.ctx.db.session() as s:
            draft = load_structure(s, self.ctx.school_id)
            self._usage = level_usage(s, draft.id)
        self._saved_draft = draft
        self._show_draft(draft.copy(), select=0)

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
        lvl = lvl or LevelDraft()
        self.level_name.setText(lvl.name)
        self.level_description.setPlainText(lvl.description)
        self.tier_combo.setCurrentIndex(self.tier_combo.findData(Tier(lvl.tier).value))
        self.role_combo.setCurrentIndex(
            self.role_combo.findData(StaffRole(lvl.responsible_role).value)
        )
        weeks = lvl.parent_meeting_weeks
        self.weeks_edit.setText("" if weeks is None else str(weeks))
        for kind, check in self.doc_checks.items():
            check.setChecked(kind in lvl.required_documents)
        self.any_check.setChecked(lvl.requires_any)
        self.any_check.setEnabled(len(lvl.required_documents) > 1)
        self._show_color(lvl.color)
        self._loading = False
        self._update_buttons()
        self._show_level_errors()

    def _show_color(self, color: str) -> None:
        self.color_button.setIcon(swatch(color, 16))
        self.color_button.setText(color)

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
        if lvl is None:
            self.usage_label.setText("")
            return
        use = self.model.usage(lvl)
        parts = []
        if lvl.id is None:
            parts.append(self.tr("Nieuw niveau; wordt bewaard bij Opslaan."))
        elif not use.in_use:
            parts.append(self.tr("Er heeft nog nooit een leerling op dit niveau gestaan."))
        else:
            parts.append(
                self.tr("%d leerlingen staan nu op dit niveau; %d hebben er ooit op gestaan.")
                % (use.now, use.ever)
            )
        if lvl.retired:
            parts.append(
                self.tr(
                    "Buiten gebruik: de geschiedenis blijft bewaard, maar het niveau kan niet "
                    "meer worden gekozen."
                )
            )
            if use.now:
                parts.append(self.tr("Wie er nu op staat, blijft daar tot u op- of afschaalt."))
        self.usage_label.setText(" ".join(parts))

    @Slot()
    def _on_level_edited(self) -> None:
        if self._loading:
            return
        lvl = self.current_level()
        if lvl is None:
            return
        lvl.name = self.level_name.text()
        lvl.description = self.level_description.toPlainText()
        lvl.tier = Tier(self.tier_combo.currentData())
        lvl.responsible_role = StaffRole(self.role_combo.currentData())
        text = self.weeks_edit.text().strip()
        lvl.parent_meeting_weeks = int(text) if text.isdigit() and int(text) > 0 else (text or None)
        lvl.required_documents = [k for k, c in self.doc_checks.items() if c.isChecked()]
        self.any_check.setEnabled(len(lvl.required_documents) > 1)
        lvl.requires_any = self.any_check.isChecked() and len(lvl.required_documents) > 1
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
            self._show_color(lvl.color)
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
            first = first_error_level(errors)
            if first is not None:
                self.select_row(first)
            self._show_level_errors()
            for key in ("name", "level_name", "parent_meeting_weeks", "color"):
                if self.errors.message(key):
                    self.errors.fields[key].field.setFocus()
                    break
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
            self._errors = exc.errors
            self.list_error.setText(exc.errors.get("levels", "") or "; ".join(exc.errors.values()))
            self.list_error.show()
            self.status_label.setText(self.tr("Niet opgeslagen."))
            self.status_label.setStyleSheet(ERROR_STYLE)
            return False
        if not outcome.saved or outcome.result is None:
            if outcome.choice is ConflictChoice.THEIRS:  # the staircase the other person saved
                with self.ctx.db.session() as s:
                    theirs = load_structure(s, self.ctx.school_id)
                    self._usage = level_usage(s, theirs.id)
                self._saved_draft = theirs
                self._show_draft(theirs.copy(), select=row)
                self._changed()
                if self.nav is not None:
                    self.nav.notify_changed()
            return False
        saved = outcome.result
        self._saved_draft = saved
        self._show_draft(saved.copy(), select=row)
        self._changed()
        self.saved.emit()
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
        row = self.current_row()
        with self.ctx.db.session() as s:
            draft = load_structure(s, self.ctx.school_id)
            self._usage = level_usage(s, draft.id)
        self._saved_draft = draft
        self._show_draft(draft.copy(), select=row)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._loading:
            self._fill_details(self.model.level(current.row()))

"""The import wizard: choose the LVS export, map its columns, preview, import.

All the work is done by :mod:`ib_desktop.importer`; this module only shows it. Nothing is
written to the database before the IB-er presses "Importeren" on the preview page (the
column mapping aside, which is remembered as soon as it is chosen), and the import itself is
one transaction that can be cancelled from the progress dialog without leaving a trace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, school_year_bounds, school_year_label, short_date
from ib_desktop.importer import (
    IGNORE_LABEL,
    ChangedPupil,
    Field,
    ImportCancelledError,
    ImportPlan,
    ImportRefusedError,
    ImportResult,
    Leaver,
    NewPupil,
    Table,
    UnchangedPupil,
    apply_plan,
    build_plan,
    cell_text,
    initial_mapping,
    mapping_problems,
    read_table,
    save_mapping,
    write_rejected_csv,
)
from ib_desktop.importer.columns import ColumnMapping
from ib_desktop.importer.plan import PossibleTwin
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.date_field import DateField
from ib_desktop.ui.widgets.forms import ERROR_STYLE, FieldWithError
from ib_desktop.ui.widgets.window_size import size_window

EXAMPLES = 3
FILE_FILTER = "Leerlinglijsten (*.csv *.txt *.xlsx *.xml);;Alle bestanden (*)"
WARNING_STYLE = "color: #8a5300;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# ----------------------------------------------------------------------------- column mapping


class MappingTableModel(QAbstractTableModel):
    """The columns of the file, a few example values, and the field each one is mapped to.

    Choosing a field that another column already has does not silently change that other
    column (keyboard search in a combo box passes through other fields on its way); the page
    shows the conflict instead, and the user decides.
    """

    mappingChanged = Signal()  # noqa: N815 - Qt naming

    COL_HEADER, COL_EXAMPLES, COL_FIELD = range(3)
    RowRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        headers: Sequence[str],
        examples: Sequence[Sequence[str]],
        mapping: ColumnMapping,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._examples = [list(e) for e in examples]
        self._mapping: ColumnMapping = {i: mapping.get(i) for i in range(len(headers))}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per column of the file."""
        return 0 if parent.isValid() else len(self._headers)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Column name, examples, field."""
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        """Dutch column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Kolom in het bestand"), _tr("Voorbeelden"), _tr("Veld in IB Desktop"))[
                section
            ]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Text, the field's value for editing, sort keys and the row's (index, header, field)."""
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        fld = self._mapping.get(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_HEADER:
                return self._headers[row]
            if col == self.COL_EXAMPLES:
                return "  |  ".join(self._examples[row]) if self._examples[row] else _tr("(leeg)")
            return _tr(fld.label) if fld else _tr(IGNORE_LABEL)
        if role == Qt.ItemDataRole.EditRole and col == self.COL_FIELD:
            return fld.value if fld else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_EXAMPLES:
            return "\n".join(self._examples[row])
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_FIELD and fld is None:
            return QGuiApplication.palette().placeholderText()
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and col == self.COL_FIELD
            and row in self.duplicate_rows()
        ):
            return _tr("Dit veld is ook aan een andere kolom gekoppeld.")
        if role == self.SortRole:
            if col == self.COL_HEADER:
                return row
            if col == self.COL_EXAMPLES:
                return " ".join(self._examples[row]).casefold()
            return list(Field).index(fld) if fld else len(Field)
        if role == self.RowRole:
            return (row, self._headers[row], fld)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Only the field column is editable."""
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_FIELD:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        """Map the column to a field value ("" for none)."""
        if (
            not index.isValid()
            or index.column() != self.COL_FIELD
            or role != Qt.ItemDataRole.EditRole
        ):
            return False
        try:
            fld = Field(value) if value else None
        except ValueError:
            return False
        self.set_field(index.row(), fld)
        return True

    def set_field(self, row: int, fld: Field | None) -> None:
        """Map one column to a field (None: not imported)."""
        if self._mapping.get(row) == fld:
            return
        self._mapping[row] = fld
        idx = self.index(row, self.COL_FIELD)
        self.dataChanged.emit(idx, idx)
        self.mappingChanged.emit()

    def duplicate_rows(self) -> set[int]:
        """Columns whose field another column has too."""
        seen: dict[Field, list[int]] = {}
        for row, fld in self._mapping.items():
            if fld is not None:
                seen.setdefault(fld, []).append(row)
        return {row for rows in seen.values() if len(rows) > 1 for row in rows}

    def mapping(self) -> ColumnMapping:
        """The mapping as chosen now."""
        return dict(self._mapping)


class FieldComboDelegate(QStyledItemDelegate):
    """A combo box of our fields for the "Veld in IB Desktop" column; commits on every choice."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:  # noqa: N802
        """The combo with "Niet importeren" and every field."""
        combo = QComboBox(parent)
        combo.setObjectName("field-combo")
        combo.addItem(_tr(IGNORE_LABEL), "")
        for fld in Field:
            combo.addItem(_tr(fld.label), fld.value)
        combo.setAccessibleName(_tr("Veld voor kolom %s") % index.siblingAtColumn(0).data())
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        """Show the current field."""
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        pos = editor.findData(value)
        editor.blockSignals(True)
        editor.setCurrentIndex(max(pos, 0))
        editor.blockSignals(False)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractTableModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:  # noqa: N802
        """Store the chosen field."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# ----------------------------------------------------------------------------- preview tables


@dataclass(frozen=True)
class Column:
    """A column of a preview table: title, display text and native sort value of an item."""

    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any]


def _date_sort(d: Any) -> int:
    return d.toordinal() if d else 0


def _changes_text(item: ChangedPupil) -> str:
    """ "groep: 4 → 5; naam: ..." (the report on the command line writes "->")."""
    return "; ".join(
        f"{c.field}: {c.old or _tr('(leeg)')} → {c.new or _tr('(leeg)')}" for c in item.changes
    )


def _pupil_sort(item: NewPupil | ChangedPupil | UnchangedPupil) -> str:
    n = item.data.name
    return f"{n.last_name}, {n.first_name}".casefold()


def _group_sort(item: NewPupil | UnchangedPupil) -> tuple[int, str]:
    group = item.data.group
    return (group.grade_low, group.name) if group else (0, "")


def _row_column() -> Column:
    return Column("Rij", lambda i: str(i.row), lambda i: i.row)


def _birth_column(get: Callable[[Any], Any]) -> Column:
    return Column("Geboortedatum", lambda i: short_date(get(i)), lambda i: _date_sort(get(i)))


SECTION_COLUMNS: dict[str, list[Column]] = {
    "nieuw": [
        _row_column(),
        Column("Naam", lambda i: i.name, _pupil_sort),
        _birth_column(lambda i: i.data.birth_date),
        Column("Groep", lambda i: i.data.group_name, _group_sort),
        Column("Leerlingnummer", lambda i: i.data.lvs_id or "", lambda i: i.data.lvs_id or ""),
    ],
    "gewijzigd": [
        _row_column(),
        Column("Naam", lambda i: i.name, _pupil_sort),
        Column("Wijzigingen", _changes_text, lambda i: i.summary.casefold()),
    ],
    "ongewijzigd": [
        _row_column(),
        Column("Naam", lambda i: i.name, _pupil_sort),
        _birth_column(lambda i: i.data.birth_date),
        Column("Groep", lambda i: i.data.group_name, _group_sort),
    ],
    "vertrekt": [
        Column("Vertrokken", lambda i: "", lambda i: 0),
        Column("Naam", lambda i: i.name, lambda i: i.sort_name.casefold()),
        Column("Groep", lambda i: i.group_name, lambda i: i.group_name),
        _birth_column(lambda i: i.birth_date),
        Column("Leerlingnummer", lambda i: i.lvs_id, lambda i: i.lvs_id),
    ],
    "twijfel": [
        Column("Zelfde leerling", lambda i: "", lambda i: 0),
        Column("Andere leerling", lambda i: "", lambda i: 0),
        _row_column(),
        Column("Naam in het bestand", lambda i: i.name, _pupil_sort),
        Column("Leerlingnummer", lambda i: i.lvs_id, lambda i: i.lvs_id),
        _birth_column(lambda i: i.data.birth_date),
        Column("Lijkt op", lambda i: i.existing_name, lambda i: i.existing_name.casefold()),
        Column(
            "Leerlingnummer in IB Desktop",
            lambda i: i.existing_lvs_id,
            lambda i: i.existing_lvs_id,
        ),
    ],
    "afgewezen": [
        _row_column(),
        Column("Reden", lambda i: i.reason, lambda i: i.reason.casefold()),
        Column(
            "Gegevens in het bestand",
            lambda i: "  |  ".join(v for v in i.values if v),
            lambda i: " ".join(i.values).casefold(),
        ),
    ],
}
SECTION_TITLES = {
    "nieuw": "Nieuw",
    "gewijzigd": "Gewijzigd",
    "ongewijzigd": "Ongewijzigd",
    "vertrekt": "Vertrekt",
    "afgewezen": "Afgewezen",
    "twijfel": "Twijfel",
}


class SectionModel(QAbstractTableModel):
    """One section of the plan (new, changed, ...) as a table."""

    RowRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, key: str, items: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.columns = SECTION_COLUMNS[key]
        self._items = list(items)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """One row per item."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """The section's columns."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        """Dutch column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.columns[section].title)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Display text, tooltip, native sort value and the item itself."""
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = column.text(item)
            return text if text or role == Qt.ItemDataRole.DisplayRole else None
        if role == self.SortRole:
            return column.sort(item)
        if role == self.RowRole:
            return item
        return None

    def item(self, row: int) -> Any:
        """The plan item of a row."""
        return self._items[row]


class LeaverModel(SectionModel):
    """The proposed leavers, each with a check box: only checked pupils are marked as left."""

    confirmedChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, items: Sequence[Leaver], parent: QWidget | None = None) -> None:
        super().__init__("vertrekt", items, parent)
        self._confirmed: set[int] = set()

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Adds the check box in the first column."""
        if index.isValid() and index.column() == 0:
            pid = self._items[index.row()].pupil_id
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if pid in self._confirmed else Qt.CheckState.Unchecked
            if role == self.SortRole:
                return 1 if pid in self._confirmed else 0
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return _tr("vertrokken") if pid in self._confirmed else _tr("blijft")
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The first column is checkable."""
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        """Check or uncheck a leaver."""
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        pid = self._items[index.row()].pupil_id
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self._confirmed.add(pid)
        else:
            self._confirmed.discard(pid)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.confirmedChanged.emit()
        return True

    def set_all(self, checked: bool) -> None:
        """Check or uncheck every leaver."""
        self._confirmed = {i.pupil_id for i in self._items} if checked else set()
        if self._items:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._items) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.confirmedChanged.emit()

    def confirmed(self) -> list[int]:
        """The pupils the IB-er confirmed as having left, in list order."""
        return [i.pupil_id for i in self._items if i.pupil_id in self._confirmed]


class TwinModel(SectionModel):
    """Possible twins: a pupil in the file that looks like one in IB Desktop but has another
    pupil number. Per row the IB-er checks "Zelfde leerling" or "Andere leerling"."""

    decisionsChanged = Signal()  # noqa: N815 - Qt naming

    COL_SAME, COL_OTHER = 0, 1

    def __init__(self, items: Sequence[PossibleTwin], parent: QWidget | None = None) -> None:
        super().__init__("twijfel", items, parent)
        self._decisions: dict[str, bool] = {}

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The two check boxes in the first columns."""
        if index.isValid() and index.column() in (self.COL_SAME, self.COL_OTHER):
            wanted = index.column() == self.COL_SAME
            decided = self._decisions.get(self._items[index.row()].lvs_id)
            on = decided is not None and decided == wanted
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if role == self.SortRole:
                return 1 if on else 0
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return _tr("aangevinkt") if on else _tr("niet aangevinkt")
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """The decision columns are checkable."""
        base = super().flags(index)
        if index.isValid() and index.column() in (self.COL_SAME, self.COL_OTHER):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:  # noqa: N802
        """Check one of the two choices (which unchecks the other), or uncheck it."""
        if (
            not index.isValid()
            or index.column() not in (self.COL_SAME, self.COL_OTHER)
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        key = self._items[index.row()].lvs_id
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self._decisions[key] = index.column() == self.COL_SAME
        else:
            self._decisions.pop(key, None)
        self.dataChanged.emit(
            self.index(index.row(), self.COL_SAME),
            self.index(index.row(), self.COL_OTHER),
            [Qt.ItemDataRole.CheckStateRole],
        )
        self.decisionsChanged.emit()
        return True

    def decisions(self) -> dict[str, bool]:
        """Pupil number in the file -> True (same pupil) or False (another pupil)."""
        return dict(self._decisions)

    def undecided(self) -> list[PossibleTwin]:
        """The rows without a decision yet."""
        return [t for t in self._items if t.lvs_id not in self._decisions]


def _sorted_view(model: QAbstractTableModel, sort_role: int, parent: QWidget) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


# ----------------------------------------------------------------------------- pages


class FilePage(QWizardPage):
    """Step 1: choose the export file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self._followed: set[str] = set()
        self.setTitle(self.tr("Bestand kiezen"))
        self.setSubTitle(
            self.tr(
                "Kies de leerlinglijst die u uit het leerlingvolgsysteem (bijvoorbeeld ParnasSys "
                "of ESIS) hebt geëxporteerd: een CSV- of Excel-bestand, of EDEX.XML."
            )
        )
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("import-path")
        self.path_edit.setPlaceholderText(self.tr("Pad naar de export (.csv, .xlsx of .xml)"))
        self.path_edit.setAccessibleName(self.tr("Bestand"))
        self.path_edit.setClearButtonEnabled(True)
        # The field (with its error label) before the button, so that Tab goes field, button.
        self.path_field = FieldWithError(self.path_edit, self)
        self.browse_button = QPushButton(self.tr("B&laderen…"), self)
        self.browse_button.setObjectName("import-browse")
        row = QHBoxLayout()
        row.addWidget(self.path_field, 1)
        row.addWidget(self.browse_button, 0, Qt.AlignmentFlag.AlignTop)
        label = QLabel(self.tr("&Bestand:"), self)
        label.setBuddy(self.path_edit)

        # Which school year the export describes: the groups are put in that year, so that a
        # list for next year never moves pupils up a group inside this one.
        today = wizard.ctx.today()
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("import-school-year")
        self.year_combo.setAccessibleName(self.tr("Schooljaar van de export"))
        current_start = school_year_bounds(today)[0].year
        for start in (current_start - 1, current_start, current_start + 1):
            self.year_combo.addItem(f"{start}-{start + 1}", start)
        self.year_combo.setCurrentIndex(1)
        year_label = QLabel(self.tr("&Schooljaar:"), self)
        year_label.setBuddy(self.year_combo)
        self.date_edit = DateField(today, self)
        self.date_edit.setObjectName("import-export-date")
        self.date_edit.setAccessibleName(self.tr("Datum van de export"))
        self.date_field = FieldWithError(self.date_edit, self)
        date_label = QLabel(self.tr("&Datum van de export:"), self)
        date_label.setBuddy(self.date_edit)
        date_hint = QLabel(
            self.tr(
                "De dag waarop de gegevens in het bestand gelden. De groepen worden in dit "
                "schooljaar gezet; eerdere schooljaren blijven zoals ze waren."
            ),
            self,
        )
        date_hint.setWordWrap(True)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_combo)
        year_row.addSpacing(18)
        year_row.addWidget(date_label)
        year_row.addWidget(self.date_field)
        year_row.addStretch(1)

        self.full_check = QCheckBox(
            self.tr("Dit bestand bevat álle leerlingen van de school (volledige export)"), self
        )
        self.full_check.setObjectName("import-full-export")
        # Off unless the IB-er says so: a partial list must never propose half the school
        # as leavers.
        self.full_check.setChecked(False)
        hint = QLabel(
            self.tr(
                "Alleen bij een volledige export worden leerlingen die niet meer in het bestand "
                "staan voorgesteld als vertrokken. U bevestigt dat zelf per leerling; er wordt "
                "nooit iets verwijderd."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setIndent(22)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addLayout(year_row)
        layout.addWidget(date_hint)
        layout.addSpacing(12)
        layout.addWidget(self.full_check)
        layout.addWidget(hint)
        layout.addStretch(1)

        self.path_edit.textChanged.connect(self._on_path_changed)
        self.browse_button.clicked.connect(self._on_browse)
        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.date_edit.textChanged.connect(lambda _t: self.date_field.set_error(""))
        self.setTabOrder(self.path_edit, self.browse_button)
        self.setTabOrder(self.browse_button, self.year_combo)
        self.setTabOrder(self.year_combo, self.date_edit)
        self.setTabOrder(self.date_edit, self.full_check)

    def school_year(self) -> str:
        """The chosen school year, "2026-2027"."""
        return self.year_combo.currentText()

    @Slot(int)
    def _on_year_changed(self, _index: int) -> None:
        """Keep the date inside the chosen year: today, or the year's first or last day."""
        start, end = school_year_bounds(self.school_year())
        self.date_field.set_error("")
        try:
            current = self.date_edit.value()
        except ValueError:
            current = None
        if current is not None and start <= current <= end:
            return
        today = self._wizard.ctx.today()
        if start <= today <= end:
            self.date_edit.set_value(today)
        else:
            self.date_edit.set_value(start if start > today else end)

    def export_date(self) -> date | None:
        """The date typed, when it is a date inside the chosen school year; else shows why."""
        try:
            day = self.date_edit.value()
        except ValueError as exc:
            self.date_field.set_error(str(exc))
            return None
        if day is None:
            self.date_field.set_error(self.tr("Vul de datum in waarop de export gemaakt is."))
            return None
        if school_year_label(day) != self.school_year():
            self.date_field.set_error(
                self.tr("%1 ligt niet in schooljaar %2.")
                .replace("%1", short_date(day))
                .replace("%2", self.school_year())
            )
            return None
        self.date_field.set_error("")
        return day
    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """A path must be filled in."""
        return bool(self.path_edit.text().strip())

    @Slot(str)
    def _on_path_changed(self, _text: str) -> None:
        self.path_field.set_error("")
        self.completeChanged.emit()

    @Slot()
    def _on_browse(self) -> None:
        settings = QSettings()
        start = self.path_edit.text().strip() or str(
            settings.value("import/last_dir", str(Path.home()))
        )
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Export kiezen"), start, self.tr(FILE_FILTER)
        )
        if path:
            self.path_edit.setText(path)
            settings.setValue("import/last_dir", str(Path(path).parent))

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Read the file now, so that a file that cannot be read is explained right here."""
        path = self.path_edit.text().strip()
        day = self.export_date()
        if day is None:
            self.date_edit.setFocus()
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            table = read_table(path)
        except ImportRefusedError as exc:
            self.path_field.set_error(str(exc))
            self.path_edit.setFocus()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if self._follow_file_year(table):
            return False
        self._wizard.table = table
        self._wizard.full_export = self.full_check.isChecked()
        self._wizard.export_date = day
        return True

    def _follow_file_year(self, table: Table) -> bool:
        """An EDEXML file names its school year: choose that year once, and say so.

        True when the choice was changed (the page stays, so the IB-er sees the new year and
        date before going on); a year chosen afterwards is respected.
        """
        key = str(table.path)
        if not table.school_year or key in self._followed:
            return False
        self._followed.add(key)
        index = self.year_combo.findText(table.school_year)
        if index < 0 or table.school_year == self.school_year():
            return False
        self.year_combo.setCurrentIndex(index)
        self.date_field.set_error(
            self.tr(
                "Het bestand beschrijft schooljaar %1: het schooljaar en de datum zijn "
                "aangepast. Controleer ze en klik op Volgende."
            ).replace("%1", table.school_year)
        )
        self.date_edit.setFocus()
        return True


class MappingPage(QWizardPage):
    """Step 2: say what each column holds (guessed, or remembered from last time)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.model: MappingTableModel | None = None
        self.setTitle(self.tr("Kolommen koppelen"))
        self.setSubTitle(
            self.tr(
                "Geef bij elke kolom van het bestand aan wat erin staat. IB Desktop heeft dat al "
                "geraden; kolommen op 'Niet importeren' worden overgeslagen."
            )
        )
        self.source_label = QLabel(self)
        self.source_label.setObjectName("import-source")
        self.source_label.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("import-mapping")
        self.view.setItemDelegateForColumn(
            MappingTableModel.COL_FIELD, FieldComboDelegate(self.view)
        )
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setAccessibleName(self.tr("Koppeling van kolommen"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("import-mapping-error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.source_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Fill the table from the file that was read on the previous page."""
        table = self._wizard.table
        assert table is not None
        if table.mapping is not None:
            mapping, remembered = dict(table.mapping), False  # EDEXML: fixed by the format
        else:
            with self._wizard.ctx.db.session() as s:
                mapping, remembered = initial_mapping(s, table.headers)
        examples = []
        for i in range(len(table.headers)):
            # Different values say more than the first three rows ("M | M | M").
            values = dict.fromkeys(cell_text(v) for v in table.column_values(i, limit=500))
            examples.append([v for v in values if v][:EXAMPLES])
        self.model = MappingTableModel(table.headers, examples, mapping, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(MappingTableModel.SortRole)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(MappingTableModel.COL_HEADER, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(
            MappingTableModel.COL_HEADER, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(MappingTableModel.COL_EXAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingTableModel.COL_FIELD, QHeaderView.ResizeMode.Fixed)
        self.view.setColumnWidth(MappingTableModel.COL_FIELD, 230)
        probe = QComboBox()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(probe.sizeHint().height() + 6)
        probe.deleteLater()
        for row in range(proxy.rowCount()):
            self.view.openPersistentEditor(proxy.index(row, MappingTableModel.COL_FIELD))
        self.model.mappingChanged.connect(self._on_mapping_changed)
        self.model.dataChanged.connect(self._on_model_data_changed)
        text = self.tr("%1: %2, %3 rijen met gegevens.").replace("%1", table.path.name)
        text = text.replace("%2", table.description).replace("%3", str(len(table.rows)))
        if remembered:
            text += " " + self.tr("De koppeling van de vorige keer is weer gebruikt.")
        for note in table.notes:
            text += " " + note
        self.source_label.setText(text)
        self._on_mapping_changed()

    @Slot()
    def _on_mapping_changed(self) -> None:
        problems = mapping_problems(self.model.mapping()) if self.model else []
        self.error_label.setText("\n".join(problems))
        self.error_label.setVisible(bool(problems))
        self.completeChanged.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_model_data_changed(self, top: QModelIndex, _bottom: QModelIndex) -> None:
        # A field taken away from another column: show it in that column's combo too.
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            editor = self.view.indexWidget(proxy.index(row, MappingTableModel.COL_FIELD))
            if isinstance(editor, QComboBox):
                value = (
                    proxy.index(row, MappingTableModel.COL_FIELD).data(Qt.ItemDataRole.EditRole)
                    or ""
                )
                if editor.currentData() != value:
                    editor.blockSignals(True)
                    editor.setCurrentIndex(max(editor.findData(value), 0))
                    editor.blockSignals(False)

    def combo_for(self, header: str) -> QComboBox | None:
        """The field combo box of the column with this header (for tests and accessibility)."""
        proxy = self.view.model()
        for row in range(proxy.rowCount()):
            if proxy.index(row, MappingTableModel.COL_HEADER).data() == header:
                widget = self.view.indexWidget(proxy.index(row, MappingTableModel.COL_FIELD))
                return widget if isinstance(widget, QComboBox) else None
        return None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        """Only a mapping that can recognise pupils may go on."""
        return self.model is not None and not mapping_problems(self.model.mapping())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Remember the mapping and make the plan (reading the database only)."""
        assert self.model is not None
        assert self._wizard.table is not None
        mapping = self.model.mapping()
        ctx = self._wizard.ctx
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with ctx.db.session() as s:
                save_mapping(s, self._wizard.table.headers, mapping)
            self._wizard.mapping = mapping
            plan = self._wizard.make_plan()
        except ImportRefusedError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._wizard.plan = plan
        return True


class PreviewPage(QWizardPage):
    """Step 3: what will happen, per section; leavers are confirmed here one by one."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.leaver_model: LeaverModel | None = None
        self.twin_model: TwinModel | None = None
        self.models: dict[str, SectionModel] = {}
        self.views: dict[str, QTableView] = {}
        self.setTitle(self.tr("Voorvertoning"))
        self.setSubTitle(
            self.tr(
                "Controleer wat er gaat gebeuren. Er is nog niets gewijzigd; dat gebeurt pas "
                "met 'Importeren'."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Importeren"))
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("import-summary")
        self.summary_label.setWordWrap(True)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("import-warnings")
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setWordWrap(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("import-tabs")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.tabs, 1)

        # "Vertrekt" and "Afgewezen" carry their own buttons.
        self.check_all_button = QPushButton(self.tr("&Alles aanvinken"))
        self.check_none_button = QPushButton(self.tr("&Niets aanvinken"))
        self.export_button = QPushButton(self.tr("&Exporteren…"))
        self.export_button.setObjectName("import-export-rejected")
        self.export_button.setToolTip(
            self.tr("Sla de afgewezen rijen op als CSV om ze in het LVS of in Excel te verbeteren")
        )
        self.leaver_hint = QLabel()
        self.leaver_hint.setWordWrap(True)
        self.left_on_edit = DateField(None)
        self.left_on_edit.setObjectName("import-left-on")
        self.left_on_edit.setAccessibleName(self.tr("Vertrekdatum"))
        self.left_on_field = FieldWithError(self.left_on_edit)
        self.left_on_label = QLabel(self.tr("Ver&trekdatum:"))
        self.left_on_label.setBuddy(self.left_on_edit)
        self.twin_hint = QLabel(
            self.tr(
                "Deze leerlingen lijken op een leerling die al in IB Desktop staat (zelfde naam "
                "en geboortedatum) maar hebben een ander leerlingnummer. Vink per leerling aan "
                "of het dezelfde leerling is (het dossier krijgt het nieuwe nummer) of een "
                "andere (er komt een nieuwe leerling bij)."
            )
        )
        self.twin_hint.setWordWrap(True)
        self.check_all_button.clicked.connect(self._on_check_all)
        self.check_none_button.clicked.connect(self._on_check_none)
        self.export_button.clicked.connect(self._on_export_rejected)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Show the plan made on the previous page."""
        plan = self._wizard.plan
        assert plan is not None
        # Coming back after changing the mapping: rebuild the tabs (the buttons are kept).
        for button in (
            self.check_all_button,
            self.check_none_button,
            self.export_button,
            self.leaver_hint,
            self.left_on_label,
            self.left_on_field,
            self.twin_hint,
        ):
            button.setParent(None)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        self.models.clear()
        self.views.clear()
        sections: dict[str, Sequence[Any]] = {
            "nieuw": plan.new,
            "gewijzigd": plan.changed,
            "ongewijzigd": plan.unchanged,
            "vertrekt": plan.leavers,
            "afgewezen": plan.rejected,
        }
        self.twin_model = None
        if plan.twins:
            sections["twijfel"] = plan.twins
        for key, items in sections.items():
            if key == "vertrekt":
                self.leaver_model = LeaverModel(plan.leavers, self)
                model: SectionModel = self.leaver_model
            elif key == "twijfel":
                self.twin_model = TwinModel(plan.twins, self)
                model = self.twin_model
            else:
                model = SectionModel(key, items, self)
            self.models[key] = model
            page = QWidget()
            lay = QVBoxLayout(page)
            lay.setContentsMargins(6, 6, 6, 6)
            view = _sorted_view(model, SectionModel.SortRole, page)
            view.setObjectName(f"import-view-{key}")
            view.setAccessibleName(self.tr(SECTION_TITLES[key]))
            self.views[key] = view
            if key == "afgewezen" and len(items) <= 500:
                # Reasons can be long; a few hundred rows can show them in full.
                view.setWordWrap(True)
            if key == "twijfel":
                lay.addWidget(self.twin_hint)
            if key == "vertrekt":
                when = long_date(plan.left_on or plan.today)
                self.left_on_edit.set_value(plan.left_on or plan.today)
                self.left_on_field.set_error("")
                self.leaver_hint.setText(
                    self.tr(
                        "Deze leerlingen staan niet meer in het bestand. Vink aan wie echt "
                        "vertrokken is: die leerlingen krijgen de status 'vertrokken' per de "
                        "vertrekdatum hieronder (voorgesteld: %1, het einde van het vorige "
                        "schooljaar). Het dossier blijft bewaard."
                    ).replace("%1", when)
                    if plan.full_export
                    else self.tr(
                        "Dit is geen volledige export: er worden geen vertrekkers voorgesteld."
                    )
                )
                lay.addWidget(self.leaver_hint)
                buttons = QHBoxLayout()
                buttons.addWidget(self.check_all_button)
                buttons.addWidget(self.check_none_button)
                buttons.addSpacing(18)
                buttons.addWidget(self.left_on_label)
                buttons.addWidget(self.left_on_field)
                buttons.addStretch(1)
                lay.addLayout(buttons)
                self.check_all_button.setEnabled(bool(plan.leavers))
                self.check_none_button.setEnabled(bool(plan.leavers))
            lay.addWidget(view, 1)
            if key == "afgewezen":
                buttons = QHBoxLayout()
                hint = QLabel(
                    self.tr(
                        "Deze rijen worden niet geïmporteerd. Verbeter ze in het LVS en "
                        "importeer opnieuw."
                    )
                )
                hint.setWordWrap(True)
                buttons.addWidget(hint, 1)
                buttons.addWidget(self.export_button)
                self.export_button.setEnabled(bool(plan.rejected))
                lay.addLayout(buttons)
            for col in range(model.columnCount() - 1):
                view.resizeColumnToContents(col)
                # A reason must be readable in full; names and dates need less room.
                cap = 560 if key == "afgewezen" else 320
                view.setColumnWidth(col, min(view.columnWidth(col) + 12, cap))
            if view.wordWrap():
                view.resizeRowsToContents()
            self.tabs.addTab(page, f"{self.tr(SECTION_TITLES[key])} ({len(items)})")
        first = next((i for i, k in enumerate(sections) if sections[k] and k != "ongewijzigd"), 0)
        if plan.twins:
            first = list(sections).index("twijfel")  # to decide before anything else
        self.tabs.setCurrentIndex(first)
        self.summary_label.setText(self._summary(plan))
        self.warning_label.setText("\n".join(plan.warnings))
        self.warning_label.setVisible(bool(plan.warnings))

    def _summary(self, plan: ImportPlan) -> str:
        c = plan.counts
        text = (
            self.tr(
                "%1 (%2 rijen), schooljaar %3: %4 nieuw, %5 gewijzigd, %6 ongewijzigd, "
                "%7 vertrekt, %8 afgewezen."
            )
            .replace("%1", plan.path.name)
            .replace("%2", str(plan.rows_read))
            .replace("%3", plan.school_year)
            .replace("%4", str(c["nieuw"]))
            .replace("%5", str(c["gewijzigd"]))
            .replace("%6", str(c["ongewijzigd"]))
            .replace("%7", str(c["vertrekt"]))
            .replace("%8", str(c["afgewezen"]))
        )
        if plan.twins:
            text += " " + self.tr("Te beslissen onder 'Twijfel': %1.").replace(
                "%1", str(len(plan.twins))
            )
        if plan.new_groups:
            text += " " + self.tr("Nieuwe groepen: %1.").replace(
                "%1", ", ".join(g.name for g in plan.new_groups)
            )
        if plan.new_teachers:
            text += " " + self.tr("Nieuwe leerkrachten: %1.").replace(
                "%1", ", ".join(t.full_name for t in plan.new_teachers)
            )
        return text

    @Slot()
    def _on_check_all(self) -> None:
        if self.leaver_model is not None:
            self.leaver_model.set_all(True)

    @Slot()
    def _on_check_none(self) -> None:
        if self.leaver_model is not None:
            self.leaver_model.set_all(False)

    @Slot()
    def _on_export_rejected(self) -> None:
        plan = self._wizard.plan
        if plan is None or not plan.rejected:
            return
        suggested = str(plan.path.with_name(plan.path.stem + "-afgewezen.csv"))
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Afgewezen rijen opslaan"), suggested, self.tr("CSV-bestand (*.csv)")
        )
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            write_rejected_csv(plan, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr("Het bestand kan niet worden opgeslagen: %1").replace(
                    "%1", exc.strerror or str(exc)
                ),
            )
            return
        QMessageBox.information(
            self,
            APP_NAME,
            self.tr("%1 afgewezen rijen opgeslagen in %2.")
            .replace("%1", str(len(plan.rejected)))
            .replace("%2", path),
        )

    def confirmed_leavers(self) -> list[int]:
        """The pupils checked as having left."""
        return self.leaver_model.confirmed() if self.leaver_model else []

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        """Apply the plan, with a progress dialog that can cancel (then nothing changes)."""
        plan = self._wizard.plan
        assert plan is not None
        if self.twin_model is not None and self.twin_model.undecided():
            self.tabs.setCurrentIndex(self.tabs.count() - 1)
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr(
                    "Geef bij elke leerling onder 'Twijfel' aan of het dezelfde leerling is als "
                    "die in IB Desktop, of een andere. Nog %1 te beslissen."
                ).replace("%1", str(len(self.twin_model.undecided()))),
            )
            return False
        confirmed = self.confirmed_leavers()
        left_on = None
        if confirmed:
            try:
                left_on = self.left_on_edit.value()
            except ValueError as exc:
                self.left_on_field.set_error(str(exc))
            else:
                if left_on is None:
                    self.left_on_field.set_error(self.tr("Vul de vertrekdatum in."))
            if left_on is None:
                self.tabs.setCurrentIndex(3)
                self.left_on_edit.setFocus()
                return False
        if confirmed and plan.many_leavers(len(confirmed)):
            answer = QMessageBox.question(
                self,
                APP_NAME,
                self.tr("%1 Weet u zeker dat al deze leerlingen vertrokken zijn?").replace(
                    "%1", plan.leaver_share_text(len(confirmed))
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if confirmed:
            answer = QMessageBox.question(
                self,
                APP_NAME,
                self.tr(
                    "%1 leerling(en) krijgen de status 'vertrokken'. Hun dossier blijft bewaard "
                    "en wordt alleen-lezen. Doorgaan met importeren?"
                ).replace("%1", str(len(confirmed))),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        progress = QProgressDialog(
            self.tr("Leerlingen importeren…"), self.tr("Afbreken"), 0, 100, self
        )
        progress.setWindowTitle(APP_NAME)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def report(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            QCoreApplication.processEvents()
            if progress.wasCanceled():
                raise ImportCancelledError()

        ctx = self._wizard.ctx
        try:
            if self.twin_model is not None:
                # The decisions change what the rows do: make the plan again with them.
                plan = self._wizard.make_plan(self.twin_model.decisions())
                self._wizard.plan = plan
                proposed = {lv.pupil_id for lv in plan.leavers}
                confirmed = [pid for pid in confirmed if pid in proposed]
            result = apply_plan(
                ctx.db,
                plan,
                confirmed_leavers=confirmed,
                actor=ctx.actor,
                left_on=left_on,
                progress=report,
            )
        except ImportRefusedError as exc:
            progress.close()
            QMessageBox.warning(self, APP_NAME, str(exc))
            return False
        progress.close()
        self._wizard.result_ = result
        self._wizard.imported.emit(result)
        return True


class DonePage(QWizardPage):
    """Step 4: what was imported."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("Klaar"))
        self.setSubTitle(self.tr("De leerlingen zijn geïmporteerd."))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("import-result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Show the numbers of the import."""
        r = self._wizard.result_
        plan = self._wizard.plan
        if r is None or plan is None:
            return
        lines = [
            self.tr("Nieuwe leerlingen: %1").replace("%1", str(r.created)),
            self.tr("Bijgewerkt: %1").replace("%1", str(r.updated)),
            self.tr("Ongewijzigd: %1").replace("%1", str(r.unchanged)),
            self.tr("Als vertrokken gemarkeerd: %1").replace("%1", str(r.left)),
            self.tr("Nieuwe groepen: %1").replace("%1", str(r.groups_created)),
            self.tr("Nieuwe leerkrachten: %1").replace("%1", str(r.teachers_created)),
        ]
        if r.rejected:
            lines.append(
                self.tr(
                    "%1 rij(en) zijn niet geïmporteerd; verbeter ze en importeer het bestand "
                    "opnieuw."
                ).replace("%1", str(r.rejected))
            )
        if not (r.created or r.updated or r.left):
            lines.insert(
                0, self.tr("Alles was al bijgewerkt: er is niets veranderd aan de leerlingen.")
            )
        self.result_label.setText("\n".join(lines))


# ----------------------------------------------------------------------------- the wizard


class ImportWizard(QWizard):
    """File -> columns -> preview -> import -> summary."""

    imported = Signal(object)  # ImportResult, once the import has been applied

    PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.mapping: ColumnMapping = {}
        self.full_export = False
        self.export_date: date = ctx.today()
        self.result_: ImportResult | None = None
        self.setObjectName("import-wizard")
        self.setWindowTitle(self.tr("Leerlingen importeren"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Volgende >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< V&orige"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuleren"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Voltooien"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.PAGE_FILE, self.file_page)
        self.setPage(self.PAGE_MAPPING, self.mapping_page)
        self.setPage(self.PAGE_PREVIEW, self.preview_page)
        self.setPage(self.PAGE_DONE, self.done_page)
        size_window(self, "import_wizard.ImportWizard", 960, 680)

    def make_plan(self, twin_decisions: dict[str, bool] | None = None) -> ImportPlan:
        """The plan for the file, columns, date and choices made so far (reads only)."""
        assert self.table is not None
        with self.ctx.db.session() as s:
            return build_plan(
                s,
                self.table,
                self.mapping,
                school_id=self.ctx.school_id,
                today=self.export_date,
                full_export=self.full_export,
                twin_decisions=twin_decisions,
            )

    @classmethod
    def run_import(cls, ctx: AppContext, parent: QWidget | None = None) -> ImportResult | None:
        """Run the wizard; the import's result, or None when nothing was imported."""
        wizard = cls(ctx, parent)
        wizard.exec()
        result = wizard.result_
        wizard.deleteLater()
        return result

    def _ask_to_abandon(self) -> bool:
        """True when closing may go ahead (nothing imported yet, and the user agrees)."""
        if self.result_ is not None or self.currentId() == self.PAGE_FILE:
            return True
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr("Het importeren afbreken? Er is nog niets gewijzigd."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: ask first once a file has been read."""
        if self._ask_to_abandon():
            super().reject()


def import_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Bestand > Leerlingen importeren… (Ctrl+I)."""
    result = ImportWizard.run_import(ctx, parent)
    if result is not None:
        nav.notify_changed()


__all__ = [
    "FieldComboDelegate",
    "ImportWizard",
    "LeaverModel",
    "MappingTableModel",
    "SectionModel",
    "TwinModel",
    "import_action",
]

"""The column mapping as a table: each column of the file, a few example values, and the field
it is mapped to, chosen with a combo box per row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ib_desktop.importer import IGNORE_LABEL, Field
from ib_desktop.importer.columns import ColumnMapping
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, Column, TableModel

#: The translation context of the wizard's texts defined outside a class.
TR_CONTEXT = "ImportWizard"


def field_label(fld: Field | None) -> str:
    """The field's Dutch label as shown ("Niet importeren" for none), translated.

    The labels are marked for translation where they are defined, in
    :mod:`ib_desktop.importer.columns`.
    """
    return QCoreApplication.translate(TR_CONTEXT, fld.label if fld else IGNORE_LABEL)


def _examples_text(row: _MappingRow) -> str:
    if not row.examples:
        return QCoreApplication.translate("ImportWizard", "(leeg)")
    return "  |  ".join(row.examples)


@dataclass
class _MappingRow:
    """One column of the file: its position, header, example values and the field chosen."""

    index: int
    header: str
    examples: list[str]
    field: Field | None


class MappingTableModel(TableModel):
    """The columns of the file, a few example values, and the field each one is mapped to.

    Choosing a field that another column already has does not silently change that other
    column (keyboard search in a combo box passes through other fields on its way); the page
    shows the conflict instead, and the user decides.
    """

    mappingChanged = Signal()  # noqa: N815 - Qt naming

    COL_HEADER, COL_EXAMPLES, COL_FIELD = range(3)
    RowRole = ROW_ROLE
    SortRole = SORT_ROLE
    TR_CONTEXT = TR_CONTEXT
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Kolom in het bestand"),
            lambda r: r.header,
            lambda r: r.index,
            tooltip=lambda r: "",
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Voorbeelden"),
            _examples_text,
            lambda r: " ".join(r.examples).casefold(),
            tooltip=lambda r: "\n".join(r.examples),
        ),
        Column(
            QT_TRANSLATE_NOOP("ImportWizard", "Veld in IB Desktop"),
            lambda r: field_label(r.field),
            lambda r: list(Field).index(r.field) if r.field else len(Field),
        ),
    )

    def __init__(
        self,
        headers: Sequence[str],
        examples: Sequence[Sequence[str]],
        mapping: ColumnMapping,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows = [
            _MappingRow(i, header, list(examples[i]), mapping.get(i))
            for i, header in enumerate(headers)
        ]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Dutch column titles; the rows are numbered."""
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return super().headerData(section, orientation, role)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Text, the field's value for editing, sort keys and the row's (index, header, field)."""
        row = self.row_at(index)
        if row is None:
            return None
        if index.column() == self.COL_FIELD:
            if role == Qt.ItemDataRole.EditRole:
                return row.field.value if row.field else ""
            if role == Qt.ItemDataRole.ForegroundRole and row.field is None:
                return QGuiApplication.palette().placeholderText()
            if role == Qt.ItemDataRole.ToolTipRole:
                if row.index in self.duplicate_rows():
                    return self.tr("Dit veld is ook aan een andere kolom gekoppeld.")
                return None
        elif role == Qt.ItemDataRole.EditRole:
            return None
        if role == self.RowRole:
            return (row.index, row.header, row.field)
        return super().data(index, role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Only the field column is editable."""
        base = super().flags(index)
        if index.isValid() and index.column() == self.COL_FIELD:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
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
        if self._rows[row].field == fld:
            return
        self._rows[row].field = fld
        idx = self.index(row, self.COL_FIELD)
        self.dataChanged.emit(idx, idx)
        self.mappingChanged.emit()

    def duplicate_rows(self) -> set[int]:
        """Columns whose field another column has too."""
        seen: dict[Field, list[int]] = {}
        for row in self._rows:
            if row.field is not None:
                seen.setdefault(row.field, []).append(row.index)
        return {row for rows in seen.values() if len(rows) > 1 for row in rows}

    def mapping(self) -> ColumnMapping:
        """The mapping as chosen now."""
        return {row.index: row.field for row in self._rows}


class FieldComboDelegate(QStyledItemDelegate):
    """A combo box of our fields for the "Veld in IB Desktop" column; commits on every choice."""

    def createEditor(  # noqa: N802
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        """The combo with "Niet importeren" and every field."""
        combo = QComboBox(parent)
        combo.setObjectName("field-combo")
        combo.addItem(field_label(None), "")
        for fld in Field:
            combo.addItem(field_label(fld), fld.value)
        combo.setAccessibleName(self.tr("Veld voor kolom %s") % index.siblingAtColumn(0).data())
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

    def setModelData(  # noqa: N802
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Store the chosen field."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

"""The one table-model base: a flat list of Python rows shown in columns.

A model either declares its columns as :class:`Column` records in ``COLUMNS`` (text, tooltip
and sort value per row, headers translated when shown) or sets ``_headers`` and implements
``data`` itself. Either way row count, column count, headers, flags and the row helpers
(``set_rows``, ``row_of``, ``row_at``, ``append``, ``remove``, ``move``) are written here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView

#: The row object behind a cell.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: The value a proxy sorts on (a date's ordinal rather than its text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column: its header (source text, marked with ``QT_TRANSLATE_NOOP``), text and sort."""

    title: str
    display: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    tooltip: Callable[[Any], str] | None = None


class TableModel(QAbstractTableModel):
    """Rows in ``self._rows``, selectable and never editable."""

    COLUMNS: tuple[Column, ...] = ()
    #: The translation context of the ``COLUMNS`` titles.
    TR_CONTEXT = "TableModel"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._headers: list[str] = []

    # ---------------------------------------------------------------------------- rows

    def rows(self) -> list[Any]:
        """The rows in their order."""
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows instead of the ones shown now."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, row_id: int | None) -> int:
        """The position of the row whose ``id`` is ``row_id`` (-1 when not shown)."""
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), -1)

    def row_at(self, where: int | Index) -> Any:
        """The row object at a position or behind an index; None when there is none."""
        if isinstance(where, QModelIndex | QPersistentModelIndex):
            if not where.isValid():
                return None
            where = where.row()
        return self._rows[where] if 0 <= where < len(self._rows) else None

    def append(self, item: Any) -> int:
        """Add a row at the end; returns its number."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(item)
        self.endInsertRows()
        return row

    def replace_row(self, row: int, item: Any) -> None:
        """Put a new object in a row."""
        self._rows[row] = item
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def remove(self, row: int) -> Any:
        """Remove a row and return its object."""
        self.beginRemoveRows(QModelIndex(), row, row)
        item = self._rows.pop(row)
        self.endRemoveRows()
        return item

    def move(self, row: int, delta: int) -> int:
        """Move a row up (-1) or down (+1); returns its new number."""
        target = row + delta
        if not (0 <= row < len(self._rows)) or not (0 <= target < len(self._rows)):
            return row
        dest = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), dest)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target

    # ---------------------------------------------------------------------------- Qt

    def headers(self) -> list[str]:
        """The header texts: ``_headers`` when set, else the translated column titles."""
        if self._headers:
            return self._headers
        return [QCoreApplication.translate(self.TR_CONTEXT, c.title) for c in self.COLUMNS]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows of the table (none under a row: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        """The columns."""
        return 0 if parent.isValid() else (len(self._headers) or len(self.COLUMNS))

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        headers = self.headers()
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(headers)
        ):
            return headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, tooltip, sort value and the row object, from ``COLUMNS``."""
        item = self.row_at(index)
        if item is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return column.display(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip or column.display)(item) or None
        if role == SORT_ROLE:
            return column.sort(item) if column.sort else column.display(item).lower()
        if role == ROW_ROLE:
            return item
        return self.extra_data(item, index.column(), role)

    def extra_data(self, item: Any, column: int, role: int) -> Any:
        """Other roles (decorations) for subclasses."""
        return None


# ------------------------------------------------------------------------------- views


def first_line(text: str, limit: int = 90) -> str:
    """The first line of a text, shortened for a table cell."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    line = line.lstrip("-*• ").strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def proxy_for(model: QAbstractTableModel, parent: QObject) -> QSortFilterProxyModel:
    """A sort proxy on the model's sort role."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def table_view(proxy: QSortFilterProxyModel, *, name: str, sortable: bool = False) -> QTableView:
    """A calm table: whole rows selected, no grid, last column stretched."""
    view = QTableView()
    view.setModel(proxy)
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    view.setSortingEnabled(sortable)
    view.setTabKeyNavigation(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def selected_source_row(view: QTableView) -> int:
    """The model row selected in ``view`` (through its proxy), or -1."""
    index = view.currentIndex()
    if not index.isValid() or not view.selectionModel().isSelected(index):
        rows = view.selectionModel().selectedRows()
        if not rows:
            return -1
        index = rows[0]
    proxy = view.model()
    if isinstance(proxy, QSortFilterProxyModel):
        index = proxy.mapToSource(index)
    return index.row()


def select_source_row(view: QTableView, row: int) -> None:
    """Select a model row in ``view``."""
    proxy = view.model()
    source = proxy.sourceModel() if isinstance(proxy, QSortFilterProxyModel) else proxy
    if not (0 <= row < source.rowCount()):
        return
    index = source.index(row, 0)
    if isinstance(proxy, QSortFilterProxyModel):
        index = proxy.mapFromSource(index)
    view.selectRow(index.row())
    view.setCurrentIndex(index)

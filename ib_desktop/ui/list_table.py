"""A read-only table model over a Python list of rows, with column headers.

Subclasses set ``self._headers`` and ``self._rows`` and implement ``data``; row count, column
count, header texts and flags are the same for every such list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt


class ListTableModel(QAbstractTableModel):
    """Rows in ``self._rows``, selectable and never editable, headers in ``self._headers``."""

    _headers: list[str]
    _rows: list[Any]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def set_rows(self, rows: list[Any]) -> None:
        """Show these rows instead of the ones shown now."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, row_id: int | None) -> int:
        """The position of the row whose ``id`` is ``row_id`` (-1 when not shown)."""
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), -1)

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        """The row object behind ``index``, or None for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

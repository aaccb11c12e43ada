"""The proxy of the pupil list: filters and sorts in plain Python over precomputed keys.

``QSortFilterProxyModel`` calls back into Python once per row for every keystroke (measured at
0.3-0.6 s for 50,000 rows), which is why this list does not use it: :class:`PupilListProxy` only
maps rows, the work is done by :class:`ib_desktop.pupil_rows.PupilIndex`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from ib_desktop.pupil_rows import Column, PupilFilter, PupilIndex, PupilRow
from ib_desktop.ui.pupil_list.model import PupilTableModel

VERTICAL_SORT = QAbstractProxyModel.LayoutChangeHint.VerticalSortHint
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class PupilListProxy(QAbstractProxyModel):
    """Shows the rows that pass a :class:`PupilFilter`, sorted, computed in Python.

    A filter change resets the proxy (the page restores the selection by pupil id); a sort is a
    layout change, so Qt keeps the selection itself.
    """

    countsChanged = Signal(int, int)  # noqa: N815 - shown, total (for "123 van 400 leerlingen")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._index = PupilIndex([])
        self._visible: list[int] = []
        self._position: list[int] | None = None
        self._filter = PupilFilter()
        self._sort_column = PupilTableModel.COL_NAME
        self._descending = False
        self._source: PupilTableModel | None = None
        self._columns = 0

    # ------------------------------------------------------------------ wiring
    def setSourceModel(self, model: PupilTableModel) -> None:  # type: ignore[override]  # noqa: N802
        old = self.sourceModel()
        if old is not None:
            old.modelAboutToBeReset.disconnect(self._on_source_about_to_reset)
            old.modelReset.disconnect(self._on_source_reset)
            old.dataChanged.disconnect(self._on_source_data_changed)
        self.beginResetModel()
        super().setSourceModel(model)
        self._source = model
        self._columns = model.columnCount()
        model.modelAboutToBeReset.connect(self._on_source_about_to_reset)
        model.modelReset.connect(self._on_source_reset)
        model.dataChanged.connect(self._on_source_data_changed)
        self._index = PupilIndex(model.rows)
        self._recompute()
        self.endResetModel()
        self._emit_counts()

    def source(self) -> PupilTableModel:
        """The table model this proxy shows."""
        return self.sourceModel()  # type: ignore[return-value]

    @Slot()
    def _on_source_about_to_reset(self) -> None:
        self.beginResetModel()

    @Slot()
    def _on_source_reset(self) -> None:
        self._index = PupilIndex(self.source().rows)
        self._recompute()
        self.endResetModel()
        self._emit_counts()

    @Slot(QModelIndex, QModelIndex, list)
    def _on_source_data_changed(
        self, top: QModelIndex, bottom: QModelIndex, roles: list[int]
    ) -> None:
        """New values in some columns (the schedule arrived): re-index, re-filter if needed."""
        changed = {PupilTableModel.COLUMN_KEYS[c] for c in range(top.column(), bottom.column() + 1)}
        self._index = self._index.updated(self.source().rows, changed)
        depends = (
            self._filter.overdue and changed & {Column.NEXT, Column.SIGNALS}
        ) or PupilTableModel.COLUMN_KEYS[self._sort_column] in changed
        if depends:
            self.beginResetModel()
            self._recompute()
            self.endResetModel()
            self._emit_counts()
        elif self._visible:
            for c in range(top.column(), bottom.column() + 1):
                self.dataChanged.emit(
                    self.index(0, c), self.index(len(self._visible) - 1, c), roles
                )

    # ------------------------------------------------------------------ filter and sort
    @property
    def pupil_filter(self) -> PupilFilter:
        """The filter in force."""
        return self._filter

    def set_filter(self, pupil_filter: PupilFilter) -> None:
        """Show only the rows that pass ``pupil_filter``."""
        if pupil_filter == self._filter:
            return
        self.beginResetModel()
        self._filter = pupil_filter
        self._recompute()
        self.endResetModel()
        self._emit_counts()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a column (called by the view's header); the selection stays."""
        if column < 0 or column >= self._columns:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        sources = [(self._visible[i.row()], i.column()) if i.isValid() else None for i in before]
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._recompute()
        position = self._positions()
        after = [
            self.createIndex(position[s[0]], s[1])
            if s is not None and position[s[0]] >= 0
            else QModelIndex()
            for s in sources
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _recompute(self) -> None:
        key = PupilTableModel.COLUMN_KEYS[self._sort_column]
        self._visible = self._index.view(self._filter, key, self._descending)
        self._position = None

    def _positions(self) -> list[int]:
        """Source row -> proxy row (-1 when filtered out), built when first needed."""
        if self._position is None:
            pos = [-1] * len(self._index.rows)
            for proxy_row, source_row in enumerate(self._visible):
                pos[source_row] = proxy_row
            self._position = pos
        return self._position

    def _emit_counts(self) -> None:
        total = self._index.count(PupilFilter(status=self._filter.status))
        self.countsChanged.emit(len(self._visible), total)

    def counts(self) -> tuple[int, int]:
        """(shown, total with the chosen status)."""
        return len(self._visible), self._index.count(PupilFilter(status=self._filter.status))

    # ------------------------------------------------------------------ mapping
    def mapToSource(self, proxy_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:  # noqa: N802
        if not proxy_index.isValid() or self.sourceModel() is None:
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._visible):
            return QModelIndex()
        return self._source.index(self._visible[row], proxy_index.column())

    def mapFromSource(self, source_index: QModelIndex | QPersistentModelIndex) -> QModelIndex:  # noqa: N802
        if not source_index.isValid():
            return QModelIndex()
        positions = self._positions()
        row = source_index.row()
        if not 0 <= row < len(positions) or positions[row] < 0:
            return QModelIndex()
        return self.createIndex(positions[row], source_index.column())

    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:  # noqa: B008
        if (
            parent.isValid()
            or not (0 <= row < len(self._visible))
            or not (0 <= column < self._columns)
        ):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: QModelIndex | QPersistentModelIndex | None = None) -> Any:  # type: ignore[override]
        if child is None:
            return QObject.parent(self)
        return QModelIndex()

    def sibling(
        self, row: int, column: int, idx: QModelIndex | QPersistentModelIndex
    ) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._columns

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Straight to the row object: mapping every cell through the source costs 10x more."""
        row = index.row()
        if row < 0 or row >= len(self._visible):  # an invalid index has row -1
            return None
        return self._source.value(self._index.rows[self._visible[row]], index.column(), role)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and bool(self._visible)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return (
            self.sourceModel().headerData(section, orientation, role)
            if self.sourceModel()
            else None
        )

    # ------------------------------------------------------------------ rows
    def row_at(self, proxy_row: int) -> PupilRow | None:
        """The pupil shown on a proxy row."""
        if 0 <= proxy_row < len(self._visible):
            return self._index.rows[self._visible[proxy_row]]
        return None

    def proxy_row_of(self, pupil_id: int) -> int | None:
        """Where a pupil is shown, or None when filtered out."""
        source_row = self.source().row_of(pupil_id) if self.sourceModel() else -1
        if source_row < 0:
            return None
        pos = self._positions()[source_row]
        return pos if pos >= 0 else None

"""The record table of the pupil file: a sortable table with Toevoegen / Bewerken / Verwijderen.

Every record tab (guardians, care, career, assessments, meetings, documents, levels) is a
:class:`RecordTab` over a :class:`RecordTableModel`, whose columns are :class:`RecordColumn`
records: the shared :class:`~ib_desktop.ui.widgets.table_model.Column` with an optional icon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import short_date
from ib_desktop.ui.widgets.table_model import ROW_ROLE, Column, TableModel, proxy_for

MUTED = QColor("#757575")
#: A cell shows its text as a tooltip only when it is longer than this (it may be cut off).
TOOLTIP_FROM = 40


@dataclass(frozen=True)
class RecordColumn(Column):
    """A column of a record table; ``icon`` decorates the cell (a level's colour)."""

    icon: Callable[[Any], QIcon | None] | None = None


def column(
    title: str,
    display: Callable[[Any], str],
    sort: Callable[[Any], Any] | None = None,
    *,
    icon: Callable[[Any], QIcon | None] | None = None,
    tooltip: Callable[[Any], str] | None = None,
) -> RecordColumn:
    """A column whose tooltip, unless given, is its text when that is long."""

    def long_text(row: Any) -> str:
        text = display(row)
        return text if len(text) > TOOLTIP_FROM else ""

    return RecordColumn(title, display, sort, tooltip or long_text, icon)


def _date_sort(d: date | None) -> int:
    return d.toordinal() if d else 0


def date_column(title: str, get: Callable[[Any], date | None]) -> RecordColumn:
    """A column of dates shown as 12-03-2026 and sorted by date."""
    return column(title, lambda r: short_date(get(r)), lambda r: _date_sort(get(r)))


class RecordTableModel(TableModel):
    """A read-only table over a list of row objects (dataclasses from the service).

    ``ROW_ROLE`` returns the row object, ``SORT_ROLE`` a native Python value to sort on; rows
    for which ``muted`` is true are shown in grey (care that ended, closed documents).
    """

    TR_CONTEXT = "RecordTable"

    def __init__(self, columns: list[RecordColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.COLUMNS = tuple(columns)
        self.muted: Callable[[Any], bool] = lambda _row: False

    def extra_data(self, item: Any, column: int, role: int) -> Any:
        """The icon of a cell and the grey of a muted row."""
        icon = self.COLUMNS[column].icon  # type: ignore[attr-defined]
        if role == Qt.ItemDataRole.DecorationRole and icon is not None:
            return icon(item)
        if role == Qt.ItemDataRole.ForegroundRole and self.muted(item):
            return MUTED
        return None


class RecordTab(QWidget):
    """A table of records with Toevoegen / Bewerken / Verwijderen (Enter edits, Delete removes)."""

    addRequested = Signal()  # noqa: N815 - Qt naming
    editRequested = Signal(object)  # noqa: N815
    removeRequested = Signal(object)  # noqa: N815

    def __init__(
        self,
        columns: list[RecordColumn],
        *,
        add_text: str,
        name: str,
        intro: str = "",
        sort_column: int = 0,
        descending: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(columns, self)
        self.proxy = proxy_for(self.model, self)
        self.view = QTableView()
        self.view.setObjectName(f"{name}-table")
        self.view.setAccessibleName(name)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(
            sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.add_button = QPushButton(add_text)
        self.edit_button = QPushButton(self.tr("&Bewerken…"))
        self.remove_button = QPushButton(self.tr("&Verwijderen…"))
        self.add_button.clicked.connect(self.addRequested)
        self.edit_button.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.edit_button)
        self.buttons.addWidget(self.remove_button)
        self.buttons.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setStyleSheet("color: #757575;")
        layout = QVBoxLayout(self)
        if intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            intro_label.setStyleSheet("color: #555555;")
            layout.addWidget(intro_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.buttons)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.read_only = False
        self.edit_text = self.tr("&Bewerken…")
        self.view_text = self.tr("&Bekijken…")
        self._on_selection()

    def set_rows(self, rows: list[Any], empty_text: str = "") -> None:
        """Show ``rows``, keeping the selected record selected when it is still there."""
        selected = self.current()
        key = getattr(selected, "id", None) if selected is not None else None
        self.model.set_rows(rows)
        self.empty_label.setText(empty_text if not rows else "")
        self.empty_label.setVisible(not rows and bool(empty_text))
        if not self.view.property("sized") and rows:
            self.view.resizeColumnsToContents()
            header = self.view.horizontalHeader()
            for col in range(self.model.columnCount()):
                header.resizeSection(col, min(header.sectionSize(col) + 12, 320))
            self.view.setProperty("sized", True)
        if key is not None:
            self.select_where(lambda r: getattr(r, "id", None) == key)
        self._on_selection()

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        """Select the first row for which ``predicate`` is true."""
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(ROW_ROLE)
            if predicate(row):
                self.view.selectRow(r)
                self.view.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def current(self) -> Any:
        """The selected row object (None when nothing is selected)."""
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            rows = self.view.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        return index.data(ROW_ROLE)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only file shows records but offers no changes."""
        self.read_only = read_only
        self.add_button.setEnabled(not read_only)
        self._on_selection()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Enter edits the selected record, Delete removes it."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_edit()
            return
        if event.key() == Qt.Key.Key_Delete and not self.read_only:
            self._on_remove()
            return
        super().keyPressEvent(event)

    @Slot()
    def _on_selection(self, *_args: Any) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.edit_button.setText(self.view_text if self.read_only else self.edit_text)
        self.remove_button.setEnabled(has and not self.read_only)

    @Slot(QModelIndex)
    def _on_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.editRequested.emit(row)

    @Slot()
    def _on_edit(self) -> None:
        row = self.current()
        if row is not None:
            self.editRequested.emit(row)

    @Slot()
    def _on_remove(self) -> None:
        row = self.current()
        if row is not None and not self.read_only:
            self.removeRequested.emit(row)

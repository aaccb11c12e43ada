"""The table of backups: date, kind, size, pupils, documents; newest first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

from ib_desktop import backup as bk
from ib_desktop.ui.backup.texts import moment
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, Column, TableModel


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _tooltip(info: bk.BackupInfo) -> str:
    tip = str(info.path)
    return f"{tip}\n{info.problem}" if info.problem else tip


class BackupTableModel(TableModel):
    """The backups of a database: date, kind, size, pupils, documents."""

    DATE, KIND, SIZE, PUPILS, DOCUMENTS = range(5)
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE
    TR_CONTEXT = "BackupTableModel"
    # Qt compares numbers and text, not Python datetimes: the moment sorts as a timestamp.
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("BackupTableModel", "Datum"),
            lambda b: moment(b.created),
            sort=lambda b: b.created.timestamp(),
            tooltip=_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("BackupTableModel", "Soort"),
            lambda b: b.kind,
            sort=lambda b: b.kind,
            tooltip=_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("BackupTableModel", "Grootte"),
            lambda b: bk.format_size(b.size),
            sort=lambda b: b.size,
            tooltip=_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("BackupTableModel", "Leerlingen"),
            lambda b: _count(b.pupils),
            sort=lambda b: b.pupils if b.pupils is not None else -1,
            tooltip=_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("BackupTableModel", "Documenten"),
            lambda b: _count(b.documents),
            sort=lambda b: b.documents if b.documents is not None else -1,
            tooltip=_tooltip,
        ),
    )

    def set_backups(self, backups: list[bk.BackupInfo]) -> None:
        """Show these backups."""
        self.set_rows(backups)

    def backups(self) -> list[bk.BackupInfo]:
        """The backups shown."""
        return self.rows()

    def extra_data(self, item: Any, column: int, role: int) -> Any:
        """Numbers to the right; a backup that cannot be read in red."""
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.SIZE,
            self.PUPILS,
            self.DOCUMENTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and item.problem:
            return QColor("#b00020")
        return None


def make_backup_view(
    parent: QWidget | None = None,
) -> tuple[QTableView, BackupTableModel, QSortFilterProxyModel]:
    """A sortable table of backups, newest first, one row selected at a time."""
    model = BackupTableModel(parent)
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(BackupTableModel.SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(BackupTableModel.DATE, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(BackupTableModel.DATE, QHeaderView.ResizeMode.Stretch)
    for col in (
        BackupTableModel.KIND,
        BackupTableModel.SIZE,
        BackupTableModel.PUPILS,
        BackupTableModel.DOCUMENTS,
    ):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    view.setAccessibleName(QCoreApplication.translate("backup", "Back-ups"))
    return view, model, proxy


def selected_backup(view: QTableView) -> bk.BackupInfo | None:
    """The backup of the selected row."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    return rows[0].data(BackupTableModel.ROW_ROLE)


def load_backups(folder: Path, stem: str) -> list[bk.BackupInfo]:
    """The backups of ``stem`` with their counts, under a wait cursor (a share can be slow)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return bk.list_backups(folder, stem=stem)
    finally:
        QApplication.restoreOverrideCursor()

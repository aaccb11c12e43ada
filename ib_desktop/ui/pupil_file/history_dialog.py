"""The history of a document: who changed what, when, with the old and the new text.

Parents may ask what was changed in their child's file, and the IB-er wants to see who wrote an
evaluation; the change log holds a line per changed field, and this dialog shows it as a
searchable table with the full old and new text of the selected line beside each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import short_date
from ib_desktop.services.plans import HistoryEntry, history
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, Column, TableModel
from ib_desktop.ui.widgets.window_size import size_window

_Index = QModelIndex | QPersistentModelIndex


def _one_line(text: str, limit: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _no_tooltip(_entry: HistoryEntry) -> str:
    return ""


def _long_text(text: str) -> str:
    """A text as tooltip only when the cell cannot show all of it."""
    return text if len(text) > 70 or "\n" in text else ""


class HistoryModel(TableModel):
    """The change log lines of one document."""

    COL_AT, COL_ACTOR, COL_ACTION, COL_FIELD, COL_OLD, COL_NEW = range(6)
    TR_CONTEXT = "HistoryModel"
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Wanneer"),
            lambda e: f"{short_date(e.at.date())} {e.at:%H:%M}",
            tooltip=_no_tooltip,  # sorted in data(): the row breaks ties within a second
        ),
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Wie"),
            lambda e: e.actor,
            lambda e: e.actor.lower(),
            _no_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Wat"),
            lambda e: e.action,
            lambda e: e.action,
            _no_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Onderdeel"),
            lambda e: e.field or _one_line(e.summary, 50),
            lambda e: e.field.lower(),
            _no_tooltip,
        ),
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Was"),
            lambda e: _one_line(e.old_value),
            lambda e: e.old_value.lower(),
            lambda e: _long_text(e.old_value),
        ),
        Column(
            QT_TRANSLATE_NOOP("HistoryModel", "Wordt"),
            lambda e: _one_line(e.new_value),
            lambda e: e.new_value.lower(),
            lambda e: _long_text(e.new_value),
        ),
    )

    def __init__(self, entries: Sequence[HistoryEntry] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(entries)

    def entry(self, row: int) -> HistoryEntry:
        """The line of ``row``."""
        return self._rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """As ``TableModel``; the time sorts on seconds, then on the log's own order."""
        if role == SORT_ROLE and index.column() == self.COL_AT:
            e = self.row_at(index)
            # Seconds, then the log's own order for changes within the same second.
            return int(e.at.timestamp()) * 100_000 + index.row() if e is not None else None
        return super().data(index, role)


class HistoryDialog(QDialog):
    """A document's change history; opened beside the editor (not modal for the app)."""

    def __init__(
        self, entries: Sequence[HistoryEntry], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Geschiedenis - %s") % title)
        size_window(self, "history_dialog.HistoryDialog", 1040, 600)
        self.model = HistoryModel(entries, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Zoeken in de geschiedenis…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoeken"))
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.count_label = QLabel()

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HistoryModel.COL_AT, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in (HistoryModel.COL_AT, HistoryModel.COL_ACTOR, HistoryModel.COL_ACTION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.COL_FIELD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryModel.COL_FIELD, 250)
        header.setSectionResizeMode(HistoryModel.COL_OLD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryModel.COL_OLD, 160)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Wijzigingen"))

        self.old_text = QPlainTextEdit()
        self.new_text = QPlainTextEdit()
        for w in (self.old_text, self.new_text):
            w.setReadOnly(True)
            w.setTabChangesFocus(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        old_box = QGroupBox(self.tr("Was"))
        QVBoxLayout(old_box).addWidget(self.old_text)
        new_box = QGroupBox(self.tr("Wordt"))
        QVBoxLayout(new_box).addWidget(self.new_text)
        detail = QWidget()
        detail_lay = QVBoxLayout(detail)
        detail_lay.setContentsMargins(0, 0, 0, 0)
        detail_lay.addWidget(self.summary_label)
        pair = QHBoxLayout()
        pair.addWidget(old_box)
        pair.addWidget(new_box)
        detail_lay.addLayout(pair)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 160])
        splitter.setChildrenCollapsible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Sluiten"))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(splitter, 1)
        lay.addWidget(buttons)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self._update_count()
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self.search.setFocus()

    @classmethod
    def for_document(
        cls, parent: QWidget | None, ctx: Any, entity: str, entity_id: int, title: str
    ) -> HistoryDialog:
        """Load the history in a short session and show it beside the editor."""
        with ctx.db.session() as s:
            entries = history(s, entity, entity_id)
        dialog = cls(entries, title, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        return dialog

    def selected_entry(self) -> HistoryEntry | None:
        """The line selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ROW_ROLE)

    @Slot()
    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0:
            self.count_label.setText(self.tr("Nog geen wijzigingen"))
        elif shown == total:
            self.count_label.setText(
                self.tr("1 wijziging") if total == 1 else self.tr("%d wijzigingen") % total
            )
        else:
            self.count_label.setText(self.tr("%d van %d wijzigingen") % (shown, total))

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        e = self.selected_entry()
        self.old_text.setPlainText(e.old_value if e else "")
        self.new_text.setPlainText(e.new_value if e else "")
        if e is None:
            self.summary_label.clear()
            return
        what = f"{e.action}: {e.field}" if e.field else e.action
        text = self.tr("%s, %s om %s door %s") % (
            what[:1].upper() + what[1:],
            short_date(e.at.date()),
            f"{e.at:%H:%M}",
            e.actor or self.tr("onbekend"),
        )
        if e.summary:
            text += f"\n{e.summary}"
        self.summary_label.setText(text)

"""The table model of the pupil list: every pupil of the school, one row each, in load order.

Answering a role is one dictionary look-up (the view asks seven roles for every painted cell);
the proxy in :mod:`ib_desktop.ui.pupil_list.proxy` filters and sorts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from ib_desktop.dates import long_date, short_date
from ib_desktop.domain_types import PupilStatus
from ib_desktop.pupil_rows import Column, PupilRow, sort_value
from ib_desktop.ui.widgets.level_style import (
    document_label,
    level_brush,
    missing_text,
    text_brush_on,
)
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, TableModel

_ACTIVE = PupilStatus.ACTIEF
_LEFT = PupilStatus.VERTROKKEN
OVERDUE_COLOR = QColor("#b00020")
LEFT_COLOR = QColor("#757575")


class PupilTableModel(TableModel):
    """All pupils of the school, one row each, in load order; the proxy filters and sorts.

    Columns are answered by role handlers rather than ``TableModel.COLUMNS``: the list paints
    tens of thousands of rows, and a handler per role is the fastest answer.
    """

    # "Let op" sits beside the level it is about, so it stays in view on a laptop screen.
    COL_NAME, COL_GROUP, COL_TEACHER, COL_LEVEL, COL_SIGNALS, COL_SINCE, COL_DOCUMENTS, COL_NEXT = (
        range(8)
    )
    COLUMN_KEYS = {
        COL_NAME: Column.NAME,
        COL_GROUP: Column.GROUP,
        COL_TEACHER: Column.TEACHER,
        COL_LEVEL: Column.LEVEL,
        COL_SINCE: Column.SINCE,
        COL_DOCUMENTS: Column.DOCUMENTS,
        COL_NEXT: Column.NEXT,
        COL_SIGNALS: Column.SIGNALS,
    }
    SortRole = SORT_ROLE  # native Python value the column sorts on
    RowRole = ROW_ROLE  # the PupilRow itself

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._row_of_id: dict[int, int] = {}
        #: True while the rows are the first paint's (``ib_desktop.quick_list``): the next
        #: evaluation is not known yet and shows "…".
        self.next_pending = False
        headers = {
            self.COL_NAME: self.tr("Naam"),
            self.COL_GROUP: self.tr("Groep"),
            self.COL_TEACHER: self.tr("Leerkracht"),
            self.COL_LEVEL: self.tr("Niveau"),
            self.COL_SIGNALS: self.tr("Let op"),
            self.COL_SINCE: self.tr("Sinds"),
            self.COL_DOCUMENTS: self.tr("Open documenten"),
            self.COL_NEXT: self.tr("Volgende evaluatie"),
        }
        self._headers = [headers[c] for c in range(len(headers))]
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._overdue = QBrush(OVERDUE_COLOR)
        self._left = QBrush(LEFT_COLOR)
        self._warning = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        #: The text of each column, one look-up per painted cell.
        self._texts: dict[int, Callable[[PupilRow], str]] = {
            self.COL_NAME: lambda r: r.sort_name,
            self.COL_GROUP: self._group_text,
            self.COL_TEACHER: lambda r: r.teacher_names,
            self.COL_LEVEL: self._level_text,
            self.COL_SINCE: lambda r: short_date(r.since),
            self.COL_DOCUMENTS: self._documents_text,
            self.COL_NEXT: self._next_text,
            self.COL_SIGNALS: lambda r: missing_text(r.missing),
        }
        roles = Qt.ItemDataRole
        self._handlers: dict[int, Any] = {
            int(roles.DisplayRole): self._display,
            int(roles.AccessibleTextRole): self._display,
            int(roles.ToolTipRole): self._tooltip,
            int(roles.BackgroundRole): self._background,
            int(roles.ForegroundRole): self._foreground,
            int(roles.FontRole): self._font,
            int(roles.DecorationRole): self._decoration,
            int(self.SortRole): self._sort_value,
            int(self.RowRole): self._row,
        }

    # ------------------------------------------------------------------ data in
    @property
    def rows(self) -> list[PupilRow]:  # type: ignore[override]
        """The rows in load order, not copied (50,000 of them); read-only.

        A property here, where ``TableModel.rows()`` is a method: the proxy and the tests read
        the list itself.
        """
        return self._rows

    def set_rows(self, rows: list[PupilRow]) -> None:  # type: ignore[override]
        """Replace every row (a reload); the list is kept, not copied."""
        self.beginResetModel()
        self._rows = rows
        self._row_of_id = {r.id: i for i, r in enumerate(rows)}
        self.endResetModel()

    def replace_rows(self, rows: list[PupilRow], columns: tuple[int, ...]) -> None:
        """Same pupils in the same order with new values in ``columns`` (no reset)."""
        assert len(rows) == len(self._rows)
        self._rows = rows
        if rows:
            for col in columns:
                self.dataChanged.emit(self.index(0, col), self.index(len(rows) - 1, col))

    def row_of(self, row_id: int | None) -> int:
        """The source row of a pupil (-1 when not loaded), by a dictionary, not a scan."""
        return self._row_of_id.get(row_id, -1) if row_id is not None else -1

    # ------------------------------------------------------------------ model
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_SIGNALS:
                return self.tr("Een document dat het niveau van de leerling vraagt, ontbreekt.")
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self.value(self._rows[index.row()], index.column(), role)

    def value(self, row: PupilRow, col: int, role: int) -> Any:
        """What ``data()`` answers for a row object (the proxy calls this directly: fast).

        One dictionary look-up per call: the view asks seven roles for every painted cell.
        """
        handler = self._handlers.get(role)
        return handler(row, col) if handler is not None else None

    def _sort_value(self, row: PupilRow, col: int) -> Any:
        return sort_value(row, self.COLUMN_KEYS[col])

    @staticmethod
    def _row(row: PupilRow, _col: int) -> PupilRow:
        return row

    def _background(self, row: PupilRow, col: int) -> Any:
        if col == self.COL_LEVEL and row.level is not None:
            return level_brush(row.level.color)
        return None

    def _foreground(self, row: PupilRow, col: int) -> Any:
        if col == self.COL_LEVEL and row.level is not None:
            return text_brush_on(row.level.color)
        if (col == self.COL_NEXT and row.overdue) or (col == self.COL_SIGNALS and row.missing):
            return self._overdue
        if row.status is not _ACTIVE:
            return self._left
        return None

    def _font(self, row: PupilRow, col: int) -> Any:
        if (col == self.COL_NEXT and row.overdue) or (col == self.COL_SIGNALS and row.missing):
            return self._bold
        if col == self.COL_GROUP and row.status is _LEFT:
            return self._italic
        return None

    def _decoration(self, row: PupilRow, col: int) -> Any:
        if col == self.COL_SIGNALS and row.missing:
            return self._warning
        return None

    def _display(self, row: PupilRow, col: int) -> str:
        text = self._texts.get(col)
        return text(row) if text is not None else ""

    def _group_text(self, row: PupilRow) -> str:
        if row.status == PupilStatus.VERTROKKEN:
            return self.tr("vertrokken")
        if row.status == PupilStatus.AANGEMELD and row.group is None:
            return self.tr("aangemeld")
        return row.group_name

    @staticmethod
    def _level_text(row: PupilRow) -> str:
        if row.level is None:
            return ""
        return f"{row.level.label} ({row.level_area})" if row.level_area else row.level.label

    @staticmethod
    def _documents_text(row: PupilRow) -> str:
        return ", ".join(
            f"{n}× {document_label(k)}" if n > 1 else document_label(k)
            for k, n in row.open_documents
        )

    def _next_text(self, row: PupilRow) -> str:
        if row.next_due is None:
            return "…" if self.next_pending else ""
        if row.overdue:
            return self.tr("%s (te laat)") % short_date(row.next_due)
        return short_date(row.next_due)

    def _tooltip(self, row: PupilRow, col: int) -> str | None:
        if col == self.COL_NAME:
            return row.full_name
        if col in (self.COL_TEACHER, self.COL_DOCUMENTS):
            return self._display(row, col) or None
        if col == self.COL_GROUP and row.left_on is not None:
            return self.tr("Vertrokken op %s") % long_date(row.left_on)
        if col == self.COL_LEVEL and row.level is not None:
            text = row.level.label
            if row.level_area:
                text += " — " + self.tr("voor %s") % row.level_area
            if row.since:
                text += "\n" + self.tr("Sinds %s") % long_date(row.since)
            if row.level.retired:
                text += "\n" + self.tr("Dit niveau wordt niet meer gebruikt.")
            return text
        if col == self.COL_NEXT and row.next_due is not None:
            text = f"{row.next_title}: {long_date(row.next_due)}"
            return text + ("\n" + self.tr("Deze evaluatie is te laat.") if row.overdue else "")
        if col == self.COL_SIGNALS and row.missing and row.level is not None:
            return self.tr("Niveau %s vraagt om: %s.") % (
                row.level.label,
                missing_text(row.missing).rsplit(" ", 1)[0].lower(),
            )
        return None

"""The agenda as a table: the moments with their date, kind, pupil, group, who and status; one
proxy per section with the teacher, group and kind filters."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
)

from ib_desktop.dates import WEEKDAYS, short_date, weekday_date
from ib_desktop.models import MomentKind
from ib_desktop.schedule import KIND_LABELS, KIND_ORDER
from ib_desktop.services.agenda import (
    AgendaItem,
    Section,
    days_text,
)
from ib_desktop.ui.widgets.table_model import TableModel

OVERDUE_COLOR = QColor("#b00020")
DONE_COLOR = QColor("#2e7d32")
SECTIONS = [Section.TE_LAAT, Section.DEZE_WEEK, Section.KOMEND]


class AgendaModel(TableModel):
    """The open moments, one row each, in the engine's order."""

    COL_DATE, COL_KIND, COL_PUPIL, COL_GROUP, COL_WHAT, COL_WHO, COL_STATUS = range(7)
    SortRole = Qt.ItemDataRole.UserRole + 1  # a native Python value per column
    ItemRole = Qt.ItemDataRole.UserRole + 2  # the AgendaItem itself

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AgendaItem] = []
        self._today = None
        self._headers = [
            self.tr("Datum"),
            self.tr("Soort"),
            self.tr("Leerling"),
            self.tr("Groep"),
            self.tr("Wat"),
            self.tr("Wie"),
            self.tr("Wanneer"),
        ]
        self._late = QBrush(OVERDUE_COLOR)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: list[AgendaItem], today: Any) -> None:
        """Replace every row (a reload)."""
        self.beginResetModel()
        self._rows = list(items)
        self._today = today
        self.endResetModel()

    @property
    def items(self) -> list[AgendaItem]:
        """The rows (read-only)."""
        return self._rows

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        m = item.moment
        col = index.column()
        if role == self.ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, col)
        if role == self.SortRole:
            return self._sort_value(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_DATE:
                return weekday_date(m.due)
            if col == self.COL_WHAT:
                return m.title
            return None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and col in (self.COL_DATE, self.COL_STATUS)
            and m.is_overdue(self._today)
        ):
            return self._late
        if (
            role == Qt.ItemDataRole.FontRole
            and col == self.COL_STATUS
            and m.is_overdue(self._today)
        ):
            return self._bold
        return None

    def _display(self, item: AgendaItem, col: int) -> str:
        m = item.moment
        if col == self.COL_DATE:
            return f"{WEEKDAYS[m.due.weekday()][:2]} {short_date(m.due)}"
        if col == self.COL_KIND:
            return self.tr(KIND_LABELS[m.kind])
        if col == self.COL_PUPIL:
            return item.pupil or "–"
        if col == self.COL_GROUP:
            return item.group or "–"
        if col == self.COL_WHAT:
            return m.title
        if col == self.COL_WHO:
            return item.responsible or "–"
        if col == self.COL_STATUS:
            return self.tr(days_text(m, self._today))
        return ""

    def _sort_value(self, item: AgendaItem, col: int) -> Any:
        m = item.moment
        if col == self.COL_DATE or col == self.COL_STATUS:
            return (m.due.toordinal(), KIND_ORDER[m.kind], m.key)
        if col == self.COL_KIND:
            return (KIND_ORDER[m.kind], m.due.toordinal())
        if col == self.COL_PUPIL:
            return (item.pupil_sort.casefold() or "\uffff", m.due.toordinal())
        if col == self.COL_GROUP:
            return (item.group.casefold() or "\uffff", m.due.toordinal())
        if col == self.COL_WHAT:
            return (m.title.casefold(), m.due.toordinal())
        if col == self.COL_WHO:
            return (item.responsible.casefold() or "\uffff", m.due.toordinal())
        return m.due.toordinal()


class AgendaProxy(QSortFilterProxyModel):
    """One section of the agenda, with the teacher, group and kind filters."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.section = Section.TE_LAAT
        self.staff_id: int | None = None
        self.group_id: int | None = None
        self.kind: MomentKind | None = None
        self.involves = lambda _moment, _staff: True
        self.setSortRole(AgendaModel.SortRole)

    def set_filters(
        self,
        *,
        section: Section,
        staff_id: int | None,
        group_id: int | None,
        kind: MomentKind | None,
    ) -> None:
        """Change what is shown and filter again."""
        self.beginFilterChange()
        self.section, self.staff_id, self.group_id, self.kind = section, staff_id, group_id, kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def accepts(self, item: AgendaItem, section: Section | None = None) -> bool:
        """True when the filters (and the section, unless ``section`` says another) keep it."""
        m = item.moment
        if item.section != (section or self.section):
            return False
        if self.staff_id is not None and not self.involves(m, self.staff_id):
            return False
        if self.group_id is not None and m.group_id != self.group_id:
            return False
        return self.kind is None or m.kind == self.kind

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AgendaModel) or not (0 <= source_row < len(model.items)):
            return False
        return self.accepts(model.items[source_row])

    def lessThan(  # noqa: N802
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return left.data(AgendaModel.SortRole) < right.data(AgendaModel.SortRole)

"""The pupil list: every pupil of the school, where they stand, and what needs attention.

The IB-er's home screen. It stays responsive with 50,000 pupils:

* the rows are loaded in a few set-based queries (``services.pupil.listing``), the next evaluation
  from the schedule engine a moment later in a background thread, so the list shows at once;
* filtering and sorting run in plain Python over precomputed keys (:class:`PupilIndex`) inside
  :class:`PupilListProxy`, a proxy that only maps rows. ``QSortFilterProxyModel`` calls back into
  Python once per row for every keystroke (measured at 0.3-0.6 s for 50,000 rows), which is why
  this list does not use it;
* the view asks only for the cells it paints (fixed row height, no per-row sizing).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date, short_date
from ib_desktop.domain_types import PupilStatus
from ib_desktop.pupil_rows import (
    NONE_ID,
    Column,
    PupilFilter,
    PupilIndex,
    PupilListData,
    PupilRow,
    sort_value,
    with_next_evaluations,
)
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.level_style import (
    document_label,
    level_brush,
    missing_text,
    swatch,
    text_brush_on,
)

VERTICAL_SORT = QAbstractProxyModel.LayoutChangeHint.VerticalSortHint
_ACTIVE = PupilStatus.ACTIEF
_LEFT = PupilStatus.VERTROKKEN
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
OVERDUE_COLOR = QColor("#b00020")
LEFT_COLOR = QColor("#757575")


class PupilTableModel(QAbstractTableModel):
    """All pupils of the school, one row each, in load order; the proxy filters and sorts."""

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
    SortRole = Qt.ItemDataRole.UserRole + 1  # native Python value the column sorts on
    RowRole = Qt.ItemDataRole.UserRole + 2  # the PupilRow itself

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PupilRow] = []
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
    def rows(self) -> list[PupilRow]:
        """The rows in load order (read-only)."""
        return self._rows

    def set_rows(self, rows: list[PupilRow]) -> None:
        """Replace every row (a reload)."""
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

    def row_of(self, pupil_id: int) -> int | None:
        """The source row of a pupil, or None."""
        return self._row_of_id.get(pupil_id)

    # ------------------------------------------------------------------ model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

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
        if col == self.COL_NAME:
            return row.sort_name
        if col == self.COL_GROUP:
            if row.status == PupilStatus.VERTROKKEN:
                return self.tr("vertrokken")
            if row.status == PupilStatus.AANGEMELD and row.group is None:
                return self.tr("aangemeld")
            return row.group_name
        if col == self.COL_TEACHER:
            return row.teacher_names
        if col == self.COL_LEVEL:
            if row.level is None:
                return ""
            return f"{row.level.label} ({row.level_area})" if row.level_area else row.level.label
        if col == self.COL_SINCE:
            return short_date(row.since)
        if col == self.COL_DOCUMENTS:
            return ", ".join(
                f"{n}× {document_label(k)}" if n > 1 else document_label(k)
                for k, n in row.open_documents
            )
        if col == self.COL_NEXT:
            if row.next_due is None:
                return "…" if self.next_pending else ""
            if row.overdue:
                return self.tr("%s (te laat)") % short_date(row.next_due)
            return short_date(row.next_due)
        if col == self.COL_SIGNALS:
            return missing_text(row.missing)
        return ""

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
        source_row = self.source().row_of(pupil_id) if self.sourceModel() else None
        if source_row is None:
            return None
        pos = self._positions()[source_row]
        return pos if pos >= 0 else None


class SearchField(QLineEdit):
    """The quick filter: Down goes to the list, Escape clears."""

    downPressed = Signal()  # noqa: N815

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Down moves into the list; Escape empties the field (and only then the dialog's)."""
        if event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class PupilTableView(QTableView):
    """The list itself: typing a letter starts the quick filter, Escape goes back to it."""

    typed = Signal(str)
    escapePressed = Signal()  # noqa: N815

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """Type-ahead would scan every row; send the letters to the quick filter instead."""
        self.typed.emit(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Escape goes back to the quick filter."""
        if event.key() == Qt.Key.Key_Escape:
            self.escapePressed.emit()
            return
        super().keyPressEvent(event)


class _ScheduleSignals(QObject):
    """Carries the schedule engine's answer from the worker thread back to the page."""

    done = Signal(int, object)  # generation, {pupil id: Moment}
    failed = Signal(int, str)


class _ScheduleJob(QRunnable):
    """Asks the schedule engine for every pupil's next evaluation, off the GUI thread."""

    def __init__(self, ctx: AppContext, generation: int, signals: _ScheduleSignals) -> None:
        super().__init__()
        self._ctx = ctx
        self._generation = generation
        self._signals = signals

    def run(self) -> None:
        """Run in the pool with its own short session."""
        try:
            from ib_desktop.services.pupil.listing import next_evaluations

            with self._ctx.db.session() as s:
                due = next_evaluations(s, self._ctx.school_id, today=self._ctx.today())
        except Exception as exc:  # the list still works without the column
            self._signals.failed.emit(self._generation, str(exc))
            return
        self._signals.done.emit(self._generation, due)


class PupilListPage(QWidget):
    """Every pupil of the school with their level, open documents and next evaluation."""

    pupilActivated = Signal(int)  # noqa: N815 - a pupil was opened (Enter or double-click)

    #: Quiet time before the next evaluations are computed (see ``_start_schedule``).
    SCHEDULE_DELAY_MS = 700

    STATUS_CHOICES = (
        ("actief", PupilStatus.ACTIEF),
        ("aangemeld", PupilStatus.AANGEMELD),
        ("vertrokken", PupilStatus.VERTROKKEN),
        ("alle", None),
    )

    def __init__(
        self,
        ctx: AppContext | None,
        nav: Navigator,
        parent: QWidget | None = None,
        *,
        preview: PupilListData | None = None,
    ) -> None:
        """The page of ``ctx``; or, with ``ctx`` None, the rows of ``preview`` until attach().

        The preview is the first paint at start-up (``ib_desktop.quick_list``): the user sees
        the list, can filter and sort it, while the database is opened with all its checks;
        opening a pupil waits for :meth:`attach`.
        """
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._data = PupilListData(rows=[], groups=[], levels=[], teachers=[])
        self._stale = False
        self._generation = 0
        self._schedule_ready = False
        self._pool = QThreadPool(self)
        self._schedule_timer = QTimer(self)
        self._schedule_timer.setSingleShot(True)
        self._schedule_timer.timeout.connect(self._on_schedule_timer)
        self._pool.setMaxThreadCount(1)
        self._signals = _ScheduleSignals()
        self._signals.done.connect(self._on_schedule_done)
        self._signals.failed.connect(self._on_schedule_failed)
        self._build()
        self._connect()
        if ctx is not None:
            self.reload()
        elif preview is not None:
            self._show_preview(preview)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.search = SearchField()
        self.search.setObjectName("pupil-search")
        self.search.setPlaceholderText(self.tr("Zoek op naam…  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoek op naam"))
        self.search.setMinimumWidth(220)
        self.filter_edit = self.search  # the name the benchmarks use for the quick filter
        self.group_combo = QComboBox()
        self.group_combo.setAccessibleName(self.tr("Groep"))
        self.level_combo = QComboBox()
        self.level_combo.setAccessibleName(self.tr("Niveau"))
        self.level_combo.setMinimumContentsLength(18)
        self.level_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.teacher_combo = QComboBox()
        self.teacher_combo.setAccessibleName(self.tr("Leerkracht"))
        self.teacher_combo.setMinimumContentsLength(14)
        self.teacher_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName(self.tr("Status"))
        for key, text in (
            ("actief", self.tr("Actieve leerlingen")),
            ("aangemeld", self.tr("Aangemelde leerlingen")),
            ("vertrokken", self.tr("Vertrokken leerlingen")),
            ("alle", self.tr("Alle leerlingen")),
        ):
            self.status_combo.addItem(text, key)
        self.opp_check = QCheckBox(self.tr("Heeft OPP"))
        self.overdue_check = QCheckBox(self.tr("Evaluatie te laat"))
        self.missing_check = QCheckBox(self.tr("Document ontbreekt"))
        self.clear_button = QPushButton(self.tr("Filters wissen"))
        self.clear_button.setToolTip(self.tr("Alle filters terugzetten (actieve leerlingen)"))
        self.count_label = QLabel()
        self.count_label.setObjectName("pupil-count")
        self.busy_label = QLabel(self.tr("Evaluaties worden berekend…"))
        self.busy_label.setStyleSheet("color: #757575;")
        self.busy_label.hide()

        self.model = PupilTableModel(self)
        self.proxy = PupilListProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = PupilTableView()
        self.table.setObjectName("pupil-table")
        self.table.setAccessibleName(self.tr("Leerlingen"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setHighlightSections(False)
        # Widths that fit a 1280-pixel laptop screen beside the side bar; long text is elided
        # and shown in full in the tooltip.
        for col, width in (
            (PupilTableModel.COL_NAME, 160),
            (PupilTableModel.COL_GROUP, 48),
            (PupilTableModel.COL_TEACHER, 125),
            (PupilTableModel.COL_LEVEL, 165),
            (PupilTableModel.COL_SIGNALS, 135),
            (PupilTableModel.COL_SINCE, 82),
            (PupilTableModel.COL_DOCUMENTS, 120),
            (PupilTableModel.COL_NEXT, 140),
        ):
            self.table.setColumnWidth(col, width)
        hh.setMinimumSectionSize(40)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PupilTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)

        hint = QLabel(
            self.tr(
                "Enter of dubbelklik: dossier openen  ·  Ctrl+F: zoeken  ·  "
                "Esc: zoekveld leegmaken  ·  klik op een kolomkop om te sorteren"
            )
        )
        hint.setStyleSheet("color: #757575;")

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.group_combo, 1)
        top.addWidget(self.level_combo, 2)
        top.addWidget(self.teacher_combo, 2)
        top.addWidget(self.status_combo, 1)
        second = QHBoxLayout()
        second.addWidget(self.opp_check)
        second.addWidget(self.overdue_check)
        second.addWidget(self.missing_check)
        second.addWidget(self.clear_button)
        second.addStretch(1)
        second.addWidget(self.busy_label)
        second.addSpacing(12)
        second.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

        QWidget.setTabOrder(self.search, self.group_combo)
        QWidget.setTabOrder(self.group_combo, self.level_combo)
        QWidget.setTabOrder(self.level_combo, self.teacher_combo)
        QWidget.setTabOrder(self.teacher_combo, self.status_combo)
        QWidget.setTabOrder(self.status_combo, self.opp_check)
        QWidget.setTabOrder(self.opp_check, self.overdue_check)
        QWidget.setTabOrder(self.overdue_check, self.missing_check)
        QWidget.setTabOrder(self.missing_check, self.clear_button)
        QWidget.setTabOrder(self.clear_button, self.table)
        self.setFocusProxy(self.search)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self._on_find)
        self._find_shortcut = find

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_filter_changed)
        self.search.downPressed.connect(self._on_search_down)
        self.search.returnPressed.connect(self._on_search_down)
        for combo in (self.group_combo, self.level_combo, self.teacher_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        for check in (self.opp_check, self.overdue_check, self.missing_check):
            check.toggled.connect(self._on_filter_changed)
        self.clear_button.clicked.connect(self._on_clear_filters)
        self.proxy.countsChanged.connect(self._on_counts_changed)
        self.table.activated.connect(self._on_activated)
        self.table.typed.connect(self._on_typed)
        self.table.escapePressed.connect(self._on_find)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        changed = getattr(self.nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._on_data_changed)

    # ------------------------------------------------------------------ loading
    @property
    def is_preview(self) -> bool:
        """True while the page shows the first paint's rows and has no database yet."""
        return self.ctx is None

    def _show_preview(self, data: PupilListData) -> None:
        self._data = data
        self.model.next_pending = True
        self._fill_filter_choices()
        self.model.set_rows(data.rows)
        self._apply_filter()
        self.busy_label.setText(self.tr("Bezig met laden…"))
        self.busy_label.show()
        self.overdue_check.setEnabled(False)

    def attach(self, ctx: AppContext) -> None:
        """Replace the preview's rows by the full load, keeping what the user did meanwhile.

        Filter text and choices stay as they are, the selected pupil stays selected and, when
        none is, the list stays scrolled where it was.
        """
        scroll = self.table.verticalScrollBar().value()
        had_selection = self.current_pupil_id() is not None
        self.ctx = ctx
        self.model.next_pending = False
        self.busy_label.setText(self.tr("Evaluaties worden berekend…"))
        self.reload()
        if not had_selection:
            self.table.verticalScrollBar().setValue(scroll)

    def reload(self) -> None:
        """Load the rows again (keeping filters and the selected pupil)."""
        if self.ctx is None:
            return
        from ib_desktop.services.pupil.listing import load_pupil_list

        self._stale = False
        keep = self.current_pupil_id()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                data = load_pupil_list(
                    s, self.ctx.school_id, today=self.ctx.today(), with_schedule=False
                )
        finally:
            QApplication.restoreOverrideCursor()
        self._data = data
        self._fill_filter_choices()
        self.model.set_rows(data.rows)
        self._apply_filter()
        self._restore_selection(keep)
        self._start_schedule()

    def _start_schedule(self) -> None:
        """Ask the schedule engine in the background; the column fills in when it answers.

        The job starts once the user pauses (``SCHEDULE_DELAY_MS`` without typing): a Python
        thread shares the interpreter with the screen, and typing in the quick filter must not
        wait for it.
        """
        self._generation += 1
        self._schedule_ready = False
        self.busy_label.show()
        self.overdue_check.setEnabled(False)
        self._schedule_timer.start(self.SCHEDULE_DELAY_MS)

    @Slot()
    def _on_schedule_timer(self) -> None:
        self._pool.start(_ScheduleJob(self.ctx, self._generation, self._signals))

    @property
    def schedule_ready(self) -> bool:
        """True once the next evaluations of the current rows are shown."""
        return self._schedule_ready

    def wait_for_background(self, msecs: int = 10000) -> bool:
        """Start a pending computation now and wait for it (tests, closing the database)."""
        if self._schedule_timer.isActive():
            self._schedule_timer.stop()
            self._on_schedule_timer()
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _on_schedule_done(self, generation: int, due: dict[int, Any]) -> None:
        if generation != self._generation:
            return  # an older answer: the rows were reloaded meanwhile
        keep = self.current_pupil_id()
        self._data = with_next_evaluations(self._data, due, today=self.ctx.today())
        self.model.replace_rows(self._data.rows, (PupilTableModel.COL_NEXT,))
        self._restore_selection(keep)
        self._schedule_ready = True
        self.busy_label.hide()
        self.overdue_check.setEnabled(True)

    @Slot(int, str)
    def _on_schedule_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.busy_label.setText(self.tr("Evaluaties konden niet worden berekend: %s") % message)
        self.busy_label.setStyleSheet("color: #b00020;")
        self.overdue_check.setEnabled(False)

    @Slot()
    def _on_data_changed(self) -> None:
        if self.ctx is None:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # reload when the page is shown again

    def showEvent(self, event: QEvent) -> None:  # noqa: N802
        """Reload when data changed while another page was showing."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _fill_filter_choices(self) -> None:
        """Fill the combo boxes from the loaded data, keeping what was chosen."""
        data = self._data

        def refill(combo: QComboBox, all_text: str, items: list[tuple[Any, str, Any]]) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, None)
            for value, text, icon in items:
                if icon is not None:
                    combo.addItem(icon, text, value)
                else:
                    combo.addItem(text, value)
            i = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

        groups = [(g.id, self.tr("Groep %s") % g.name, None) for g in data.groups]
        if any(r.group is None and r.status == PupilStatus.ACTIEF for r in data.rows):
            groups.append((NONE_ID, self.tr("Zonder groep"), None))
        refill(self.group_combo, self.tr("Alle groepen"), groups)
        levels = [
            (
                lvl.id,
                lvl.label + (self.tr(" (niet meer in gebruik)") if lvl.retired else ""),
                swatch(lvl.color),
            )
            for lvl in data.levels
        ]
        levels.append((NONE_ID, self.tr("Geen niveau"), None))
        refill(self.level_combo, self.tr("Alle niveaus"), levels)
        refill(
            self.teacher_combo,
            self.tr("Alle leerkrachten"),
            [(t[0], t[1], None) for t in data.teachers],
        )

    # ------------------------------------------------------------------ filter
    def current_filter(self) -> PupilFilter:
        """The filter the controls describe."""
        status_key = self.status_combo.currentData()
        status = dict(self.STATUS_CHOICES).get(status_key, PupilStatus.ACTIEF)
        return PupilFilter(
            text=self.search.text(),
            group_id=self.group_combo.currentData(),
            level_id=self.level_combo.currentData(),
            teacher_id=self.teacher_combo.currentData(),
            has_opp=self.opp_check.isChecked(),
            overdue=self.overdue_check.isChecked(),
            missing=self.missing_check.isChecked(),
            status=status,
        )

    def _apply_filter(self) -> None:
        self.proxy.set_filter(self.current_filter())

    @Slot()
    def _on_filter_changed(self) -> None:
        if self._schedule_timer.isActive():
            self._schedule_timer.start(self.SCHEDULE_DELAY_MS)  # still typing: wait a little longer
        keep = self.current_pupil_id()
        self._apply_filter()
        self._restore_selection(keep, scroll=False)

    @Slot()
    def _on_clear_filters(self) -> None:
        combos = (self.group_combo, self.level_combo, self.teacher_combo, self.status_combo)
        checks = (self.opp_check, self.overdue_check, self.missing_check)
        controls = (self.search, *combos, *checks)
        for w in controls:
            w.blockSignals(True)
        self.search.clear()
        for combo in combos:
            combo.setCurrentIndex(0)
        for check in checks:
            check.setChecked(False)
        for w in controls:
            w.blockSignals(False)
        self._on_filter_changed()
        self.search.setFocus()

    @Slot(int, int)
    def _on_counts_changed(self, shown: int, total: int) -> None:
        noun = self.tr("leerling") if total == 1 else self.tr("leerlingen")
        self.count_label.setText(
            self.tr("%s van %s %s") % (_thousands(shown), _thousands(total), noun)
        )

    # ------------------------------------------------------------------ selection and opening
    def current_pupil_id(self) -> int | None:
        """The pupil selected in the list, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
            index.row(), QModelIndex()
        ):
            return None
        row = self.proxy.row_at(index.row())
        return row.id if row else None

    def select_pupil(self, pupil_id: int, *, scroll: bool = True) -> bool:
        """Select a pupil in the list; False when the filter hides them."""
        row = self.proxy.proxy_row_of(pupil_id)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def _restore_selection(self, pupil_id: int | None, *, scroll: bool = True) -> None:
        if pupil_id is not None:
            self.select_pupil(pupil_id, scroll=scroll)

    def shown_pupil_ids(self) -> list[int]:
        """The pupils the list shows, top to bottom."""
        return [self.proxy.row_at(r).id for r in range(self.proxy.rowCount())]  # type: ignore[union-attr]

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if self.ctx is None:  # the first paint: the database is still being opened
            self.busy_label.show()
            return
        row = self.proxy.row_at(index.row())
        if row is not None:
            self.pupilActivated.emit(row.id)
            self.nav.open_pupil(row.id)

    def open_current(self) -> None:
        """Open the selected pupil's file."""
        index = self.table.currentIndex()
        if index.isValid():
            self._on_activated(index)

    # ------------------------------------------------------------------ keyboard
    @Slot()
    def _on_find(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @Slot()
    def _on_search_down(self) -> None:
        if self.proxy.rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.current_pupil_id() is None:
            self.select_pupil(self.proxy.row_at(0).id)  # type: ignore[union-attr]

    @Slot(str)
    def _on_typed(self, text: str) -> None:
        if not text.strip():
            return
        self.search.setFocus()
        self.search.setText(self.search.text() + text)

    @Slot()
    def _on_context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        open_action = menu.addAction(
            self.tr("Dossier openen") if self.ctx is not None else self.tr("Bezig met laden…")
        )
        open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        open_action.setEnabled(self.ctx is not None)
        chosen = menu.exec(self.table.viewport().mapToGlobal(pos))
        if chosen is open_action:
            self._on_activated(index)


def _thousands(n: int) -> str:
    """12.345: Dutch thousands separator."""
    return f"{n:,}".replace(",", ".")

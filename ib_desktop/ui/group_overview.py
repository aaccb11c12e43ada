"""Groepen: the groepsoverzicht, pupils per level per group, for the groepsbespreking.

At the top a matrix of the current year's groups by support levels (counts, tinted in the level's
colour); choosing a group shows its pupils grouped by level underneath, and Enter or a double
click opens a pupil's file.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date, short_date
from ib_desktop.services.group_overview import GroupLevelRow, GroupOverview, group_overview
from ib_desktop.services.pupil.listing import NONE_ID, LevelInfo, PupilRow
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.level_style import (
    document_label,
    level_brush,
    missing_text,
    swatch,
    text_brush_on,
    tint,
)

WARNING_COLOR = QColor("#b00020")


class GroupMatrixModel(QAbstractTableModel):
    """Groups (rows) by levels (columns): how many pupils of each group stand on each level."""

    COL_GROUP, COL_TEACHER, COL_TOTAL = range(3)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._overview = GroupOverview(year_label="", levels=[], rows=[])
        self._level_columns: list[LevelInfo | None] = []  # None: "geen niveau"
        self._bold = QFont()
        self._bold.setBold(True)
        self._warning = QBrush(WARNING_COLOR)

    def set_overview(self, overview: GroupOverview) -> None:
        """Show a new overview (a reload)."""
        self.beginResetModel()
        self._overview = overview
        self._level_columns = [*overview.levels]
        if overview.without_level:
            self._level_columns.append(None)
        self.endResetModel()

    @property
    def col_opp(self) -> int:
        """The column with the number of OPPs."""
        return 3 + len(self._level_columns)

    @property
    def col_missing(self) -> int:
        """The column with pupils who lack a required document."""
        return self.col_opp + 1

    def level_of_column(self, column: int) -> LevelInfo | None:
        """The level a column counts (None for other columns and for "geen niveau")."""
        i = column - 3
        return self._level_columns[i] if 0 <= i < len(self._level_columns) else None

    def is_level_column(self, column: int) -> bool:
        """True for the columns of levels (and "geen niveau")."""
        return 0 <= column - 3 < len(self._level_columns)

    def row_object(self, row: int) -> GroupLevelRow | None:
        """The group on a row."""
        return self._overview.rows[row] if 0 <= row < len(self._overview.rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._overview.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 5 + len(self._level_columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if self.is_level_column(section):
            lvl = self.level_of_column(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Niveau %d") % lvl.position if lvl else self.tr("Geen niveau")
            if role == Qt.ItemDataRole.ToolTipRole:
                return lvl.label if lvl else self.tr("Leerlingen zonder ondersteuningsniveau")
            if role == Qt.ItemDataRole.DecorationRole and lvl is not None:
                return swatch(lvl.color)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                self.COL_GROUP: self.tr("Groep"),
                self.COL_TEACHER: self.tr("Leerkracht"),
                self.COL_TOTAL: self.tr("Leerlingen"),
                self.col_opp: self.tr("OPP"),
                self.col_missing: self.tr("Let op"),
            }[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == self.col_opp:
                return self.tr("Leerlingen met een lopend OPP")
            if section == self.col_missing:
                return self.tr("Leerlingen bij wie een document ontbreekt dat hun niveau vraagt")
        return None

    def _value(self, row: GroupLevelRow, col: int) -> Any:
        if col == self.COL_GROUP:
            return row.group.name
        if col == self.COL_TEACHER:
            return row.group.teacher_names
        if col == self.COL_TOTAL:
            return row.total
        if self.is_level_column(col):
            lvl = self.level_of_column(col)
            return row.count(lvl.id if lvl else NONE_ID)
        if col == self.col_opp:
            return row.opp
        return row.missing

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_object(index.row()) if index.isValid() else None
        if row is None:
            return None
        col = index.column()
        value = self._value(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, int) and col != self.COL_TOTAL:
                return str(value) if value else ""
            return str(value)
        if role == self.SortRole:
            # Qt compares plain values only: the group's rank in the year's order ("2" < "10").
            return index.row() if col == self.COL_GROUP else value
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.is_level_column(col) and value:
            lvl = self.level_of_column(col)
            return QBrush(tint(lvl.color if lvl else "#bdbdbd", 0.45))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.col_missing and value:
            return self._warning
        if role == Qt.ItemDataRole.FontRole and (
            col == self.COL_GROUP or (col == self.col_missing and value)
        ):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and self.is_level_column(col) and value:
            lvl = self.level_of_column(col)
            noun = self.tr("leerling") if value == 1 else self.tr("leerlingen")
            where = lvl.label if lvl else self.tr("zonder niveau")
            return self.tr("Groep %s: %d %s op %s") % (row.group.name, value, noun, where)
        return None


class GroupPupilsModel(QAbstractItemModel):
    """One group's pupils as a tree: a header row per level, the pupils under it."""

    COL_NAME, COL_SINCE, COL_DOCUMENTS, COL_SIGNALS = range(4)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2  # the PupilRow (pupil rows) or LevelInfo (headers)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sections: list[tuple[LevelInfo | None, list[PupilRow]]] = []
        self._headers = [
            self.tr("Leerling"),
            self.tr("Sinds"),
            self.tr("Open documenten"),
            self.tr("Let op"),
        ]
        self._bold = QFont()
        self._bold.setBold(True)
        self._warning = QBrush(WARNING_COLOR)
        self._warning_icon = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )

    def set_sections(self, sections: list[tuple[LevelInfo | None, list[PupilRow]]]) -> None:
        """Show these levels with their pupils."""
        self.beginResetModel()
        self._sections = sections
        self.endResetModel()

    def pupil_at(self, index: QModelIndex) -> PupilRow | None:
        """The pupil on a row (None for a level header)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        section = self._sections[index.internalId() - 1][1]
        return section[index.row()] if 0 <= index.row() < len(section) else None

    # -- tree structure: internalId 0 for level headers, section number + 1 for pupils
    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(self._headers):
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, 0)
                if 0 <= row < len(self._sections)
                else QModelIndex()
            )
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        pupils = self._sections[parent.row()][1]
        return (
            self.createIndex(row, column, parent.row() + 1)
            if 0 <= row < len(pupils)
            else QModelIndex()
        )

    def parent(self, child: QModelIndex | QPersistentModelIndex | None = None) -> Any:  # type: ignore[override]
        if child is None:
            return QObject.parent(self)
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._sections[parent.row()][1])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < 4
        ):
            return self._headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if index.internalId() == 0 else flags | Qt.ItemFlag.ItemNeverHasChildren

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            level, pupils = self._sections[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                if col != self.COL_NAME:
                    return ""
                name = level.label if level else self.tr("Geen niveau")
                return f"{name} ({len(pupils)})"
            if role == self.SortRole:
                return level.position if level else 10_000
            if role == self.RowRole:
                return level
            if role == Qt.ItemDataRole.BackgroundRole and level is not None:
                return level_brush(level.color)
            if role == Qt.ItemDataRole.ForegroundRole and level is not None:
                return text_brush_on(level.color)
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        pupil = self.pupil_at(index)  # type: ignore[arg-type]
        if pupil is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_NAME:
                return pupil.sort_name + (f" ({pupil.level_area})" if pupil.level_area else "")
            if col == self.COL_SINCE:
                return short_date(pupil.since)
            if col == self.COL_DOCUMENTS:
                return ", ".join(
                    f"{n}× {document_label(k)}" if n > 1 else document_label(k)
                    for k, n in pupil.open_documents
                )
            return missing_text(pupil.missing)
        if role == self.SortRole:
            return (
                pupil.sort_name.casefold(),
                pupil.since,
                pupil.open_document_count,
                len(pupil.missing),
            )[col]
        if role == self.RowRole:
            return pupil
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_SINCE and pupil.since:
            return self.tr("Op dit niveau sinds %s") % long_date(pupil.since)
        if col == self.COL_SIGNALS and pupil.missing:
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._warning
            if role == Qt.ItemDataRole.DecorationRole:
                return self._warning_icon
        return None


class GroupOverviewPage(QWidget):
    """The groepsoverzicht page."""

    groupChanged = Signal(int)  # noqa: N815 - the group whose pupils are shown

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._overview = GroupOverview(year_label="", levels=[], rows=[])
        self._stale = False
        self._build()
        self._connect()
        self.reload()

    def _build(self) -> None:
        self.title = QLabel()
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.print_button = QPushButton(self.tr("&Afdrukken…"))
        self.print_button.setToolTip(self.tr("Het groepsoverzicht afdrukken of als PDF bewaren"))
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.print_button)

        self.matrix_model = GroupMatrixModel(self)
        self.matrix_proxy = QSortFilterProxyModel(self)
        self.matrix_proxy.setSourceModel(self.matrix_model)
        self.matrix_proxy.setSortRole(GroupMatrixModel.SortRole)
        self.matrix = QTableView()
        self.matrix.setObjectName("group-matrix")
        self.matrix.setAccessibleName(self.tr("Groepen per niveau"))
        self.matrix.setModel(self.matrix_proxy)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setTabKeyNavigation(False)
        self.matrix.setSortingEnabled(True)
        self.matrix.sortByColumn(GroupMatrixModel.COL_GROUP, Qt.SortOrder.AscendingOrder)
        self.matrix.verticalHeader().hide()
        self.matrix.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.horizontalHeader().setStretchLastSection(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.matrix, 1)
        top_layout.addWidget(self.totals)
        top_layout.addWidget(self.legend)

        self.group_title = QLabel()
        gfont = self.group_title.font()
        gfont.setBold(True)
        self.group_title.setFont(gfont)
        self.pupils_model = GroupPupilsModel(self)
        self.pupils = QTreeView()
        self.pupils.setObjectName("group-pupils")
        self.pupils.setAccessibleName(self.tr("Leerlingen van de groep per niveau"))
        self.pupils.setModel(self.pupils_model)
        self.pupils.setUniformRowHeights(True)
        self.pupils.setStyleSheet("QTreeView::item { padding: 2px 0px; }")
        self.pupils.setAlternatingRowColors(True)
        self.pupils.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pupils.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pupils.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.pupils.header().setStretchLastSection(True)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.group_title)
        bottom_layout.addWidget(self.pupils, 1)
        hint = QLabel(
            self.tr(
                "Kies een groep om de leerlingen per niveau te zien; "
                "Enter of dubbelklik opent het dossier."
            )
        )
        hint.setStyleSheet("color: #757575;")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        QWidget.setTabOrder(self.matrix, self.pupils)
        QWidget.setTabOrder(self.pupils, self.print_button)
        self.setFocusProxy(self.matrix)

    def _connect(self) -> None:
        self.matrix.selectionModel().currentRowChanged.connect(self._on_group_changed)
        self.pupils.activated.connect(self._on_pupil_activated)
        self.print_button.clicked.connect(self._on_print)
        changed = getattr(self.nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._on_data_changed)

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        """Load the overview again, keeping the chosen group."""
        self._stale = False
        keep = self.current_group_id()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                overview = group_overview(s, self.ctx.school_id, today=self.ctx.today())
        finally:
            QApplication.restoreOverrideCursor()
        self._overview = overview
        self.matrix_model.set_overview(overview)
        self.title.setText(self.tr("Groepsoverzicht %s") % overview.year_label)
        self._show_totals()
        if not overview.rows:
            self.group_title.setText(self.tr("Er zijn nog geen groepen in dit schooljaar."))
            self.pupils_model.set_sections([])
            return
        if keep is None or not self.select_group(keep):
            first = self.matrix_model.row_object(
                self.matrix_proxy.mapToSource(self.matrix_proxy.index(0, 0)).row()
            )
            if first is not None:
                self.select_group(first.group.id)

    @property
    def overview(self) -> GroupOverview:
        """What the page shows."""
        return self._overview

    def _show_totals(self) -> None:
        ov = self._overview
        parts = [self.tr("%d leerlingen in %d groepen") % (ov.total, len(ov.rows))]
        for lvl in ov.levels:
            parts.append(f"{lvl.position}: {ov.level_total(lvl.id)}")
        if ov.without_level:
            parts.append(self.tr("geen niveau: %d") % ov.without_level)
        self.totals.setText(self.tr("Totaal: ") + "  ·  ".join(parts))
        chips = [
            f"<span style='background:{lvl.color}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;{lvl.label}"
            + (self.tr(" (niet meer in gebruik)") if lvl.retired else "")
            for lvl in ov.levels
        ]
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(chips))

    def current_group_id(self) -> int | None:
        """The group whose pupils are shown."""
        index = self.matrix.currentIndex()
        if not index.isValid():
            return None
        row = self.matrix_model.row_object(self.matrix_proxy.mapToSource(index).row())
        return row.group.id if row else None

    def select_group(self, group_id: int) -> bool:
        """Choose a group in the matrix (its pupils appear below)."""
        for r in range(self.matrix_model.rowCount()):
            row = self.matrix_model.row_object(r)
            if row is not None and row.group.id == group_id:
                index = self.matrix_proxy.mapFromSource(self.matrix_model.index(r, 0))
                self.matrix.selectionModel().setCurrentIndex(
                    index,
                    self.matrix.selectionModel().SelectionFlag.ClearAndSelect
                    | self.matrix.selectionModel().SelectionFlag.Rows,
                )
                self._show_group(group_id)
                return True
        return False

    def _show_group(self, group_id: int) -> None:
        row = next((r for r in self._overview.rows if r.group.id == group_id), None)
        if row is None:
            return
        teachers = f" — {row.group.teacher_names}" if row.group.teacher_names else ""
        noun = self.tr("leerling") if row.total == 1 else self.tr("leerlingen")
        self.group_title.setText(
            self.tr("Groep %s%s: %d %s") % (row.group.name, teachers, row.total, noun)
        )
        self.pupils_model.set_sections(self._overview.by_level(group_id))
        for r in range(self.pupils_model.rowCount()):
            self.pupils.setFirstColumnSpanned(r, QModelIndex(), True)
        self.pupils.expandAll()
        self.groupChanged.emit(group_id)

    @Slot(QModelIndex, QModelIndex)
    def _on_group_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        group_id = self.current_group_id()
        if group_id is not None:
            self._show_group(group_id)

    @Slot(QModelIndex)
    def _on_pupil_activated(self, index: QModelIndex) -> None:
        pupil = self.pupils_model.pupil_at(index)
        if pupil is not None:
            self.nav.open_pupil(pupil.id)

    @Slot()
    def _on_data_changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QEvent) -> None:  # noqa: N802
        """Reload when data changed while another page was showing."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    # ------------------------------------------------------------------ printing
    @Slot()
    def _on_print(self) -> None:
        menu = QMenu(self)
        group_id = self.current_group_id()
        all_action = menu.addAction(self.tr("Alle groepen (aantallen)"))
        group_action = None
        if group_id is not None:
            name = next(r.group.name for r in self._overview.rows if r.group.id == group_id)
            group_action = menu.addAction(self.tr("Groep %s, met namen") % name)
        chosen = menu.exec(self.print_button.mapToGlobal(self.print_button.rect().bottomLeft()))
        if chosen is all_action:
            self.print_overview(None)
        elif group_action is not None and chosen is group_action:
            self.print_overview(group_id)

    def print_overview(self, group_id: int | None) -> None:
        """Preview the printed groepsoverzicht (one group with names, or all groups)."""
        from ib_desktop.reports import group_overview_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                pdf = group_overview_pdf(
                    s, self.ctx.school_id, group_id=group_id, today=self.ctx.today()
                )
        finally:
            QApplication.restoreOverrideCursor()
        if group_id is None:
            title, name = (
                self.tr("Groepsoverzicht"),
                f"groepsoverzicht-{self._overview.year_label}.pdf",
            )
        else:
            group = next(r.group.name for r in self._overview.rows if r.group.id == group_id)
            title = self.tr("Groepsoverzicht groep %s") % group
            name = f"groepsoverzicht-groep-{group}-{self._overview.year_label}.pdf"
        PdfPreviewDialog.preview(self, pdf, title, name)

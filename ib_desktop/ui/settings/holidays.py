"""Instellingen > Vakanties: the school holidays and days off of the school's region.

Evaluation dates that fall in a holiday move to the next school day, so the list must match the
school's own calendar. It starts as the government's dates for the region (shipped with the
app); the school adds study days, changes a vacation or removes Goede Vrijdag. Every change is
saved at once through a small dialog, so this tab never holds unsaved edits.

"Laden uit bestand…" reads the Rijksoverheid open data (.json or .csv) or the school's own
calendar (.ics) and shows what would be added, changed and removed before anything is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, school_year_label, weekday_date
from ib_desktop.models import Region, School
from ib_desktop.services import holidays as hol
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.settings.holiday_dialogs import HolidayDialog, HolidayImportDialog
from ib_desktop.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, TableModel


class HolidayTableModel(TableModel):
    """The region's holidays, one row each."""

    COL_NAME, COL_START, COL_END, COL_DAYS, COL_YEAR = range(5)
    SortRole = SORT_ROLE
    HolidayRole = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[hol.HolidaySpec] = []
        self._headers = [
            self.tr("Naam"),
            self.tr("Eerste dag"),
            self.tr("Laatste dag"),
            self.tr("Dagen"),
            self.tr("Schooljaar"),
        ]

    @property
    def rows(self) -> list[hol.HolidaySpec]:
        """The rows (read-only)."""
        return self._rows

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        h = self._rows[index.row()]
        col = index.column()
        if role == self.HolidayRole:
            return h
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(h, col)
        if role == self.SortRole:
            return self._sort_key(h, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, h: hol.HolidaySpec, col: int) -> str | None:
        if not 0 <= col <= self.COL_YEAR:
            return None
        start, end = weekday_date(h.start), weekday_date(h.end)
        return (h.name, start, end, str(h.days), school_year_label(h.start))[col]

    def _sort_key(self, h: hol.HolidaySpec, col: int) -> Any:
        """Native values: a name sorts by name then date, the others by their day."""
        if col == self.COL_NAME:
            return (h.name.casefold(), h.start.toordinal())
        if col == self.COL_END:
            return h.end.toordinal()
        if col == self.COL_DAYS:
            return (h.days, h.start.toordinal())
        return h.start.toordinal()


class HolidayProxy(QSortFilterProxyModel):
    """Sorts on native values and shows one school year (or all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.year: str | None = None
        self.setSortRole(HolidayTableModel.SortRole)

    def set_year(self, year: str | None) -> None:
        """Show only this school year ("2026-2027"); None shows every year."""
        self.beginFilterChange()
        self.year = year
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self.year is None:
            return True
        h = (
            self.sourceModel()
            .index(source_row, 0, source_parent)
            .data(HolidayTableModel.HolidayRole)
        )
        return h is not None and school_year_label(h.start) == self.year

    def lessThan(  # noqa: N802
        self,
        left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return left.data(HolidayTableModel.SortRole) < right.data(HolidayTableModel.SortRole)


class HolidaysTab(QWidget):
    """View and edit the holidays of the school's region."""

    changed = Signal()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.region = Region.MIDDEN
        self._outdated: list[Any] = []  # corrections of dates shipped wrongly before
        self._read_region()
        self.region_label = QLabel()
        self.region_label.setWordWrap(True)
        note = QLabel(hol.shipped_note() + " " + self._source_text())
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(dark);")
        self.outdated_label = QLabel()
        self.outdated_label.setWordWrap(True)
        self.update_button = QPushButton(self.tr("Data &bijwerken…"))
        self.update_button.setToolTip(
            self.tr("Toon welke vakanties worden verbeterd en sla ze pas op als u dat kiest")
        )
        self.outdated_box = QWidget()
        outdated_row = QHBoxLayout(self.outdated_box)
        outdated_row.setContentsMargins(0, 0, 0, 0)
        outdated_row.addWidget(self.outdated_label, 1)
        outdated_row.addWidget(self.update_button)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("holiday-year")
        self.model = HolidayTableModel(self)
        self.proxy = HolidayProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("holiday-table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HolidayTableModel.COL_START, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HolidayTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Toevoegen…"))
        self.add_button.setToolTip(self.tr("Een vakantie of vrije dag toevoegen (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("&Wijzigen…"))
        self.edit_button.setToolTip(self.tr("De gekozen vakantie wijzigen (Enter)"))
        self.delete_button = QPushButton(self.tr("&Verwijderen"))
        self.delete_button.setToolTip(self.tr("De gekozen vakantie verwijderen (Delete)"))
        self.load_button = QPushButton(self.tr("&Laden uit bestand…"))
        self.load_button.setToolTip(
            self.tr(
                "Vakanties laden uit de open data van de Rijksoverheid (.json of .csv van "
                "opendata.rijksoverheid.nl) of uit de jaarkalender van de school (.ics). U ziet "
                "eerst wat er verandert."
            )
        )
        self.reset_button = QPushButton(self.tr("Standaard &herstellen…"))
        self.reset_button.setToolTip(
            self.tr(
                "Vervang de lijst door de vakanties en feestdagen die met het programma meekomen"
            )
        )
        top = QHBoxLayout()
        year_label = QLabel(self.tr("&Schooljaar:"))
        year_label.setBuddy(self.year_combo)
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addStretch(1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.region_label)
        layout.addWidget(note)
        layout.addWidget(self.outdated_box)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        for keys, slot in (
            (QKeySequence("Ctrl+N"), self._on_add),
            (QKeySequence(Qt.Key.Key_Delete), self._on_delete),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.add_button.clicked.connect(self._on_add)
        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button.clicked.connect(self._on_delete)
        self.reset_button.clicked.connect(self._on_reset)
        self.load_button.clicked.connect(self._on_load)
        self.update_button.clicked.connect(self._on_update_shipped)
        self.table.activated.connect(self._on_edit)
        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._on_data_changed)
        self.reload()

    def _source_text(self) -> str:
        """Where the shipped dates come from, and which ones were derived (to check first)."""
        parts = []
        years = hol.shipped_school_years()
        if years:
            src = hol.shipped_source(years[-1])
            if src.checked is not None:
                parts.append(
                    self.tr(
                        "Bron: overzicht schoolvakanties van de Rijksoverheid, gecontroleerd op %s."
                    )
                    % long_date(src.checked)
                )
        for label in years:
            for region, v in hol.derived_vacations(label):
                parts.append(
                    self.tr("Afgeleid, nog niet officieel bevestigd: %s %s regio %s (%s t/m %s).")
                    % (v.name.lower(), label, region.value, long_date(v.start), long_date(v.end))
                )
        return " ".join(parts)

    def _read_region(self) -> bool:
        """The school's region (True when it changed); its holidays are seeded on first use."""
        with self.ctx.db.session() as s:
            school = s.get(School, self.ctx.school_id)
            region = Region(school.region) if school else Region.MIDDEN
            hol.seed_holidays(s, region)
        changed = region != self.region
        self.region = region
        return changed

    @Slot()
    def _on_data_changed(self) -> None:
        # The school tab may have changed the region.
        if self._read_region():
            self.reload()

    # ------------------------------------------------------------------ the settings contract
    def has_unsaved_changes(self) -> bool:
        """Every change is saved at once by its dialog."""
        return False

    def save(self) -> bool:
        """Nothing to save (see :meth:`has_unsaved_changes`)."""
        return True

    def discard(self) -> None:
        """Nothing to throw away."""

    # ------------------------------------------------------------------ data
    def reload(self, select: hol.HolidaySpec | None = None) -> None:
        """Read the list again and keep the chosen school year."""
        from ib_desktop.services.holiday_import import outdated_shipped_changes

        with self.ctx.db.session() as s:
            rows = hol.list_holidays(s, self.region)
            self._outdated = outdated_shipped_changes(s, self.region)
        self.model.set_rows(rows)
        self.outdated_label.setText(
            self.tr(
                "<b>Een eerdere versie had %d vakantiedata van regio %s verkeerd</b> (o.a. de "
                "meivakantie). Uw eigen wijzigingen blijven staan."
            )
            % (len(self._outdated), self.region.value)
        )
        self.outdated_box.setVisible(bool(self._outdated))
        self.region_label.setText(
            self.tr(
                "Vakanties en vrije dagen van regio <b>%s</b>. Een evaluatie die op een vrije dag "
                "valt, schuift naar de eerstvolgende schooldag. De regio kiest u bij School."
            )
            % self.region.value
        )
        years = sorted({school_year_label(h.start) for h in rows})
        current = self.year_combo.currentData()
        if current is None and self.year_combo.count() == 0:
            current = school_year_label(self.ctx.today())
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("Alle schooljaren"), None)
        for y in years:
            self.year_combo.addItem(y, y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)
        self.proxy.set_year(self.year_combo.currentData())
        if select is not None:
            self.select(select.id)
        self._on_selection_changed()

    def select(self, holiday_id: int | None) -> bool:
        """Select a holiday by id (switching to all years when it is not shown)."""
        for attempt in range(2):
            for r in range(self.proxy.rowCount()):
                h = self.proxy.index(r, 0).data(HolidayTableModel.HolidayRole)
                if h.id == holiday_id:
                    self.table.selectRow(r)
                    self.table.scrollTo(self.proxy.index(r, 0))
                    return True
            if attempt == 0:
                self.year_combo.setCurrentIndex(0)
        return False

    def current(self) -> hol.HolidaySpec | None:
        """The selected holiday."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(HolidayTableModel.HolidayRole) if rows else None

    @Slot()
    def _on_selection_changed(self, *_args: Any) -> None:
        has = self.current() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot(int)
    def _on_year_changed(self, _index: int) -> None:
        self.proxy.set_year(self.year_combo.currentData())
        self._on_selection_changed()

    # ------------------------------------------------------------------ actions
    def _after_change(self, select: hol.HolidaySpec | None = None) -> None:
        self.reload(select)
        self.changed.emit()
        notify = getattr(self.nav, "notify_changed", None)
        if notify is not None:
            notify()

    @Slot()
    def _on_add(self) -> None:
        saved = HolidayDialog.edit(self, self.ctx, self.region)
        if saved is not None:
            self._after_change(saved)

    @Slot()
    def _on_edit(self, *_args: Any) -> None:
        current = self.current()
        if current is None:
            return
        saved = HolidayDialog.edit(self, self.ctx, self.region, current)
        if saved is not None:
            self._after_change(saved)

    @Slot()
    def _on_delete(self) -> None:
        current = self.current()
        if current is None:
            return
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr("'%s' (%s t/m %s) verwijderen? Op die dagen is de school dan gewoon open.")
            % (current.name, long_date(current.start), long_date(current.end)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.ctx.db.session() as s:
            hol.delete_holiday(s, current.id, actor=self.ctx.actor)  # type: ignore[arg-type]
        self._after_change()

    @Slot()
    def _on_reset(self) -> None:
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr(
                "Alle vakanties en vrije dagen van regio %s vervangen door de standaardlijst? "
                "Eigen studiedagen en wijzigingen gaan dan verloren."
            )
            % self.region.value,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.ctx.db.session() as s:
            hol.reset_holidays(s, self.region)
        self._after_change()

    @Slot()
    def _on_load(self) -> None:
        """Read a file, show what would change, save only when the school agrees."""
        from pathlib import Path

        from ib_desktop.services.holiday_import import (
            HolidayFileError,
            apply_changes,
            plan_changes,
            read_holiday_file,
        )

        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Vakanties laden"),
            "",
            self.tr("Vakantierooster (*.json *.csv *.ics);;Alle bestanden (*)"),
        )
        if not path:
            return
        try:
            data = Path(path).read_bytes()
            loaded = read_holiday_file(data, Path(path).name, ics_regions=[self.region])
        except OSError as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr("Het bestand kon niet worden gelezen: %s") % (exc.strerror or str(exc)),
            )
            return
        except HolidayFileError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        with self.ctx.db.session() as s:
            changes = plan_changes(s, loaded, [self.region])
        if not changes:
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr("Geen wijzigingen: de vakanties van regio %s kloppen al met %s.")
                % (self.region.value, Path(path).name),
            )
            return
        if not HolidayImportDialog.confirm(self, Path(path).name, loaded, changes):
            return
        self._apply(apply_changes, changes)

    @Slot()
    def _on_update_shipped(self) -> None:
        """Correct dates an earlier version shipped wrongly, after the same preview."""
        from ib_desktop.services.holiday_import import LoadedHolidays, apply_changes

        changes = list(getattr(self, "_outdated", []))
        if not changes:
            return
        info = LoadedHolidays(
            self.tr("verbetering van de meegeleverde data"),
            school_years={school_year_label((c.new or c.old).start) for c in changes},
        )
        title = self.tr("Overzicht schoolvakanties van de Rijksoverheid")
        if not HolidayImportDialog.confirm(self, title, info, changes):
            return
        self._apply(apply_changes, changes)

    def _apply(self, apply_changes: Any, changes: list[Any]) -> None:
        """Save a reviewed plan; when the list changed since the preview, say so, save nothing."""
        from ib_desktop.services.holiday_import import HolidayPlanOutdated

        try:
            with self.ctx.db.session() as s:
                apply_changes(s, changes)
        except HolidayPlanOutdated as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            self._after_change()  # show what is stored now
            return
        self._after_change()

"""The pupil list page: every pupil of the school, where they stand, and what needs attention.

The IB-er's home screen. It stays responsive with 50,000 pupils:

* the rows are loaded in a few set-based queries (``services.pupil.listing``), the next evaluation
  from the schedule engine a moment later in a background thread, so the list shows at once;
* filtering and sorting run in plain Python over precomputed keys inside
  :class:`~ib_desktop.ui.pupil_list.proxy.PupilListProxy`, a proxy that only maps rows;
* the view asks only for the cells it paints (fixed row height, no per-row sizing).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.domain_types import PupilStatus
from ib_desktop.pupil_rows import NONE_ID, PupilFilter, PupilListData, with_next_evaluations
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.pupil_list.model import PupilTableModel
from ib_desktop.ui.pupil_list.proxy import PupilListProxy
from ib_desktop.ui.pupil_list.views import PupilTableView, ScheduleJob, ScheduleSignals, SearchField
from ib_desktop.ui.widgets.level_style import swatch


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
        self._signals = ScheduleSignals()
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
        self._build_filters()
        self._build_table()
        self._lay_out()

    def _build_filters(self) -> None:
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

    def _build_table(self) -> None:
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

    def _lay_out(self) -> None:
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

        order = (
            self.search,
            self.group_combo,
            self.level_combo,
            self.teacher_combo,
            self.status_combo,
            self.opp_check,
            self.overdue_check,
            self.missing_check,
            self.clear_button,
            self.table,
        )
        for first, second_widget in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second_widget)
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
        self._pool.start(ScheduleJob(self.ctx, self._generation, self._signals))

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

"""The agenda: what is overdue, what is due this week, and what comes in the weeks after.

A teacher finds "what do I have to evaluate this week" in seconds by choosing their name; the
IB-er sees everything. From a row the document opens (Enter), the evaluation is entered
(Ctrl+E), a meeting is marked as held (Ctrl+G), or the pupil file opens (Ctrl+L). The moments
come from the schedule engine; the page keeps no session."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date, weekday_date
from ib_desktop.models import MomentKind
from ib_desktop.schedule import KIND_LABELS, KIND_ORDER, Moment
from ib_desktop.services.agenda import (
    SECTION_TITLES,
    AgendaData,
    AgendaItem,
    Section,
    load_agenda,
    mark_held,
)
from ib_desktop.ui.agenda.export_dialog import IcsExportDialog
from ib_desktop.ui.agenda.table import (
    OVERDUE_COLOR,
    SECTIONS,
    AgendaModel,
    AgendaProxy,
)
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.validation import ValidationErrors


class AgendaPage(QWidget):
    """Overdue, this week, the coming weeks; filters; open, evaluate, mark held, export."""

    reloaded = Signal()

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.data: AgendaData | None = None

        title = QLabel(self.tr("Agenda"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("agenda-subtitle")

        self.staff_combo = QComboBox()
        self.staff_combo.setObjectName("agenda-staff")
        self.staff_combo.setMinimumContentsLength(18)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("agenda-group")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("agenda-kind")
        self.kind_combo.addItem(self.tr("Alle soorten"), None)
        for kind in sorted(MomentKind, key=lambda k: KIND_ORDER[k]):
            self.kind_combo.addItem(self.tr(KIND_LABELS[kind]), kind)
        self.print_button = QPushButton(self.tr("Afdrukken…"))
        self.print_button.setToolTip(
            self.tr("De evaluatieplanning van de komende weken afdrukken, met deze filters")
        )
        self.export_button = QPushButton(self.tr("Exporteren naar agenda (.ics)…"))
        self.export_button.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_button.setToolTip(
            self.tr("Agendabestand voor Outlook of Google (Ctrl+Shift+E)")
        )

        filters = QHBoxLayout()
        for text, combo in (
            (self.tr("&Wie:"), self.staff_combo),
            (self.tr("&Groep:"), self.group_combo),
            (self.tr("&Soort:"), self.kind_combo),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.print_button)
        filters.addWidget(self.export_button)

        self.tabs = QTabBar()
        self.tabs.setObjectName("agenda-sections")
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        for section in SECTIONS:
            self.tabs.addTab(self.tr(SECTION_TITLES[section]))

        self.model = AgendaModel(self)
        self.proxy = AgendaProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("agenda-table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(AgendaModel.COL_DATE, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AgendaModel.COL_WHAT, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        metrics = self.table.fontMetrics()
        for col, sample in (
            (AgendaModel.COL_DATE, "wo 28-10-2026__"),
            (AgendaModel.COL_KIND, "Groepsbespreking__"),
            (AgendaModel.COL_PUPIL, "Madelief van den Heuvel__"),
            (AgendaModel.COL_GROUP, "Groep__"),
            (AgendaModel.COL_WHO, "Madelief van den Heuvel_"),
            (AgendaModel.COL_STATUS, "12 dagen te laat___"),
        ):
            self.table.setColumnWidth(col, metrics.horizontalAdvance(sample))
        bold = QFont(self.table.font())
        bold.setBold(True)
        self.table.setColumnWidth(
            AgendaModel.COL_STATUS,
            QFontMetrics(bold).horizontalAdvance("12 dagen te laat")
            + 3 * metrics.averageCharWidth(),
        )
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        self.table.setAccessibleName(self.tr("Momenten"))
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setObjectName("agenda-empty")
        self.empty_label.hide()

        self.open_button = QPushButton(self.tr("Document &openen"))
        self.open_button.setToolTip(self.tr("Open het document van dit moment (Enter)"))
        self.pupil_button = QPushButton(self.tr("&Leerlingdossier"))
        self.pupil_button.setToolTip(self.tr("Open het dossier van de leerling (Ctrl+L)"))
        self.evaluate_button = QPushButton(self.tr("&Evaluatie invoeren…"))
        self.evaluate_button.setToolTip(self.tr("Vul de evaluatie in (Ctrl+E)"))
        self.held_button = QPushButton(self.tr("&Gehouden"))
        self.held_button.setToolTip(self.tr("Dit gesprek of overleg heeft plaatsgevonden (Ctrl+G)"))
        actions = QHBoxLayout()
        for b in (self.open_button, self.pupil_button, self.evaluate_button, self.held_button):
            actions.addWidget(b)
        actions.addStretch(1)

        layout = QVBoxLayout(self)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(title)
        head.addWidget(self.subtitle)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(self.tabs)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(actions)

        self._shortcut("Ctrl+E", self._on_evaluate)
        self._shortcut("Ctrl+G", self._on_mark_held)
        self._shortcut("Ctrl+L", self._on_open_pupil)
        self._shortcut("F5", self.reload)
        self.setTabOrder(self.staff_combo, self.group_combo)
        self.setTabOrder(self.group_combo, self.kind_combo)
        self.setTabOrder(self.kind_combo, self.print_button)
        self.setTabOrder(self.print_button, self.export_button)
        self.setTabOrder(self.export_button, self.tabs)
        self.setTabOrder(self.tabs, self.table)
        self.setTabOrder(self.table, self.open_button)
        self.setTabOrder(self.open_button, self.pupil_button)
        self.setTabOrder(self.pupil_button, self.evaluate_button)
        self.setTabOrder(self.evaluate_button, self.held_button)

        self.staff_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.group_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.tabs.currentChanged.connect(self._on_filters_changed)
        self.table.activated.connect(self._on_activated)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.open_button.clicked.connect(self._on_open_document)
        self.pupil_button.clicked.connect(self._on_open_pupil)
        self.evaluate_button.clicked.connect(self._on_evaluate)
        self.held_button.clicked.connect(self._on_mark_held)
        self.export_button.clicked.connect(self._on_export)
        self.print_button.clicked.connect(self._on_print)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self.reload)
        self.reload()

    def _shortcut(self, keys: str, slot: Any) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # ------------------------------------------------------------------ data
    @Slot()
    def reload(self) -> None:
        """Read the moments again (after a save anywhere), keeping filters and selection."""
        selected = self.current_item()
        key = selected.moment.key if selected else None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                self.data = load_agenda(s, self.ctx.school_id, today=self.ctx.today())
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.proxy.involves = self.data.names.involves
        self._fill_combo(self.staff_combo, self.tr("Iedereen"), self.data.staff)
        self._fill_combo(
            self.group_combo,
            self.tr("Alle groepen"),
            [(gid, self.tr("Groep %s") % name) for gid, name in self.data.groups],
        )
        self.model.set_items(self.data.items, self.data.today)
        self.subtitle.setText(
            self.tr("Evaluaties, gesprekken en termijnen · vandaag is het %s")
            % weekday_date(self.data.today)
        )
        self._on_filters_changed()
        if key is not None:
            self.select_key(key)
        self.reloaded.emit()

    def _fill_combo(self, combo: QComboBox, everyone: str, options: list[tuple[int, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for value, text in options:
            combo.addItem(text, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    @Slot()
    def _on_filters_changed(self, *_args: Any) -> None:
        section = SECTIONS[max(0, self.tabs.currentIndex())]
        self.proxy.set_filters(
            section=section,
            staff_id=self.staff_combo.currentData(),
            group_id=self.group_combo.currentData(),
            kind=self.kind_combo.currentData(),
        )
        self._update_tab_counts()
        empty = self.proxy.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText(
                {
                    Section.TE_LAAT: self.tr("Niets te laat. Alles is op tijd geëvalueerd."),
                    Section.DEZE_WEEK: self.tr("Deze week staat er niets gepland."),
                    Section.KOMEND: self.tr("In de komende weken staat er niets gepland."),
                }[section]
            )
        elif not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._on_selection_changed()

    def _update_tab_counts(self) -> None:
        items = self.model.items
        for i, section in enumerate(SECTIONS):
            n = sum(1 for item in items if self.proxy.accepts(item, section))
            self.tabs.setTabText(i, f"{self.tr(SECTION_TITLES[section])} ({n})")
            if section == Section.TE_LAAT:
                self.tabs.setTabTextColor(i, OVERDUE_COLOR if n else QColor())

    def show_section(self, section: Section) -> None:
        """Switch to a tab ("Te laat" from the dashboard)."""
        self.tabs.setCurrentIndex(SECTIONS.index(section))

    def visible_items(self) -> list[AgendaItem]:
        """The rows as shown, top to bottom."""
        return [
            self.proxy.index(r, 0).data(AgendaModel.ItemRole) for r in range(self.proxy.rowCount())
        ]

    def current_item(self) -> AgendaItem | None:
        """The selected row's item."""
        index = self.table.currentIndex()
        if not index.isValid():
            rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
            if not rows:
                return None
            index = rows[0]
        return index.data(AgendaModel.ItemRole)

    def select_key(self, key: str) -> bool:
        """Select the row of a moment (in the current section); False when not shown."""
        for r in range(self.proxy.rowCount()):
            item = self.proxy.index(r, 0).data(AgendaModel.ItemRole)
            if item.moment.key == key:
                self.table.selectRow(r)
                self.table.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    @Slot()
    def _on_selection_changed(self, *_args: Any) -> None:
        item = self.current_item() if self.table.isVisible() or self.proxy.rowCount() else None
        has = item is not None
        self.open_button.setEnabled(has and item.document_kind is not None)
        self.pupil_button.setEnabled(has and item.moment.pupil_id is not None)
        self.evaluate_button.setEnabled(has and item.can_evaluate)
        self.held_button.setEnabled(has and item.can_mark_held)

    # ------------------------------------------------------------------ actions
    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        item = index.data(AgendaModel.ItemRole)
        if item is None:
            return
        if item.document_kind is not None:
            self._open_document(item)
        elif item.moment.pupil_id is not None:
            self.nav.open_pupil(item.moment.pupil_id)

    @Slot()
    def _on_open_document(self) -> None:
        item = self.current_item()
        if item is not None and item.document_kind is not None:
            self._open_document(item)

    def _open_document(self, item: AgendaItem) -> None:
        assert item.document_kind is not None
        self.nav.open_document(item.document_kind, item.moment.source_id)

    @Slot()
    def _on_open_pupil(self) -> None:
        item = self.current_item()
        if item is not None and item.moment.pupil_id is not None:
            self.nav.open_pupil(item.moment.pupil_id)

    @Slot()
    def _on_evaluate(self) -> None:
        item = self.current_item()
        if item is None or not item.can_evaluate:
            return
        if item.moment.kind == MomentKind.OPP_EVALUATIE:
            # The evaluation with the parents makes a new OPP version: that is the OPP editor's.
            self._open_document(item)
            return
        from ib_desktop.ui.main_window import load_symbol

        dialog = load_symbol("ib_desktop.ui.plans.evaluation_dialog:EvaluationDialog")
        if dialog is None:
            # Without the evaluation screen the evaluation is written in the document itself.
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr("Vul de evaluatie in het document in; het wordt nu geopend."),
            )
            self._open_document(item)
            return
        if dialog.enter(self, self.ctx, item.moment):
            self.nav.notify_changed()
            if getattr(self.nav, "dataChanged", None) is None:
                self.reload()

    @Slot()
    def _on_mark_held(self) -> None:
        item = self.current_item()
        if item is None or not item.can_mark_held:
            return
        m = item.moment
        if m.due > self.ctx.today() and m.source_kind == "meeting":
            QMessageBox.information(
                self,
                APP_NAME,
                self.tr("Dit overleg staat gepland op %s en kan dus nog niet gehouden zijn.")
                % long_date(m.due),
            )
            return
        try:
            with self.ctx.db.session() as s:
                mark_held(s, m, today=self.ctx.today(), actor=self.ctx.actor)
        except ValidationErrors as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self._status(self.tr("Vastgelegd: %s is gehouden.") % m.title)
        self.nav.notify_changed()
        if getattr(self.nav, "dataChanged", None) is None:
            self.reload()

    def _status(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 5000)

    @Slot()
    def _on_export(self) -> None:
        assert self.data is not None
        choice = IcsExportDialog.ask(self, self.data.staff, self.staff_combo.currentData())
        if choice is None:
            return
        staff_id, only_initials = choice
        from pathlib import Path

        from ib_desktop.calendar_export import (
            calendar_title,
            export_calendar,
            remember_export,
            suggested_file_name,
            target_key,
        )

        with self.ctx.db.session() as s:
            name = calendar_title(s, self.ctx.school_id, staff_id)
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Agendabestand opslaan"),
            suggested_file_name(name, self.ctx.today()),
            self.tr("Agendabestand (*.ics)"),
        )
        if not path:
            return
        if not path.lower().endswith(".ics"):
            path += ".ics"
        target = Path(path)
        with self.ctx.db.session() as s:
            result = export_calendar(
                s,
                self.ctx.school_id,
                today=self.ctx.today(),
                teacher_id=staff_id,
                only_initials=only_initials,
                memory_key=target_key(target),
            )
            from ib_desktop.ui.widgets.view_logging import EXPORTED, log_views

            log_views(s, self.ctx, [None], EXPORTED, "Agendabestand (.ics)")
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_bytes(result.data)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr("Het agendabestand kon niet worden opgeslagen: %s") % exc.strerror,
            )
            return
        with self.ctx.db.session() as s:
            remember_export(s, result, label=str(target))
        if result.cancelled:
            self._status(
                self.tr("%d afspraken opgeslagen in %s; %d vervallen afspraken geannuleerd")
                % (result.events, target.name, result.cancelled)
            )
            return
        self._status(self.tr("%d afspraken opgeslagen in %s") % (result.events, target.name))

    @Slot()
    def _on_print(self) -> None:
        """The printed evaluation schedule for the weeks this page shows, with its filters.

        On the "Deze week" tab it is this week's schedule; otherwise the coming weeks.
        """
        from datetime import timedelta

        from ib_desktop.reports import schedule_pdf
        from ib_desktop.services.agenda import WEEKS_AHEAD, end_of_week
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        today = self.ctx.today()
        end = end_of_week(today) + timedelta(weeks=WEEKS_AHEAD)
        if SECTIONS[max(0, self.tabs.currentIndex())] == Section.DEZE_WEEK:
            end = end_of_week(today)  # "deze week" chosen: this week's schedule only
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.session() as s:
                pdf = schedule_pdf(
                    s,
                    self.ctx.school_id,
                    start=today,
                    end=end,
                    group_id=self.group_combo.currentData(),
                    teacher_id=self.staff_combo.currentData(),
                    today=today,
                )
        finally:
            QGuiApplication.restoreOverrideCursor()
        scope = self.staff_combo.currentText()
        if self.group_combo.currentData() is not None:
            scope += ", " + self.group_combo.currentText().lower()
        PdfPreviewDialog.preview(
            self,
            pdf,
            self.tr("Evaluatieplanning %s, %s t/m %s")
            % (scope, short_date(today), short_date(end)),
            f"evaluatieplanning-{today.isoformat()}.pdf",
        )

    @Slot("QPoint")
    def _on_context_menu(self, pos: Any) -> None:
        item = self.current_item()
        if item is None:
            return
        menu = QMenu(self)
        for button in (self.open_button, self.pupil_button, self.evaluate_button, self.held_button):
            action = menu.addAction(button.text().replace("&", ""))
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.exec(self.table.viewport().mapToGlobal(pos))


def moment_summary(moment: Moment) -> str:
    """ "Evaluatie korte interventie op 12 maart 2026" for messages."""
    return f"{moment.title} op {long_date(moment.due)}"

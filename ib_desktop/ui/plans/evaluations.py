"""Evaluaties: the teacher's screen for "what do I have to evaluate this week".

A teacher says who they are once ("Ik ben", kept in the database for their login, never
preselected: the screen asks before it shows anyone's pupils), sees the evaluations of their
pupils that are overdue or due soon, oldest first with the overdue ones in red, and writes them
one after the other without opening each document: the goal and what was done are shown for
context, only the evaluation and its outcome can be typed. "Opslaan en volgende" (Ctrl+Enter)
moves on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.services import plans
from ib_desktop.services.agenda import end_of_week
from ib_desktop.ui.plans.evaluation_dialog import EvaluationForm, ask_save
from ib_desktop.ui.plans.evaluation_list import EvaluationListModel
from ib_desktop.ui.widgets.table_model import proxy_for

SETTINGS_HORIZON = "evaluaties/horizon"
#: The "deze week" choice: up to the Sunday of this (school) week, however many days that is.
THIS_WEEK = 0
HORIZONS = (
    (THIS_WEEK, QT_TRANSLATE_NOOP("EvaluationsPage", "deze week")),
    (7, QT_TRANSLATE_NOOP("EvaluationsPage", "binnen 1 week")),
    (14, QT_TRANSLATE_NOOP("EvaluationsPage", "binnen 2 weken")),
    (28, QT_TRANSLATE_NOOP("EvaluationsPage", "binnen 4 weken")),
    (56, QT_TRANSLATE_NOOP("EvaluationsPage", "binnen 8 weken")),
)


class EvaluationsPage(QWidget):
    """The "Evaluaties" page of the main window."""

    def __init__(self, ctx: Any, nav: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._own_save = False
        self._stale = False
        self._filter_installed = False
        self._current_row = -1
        self._reverting = False
        self._shown: tuple[Any, Any] = (None, None)  # teacher and period the list shows
        with ctx.db.session() as s:
            self.staff = plans.staff_choices(s, ctx.school_id)

        title = QLabel(self.tr("Evaluaties"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.teacher_combo = QComboBox()
        self.teacher_combo.setAccessibleName(self.tr("Leerkracht"))
        self.teacher_combo.setMinimumContentsLength(28)
        self.teacher_combo.addItem(self.tr("\u2014 kies wie u bent \u2014"), None)
        for c in self.staff:
            role = self.tr("IB-er") if c.role.value == "ib" else c.role.value
            label = c.label if c.role.value == "leerkracht" else f"{c.name} ({role})"
            self.teacher_combo.addItem(label, c.id)
        teacher_label = QLabel(self.tr("&Ik ben:"))
        teacher_label.setBuddy(self.teacher_combo)
        self.horizon_combo = QComboBox()
        self.horizon_combo.setAccessibleName(self.tr("Periode"))
        for days, text in HORIZONS:
            self.horizon_combo.addItem(QCoreApplication.translate("EvaluationsPage", text), days)
        self.refresh_button = QPushButton(self.tr("Vernieuwen"))
        self.refresh_button.setToolTip(self.tr("De lijst opnieuw ophalen (F5)"))
        self.summary_label = QLabel()
        self.summary_label.setObjectName("evaluations-summary")
        self.make_forms_button = QPushButton(self.tr("Evaluatieformulieren maken…"))
        self.make_forms_button.setToolTip(
            self.tr("Een invulbare PDF per leerkracht met de evaluaties van deze periode")
        )
        self.import_form_button = QPushButton(self.tr("Ingevuld formulier inlezen…"))
        self.import_form_button.setToolTip(
            self.tr("Een teruggestuurd evaluatieformulier bekijken en opslaan")
        )

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(teacher_label)
        top.addWidget(self.teacher_combo)
        top.addWidget(QLabel(self.tr("te evalueren:")))
        top.addWidget(self.horizon_combo)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.make_forms_button)
        top.addWidget(self.import_form_button)

        self.model = EvaluationListModel(ctx.today, self)
        self.proxy = proxy_for(self.model, self)
        self.table = QTableView()
        self.table.setObjectName("evaluations-table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EvaluationListModel.COL_DUE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(self.tr("Te evalueren"))
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EvaluationListModel.COL_PUPIL, QHeaderView.ResizeMode.Stretch)

        self.form = EvaluationForm(ctx, self.staff)
        self.save_button = QPushButton(self.tr("Opslaan"))
        self.save_button.setToolTip(self.tr("Opslaan (Ctrl+S)"))
        self.next_button = QPushButton(self.tr("Opslaan en volgende"))
        self.next_button.setToolTip(self.tr("Opslaan en naar de volgende evaluatie (Ctrl+Enter)"))
        self.next_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Document openen"))
        self.open_button.setToolTip(self.tr("Het hele document openen"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.next_button)
        form_side = QWidget()
        form_lay = QVBoxLayout(form_side)
        form_lay.setContentsMargins(0, 0, 0, 0)
        form_lay.addWidget(self.form, 1)
        form_lay.addLayout(buttons)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty_label)
        self.right.addWidget(form_side)

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([600, 680])
        self.table.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary_label)
        lay.addWidget(splitter, 1)

        for keys, slot in (
            (QKeySequence("Ctrl+Return"), self.save_and_next),
            (QKeySequence("Ctrl+Enter"), self.save_and_next),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save_current),
            (QKeySequence(QKeySequence.StandardKey.Refresh), self.reload),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self._restore_settings()
        self.teacher_combo.currentIndexChanged.connect(self._on_teacher_changed)
        self.horizon_combo.currentIndexChanged.connect(self._on_horizon_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save_current)
        self.next_button.clicked.connect(self.save_and_next)
        self.open_button.clicked.connect(self._on_open_document)
        self.make_forms_button.clicked.connect(self._on_make_forms)
        self.import_form_button.clicked.connect(self._on_import_form)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        changed = getattr(nav, "dataChanged", None)
        if changed is not None:
            changed.connect(self._on_data_changed)
        self.reload()

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        self._show_user()
        settings = QSettings()
        horizon = settings.value(SETTINGS_HORIZON)
        h_index = self.horizon_combo.findData(int(horizon)) if horizon not in (None, "") else -1
        default = self.horizon_combo.findData(plans.DEFAULT_HORIZON_DAYS)
        self.horizon_combo.setCurrentIndex(h_index if h_index >= 0 else max(default, 0))

    def _show_user(self) -> None:
        """Show the person who said who they are; nobody else is ever preselected."""
        index = self.teacher_combo.findData(self.ctx.user_staff_id) if self.ctx.user else -1
        self.teacher_combo.blockSignals(True)
        self.teacher_combo.setCurrentIndex(max(index, 0))
        self.teacher_combo.blockSignals(False)

    def teacher_id(self) -> int | None:
        """The teacher whose evaluations are shown."""
        return self.teacher_combo.currentData()

    def horizon(self) -> int:
        """How many days ahead the list looks ("deze week": up to Sunday)."""
        value = self.horizon_combo.currentData()
        if value == THIS_WEEK:
            today = self.ctx.today()
            return (end_of_week(today) - today).days
        return int(value or plans.DEFAULT_HORIZON_DAYS)

    # ------------------------------------------------------------------ loading
    @Slot()
    def reload(self) -> None:
        """Fetch the list again (keeps the selected evaluation when it is still there)."""
        if not ask_save(self, self.form):
            self._show_shown_choices()
            return
        self._shown = (self.teacher_combo.currentData(), self.horizon_combo.currentData())
        keep = self.form.task.moment_key if self.form.task else None
        if self.ctx.user is not None and self.teacher_id() != self.ctx.user_staff_id:
            self._show_user()  # chosen elsewhere (Bestand > Wie ben ik?)
        teacher = self.teacher_id()
        tasks = self._fetch_tasks(teacher) if teacher is not None else []
        self._stale = False
        self.model.set_tasks(tasks)
        self._update_summary()
        if not tasks:
            self._show_nothing_to_do(teacher)
            return
        self.right.setCurrentIndex(1)
        self.select_row(max(self._row_of(keep), 0) if keep is not None else 0)

    def _show_shown_choices(self) -> None:
        """Staying with the evaluation being written: the choices show what the list shows."""
        for combo, value in (
            (self.teacher_combo, self._shown[0]),
            (self.horizon_combo, self._shown[1]),
        ):
            index = combo.findData(value)
            if index >= 0 and combo.currentIndex() != index:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)

    def _fetch_tasks(self, teacher: int) -> list[plans.EvaluationTask]:
        with self.ctx.db.session() as s:
            return plans.evaluation_tasks(
                s,
                self.ctx.school_id,
                teacher,
                today=self.ctx.today(),
                within_days=self.horizon(),
            )

    def _show_nothing_to_do(self, teacher: int | None) -> None:
        self.form.set_task(None)
        self.right.setCurrentIndex(0)
        if teacher is None:
            self.empty_label.setText(self.tr("Kies eerst wie u bent."))
        else:
            self.empty_label.setText(
                self.tr("Geen evaluaties te doen %s. Alles is bij!")
                % self.horizon_combo.currentText()
            )

    def _update_summary(self) -> None:
        tasks = self.model.tasks()
        today = self.ctx.today()
        open_tasks = [t for t in tasks if not t.complete]
        late = [t for t in open_tasks if t.is_overdue(today)]
        if not tasks:
            self.summary_label.setText("")
            return
        text = self.tr("%d te evalueren") % len(open_tasks)
        if late:
            text += self.tr(", waarvan %d te laat") % len(late)
        done = len(tasks) - len(open_tasks)
        if done:
            text += self.tr("; %d ingevuld") % done
        self.summary_label.setText(text + ".")

    def select_row(self, row: int) -> None:
        """Select a row of the (sorted) table and show its evaluation."""
        if not (0 <= row < self.proxy.rowCount()):
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.proxy.index(row, 0))

    def current_task(self) -> plans.EvaluationTask | None:
        """The task of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(EvaluationListModel.TASK_ROLE) if rows else None

    def current_row(self) -> int:
        """The selected row in the table's order (-1 when none)."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _row_of(self, moment_key: str) -> int:
        """The table row (sorted order) of a moment, -1 when it is not in the list."""
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(EvaluationListModel.TASK_ROLE).moment_key == moment_key:
                return r
        return -1

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._reverting:
            return
        task = self.current_task()
        if (
            self.form.task is not None
            and task is not None
            and task.moment_key == self.form.task.moment_key
        ):
            return
        if self.form.is_dirty() and not ask_save(self, self.form):
            # Stay on the evaluation that is being written: the list goes back to its row,
            # selection and current row alike, and the view is told (it repaints the highlight).
            # Done once the view has finished with the click or key that moved it.
            assert self.form.task is not None
            key = self.form.task.moment_key
            QTimer.singleShot(0, self, lambda: self._go_back_to(key))
            return
        self.form.set_task(task, evaluator=self.teacher_id())
        self._update_buttons()

    def _go_back_to(self, moment_key: str) -> None:
        row = self._row_of(moment_key)
        if row < 0:
            return
        self._reverting = True
        try:
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._reverting = False
        self.table.scrollTo(self.proxy.index(row, 0))
        self.table.viewport().update()

    def _update_buttons(self) -> None:
        task = self.form.task
        writable = task is not None and not task.read_only
        self.save_button.setEnabled(writable)
        self.next_button.setEnabled(writable)
        self.open_button.setEnabled(task is not None and task.source_id is not None)

    # ------------------------------------------------------------------ saving
    @Slot()
    def save_current(self) -> bool:
        """Save the evaluation being written."""
        task = self.form.task
        if task is None or task.read_only:
            return False
        if not self.form.save():
            if self.form.task is not None and self.form.task is not task:
                self.model.replace_task(self.form.task)  # a conflict was settled
            return False
        saved = self.form.task
        assert saved is not None
        self.model.replace_task(saved)
        self._update_summary()
        if self._stale:
            self.reload()  # another window changed data while this evaluation was typed
        self._own_save = True
        try:
            notify = getattr(self.nav, "notify_changed", None)
            if notify is not None:
                notify()
        finally:
            self._own_save = False
        return True

    @Slot()
    def save_and_next(self) -> None:
        """Save, then go to the next evaluation that still has to be written."""
        row = self.current_row()
        if not self.save_current():
            return
        count = self.proxy.rowCount()
        for offset in range(1, count + 1):
            r = (row + offset) % count
            t = self.proxy.index(r, 0).data(EvaluationListModel.TASK_ROLE)
            if not t.complete and not t.read_only:
                self.select_row(r)
                first = self.form.first_field()
                if first is not None:
                    first.setFocus()
                return
        QMessageBox.information(
            self, self.tr("Evaluaties"), self.tr("Alle evaluaties in de lijst zijn ingevuld.")
        )

    # ------------------------------------------------------------------ reactions
    @Slot(int)
    def _on_teacher_changed(self, _index: int) -> None:
        chosen = self.teacher_id()
        if chosen is not None and chosen != self.ctx.user_staff_id:
            name = next((c.name for c in self.staff if c.id == chosen), "")
            if self.ctx.user is None:
                question = (
                    self.tr(
                        "Bent u %s?\n\nIB Desktop onthoudt dit voor deze database. U ziet dan "
                        "de evaluaties van uw leerlingen, en evaluaties, besluiten en wijzigingen "
                        "komen op uw naam."
                    )
                    % name
                )
            else:
                question = self.tr(
                    "U werkt nu als %s. Verder werken als %s?\n\nU ziet dan de leerlingen van "
                    "%s, en evaluaties, besluiten en wijzigingen komen op die naam."
                ) % (self.ctx.user.name, name, name)
            answer = QMessageBox.question(
                self,
                self.tr("Ik ben"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._show_user()
                return
            self.ctx.choose_user(chosen)
            refresh = getattr(self.nav, "show_current_user", None)
            if refresh is not None:
                refresh()
        self.reload()

    @Slot(int)
    def _on_horizon_changed(self, _index: int) -> None:
        QSettings().setValue(SETTINGS_HORIZON, self.horizon_combo.currentData())
        self.reload()

    @Slot()
    def _on_data_changed(self) -> None:
        """Another window saved: reload now, or after the evaluation being typed is saved."""
        if self._own_save:
            return
        if self.form.is_dirty():
            self._stale = True
            return
        self.reload()

    @Slot()
    def _on_open_document(self) -> None:
        task = self.form.task
        if task is None or task.source_id is None:
            return
        kind = {
            plans.INTERVENTION_ENTITY: "korte_interventie",
            plans.GROWTH_ENTITY: "groeidocument",
        }.get(task.source_kind)
        if kind is not None:
            self.nav.open_document(kind, task.source_id)
        elif task.source_kind == plans.OPP_VERSION_ENTITY and task.moment is not None:
            self.nav.open_document("opp", task.moment.source_id)

    @Slot()
    def _on_make_forms(self) -> None:
        from ib_desktop.ui.plans.evaluation_form_import import make_forms

        make_forms(self, self.horizon())

    @Slot()
    def _on_import_form(self) -> None:
        from ib_desktop.ui.plans.evaluation_form_import import import_form

        if import_form(self):
            self.reload()
            notify = getattr(self.nav, "notify_changed", None)
            if notify is not None:
                self._own_save = True
                try:
                    notify()
                finally:
                    self._own_save = False

    # ------------------------------------------------------------------ not losing text on quit
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Watch the main window's close, so an unsaved evaluation is not lost on quit."""
        super().showEvent(event)
        if not self._filter_installed:
            self.window().installEventFilter(self)
            self._filter_installed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Closing the main window with an unsaved evaluation asks first."""
        if (
            watched is self.window()
            and event.type() == QEvent.Type.Close
            and self.form.is_dirty()
            and not ask_save(self, self.form)
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

"""The pieces of a groeidocument period: one tab per period, one block per development area.

:class:`PeriodPage` shows a period's dates, an area index on the left and a :class:`GoalCell`
per area (doel, ondersteuningsbehoefte, uitvoering, evaluatie and uitkomst).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date, short_date
from ib_desktop.models import Outcome
from ib_desktop.services import plans
from ib_desktop.ui.plans.fields import (
    align_form_labels,
    combo_outcome,
    labelled_row,
    outcome_combo,
    set_combo_outcome,
)
from ib_desktop.ui.widgets.forms import ErrorMap, date_edit, from_qdate
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.writing.actions import insert_markdown, with_end_date

if TYPE_CHECKING:
    from ib_desktop.ui.plans.growth_editor import GrowthEditor

CARRIED_STYLE = (
    "background:#fff4e0; color:#7a4b00; border:1px solid #f0c987; border-radius:4px;"
    " padding:3px 6px;"
)
MUTED_STYLE = "color:#666666;"


# ============================================================================ one cell


class GoalCell(QGroupBox):
    """One area in one period: doel, ondersteuningsbehoefte, uitvoering, evaluatie, uitkomst."""

    def __init__(
        self, area: str, period_number: int, errors: ErrorMap, edited: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(area, parent)
        self.area = area
        self.period_number = period_number
        self._goal = plans.GoalData(id=None, area=area)
        self._edited = edited
        self._loading = False
        self.evaluation_default: Callable[[], tuple[int | None, date]] | None = None
        self.setObjectName(f"goal-{period_number}-{area}")
        self.carried_label = QLabel()
        self.carried_label.setStyleSheet(CARRIED_STYLE)
        self.carried_label.setWordWrap(True)
        self.carried_label.hide()
        self.goal_edit = RichTextEdit(min_lines=2)
        self.support_edit = RichTextEdit(min_lines=2)
        self.execution_edit = RichTextEdit(min_lines=2)
        self.evaluation_edit = RichTextEdit(min_lines=2)
        self.goal_edit.setPlaceholderText(
            self.tr("Wat moet de leerling aan het eind van de periode kunnen?")
        )
        self.outcome_combo = outcome_combo()
        self.evaluated_label = QLabel()
        self.evaluated_label.setStyleSheet(MUTED_STYLE)
        for widget, name in (
            (self.goal_edit, self.tr("Doel")),
            (self.support_edit, self.tr("Ondersteuningsbehoefte")),
            (self.execution_edit, self.tr("Uitvoering")),
            (self.evaluation_edit, self.tr("Evaluatie")),
            (self.outcome_combo, self.tr("Uitkomst")),
        ):
            widget.setAccessibleName(f"{area}: {name}")
        key = f"goal:{period_number}:{area}:"
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, name, widget in (
            (self.tr("Doel:"), "goal", self.goal_edit),
            (self.tr("Ondersteunings-\nbehoefte:"), "support_need", self.support_edit),
            (self.tr("Uitvoering:"), "execution", self.execution_edit),
            (self.tr("Evaluatie:"), "evaluation", self.evaluation_edit),
        ):
            wrapper = errors.wrap(key + name, widget)
            wrapper.setFocusProxy(None)
            form.addRow(text, wrapper)
        outcome_wrapper = errors.wrap(key + "outcome", self.outcome_combo)
        outcome_wrapper.setFocusProxy(None)
        form.addRow(self.tr("Uitkomst:"), labelled_row(outcome_wrapper, self.evaluated_label))
        # The whole cell carries the "goal:<n>:<area>" key of the service's closing check.
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.carried_label)
        lay.addWidget(self.error_label)
        lay.addLayout(form)
        self.form = form
        for rich in (self.goal_edit, self.support_edit, self.execution_edit):
            rich.textChanged.connect(self._on_edited)
        self.evaluation_edit.textChanged.connect(self._on_evaluation_typed)
        self.outcome_combo.currentIndexChanged.connect(self._on_evaluation_typed)

    def focus_widgets(self) -> list[QWidget]:
        """The inputs in Tab order."""
        return [
            self.goal_edit,
            self.support_edit,
            self.execution_edit,
            self.evaluation_edit,
            self.outcome_combo,
        ]

    def set_goal(self, goal: plans.GoalData) -> None:
        """Show a cell."""
        self._loading = True
        try:
            self._goal = copy.copy(goal)
            self.goal_edit.setMarkdown(goal.goal)
            self.support_edit.setMarkdown(goal.support_need)
            self.execution_edit.setMarkdown(goal.execution)
            self.evaluation_edit.setMarkdown(goal.evaluation)
            set_combo_outcome(self.outcome_combo, goal.outcome)
            self.carried_label.setText(
                "\u21bb " + goal.carried_over_note if goal.carried_over_note else ""
            )
            self.carried_label.setVisible(bool(goal.carried_over_note))
            self.setTitle(self.area + (self.tr("  (voortgezet)") if goal.carried_over_note else ""))
            self._show_evaluated()
        finally:
            self._loading = False

    def goal_data(self) -> plans.GoalData:
        """The cell as the form shows it."""
        g = copy.copy(self._goal)
        g.goal = self.goal_edit.markdown()
        g.support_need = self.support_edit.markdown()
        g.execution = self.execution_edit.markdown()
        g.evaluation = self.evaluation_edit.markdown()
        g.outcome = combo_outcome(self.outcome_combo)
        return g

    def apply_evaluation(self, evaluation: str, outcome: Outcome | None) -> None:
        """Put an evaluation typed elsewhere (the closing dialog) into the cell."""
        if evaluation != self.evaluation_edit.markdown():
            self.evaluation_edit.setMarkdown(evaluation)
            self.evaluation_edit.document().setModified(True)
        set_combo_outcome(self.outcome_combo, outcome)

    def mark_saved(self, goal: plans.GoalData) -> None:
        """After a save: the fields hold what is stored; ids and dates come from the service."""
        self._goal = copy.copy(goal)
        for widget, text in (
            (self.goal_edit, goal.goal),
            (self.support_edit, goal.support_need),
            (self.execution_edit, goal.execution),
            (self.evaluation_edit, goal.evaluation),
        ):
            widget.mark_saved(text)
        self._show_evaluated()

    def set_read_only(self, read_only: bool) -> None:
        """A closed period or document cannot be typed in."""
        for rich in (self.goal_edit, self.support_edit, self.execution_edit, self.evaluation_edit):
            rich.setReadOnly(read_only)
        self.outcome_combo.setEnabled(not read_only)

    def set_error(self, message: str) -> None:
        """A message about the cell as a whole (e.g. "vul de evaluatie in")."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _show_evaluated(self) -> None:
        g = self._goal
        if g.evaluated_on:
            self.evaluated_label.setText(self.tr("geëvalueerd op %s") % short_date(g.evaluated_on))
        else:
            self.evaluated_label.setText("")

    @Slot()
    def _on_edited(self) -> None:
        if not self._loading:
            self._edited()

    @Slot()
    def _on_evaluation_typed(self) -> None:
        if self._loading:
            return
        has = bool(self.evaluation_edit.toPlainText().strip()) or combo_outcome(self.outcome_combo)
        if has and self._goal.evaluated_on is None and self.evaluation_default is not None:
            by, on = self.evaluation_default()
            self._goal.evaluated_on = on
            self._goal.evaluated_by_id = self._goal.evaluated_by_id or by
            self._show_evaluated()
        self._edited()


# ============================================================================ one period


class PeriodPage(QWidget):
    """A tab: the period's dates and a block per area, with an area index on the left."""

    def __init__(
        self, editor: GrowthEditor, period: plans.PeriodData, areas: list[str],
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.editor = editor
        self.period = copy.deepcopy(period)
        self.areas = list(areas)
        self.setObjectName(f"period-{period.number}")
        errors = editor.errors
        key = f"period:{period.number}:"
        self.start_edit = date_edit(period.start_date)
        self.end_edit = date_edit(period.end_date)
        start_w = errors.wrap(key + "start_date", self.start_edit)
        end_w = errors.wrap(key + "end_date", self.end_edit)
        for w in (start_w, end_w):
            w.setFocusProxy(None)
        self.state_label = QLabel()
        self.close_button = QPushButton(self.tr("Periode afsluiten…"))
        self.close_button.setToolTip(self.tr("Evalueer elk doel van deze periode en sluit haar af"))
        self.close_button.clicked.connect(lambda: editor.close_period(self.period.number))
        self.reopen_button = QPushButton(self.tr("Periode heropenen…"))
        self.reopen_button.clicked.connect(lambda: editor.reopen_period(self.period.number))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Van")))
        top.addWidget(start_w)
        top.addWidget(QLabel(self.tr("t/m")))
        top.addWidget(end_w)
        top.addSpacing(12)
        top.addWidget(self.state_label)
        top.addStretch(1)
        top.addWidget(self.close_button)
        top.addWidget(self.reopen_button)

        self.area_list = QListWidget()
        self.area_list.setAccessibleName(self.tr("Ontwikkelingsgebieden"))
        self.area_list.setMinimumWidth(170)
        self.area_list.setMaximumWidth(260)
        self.area_list.setWordWrap(True)
        self.area_list.setSpacing(3)
        self.area_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cells: dict[str, GoalCell] = {}
        body = QWidget()
        body_lay = QVBoxLayout(body)
        by_area = {g.area: g for g in period.goals}
        for area in areas:
            cell = GoalCell(area, period.number, errors, editor.on_edited)
            cell.evaluation_default = editor.evaluation_default
            cell.set_goal(by_area.get(area) or plans.GoalData(id=None, area=area))
            self.cells[area] = cell
            body_lay.addWidget(cell)
            item = QListWidgetItem(area)
            item.setData(Qt.ItemDataRole.UserRole, area)
            self.area_list.addItem(item)
        body_lay.addStretch(1)
        align_form_labels(*(c.form for c in self.cells.values()))
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        splitter = QSplitter()
        splitter.addWidget(self.area_list)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([220, 900])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(splitter, 1)

        order: list[QWidget] = [self.start_edit, self.end_edit]
        for cell in self.cells.values():
            order += cell.focus_widgets()
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.start_edit.dateChanged.connect(editor.on_edited)
        self.end_edit.dateChanged.connect(editor.on_edited)
        self.area_list.itemActivated.connect(self._on_area_chosen)
        self.area_list.itemClicked.connect(self._on_area_chosen)
        self._update_state()

    def period_data(self) -> plans.PeriodData:
        """The period as the tab shows it (goals of areas left out are kept as they were)."""
        p = copy.deepcopy(self.period)
        p.start_date = from_qdate(self.start_edit.date()) or p.start_date
        p.end_date = from_qdate(self.end_edit.date()) or p.end_date
        shown = {area: cell.goal_data() for area, cell in self.cells.items()}
        p.goals = [shown.pop(g.area, g) for g in p.goals] + list(shown.values())
        return p

    def set_read_only(self, read_only: bool) -> None:
        """A closed period (or document) is shown, not edited."""
        ro = read_only or self.period.closed
        self.start_edit.setEnabled(not ro)
        self.end_edit.setEnabled(not ro)
        for cell in self.cells.values():
            cell.set_read_only(ro)
        self._update_state(document_read_only=read_only)

    def mark_saved(self, period: plans.PeriodData) -> None:
        """After a save: take the stored ids and texts without rebuilding the tab."""
        self.period = copy.deepcopy(period)
        by_area = {g.area: g for g in period.goals}
        for area, cell in self.cells.items():
            cell.mark_saved(by_area.get(area) or plans.GoalData(id=None, area=area))
        self._update_area_list()

    def _update_state(self, document_read_only: bool = False) -> None:
        p = self.period
        last = self.editor.is_last_period(p.number)
        if p.closed:
            self.state_label.setText(self.tr("Afgesloten: de evaluatie is vastgelegd."))
        else:
            self.state_label.setText(self.tr("Lopend; evalueren op %s") % long_date(p.end_date))
        self._update_area_list()
        self.close_button.setVisible(not p.closed)
        self.close_button.setEnabled(not document_read_only)
        self.reopen_button.setVisible(p.closed and last)
        self.reopen_button.setEnabled(not document_read_only)

    def _update_area_list(self) -> None:
        """The index shows per area whether it continues a goal and whether it is evaluated."""
        by_area = {g.area: g for g in self.period.goals}
        for row in range(self.area_list.count()):
            item = self.area_list.item(row)
            area = item.data(Qt.ItemDataRole.UserRole)
            g = by_area.get(area)
            marks = []
            if g is not None and g.carried_over_from_id:
                marks.append("\u21bb")
            if g is not None and g.is_evaluated:
                marks.append("\u2713")
            item.setText(area + ("  " + " ".join(marks) if marks else ""))
            tips = []
            if g is not None and g.carried_over_note:
                tips.append(g.carried_over_note)
            if g is not None and g.is_evaluated:
                tips.append(self.tr("Geëvalueerd: %s") % plans.outcome_label(g.outcome))
            item.setToolTip("\n".join(tips))

    def focused_cell(self) -> GoalCell | None:
        """The area block holding the focus (None when the focus is elsewhere)."""
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, GoalCell):
            widget = widget.parentWidget()
        return widget if widget is not None and widget in self.cells.values() else None

    def insert_bank_goal(self, text: str, area: str) -> str:
        """Put a goal from the bank into the doel of ``area`` (else of the focused block).

        {einddatum} becomes the period's end date. Returns "" or why nothing was inserted.
        """
        if self.period.closed:
            return self.tr("Deze periode is afgesloten; kies een lopende periode.")
        cell = self.cells.get(area) or self.focused_cell()
        if cell is None:
            return (
                self.tr("Het gebied '%s' staat niet in dit groeidocument; voeg het toe met "
                        "'Gebieden…' of zet de cursor in een ander gebied.") % area
            )  # fmt: skip
        end = from_qdate(self.end_edit.date()) or self.period.end_date
        cell.goal_edit.setFocus()
        insert_markdown(cell.goal_edit, with_end_date(text, end).text, at_end=True)
        self.scroll.ensureWidgetVisible(cell.goal_edit)
        return ""

    @Slot(QListWidgetItem)
    def _on_area_chosen(self, item: QListWidgetItem) -> None:
        cell = self.cells.get(item.data(Qt.ItemDataRole.UserRole))
        if cell is None:
            return
        self.scroll.ensureWidgetVisible(cell, 0, 0)
        self.scroll.verticalScrollBar().setValue(cell.y())
        cell.goal_edit.setFocus()

"""The groeidocument (handelingsplan) editor: development areas x periods.

Each period is a tab; in it every area the document uses has its own block with doel,
ondersteuningsbehoefte, uitvoering and evaluatie, and a list on the left jumps to an area. "Nieuwe
periode" starts from the previous period: goals that were not reached continue, marked as such.
"Periode afsluiten" asks for the evaluation and outcome of every goal in one dialog.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date, short_date
from ib_desktop.models import DocumentStatus, Outcome
from ib_desktop.services import plans
from ib_desktop.ui.plans.window import (
    OptionalDateEdit,
    PlanWindow,
    align_form_labels,
    combo_outcome,
    labelled_row,
    outcome_combo,
    set_combo_outcome,
    set_staff,
    staff_combo,
    staff_value,
)
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import ErrorMap, date_edit, from_qdate, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors

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
            (self.goal_edit, "Doel"),
            (self.support_edit, "Ondersteuningsbehoefte"),
            (self.execution_edit, "Uitvoering"),
            (self.evaluation_edit, "Evaluatie"),
            (self.outcome_combo, "Uitkomst"),
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

    @Slot(QListWidgetItem)
    def _on_area_chosen(self, item: QListWidgetItem) -> None:
        cell = self.cells.get(item.data(Qt.ItemDataRole.UserRole))
        if cell is None:
            return
        self.scroll.ensureWidgetVisible(cell, 0, 0)
        self.scroll.verticalScrollBar().setValue(cell.y())
        cell.goal_edit.setFocus()


# ============================================================================ dialogs


class AreasDialog(QDialog):
    """Which development areas this document uses (in the school's order)."""

    def __init__(
        self, available: list[str], chosen: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ontwikkelingsgebieden kiezen"))
        intro = QLabel(
            self.tr(
                "Vink de gebieden aan waarvoor dit groeidocument doelen heeft. Een gebied weglaten "
                "gooit niets weg: wat er al stond komt terug als u het gebied weer aanvinkt."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for area in available:
            item = QListWidgetItem(area)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if area in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        buttons = ok_cancel_buttons(self, self.tr("Toepassen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        size_window(self, "growth_editor.AreasDialog", 420, 420)

    def chosen(self) -> list[str]:
        """The ticked areas in the list's order."""
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def _on_accept(self) -> None:
        if not self.chosen():
            self.error.setText(self.tr("Kies ten minste één ontwikkelingsgebied."))
            return
        self.accept()

    @classmethod
    def choose(
        cls, parent: QWidget | None, available: list[str], chosen: list[str]
    ) -> list[str] | None:
        """Run the dialog; the chosen areas, or None when cancelled."""
        dialog = cls(available, chosen, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ClosePeriodDialog(QDialog):
    """Every goal of a period with its evaluation and outcome; closing checks them all."""

    def __init__(
        self,
        period_number: int,
        goals: list[plans.GoalData],
        staff: list[plans.StaffChoice],
        evaluated_by: int | None,
        today: date,
        submit: Callable[
            [dict[str, tuple[str, Outcome | None]], int | None, date], dict[str, str] | None
        ],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Periode %d afsluiten") % period_number)
        self._submit = submit
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr(
                "Schrijf bij elk doel de evaluatie en kies de uitkomst. Doelen die niet (helemaal) "
                "zijn behaald, lopen door in een nieuwe periode."
            )
        )
        intro.setWordWrap(True)
        body = QWidget()
        body_lay = QVBoxLayout(body)
        self.rows: dict[str, tuple[RichTextEdit, Any]] = {}
        order: list[QWidget] = []
        for g in goals:
            box = QGroupBox(g.area)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            goal_view = RichTextEdit(min_lines=1, max_lines=6)
            goal_view.setMarkdown(g.goal)
            goal_view.setReadOnly(True)
            goal_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            evaluation = RichTextEdit(min_lines=3)
            evaluation.setMarkdown(g.evaluation)
            evaluation.setAccessibleName(f"{g.area}: evaluatie")
            outcome = outcome_combo()
            set_combo_outcome(outcome, g.outcome)
            outcome.setAccessibleName(f"{g.area}: uitkomst")
            form.addRow(self.tr("Doel:"), goal_view)
            ev_w = self.errors.wrap(f"goal:{period_number}:{g.area}", evaluation)
            ev_w.setFocusProxy(None)
            form.addRow(self.tr("Evaluatie:"), ev_w)
            form.addRow(self.tr("Uitkomst:"), labelled_row(outcome))
            body_lay.addWidget(box)
            self.rows[g.area] = (evaluation, outcome)
            order += [evaluation, outcome]
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.by_combo = staff_combo(staff, editable=False, empty="\u2014")
        set_staff(self.by_combo, evaluated_by)
        self.on_edit = OptionalDateEdit()
        self.on_edit.set_value(today)
        on_w = self.errors.wrap("evaluated_on", self.on_edit)
        on_w.setFocusProxy(None)
        who = QHBoxLayout()
        who.addWidget(QLabel(self.tr("Geëvalueerd door")))
        who.addWidget(self.by_combo)
        who.addWidget(QLabel(self.tr("op")))
        who.addWidget(on_w)
        who.addStretch(1)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            self.tr("Periode afsluiten"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(
            self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.close_button.setDefault(True)
        buttons.accepted.connect(self._on_close_period)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(scroll, 1)
        lay.addLayout(who)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        order += [self.by_combo, self.on_edit]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        size_window(self, "growth_editor.ClosePeriodDialog", 760, 640)

    def values(self) -> dict[str, tuple[str, Outcome | None]]:
        """Per area the evaluation text and outcome as typed."""
        return {area: (ev.markdown(), combo_outcome(oc)) for area, (ev, oc) in self.rows.items()}

    @Slot()
    def _on_close_period(self) -> None:
        if not check_dates(self):
            return  # the date field says what is wrong beside it
        self.errors.clear()
        on = self.on_edit.value() or date.today()
        errors = self._submit(self.values(), self.by_combo.currentData(), on)
        if not errors:
            self.accept()
            return
        unplaced = self.errors.show(errors)
        self.message.setText(
            "\n".join(unplaced) if unplaced else self.tr("Nog niet elk doel is geëvalueerd.")
        )
        self.message.show()

    @classmethod
    def close_period(
        cls,
        parent: QWidget | None,
        period_number: int,
        goals: list[plans.GoalData],
        staff: list[plans.StaffChoice],
        evaluated_by: int | None,
        today: date,
        submit: Callable[
            [dict[str, tuple[str, Outcome | None]], int | None, date], dict[str, str] | None
        ],
    ) -> tuple[bool, dict[str, tuple[str, Outcome | None]]]:
        """Run the dialog: (closed?, the evaluations as typed, also when cancelled)."""
        dialog = cls(period_number, goals, staff, evaluated_by, today, submit, parent)
        closed = dialog.exec() == QDialog.DialogCode.Accepted
        return closed, dialog.values()


# ============================================================================ the window


class GrowthEditor(PlanWindow):
    """A top-level window editing one groeidocument."""

    ENTITY = plans.GROWTH_ENTITY
    NOUN = "dit groeidocument"
    SETTINGS_KEY = "growth_editor"
    save_service = staticmethod(plans.save_growth_document)
    status_service = staticmethod(plans.set_growth_status)
    load_service = staticmethod(plans.load_growth_document)

    def __init__(
        self,
        ctx: Any,
        nav: Any,
        data: plans.GrowthData,
        staff: list[plans.StaffChoice],
        available_areas: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, nav, parent)
        self.data = data
        self.staff = staff
        self.available_areas = available_areas
        self.pages: list[PeriodPage] = []
        self.setObjectName("growth-editor")
        self._build_form()
        self._loading = True
        try:
            self.populate(data)
        finally:
            self._loading = False
        self.set_baseline()
        self.refresh_state()
        self.restore_geometry(QSize(1100, 860))

    # ------------------------------------------------------------------ form
    def _build_form(self) -> None:
        self.pupil_label = QLabel()
        font = self.pupil_label.font()
        font.setBold(True)
        self.pupil_label.setFont(font)
        self.open_pupil_button = QPushButton(self.tr("Dossier openen"))
        self.open_pupil_button.clicked.connect(self._on_open_pupil)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(200)
        self.group_edit = QLineEdit()
        self.group_edit.setMaxLength(20)
        self.group_edit.setMaximumWidth(100)
        self.teacher_combo = staff_combo(self.staff, editable=True)
        self.teacher_combo.setMaximumWidth(380)
        self.areas_label = QLabel()
        self.areas_label.setWordWrap(True)
        self.areas_button = QPushButton(self.tr("Gebieden kiezen…"))
        self.areas_button.clicked.connect(self._on_choose_areas)

        header = QWidget()
        form = QFormLayout(header)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Leerling:"), labelled_row(self.pupil_label, self.open_pupil_button))
        self.add_row(form, self.tr("&Titel:"), self.wrap("title", self.title_edit), self.title_edit)
        group_teacher = labelled_row(
            self.wrap("group_name", self.group_edit), QLabel(self.tr("Leerkracht:")),
            self.wrap("teacher", self.teacher_combo),
        )  # fmt: skip
        self.add_row(form, self.tr("&Groep:"), group_teacher, self.group_edit)
        areas_row = QWidget()
        areas_lay = QHBoxLayout(areas_row)
        areas_lay.setContentsMargins(0, 0, 0, 0)
        areas_lay.addWidget(self.wrap("areas", self.areas_label), 1)
        areas_lay.addWidget(self.areas_button)
        form.addRow(self.tr("Gebieden:"), areas_row)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.new_period_button = QPushButton(self.tr("Nieuwe periode"))
        self.new_period_button.setToolTip(
            self.tr("Een volgende periode; doelen die niet zijn behaald lopen door")
        )
        self.new_period_button.clicked.connect(self.add_period)
        self.tabs.setCornerWidget(self.new_period_button, Qt.Corner.TopRightCorner)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.addWidget(self.banner())
        lay.addWidget(header)
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        QWidget.setTabOrder(self.title_edit, self.group_edit)
        QWidget.setTabOrder(self.group_edit, self.teacher_combo)
        QWidget.setTabOrder(self.teacher_combo, self.areas_button)
        self.title_edit.textEdited.connect(self.on_edited)
        self.group_edit.textEdited.connect(self.on_edited)
        self.teacher_combo.currentTextChanged.connect(self.on_edited)

    # ------------------------------------------------------------------ data in and out
    def populate(self, data: plans.GrowthData, *, tab: int | None = None) -> None:
        """Show the document (rebuilding the period tabs)."""
        self.data = data
        self.pupil_label.setText(data.pupil_name)
        self.title_edit.setText(data.title)
        self.group_edit.setText(data.group_name)
        set_staff(self.teacher_combo, data.teacher_id, data.teacher_name)
        self._show_areas(data.areas)
        self._build_pages(data, tab)

    def _show_areas(self, areas: list[str]) -> None:
        self.areas_label.setText(", ".join(areas) if areas else self.tr("(geen)"))

    def _build_pages(self, data: plans.GrowthData, tab: int | None = None) -> None:
        current = self.tabs.currentIndex() if tab is None else tab
        self.tabs.clear()
        for page in self.pages:
            page.deleteLater()
        self.errors.fields = {
            k: v for k, v in self.errors.fields.items() if not k.startswith(("goal:", "period:"))
        }
        self.pages = []
        for period in data.periods:
            page = PeriodPage(self, period, data.areas)
            self.pages.append(page)
            self.tabs.addTab(page, self._tab_title(period))
        if self.pages:
            self.tabs.setCurrentIndex(
                min(max(current, 0), len(self.pages) - 1) if current >= 0 else len(self.pages) - 1
            )

    def _tab_title(self, period: plans.PeriodData) -> str:
        suffix = self.tr(" (afgesloten)") if period.closed else ""
        return self.tr("Periode %d") % period.number + suffix

    def form_data(self) -> plans.GrowthData:
        """The document as the window shows it now."""
        d = copy.deepcopy(self.data)
        d.title = self.title_edit.text().strip()
        d.group_name = self.group_edit.text().strip()
        d.teacher_id, d.teacher_name = staff_value(self.teacher_combo)
        d.periods = [page.period_data() for page in self.pages]
        return d

    def collect(self) -> dict[str, Any]:
        """Plain values of the form (for the dirty check and the recovery store)."""
        d = self.form_data()
        return {
            "title": d.title,
            "group_name": d.group_name,
            "teacher_id": d.teacher_id,
            "teacher_name": d.teacher_name,
            "areas": list(d.areas),
            "periods": [
                {
                    "number": p.number,
                    "start_date": p.start_date,
                    "end_date": p.end_date,
                    "goals": {
                        g.area: {
                            "goal": g.goal,
                            "support_need": g.support_need,
                            "execution": g.execution,
                            "evaluation": g.evaluation,
                            "outcome": g.outcome.value if g.outcome else None,
                        }
                        for g in p.goals
                        if g.area in d.areas
                    },
                }
                for p in d.periods
            ],
        }

    def apply_payload(self, payload: dict[str, Any]) -> None:
        """Recovered values back into the form (the periods must still be the same)."""
        self.title_edit.setText(str(payload.get("title", self.data.title)))
        self.group_edit.setText(str(payload.get("group_name", self.data.group_name)))
        set_staff(self.teacher_combo, payload.get("teacher_id"), payload.get("teacher_name", ""))
        areas = [a for a in payload.get("areas", self.data.areas) if isinstance(a, str)]
        if areas and areas != self.data.areas:
            self._set_areas(areas)
        pages = {page.period.number: page for page in self.pages}
        for p in payload.get("periods", []):
            page = pages.get(p.get("number"))
            if page is None or page.period.closed:
                continue
            for key, widget in (("start_date", page.start_edit), ("end_date", page.end_edit)):
                value = p.get(key)
                if value:
                    widget.setDate(
                        to_qdate(value if isinstance(value, date) else date.fromisoformat(value))
                    )
            for area, values in (p.get("goals") or {}).items():
                cell = page.cells.get(area)
                if cell is None:
                    continue
                for name, widget in (
                    ("goal", cell.goal_edit),
                    ("support_need", cell.support_edit),
                    ("execution", cell.execution_edit),
                    ("evaluation", cell.evaluation_edit),
                ):
                    if name in values and values[name] != widget.markdown():
                        widget.setMarkdown(values[name])
                        widget.document().setModified(True)
                set_combo_outcome(cell.outcome_combo, values.get("outcome"))

    def accept_form_as_saved(self) -> None:
        """After a save: ids and stored texts into the tabs without rebuilding them."""
        by_number = {p.number: p for p in self.data.periods}
        for page in self.pages:
            if page.period.number in by_number:
                page.mark_saved(by_number[page.period.number])
        self._refresh_tab_titles()

    def _refresh_tab_titles(self) -> None:
        for index, page in enumerate(self.pages):
            self.tabs.setTabText(index, self._tab_title(page.period))

    # ------------------------------------------------------------------ PlanWindow hooks
    def doc_id(self) -> int | None:
        """Id of the groeidocument."""
        return self.data.id

    def pupil_id(self) -> int:
        """Its pupil."""
        return self.data.pupil_id

    def status(self) -> DocumentStatus:
        """Status as last saved."""
        return self.data.status

    def read_only_reason(self) -> str:
        """Closed, or the pupil left."""
        if self.data.pupil_left:
            return (
                self.tr("%s heeft de school verlaten; het dossier is alleen-lezen.")
                % self.data.pupil_name
            )
        if self.data.status == DocumentStatus.AFGESLOTEN:
            return self.tr("Afgesloten")
        return ""

    def document_title(self) -> str:
        """ "Groeidocument - Sanne de Vries"."""
        return self.tr("Groeidocument - %s") % self.data.pupil_name

    def set_fields_read_only(self, read_only: bool) -> None:
        """Closed documents (and closed periods) cannot be typed in."""
        self.title_edit.setReadOnly(read_only)
        self.group_edit.setReadOnly(read_only)
        self.teacher_combo.setEnabled(not read_only)
        self.areas_button.setEnabled(not read_only)
        self.new_period_button.setEnabled(not read_only)
        for page in self.pages:
            page.set_read_only(read_only)

    def is_last_period(self, number: int) -> bool:
        """True for the newest period."""
        last = self.data.last_period
        return last is not None and last.number == number

    def evaluation_default(self) -> tuple[int | None, date]:
        """Who evaluates and when, when a teacher starts writing an evaluation in a cell."""
        teacher_id, _name = staff_value(self.teacher_combo)
        return teacher_id, self.ctx.today()

    def print_pdf(self, session: Any) -> bytes:
        """The groeidocument as the school's form."""
        from ib_desktop.reports import growth_document_pdf

        assert self.data.id is not None
        return growth_document_pdf(session, self.data.id)

    def change_status(
        self, status: DocumentStatus, *, reason: str = "", confirm: bool = True
    ) -> bool:
        """Closing the document first closes an open period (every goal evaluated)."""
        if status == DocumentStatus.AFGESLOTEN and not self.read_only_reason():
            open_periods = [p for p in self.form_data().periods if not p.closed]
            if open_periods:
                answer = QMessageBox.question(
                    self,
                    self.tr("Afsluiten"),
                    self.tr(
                        "Periode %d is nog niet afgesloten. Een groeidocument sluit u af nadat elk "
                        "doel is geëvalueerd. Nu de doelen van periode %d evalueren?"
                    )
                    % (open_periods[0].number, open_periods[0].number),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.Yes,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                for period in open_periods:
                    if not self.close_period(period.number):
                        return False
        return super().change_status(status, reason=reason, confirm=confirm)

    # ------------------------------------------------------------------ periods
    def _ensure_saved(self) -> bool:
        """Period actions work on the saved document: save pending edits first."""
        if self.doc_id() is None or self.is_dirty():
            return self.save()
        return True

    def close_period(self, number: int) -> bool:
        """Ask for every goal's evaluation and close the period; True when closed."""
        if self.read_only_reason() or not self._ensure_saved():
            return False
        data = self.data
        period = data.period(number)
        goals = [g for g in data.visible_goals(period) if g.has_goal]
        if not goals:
            QMessageBox.information(
                self,
                self.tr("Periode afsluiten"),
                self.tr("Periode %d heeft nog geen doelen. Schrijf eerst de doelen.") % number,
            )
            return False
        teacher_id, _name = staff_value(self.teacher_combo)

        def submit(
            values: dict[str, tuple[str, Outcome | None]], by: int | None, on: date
        ) -> dict[str, str] | None:
            try:
                with self.ctx.db.session() as s:
                    self.data = plans.close_period(
                        s, data.id, number, version=self.data.version, today=self.ctx.today(),
                        evaluations=values, evaluated_by_id=by, evaluated_on=on, actor=self.ctx.actor,
                    )  # fmt: skip
            except ValidationErrors as exc:
                return exc.errors
            except (ConcurrentEditError, ReadOnlyError, LookupError) as exc:
                return {"": str(exc)}
            return None

        evaluator = getattr(self.ctx, "user_staff_id", None) or teacher_id  # "Ik ben" first
        closed, values = ClosePeriodDialog.close_period(
            self, number, goals, self.staff, evaluator, self.ctx.today(), submit
        )
        page = next(p for p in self.pages if p.period.number == number)
        if not closed:
            # Nothing typed in the dialog is lost: it goes into the cells (not yet saved).
            for area, (text, outcome) in values.items():
                if area in page.cells:
                    page.cells[area].apply_evaluation(text, outcome)
            return False
        self._after_period_change(
            self.tr("Periode %d is afgesloten.") % number, tab=self.tabs.currentIndex()
        )
        return True

    def add_period(self) -> bool:
        """Start the next period; unreached goals carry over."""
        if self.read_only_reason() or not self._ensure_saved():
            return False
        last = self.data.last_period
        if last is not None and not last.closed:
            answer = QMessageBox.question(
                self,
                self.tr("Nieuwe periode"),
                self.tr(
                    "Periode %d is nog niet afgesloten. Eerst de doelen evalueren en de periode "
                    "afsluiten? Daarna ziet u welke doelen doorlopen."
                )
                % last.number,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes or not self.close_period(last.number):
                return False
        try:
            with self.ctx.db.session() as s:
                self.data = plans.add_period(
                    s,
                    self.data.id,
                    version=self.data.version,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                )
        except (ValidationErrors, ConcurrentEditError, ReadOnlyError, LookupError) as exc:
            text = "\n".join(exc.errors.values()) if isinstance(exc, ValidationErrors) else str(exc)
            QMessageBox.warning(self, self.tr("Nieuwe periode"), text)
            return False
        new = self.data.periods[-1]
        carried = [g.area for g in self.data.visible_goals(new) if g.carried_over_from_id]
        message = self.tr("Periode %d toegevoegd (%s t/m %s).") % (
            new.number,
            long_date(new.start_date),
            long_date(new.end_date),
        )
        if carried:
            message += " " + self.tr("Voortgezet: %s.") % ", ".join(carried)
        self._after_period_change(message, tab=len(self.data.periods) - 1)
        return True

    def reopen_period(self, number: int) -> bool:
        """Reopen the newest period, explicitly and recorded."""
        answer = QMessageBox.question(
            self,
            self.tr("Periode heropenen"),
            self.tr(
                "Periode %d is afgesloten. Heropenen maakt de evaluaties weer bewerkbaar; dat wordt "
                "in de geschiedenis vastgelegd. Heropenen?"
            )
            % number,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes or not self._ensure_saved():
            return False
        try:
            with self.ctx.db.session() as s:
                self.data = plans.reopen_period(
                    s, self.data.id, number, version=self.data.version, actor=self.ctx.actor,
                    reason=self.tr("Heropend door %s") % self.ctx.actor,
                )  # fmt: skip
        except (ValidationErrors, ConcurrentEditError, ReadOnlyError, LookupError) as exc:
            text = "\n".join(exc.errors.values()) if isinstance(exc, ValidationErrors) else str(exc)
            QMessageBox.warning(self, self.tr("Periode heropenen"), text)
            return False
        self._after_period_change(
            self.tr("Periode %d is heropend.") % number, tab=self.tabs.currentIndex()
        )
        return True

    def _after_period_change(self, message: str, *, tab: int) -> None:
        self._loading = True
        try:
            self.populate(self.data, tab=tab)
        finally:
            self._loading = False
        self.set_baseline()
        self.refresh_state()
        if self.guard is not None:
            self.guard.saved()
        self.statusBar().showMessage(message, 10000)
        self._notify()

    # ------------------------------------------------------------------ areas
    @Slot()
    def _on_choose_areas(self) -> None:
        available = list(self.available_areas)
        for a in self.data.areas:
            if a not in available:
                available.append(a)
        chosen = AreasDialog.choose(self, available, self.data.areas)
        if chosen is None or chosen == self.data.areas:
            return
        self._set_areas(chosen)
        self.on_edited()

    def _set_areas(self, areas: list[str]) -> None:
        """Show other areas; what was typed stays (also in areas that are left out)."""
        data = self.form_data()
        data.areas = list(areas)
        tab = self.tabs.currentIndex()
        was_loading = self._loading
        self._loading = True
        try:
            self.data = data
            self._show_areas(areas)
            self._build_pages(data, tab)
            self.set_fields_read_only(bool(self.read_only_reason()))
        finally:
            self._loading = was_loading

    def show_errors(self, errors: dict[str, str]) -> None:
        """Period and cell messages go beside their fields; the tab with the first one opens."""
        for key in errors:
            parts = key.split(":")
            if parts[0] in ("goal", "period") and len(parts) >= 2 and parts[1].isdigit():
                number = int(parts[1])
                for index, page in enumerate(self.pages):
                    if page.period.number == number:
                        self.tabs.setCurrentIndex(index)
                        break
                break
        super().show_errors(errors)

    @Slot()
    def _on_open_pupil(self) -> None:
        open_pupil = getattr(self.nav, "open_pupil", None)
        if open_pupil is not None:
            open_pupil(self.data.pupil_id)


def open_editor(
    ctx: Any, nav: Any, *, doc_id: int | None = None, pupil_id: int | None = None
) -> QWidget | None:
    """A window on an existing groeidocument, or a new one for ``pupil_id``."""
    try:
        with ctx.db.session() as s:
            if doc_id is not None:
                data = plans.load_growth_document(s, doc_id)
            elif pupil_id is not None:
                data = plans.new_growth_document(s, pupil_id, today=ctx.today())
            else:
                raise LookupError("Kies eerst een leerling voor het groeidocument.")
            staff = plans.staff_choices(s, ctx.school_id)
            areas = plans.available_areas(s, ctx.school_id, data)
    except (LookupError, ReadOnlyError, ValidationErrors) as exc:
        parent = nav if isinstance(nav, QWidget) else None
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return None
    window = GrowthEditor(ctx, nav, data, staff, areas)
    window.start_recovery()
    return window

"""The korte interventie editor: one goal for a few weeks, evaluated at its end.

The form follows the school's own sheet (leerling, groep, leerkracht, periode, doel,
ondersteuningsbehoefte, uitvoering, evaluatie) and adds what the paper could not: the outcome of
the evaluation, who evaluated it and when, a warning when the period is not the usual 4-8 weeks,
and the document's status and history.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.services import plans
from ib_desktop.services.writing import copy_intervention
from ib_desktop.ui.plans.fields import (
    OptionalDateEdit,
    align_form_labels,
    combo_outcome,
    labelled_row,
    outcome_combo,
    set_combo_outcome,
    set_staff,
    staff_combo,
    staff_value,
)
from ib_desktop.ui.plans.window import PlanWindow
from ib_desktop.ui.widgets.forms import date_edit, from_qdate, to_qdate
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.writing.actions import insert_markdown, with_end_date
from ib_desktop.validation import ReadOnlyError, ValidationErrors

WARNING_STYLE = "color: #8a5a00;"


class InterventionEditor(PlanWindow):
    """A top-level window editing one korte interventie."""

    ENTITY = plans.INTERVENTION_ENTITY
    SETTINGS_KEY = "intervention_editor"
    save_service = staticmethod(plans.save_intervention)
    status_service = staticmethod(plans.set_intervention_status)
    load_service = staticmethod(plans.load_intervention)

    def __init__(
        self,
        ctx: Any,
        nav: Any,
        data: plans.InterventionData,
        staff: list[plans.StaffChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, nav, parent)
        self.data = data
        self.staff = staff
        self.setObjectName("intervention-editor")
        self.copy_window: InterventionEditor | None = None
        self.copy_action = QAction(self.tr("Kopiëren naar nieuwe"), self)
        self.copy_action.setObjectName("copy-intervention")
        self.copy_action.setToolTip(
            self.tr("Een nieuwe korte interventie met hetzelfde doel, dezelfde "
                    "ondersteuningsbehoefte en uitvoering, vanaf vandaag")
        )  # fmt: skip
        self.copy_action.triggered.connect(lambda _c=False: self.copy_to_new())
        self.toolbar.insertAction(self.history_action, self.copy_action)
        self._build_form()
        with self.loading():
            self.populate(data)
        self.set_baseline()
        self.refresh_state()
        self.restore_geometry(QSize(900, 760))

    # ------------------------------------------------------------------ form
    def _build_form(self) -> None:
        self.pupil_label = QLabel()
        self.pupil_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.pupil_label.font()
        font.setBold(True)
        self.pupil_label.setFont(font)
        self.open_pupil_button = QPushButton(self.tr("Dossier openen"))
        self.open_pupil_button.setToolTip(self.tr("Het leerlingdossier openen"))
        self.open_pupil_button.clicked.connect(self._on_open_pupil)
        self.group_edit = QLineEdit()
        self.group_edit.setMaxLength(20)
        self.group_edit.setMaximumWidth(120)
        self.teacher_combo = staff_combo(self.staff, editable=True)
        self.teacher_combo.lineEdit().setPlaceholderText(self.tr("Naam van de leerkracht"))
        self.start_edit = date_edit()
        self.end_edit = date_edit()
        self.duration_label = QLabel()
        self.period_warning = QLabel()
        self.period_warning.setStyleSheet(WARNING_STYLE)
        self.period_warning.setWordWrap(True)
        self.period_warning.setObjectName("period-warning")

        self.goal_edit = RichTextEdit(min_lines=2)
        self.support_edit = RichTextEdit(min_lines=3)
        self.execution_edit = RichTextEdit(min_lines=4)
        self.evaluation_edit = RichTextEdit(min_lines=4)
        self.goal_edit.setPlaceholderText(
            self.tr("Wat moet de leerling aan het eind van de periode kunnen?")
        )
        self.support_edit.setPlaceholderText(
            self.tr("Wat heeft de leerling nodig om het doel te halen?")
        )
        self.execution_edit.setPlaceholderText(
            self.tr(
                "Wie doet wat, hoe vaak en hoe lang? Begin een regel met \u201c- \u201d voor "
                "een opsomming."
            )
        )
        self.evaluation_edit.setPlaceholderText(
            self.tr("Is het doel gehaald? Wat werkte, wat niet, hoe verder?")
        )
        self.outcome_combo = outcome_combo()
        self.evaluated_by_combo = staff_combo(self.staff, editable=False, empty=self.tr("\u2014"))
        self.evaluated_on_edit = OptionalDateEdit()
        for name, widget in (
            ("goal", self.goal_edit),
            ("support_need", self.support_edit),
            ("execution", self.execution_edit),
            ("evaluation", self.evaluation_edit),
        ):
            widget.setAccessibleName(plans.INTERVENTION_FIELD_LABELS[name].capitalize())

        details = QGroupBox(self.tr("Gegevens"))
        form = QFormLayout(details)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Leerling:"), labelled_row(self.pupil_label, self.open_pupil_button))
        self.add_row(
            form, self.tr("&Groep:"), self.wrap("group_name", self.group_edit), self.group_edit
        )
        self.add_row(
            form,
            self.tr("&Leerkracht:"),
            self.wrap("teacher", self.teacher_combo),
            self.teacher_combo,
        )
        period = labelled_row(
            self.wrap("start_date", self.start_edit), QLabel(self.tr("t/m")),
            self.wrap("end_date", self.end_edit), self.duration_label,
        )  # fmt: skip
        self.add_row(form, self.tr("&Periode:"), period, self.start_edit)
        form.addRow("", self.period_warning)

        plan = QGroupBox(self.tr("Plan"))
        plan_form = QFormLayout(plan)
        plan_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, name, widget in (
            (self.tr("&Doel:"), "goal", self.goal_edit),
            (self.tr("&Ondersteunings-\nbehoefte:"), "support_need", self.support_edit),
            (self.tr("&Uitvoering:"), "execution", self.execution_edit),
        ):
            self.add_row(plan_form, text, self.wrap(name, widget), widget)

        evaluation = QGroupBox(self.tr("Evaluatie"))
        eval_form = QFormLayout(evaluation)
        eval_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(
            eval_form, self.tr("&Evaluatie:"), self.wrap("evaluation", self.evaluation_edit),
            self.evaluation_edit,
        )  # fmt: skip
        self.add_row(
            eval_form, self.tr("Uit&komst:"),
            labelled_row(self.wrap("outcome", self.outcome_combo)), self.outcome_combo,
        )  # fmt: skip
        who = labelled_row(
            self.wrap("evaluated_by", self.evaluated_by_combo), QLabel(self.tr("op")),
            self.wrap("evaluated_on", self.evaluated_on_edit),
        )  # fmt: skip
        self.add_row(eval_form, self.tr("Geëvalueerd &door:"), who, self.evaluated_by_combo)
        align_form_labels(form, plan_form, eval_form)
        self.teacher_combo.setMaximumWidth(420)

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(self.banner())
        lay.addWidget(details)
        lay.addWidget(plan)
        lay.addWidget(evaluation)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setCentralWidget(scroll)

        order = [
            self.group_edit, self.teacher_combo, self.start_edit, self.end_edit, self.goal_edit,
            self.support_edit, self.execution_edit, self.evaluation_edit, self.outcome_combo,
            self.evaluated_by_combo, self.evaluated_on_edit,
        ]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

        for w in (self.group_edit,):
            w.textEdited.connect(self.on_edited)
        self.teacher_combo.currentTextChanged.connect(self.on_edited)
        for d in (self.start_edit, self.end_edit):
            d.dateChanged.connect(self._on_period_changed)
        for r in (self.goal_edit, self.support_edit, self.execution_edit):
            r.textChanged.connect(self.on_edited)
        self.evaluation_edit.textChanged.connect(self._on_evaluation_typed)
        self.outcome_combo.currentIndexChanged.connect(self._on_evaluation_typed)
        self.evaluated_by_combo.currentIndexChanged.connect(self.on_edited)
        self.evaluated_on_edit.dateChanged.connect(self.on_edited)

    # ------------------------------------------------------------------ data in and out
    def populate(self, data: plans.InterventionData) -> None:
        """Show the document."""
        self.data = data
        self.pupil_label.setText(data.pupil_name)
        self.group_edit.setText(data.group_name)
        set_staff(self.teacher_combo, data.teacher_id, data.teacher_name)
        self.start_edit.setDate(to_qdate(data.start_date))
        self.end_edit.setDate(to_qdate(data.end_date))
        self.goal_edit.setMarkdown(data.goal)
        self.support_edit.setMarkdown(data.support_need)
        self.execution_edit.setMarkdown(data.execution)
        self.evaluation_edit.setMarkdown(data.evaluation)
        set_combo_outcome(self.outcome_combo, data.outcome)
        set_staff(self.evaluated_by_combo, data.evaluated_by_id)
        self.evaluated_on_edit.set_value(data.evaluated_on)
        self._update_period_hint()

    def form_data(self) -> plans.InterventionData:
        """The document as the form shows it now."""
        teacher_id, teacher_name = staff_value(self.teacher_combo)
        return replace(
            self.data,
            group_name=self.group_edit.text().strip(),
            teacher_id=teacher_id,
            teacher_name=teacher_name,
            start_date=from_qdate(self.start_edit.date()) or self.data.start_date,
            end_date=from_qdate(self.end_edit.date()) or self.data.end_date,
            goal=self.goal_edit.markdown(),
            support_need=self.support_edit.markdown(),
            execution=self.execution_edit.markdown(),
            evaluation=self.evaluation_edit.markdown(),
            outcome=combo_outcome(self.outcome_combo),
            evaluated_by_id=self.evaluated_by_combo.currentData(),
            evaluated_on=self.evaluated_on_edit.value(),
        )

    def collect(self) -> dict[str, Any]:
        """The form's values (dates stay dates: the recovery store keeps them)."""
        d = self.form_data()
        return {
            "group_name": d.group_name,
            "teacher_id": d.teacher_id,
            "teacher_name": d.teacher_name,
            "start_date": d.start_date,
            "end_date": d.end_date,
            "goal": d.goal,
            "support_need": d.support_need,
            "execution": d.execution,
            "evaluation": d.evaluation,
            "outcome": d.outcome.value if d.outcome else None,
            "evaluated_by_id": d.evaluated_by_id,
            "evaluated_on": d.evaluated_on,
        }

    def apply_payload(self, payload: dict[str, Any]) -> None:
        """Recovered values back into the form."""

        def as_date(value: Any) -> date | None:
            if isinstance(value, date) or value is None:
                return value
            return date.fromisoformat(str(value))

        self.group_edit.setText(str(payload.get("group_name", self.data.group_name)))
        set_staff(self.teacher_combo, payload.get("teacher_id"), payload.get("teacher_name", ""))
        for key, widget in (("start_date", self.start_edit), ("end_date", self.end_edit)):
            if payload.get(key):
                widget.setDate(to_qdate(as_date(payload[key])))
        for key, widget in (
            ("goal", self.goal_edit),
            ("support_need", self.support_edit),
            ("execution", self.execution_edit),
            ("evaluation", self.evaluation_edit),
        ):
            if key in payload and payload[key] != widget.markdown():
                widget.setMarkdown(payload[key])
                widget.document().setModified(True)
        set_combo_outcome(self.outcome_combo, payload.get("outcome"))
        set_staff(self.evaluated_by_combo, payload.get("evaluated_by_id"))
        self.evaluated_on_edit.set_value(as_date(payload.get("evaluated_on")))
        self._update_period_hint()

    def accept_form_as_saved(self) -> None:
        """The rich fields now hold what is stored (cursor and scroll position stay)."""
        for widget, text in (
            (self.goal_edit, self.data.goal),
            (self.support_edit, self.data.support_need),
            (self.execution_edit, self.data.execution),
            (self.evaluation_edit, self.data.evaluation),
        ):
            widget.mark_saved(text)

    # ------------------------------------------------------------------ PlanWindow hooks
    def insert_bank_goal(self, goal: Any) -> None:
        """A goal from the bank into Doel; {einddatum} becomes the period's end."""
        end = from_qdate(self.end_edit.date()) or self.data.end_date
        self.goal_edit.setFocus()
        insert_markdown(self.goal_edit, with_end_date(goal.text, end).text, at_end=True)
        self.statusBar().showMessage(self.tr("Doel uit de doelenbank ingevoegd."), 8000)

    def document_title(self) -> str:
        """ "Korte interventie - Sanne de Vries"."""
        return self.tr("Korte interventie - %s") % self.data.pupil_name

    def set_fields_read_only(self, read_only: bool) -> None:
        """Closed documents cannot be typed in."""
        self.group_edit.setReadOnly(read_only)
        for rich in (self.goal_edit, self.support_edit, self.execution_edit, self.evaluation_edit):
            rich.setReadOnly(read_only)
        for w in (
            self.teacher_combo, self.start_edit, self.end_edit, self.outcome_combo,
            self.evaluated_by_combo, self.evaluated_on_edit,
        ):  # fmt: skip
            w.setEnabled(not read_only)

    def print_pdf(self, session: Any) -> bytes:
        """The korte interventie as the school's form."""
        from ib_desktop.reports import intervention_pdf

        assert self.data.id is not None
        return intervention_pdf(session, self.data.id)

    # ------------------------------------------------------------------ reactions
    @Slot()
    def _on_period_changed(self) -> None:
        self._update_period_hint()
        self.on_edited()

    def _update_period_hint(self) -> None:
        start, end = from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())
        if start and end and end >= start:
            days = (end - start).days
            weeks, rest = divmod(days, 7)
            text = self.tr("%d weken") % weeks if weeks != 1 else self.tr("1 week")
            if rest:
                text += self.tr(" en %d dagen") % rest if rest != 1 else self.tr(" en 1 dag")
            self.duration_label.setText(f"({text})")
        else:
            self.duration_label.setText("")
        warning = plans.period_warning(start, end)
        self.period_warning.setText(warning)  # a Dutch sentence from the service
        self.period_warning.setVisible(bool(warning))
        if start and end and end < start:
            self.errors.fields["end_date"].set_error(
                self.tr("De einddatum ligt vóór de startdatum.")
            )
        elif "end_date" in self.errors.fields:
            self.errors.fields["end_date"].set_error("")

    @Slot()
    def _on_evaluation_typed(self) -> None:
        """Writing an evaluation fills in who and when, which the user can still change."""
        if self._loading:
            return
        has_evaluation = bool(self.evaluation_edit.toPlainText().strip()) or combo_outcome(
            self.outcome_combo
        )
        if has_evaluation and self.evaluated_on_edit.value() is None:
            today = self.ctx.today()
            start = from_qdate(self.start_edit.date())
            self.evaluated_on_edit.setDate(QDate(today.year, today.month, today.day))
            if start and today < start:
                self.evaluated_on_edit.set_value(start)
            if self.evaluated_by_combo.currentData() is None:
                teacher_id, _name = staff_value(self.teacher_combo)
                me = getattr(self.ctx, "user_staff_id", None)  # "Ik ben" evaluates
                set_staff(self.evaluated_by_combo, me or teacher_id)
        self.on_edited()

    def copy_to_new(self) -> InterventionEditor | None:
        """Open a new, unsaved korte interventie copied from this one (saved first)."""
        must_save = self.doc_id() is None or (self.is_dirty() and not self.read_only_reason())
        if must_save and not self.save():
            return None
        try:
            with self.ctx.db.session() as s:
                data = copy_intervention(s, self.data.id, today=self.ctx.today())
                staff = plans.staff_choices(s, self.ctx.school_id)
        except (LookupError, ReadOnlyError, ValidationErrors) as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return None
        window = InterventionEditor(self.ctx, self.nav, data, staff)
        window._baseline = {"kopie": True}  # a copy is new: it counts as not yet saved
        window._refresh_title()
        window.autosaver.edited()
        window.start_recovery()
        window.show()
        window.statusBar().showMessage(
            self.tr("Kopie van de korte interventie; pas de periode aan en sla op."), 8000
        )
        self.copy_window = window
        return window

    @Slot()
    def _on_open_pupil(self) -> None:
        open_pupil = getattr(self.nav, "open_pupil", None)
        if open_pupil is not None:
            open_pupil(self.data.pupil_id)


def open_editor(
    ctx: Any, nav: Any, *, doc_id: int | None = None, pupil_id: int | None = None
) -> QWidget | None:
    """A window on an existing korte interventie, or a new one for ``pupil_id``."""
    try:
        with ctx.db.session() as s:
            if doc_id is not None:
                data = plans.load_intervention(s, doc_id)
            elif pupil_id is not None:
                data = plans.new_intervention(s, pupil_id, today=ctx.today())
            else:
                raise LookupError("Kies eerst een leerling voor de korte interventie.")
            staff = plans.staff_choices(s, ctx.school_id)
    except (LookupError, ReadOnlyError, ValidationErrors) as exc:
        parent = nav if isinstance(nav, QWidget) else None
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return None
    window = InterventionEditor(ctx, nav, data, staff)
    window.start_recovery()
    return window

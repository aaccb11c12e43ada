"""The groeidocument (handelingsplan) editor: development areas x periods.

Each period is a tab; in it every area the document uses has its own block with doel,
ondersteuningsbehoefte, uitvoering and evaluatie, and a list on the left jumps to an area. "Nieuwe
periode" starts from the previous period: goals that were not reached continue, marked as such.
"Periode afsluiten" asks for the evaluation and outcome of every goal in one dialog.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.models import DocumentStatus, Outcome
from ib_desktop.services import plans
from ib_desktop.ui.plans.fields import (
    labelled_row,
    set_combo_outcome,
    set_staff,
    staff_combo,
    staff_value,
)
from ib_desktop.ui.plans.growth_dialogs import AreasDialog, ClosePeriodDialog
from ib_desktop.ui.plans.growth_periods import PeriodPage
from ib_desktop.ui.plans.window import PlanWindow
from ib_desktop.ui.widgets.forms import to_qdate
from ib_desktop.validation import ConcurrentEditError, ReadOnlyError, ValidationErrors


class GrowthEditor(PlanWindow):
    """A top-level window editing one groeidocument."""

    ENTITY = plans.GROWTH_ENTITY
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
        with self.loading():
            self.populate(data)
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
                        evaluations=values, evaluated_by_id=by, evaluated_on=on,
                        actor=self.ctx.actor,
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
        carry = self._ask_carry_open()
        if carry is None:
            return False
        try:
            with self.ctx.db.session() as s:
                self.data = plans.add_period(
                    s,
                    self.data.id,
                    version=self.data.version,
                    today=self.ctx.today(),
                    actor=self.ctx.actor,
                    carry_open=carry,
                )
        except (ValidationErrors, ConcurrentEditError, ReadOnlyError, LookupError) as exc:
            text = _error_text(exc)
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

    def _ask_carry_open(self) -> bool | None:
        """Carry the goals not reached into the new period? None: the user cancelled."""
        last = self.data.last_period
        open_areas = [
            g.area for g in (self.data.visible_goals(last) if last else [])
            if g.has_goal and g.outcome != Outcome.BEHAALD
        ]  # fmt: skip
        if not open_areas:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Nieuwe periode"),
            self.tr(
                "Niet behaald in periode %d: %s.\n\nDeze doelen meenemen naar de nieuwe periode? "
                "Kies Nee om met een lege periode te beginnen."
            )
            % (last.number, ", ".join(open_areas)),
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return None
        return answer == QMessageBox.StandardButton.Yes

    def reopen_period(self, number: int) -> bool:
        """Reopen the newest period, explicitly and recorded."""
        answer = QMessageBox.question(
            self,
            self.tr("Periode heropenen"),
            self.tr(
                "Periode %d is afgesloten. Heropenen maakt de evaluaties weer bewerkbaar; dat "
                "wordt in de geschiedenis vastgelegd. Heropenen?"
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
            text = _error_text(exc)
            QMessageBox.warning(self, self.tr("Periode heropenen"), text)
            return False
        self._after_period_change(
            self.tr("Periode %d is heropend.") % number, tab=self.tabs.currentIndex()
        )
        return True

    def _after_period_change(self, message: str, *, tab: int) -> None:
        with self.loading():
            self.populate(self.data, tab=tab)
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
        with self.loading():
            self.data = data
            self._show_areas(areas)
            self._build_pages(data, tab)
            self.set_fields_read_only(bool(self.read_only_reason()))

    def bank_goal_area(self) -> str | None:
        """The area block holding the focus, for the goal picker."""
        page = self.tabs.currentWidget()
        cell = page.focused_cell() if isinstance(page, PeriodPage) else None
        return cell.area if cell is not None else None

    def insert_bank_goal(self, goal: Any) -> None:
        """A goal from the bank into its area in the period shown."""
        page = self.tabs.currentWidget()
        if not isinstance(page, PeriodPage):
            return
        problem = page.insert_bank_goal(goal.text, goal.area)
        self.statusBar().showMessage(
            problem or self.tr("Doel uit de doelenbank ingevoegd bij %s.") % goal.area, 8000
        )

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


def _error_text(exc: Exception) -> str:
    """What a refused period action says: every message of a validation, else the error."""
    return "\n".join(exc.errors.values()) if isinstance(exc, ValidationErrors) else str(exc)


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

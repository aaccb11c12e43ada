"""The groeidocument's dialogs: choosing its development areas and closing a period.

Closing a period asks for the evaluation and outcome of every goal in one dialog; what was typed
comes back also when the dialog is cancelled, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.models import Outcome
from ib_desktop.services import plans
from ib_desktop.ui.plans.fields import (
    OptionalDateEdit,
    combo_outcome,
    labelled_row,
    outcome_combo,
    set_combo_outcome,
    set_staff,
    staff_combo,
)
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons
from ib_desktop.ui.widgets.rich_text import RichTextEdit
from ib_desktop.ui.widgets.window_size import size_window


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
            evaluation.setAccessibleName(self.tr("%s: evaluatie") % g.area)
            outcome = outcome_combo()
            set_combo_outcome(outcome, g.outcome)
            outcome.setAccessibleName(self.tr("%s: uitkomst") % g.area)
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

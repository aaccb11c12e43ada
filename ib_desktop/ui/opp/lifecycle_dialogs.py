"""The life-cycle dialogs of an OPP version: "Vaststellen" and "Evalueren"."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date
from ib_desktop.models import Outcome
from ib_desktop.services import opp as svc
from ib_desktop.services.labels import OUTCOME_LABELS
from ib_desktop.ui.opp.common import OptionalDateEdit, esc
from ib_desktop.ui.widgets.forms import ErrorMap, ok_cancel_buttons, to_qdate
from ib_desktop.ui.widgets.table_model import first_line
from ib_desktop.ui.widgets.window_size import size_window


class FixDialog(QDialog):
    """ "Vaststellen": the date and the next evaluation (the school's rhythm, at most a year)."""

    def __init__(
        self, today: date, evaluations_per_year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP vaststellen"))
        self.per_year = evaluations_per_year
        intro = QLabel(
            self.tr(
                "Na het vaststellen kan deze versie niet meer worden gewijzigd. De gegevens uit "
                "het leerlingdossier (delen 1-3) worden zoals ze nu zijn in deze versie "
                "vastgelegd. "
                "Wijzigingen daarna gaan via een evaluatie, die een nieuwe versie maakt."
            )
        )
        intro.setWordWrap(True)
        self.errors = ErrorMap()
        self.fixed_on = OptionalDateEdit()
        self.fixed_on.set_value(today)
        self.fixed_on.setMaximumDate(to_qdate(today))
        self.next_on = OptionalDateEdit()
        self.next_on.set_value(svc.default_next_evaluation(today, evaluations_per_year))
        self.rhythm = QLabel()
        self.rhythm.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Vastgesteld op:"), self.errors.wrap("fixed_on", self.fixed_on))
        form.addRow(
            self.tr("Volgende &evaluatie:"), self.errors.wrap("next_evaluation_on", self.next_on)
        )
        form.addRow("", self.rhythm)
        buttons = ok_cancel_buttons(self, self.tr("Vaststellen"), self._on_accept)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.fixed_on.dateChanged.connect(self._on_fixed_changed)
        self._on_fixed_changed()
        size_window(self, "opp_editor.FixDialog", 560, 260)

    @Slot()
    def _on_fixed_changed(self, *_args: Any) -> None:
        fixed = self.fixed_on.value()
        if fixed is None:
            return
        self.next_on.setMaximumDate(to_qdate(svc.default_next_evaluation(fixed, 1)))
        self.rhythm.setText(
            self.tr(
                "De school evalueert een OPP %d keer per jaar; uiterlijk %s "
                "(een jaar na vaststellen)."
            )
            % (self.per_year, long_date(svc.default_next_evaluation(fixed, 1)))
        )

    @Slot()
    def _on_accept(self) -> None:
        errors = {}
        if self.fixed_on.value() is None:
            errors["fixed_on"] = self.tr("Vul de datum van vaststellen in.")
        if self.next_on.value() is None:
            errors["next_evaluation_on"] = self.tr("Vul de datum van de volgende evaluatie in.")
        elif self.fixed_on.value() and self.next_on.value() <= self.fixed_on.value():
            errors["next_evaluation_on"] = self.tr(
                "De volgende evaluatie ligt na de datum van vaststellen."
            )
        self.errors.show(errors)
        if not errors:
            self.accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, today: date, evaluations_per_year: int
    ) -> tuple[date, date] | None:
        """Run the dialog; (fixed on, next evaluation) or None."""
        dialog = cls(today, evaluations_per_year, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.fixed_on.value() or today, dialog.next_on.value() or today
        finally:
            dialog.deleteLater()


class EvaluateDialog(QDialog):
    """ "Evalueren": the result of every goal; confirms that a new version will be made."""

    def __init__(
        self, data: svc.OppVersionData, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP evalueren"))
        self.errors = ErrorMap()
        intro = QLabel(
            self.tr(
                "Geef per doel aan of het is behaald. Versie %d blijft daarna ongewijzigd bewaard; "
                "er wordt een nieuwe conceptversie %d gemaakt met alle inhoud van deze versie, "
                "die u met de ouders bijwerkt. In deel 12 van de nieuwe versie staan deze "
                "resultaten naast de evaluatie."
            )
            % (data.number, data.number + 1)
        )
        intro.setWordWrap(True)
        self.date = OptionalDateEdit()
        self.date.set_value(today)
        self.date.setMaximumDate(to_qdate(today))
        self.outcomes: dict[int, QComboBox] = {}
        self.results: dict[int, QLineEdit] = {}
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.addWidget(QLabel(f"<b>{self.tr('Doel')}</b>"), 0, 0)
        grid.addWidget(QLabel(f"<b>{self.tr('Resultaat')}</b>"), 0, 1)
        grid.addWidget(QLabel(f"<b>{self.tr('Toelichting')}</b>"), 0, 2)
        for row, goal in enumerate(data.goals, start=1):
            label = QLabel(f"<b>{esc(goal.area)}</b><br>{esc(first_line(goal.goal, 80))}")
            label.setWordWrap(True)
            outcome = QComboBox()
            outcome.addItem(self.tr("— kies —"), None)
            for value, text in OUTCOME_LABELS.items():
                outcome.addItem(text, value)
            outcome.setAccessibleName(self.tr("Resultaat van doel %d") % row)
            result = QLineEdit()
            result.setAccessibleName(self.tr("Toelichting bij doel %d") % row)
            result.setPlaceholderText(self.tr("Wat is bereikt, wat niet?"))
            self.outcomes[goal.id or 0] = outcome
            self.results[goal.id or 0] = result
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(
                self.errors.wrap(f"doel_{goal.id}", outcome), row, 1, Qt.AlignmentFlag.AlignTop
            )
            grid.addWidget(result, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(len(data.goals) + 1, 1)
        grid.setVerticalSpacing(12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("&Geëvalueerd op:"), self.errors.wrap("evaluated_on", self.date))
        buttons = ok_cancel_buttons(
            self, self.tr("Evalueren en nieuwe versie maken"), self._on_accept
        )
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(scroll, 1)
        lay.addWidget(buttons)
        size_window(self, "opp_editor.EvaluateDialog", 760, 460)

    @Slot()
    def _on_accept(self) -> None:
        errors = {
            f"doel_{gid}": self.tr("Kies het resultaat van dit doel.")
            for gid, box in self.outcomes.items()
            if box.currentData() is None
        }
        if self.date.value() is None:
            errors["evaluated_on"] = self.tr("Vul de datum van de evaluatie in.")
        self.errors.show(errors)
        if not errors:
            self.accept()

    def answers(self) -> tuple[date, dict[int, tuple[Outcome, str]]]:
        """The evaluation date and each goal's outcome and explanation."""
        return (
            self.date.value() or date.today(),
            {
                gid: (Outcome(box.currentData()), self.results[gid].text().strip())
                for gid, box in self.outcomes.items()
            },
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, data: svc.OppVersionData, today: date
    ) -> tuple[date, dict[int, tuple[Outcome, str]]] | None:
        """Run the dialog; (date, results per goal id) or None."""
        dialog = cls(data, today, parent)
        try:
            return dialog.answers() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

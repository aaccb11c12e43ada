"""Part 12: the evaluation, with the previous version's goals and results beside it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QHeaderView, QLabel, QWidget

from ib_desktop.services import opp as svc
from ib_desktop.services.labels import OUTCOME_LABELS
from ib_desktop.services.opp.parts import OppPart
from ib_desktop.ui.opp.common import prose
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.widgets.table_model import Column, TableModel, first_line, proxy_for, table_view


class PreviousGoalsModel(TableModel):
    """Part 12: the previous version's goals with their results."""

    TR_CONTEXT = "opp"
    AREA, GOAL, OUTCOME, RESULT = range(4)
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("opp", "Gebied"), lambda g: g.area),
        Column(
            QT_TRANSLATE_NOOP("opp", "Doel"), lambda g: first_line(g.goal), tooltip=lambda g: g.goal
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Resultaat"),
            lambda g: (
                OUTCOME_LABELS.get(g.outcome.value, "")
                if g.outcome
                else QCoreApplication.translate("opp", "niet geëvalueerd")
            ),
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Toelichting"),
            lambda g: first_line(g.result),
            tooltip=lambda g: g.result,
        ),
    )


class EvaluationPage(PartPage):
    """Part 12: the evaluation, with the previous version's goals and results beside it."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.first_note = QLabel(
            self.tr(
                "Dit is de eerste versie van het OPP: er is nog geen vorige versie om mee te "
                "vergelijken. "
                "Bij de evaluatie ontstaat een nieuwe versie; daarin wordt dit deel ingevuld."
            )
        )
        self.first_note.setWordWrap(True)
        self.model = PreviousGoalsModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(
            self.proxy, name=self.tr("Doelen en resultaten van de vorige versie")
        )
        self.view.setMinimumHeight(140)
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.AREA, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.GOAL, QHeaderView.ResizeMode.Stretch
        )
        self.view.horizontalHeader().setSectionResizeMode(
            PreviousGoalsModel.OUTCOME, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.previous_label = QLabel(
            f"<b>{self.tr('Doelen en resultaten van de vorige versie')}</b>"
        )
        self.evaluation = self.watch(prose(min_lines=6, max_lines=20))
        self.evaluation_box = self.labelled(
            self.tr("Evaluatie van de extra ondersteuning ten opzichte van de vorige versie"),
            self.evaluation,
            name="evaluation",
        )
        self.form.addWidget(self.first_note)
        self.form.addWidget(self.previous_label)
        self.form.addWidget(self.view)
        self.form.addWidget(self.evaluation_box)
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        first = data.number < 2
        self.first_note.setVisible(first)
        self.previous_label.setVisible(not first)
        self.view.setVisible(not first)
        self.evaluation_box.setVisible(not first)
        self.model.set_rows(list(data.previous_goals))
        self.evaluation.setMarkdown(data.evaluation)

    def collect(self, data: svc.OppVersionData) -> None:
        """The evaluation text."""
        data.evaluation = self.evaluation.markdown()

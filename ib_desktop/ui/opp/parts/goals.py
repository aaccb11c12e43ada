"""Part 9, the handelingsdeel: the goals in order, with a form for the selected goal."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QModelIndex, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextEdit,
    QWidget,
)

from ib_desktop.dates import short_date
from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import REQUIRED_GOAL_AREAS, OppPart
from ib_desktop.ui.opp.common import OptionalDateEdit, combo, ordinal, prose
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    first_line,
    proxy_for,
    select_source_row,
    table_view,
)


class GoalTableModel(TableModel):
    """Part 9: the goals in their order."""

    TR_CONTEXT = "opp"
    AREA, GOAL, INTERMEDIATE, DATE = range(4)
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("opp", "Gebied"), lambda g: g.area),
        Column(
            QT_TRANSLATE_NOOP("opp", "Doel"), lambda g: first_line(g.goal), tooltip=lambda g: g.goal
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Tussendoelen"),
            lambda g: first_line(g.intermediate_goals, 60),
            tooltip=lambda g: g.intermediate_goals,
        ),
        Column(
            QT_TRANSLATE_NOOP("opp", "Evaluatie op"),
            lambda g: short_date(g.evaluation_date),
            sort=lambda g: ordinal(g.evaluation_date),
        ),
    )


class GoalsPage(PartPage):
    """Part 9, the handelingsdeel: the goals in order, with a form for the selected goal."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        intro = QLabel(
            self.tr(
                "Formuleer doelen voor ten minste: %s. Elk doel heeft tussendoelen en een "
                "evaluatiedatum."
            )
            % ", ".join(a.lower() for a in REQUIRED_GOAL_AREAS)
        )
        intro.setWordWrap(True)
        self.form.addWidget(intro)
        self.model = GoalTableModel(self)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(self.proxy, name=self.tr("Doelen"))
        self.view.setMinimumHeight(150)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(GoalTableModel.AREA, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GoalTableModel.GOAL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GoalTableModel.INTERMEDIATE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(GoalTableModel.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.form.addWidget(self.view)

        self.add_button = self.edit_button(QPushButton(self.tr("Doel &toevoegen")))
        self.remove_button = self.edit_button(QPushButton(self.tr("Doel &verwijderen…")))
        self.up_button = self.edit_button(QPushButton(self.tr("Om&hoog")))
        self.down_button = self.edit_button(QPushButton(self.tr("Om&laag")))
        self.up_button.setToolTip(self.tr("Het gekozen doel een plaats omhoog (Alt+Pijl omhoog)"))
        self.down_button.setToolTip(self.tr("Het gekozen doel een plaats omlaag (Alt+Pijl omlaag)"))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form.addLayout(buttons)

        self.detail = QGroupBox(self.tr("Gekozen doel"))
        detail = QGridLayout(self.detail)
        self.area = combo(REQUIRED_GOAL_AREAS)
        self.area.setAccessibleName(self.tr("Ontwikkelingsgebied"))
        self.goal = prose(min_lines=2, max_lines=8)
        self.goal.setAccessibleName(self.tr("Doel"))
        self.intermediate = prose(min_lines=2, max_lines=8)
        self.intermediate.setAccessibleName(self.tr("Tussendoelen"))
        self.date = OptionalDateEdit()
        self.date.setAccessibleName(self.tr("Evaluatiedatum"))
        area_label = QLabel(self.tr("&Gebied:"))
        area_label.setBuddy(self.area)
        date_label = QLabel(self.tr("&Evaluatie op:"))
        date_label.setBuddy(self.date)
        goal_label = QLabel(self.tr("&Doel:"))
        goal_label.setBuddy(self.goal)
        inter_label = QLabel(self.tr("T&ussendoelen:"))
        inter_label.setBuddy(self.intermediate)
        detail.addWidget(area_label, 0, 0)
        detail.addWidget(self.area, 0, 1)
        detail.addWidget(date_label, 0, 2)
        detail.addWidget(self.date, 0, 3)
        detail.addWidget(goal_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.goal, 1, 1, 1, 3)
        detail.addWidget(inter_label, 2, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.intermediate, 2, 1, 1, 3)
        detail.setColumnStretch(1, 1)
        self.form.addWidget(self.detail)
        self.form.addStretch(1)
        self._detail_inputs = [self.area, self.goal, self.intermediate, self.date]
        self._inputs.extend(self._detail_inputs)
        self._current = -1
        self._filling = False

        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.up_button.clicked.connect(lambda: self._on_move(-1))
        self.down_button.clicked.connect(lambda: self._on_move(1))
        self.view.installEventFilter(self)
        self.area.currentTextChanged.connect(self._on_detail_changed)
        self.goal.textChanged.connect(self._on_detail_changed)
        self.intermediate.textChanged.connect(self._on_detail_changed)
        self.date.dateChanged.connect(self._on_detail_changed)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Alt+Up and Alt+Down in the goals table move the chosen goal."""
        if (
            obj is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.modifiers() == Qt.KeyboardModifier.AltModifier  # type: ignore[attr-defined]
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)  # type: ignore[attr-defined]
        ):
            self._on_move(-1 if event.key() == Qt.Key.Key_Up else 1)  # type: ignore[attr-defined]
            return True
        return super().eventFilter(obj, event)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        areas = list(REQUIRED_GOAL_AREAS) + [
            a for a in (self.env.areas if self.env else []) if a not in REQUIRED_GOAL_AREAS
        ]
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItems(areas)
        self.area.blockSignals(False)
        self._current = -1
        self.model.set_rows([replace(g) for g in data.goals])
        if self.model.rowCount():
            select_source_row(self.view, 0)
        self._fill_detail()

    def collect(self, data: svc.OppVersionData) -> None:
        """The goals in the order shown."""
        self._store_detail()
        data.goals = [replace(g) for g in self.model.rows()]

    def set_read_only(self, read_only: bool) -> None:
        """Goals can be read, not changed."""
        super().set_read_only(read_only)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self._current >= 0
        self.detail.setEnabled(has)
        for w in self._detail_inputs:
            if isinstance(w, QTextEdit):
                w.setReadOnly(self.read_only)
            else:
                w.setEnabled(not self.read_only)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and self._current > 0)
        self.down_button.setEnabled(has and self._current < self.model.rowCount() - 1)

    def _fill_detail(self) -> None:
        self._filling = True
        try:
            if self._current >= 0:
                g = self.model.row_at(self._current)
                self.area.setCurrentText(g.area)
                self.goal.setMarkdown(g.goal)
                self.intermediate.setMarkdown(g.intermediate_goals)
                self.date.set_value(g.evaluation_date)
                self.detail.setTitle(self.tr("Doel %d") % (self._current + 1))
            else:
                self.area.setCurrentText("")
                self.goal.setMarkdown("")
                self.intermediate.setMarkdown("")
                self.date.set_value(None)
                self.detail.setTitle(self.tr("Geen doel gekozen"))
        finally:
            self._filling = False
        self._update_buttons()

    def _store_detail(self) -> None:
        if self._current < 0 or self._current >= self.model.rowCount():
            return
        g = self.model.row_at(self._current)
        updated = replace(
            g,
            area=self.area.currentText().strip(),
            goal=self.goal.markdown(),
            intermediate_goals=self.intermediate.markdown(),
            evaluation_date=self.date.value(),
        )
        if updated != g:
            self.model.replace_row(self._current, updated)

    @Slot()
    def _on_detail_changed(self, *_args: Any) -> None:
        if self._filling or self._loading:
            return
        self._store_detail()
        self.changed.emit()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._filling:
            self._store_detail()
        self._current = self.proxy.mapToSource(current).row() if current.isValid() else -1
        self._fill_detail()

    def select_goal(self, row: int) -> None:
        """Select a goal (the detail form shows it)."""
        select_source_row(self.view, row)

    @Slot()
    def _on_add(self) -> None:
        self._store_detail()
        present = {g.area for g in self.model.rows() if g.goal.strip()}
        area = next((a for a in REQUIRED_GOAL_AREAS if a not in present), "")
        default_date = self.model.rows()[-1].evaluation_date if self.model.rowCount() else None
        row = self.model.append(svc.GoalData(area=area, evaluation_date=default_date))
        self.select_goal(row)
        self.changed.emit()
        self.area.setFocus() if not area else self.goal.setFocus()

    @Slot()
    def _on_remove(self) -> None:
        if self._current < 0:
            return
        g = self.model.row_at(self._current)
        if g.goal.strip() or g.intermediate_goals.strip():
            answer = QMessageBox.question(
                self,
                self.tr("Doel verwijderen"),
                self.tr("Het doel '%s' verwijderen uit deze versie?") % first_line(g.goal, 60),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self._current
        self._current = -1
        self.model.remove(row)
        if self.model.rowCount():
            self._current = min(row, self.model.rowCount() - 1)
            self.select_goal(self._current)
        self._fill_detail()
        self.changed.emit()

    @Slot()
    def _on_move(self, delta: int) -> None:
        if self.read_only or self._current < 0:
            return
        self._store_detail()
        row = self._current
        self._filling = True
        try:
            new = self.model.move(row, delta)
        finally:
            self._filling = False
        if new != row:
            # The view's current index follows the moved row, so no change signal may come.
            self._current = new
            self.select_goal(new)
            self._fill_detail()
            self.changed.emit()

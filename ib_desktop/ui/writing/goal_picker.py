"""Doel uit de doelenbank: search as you type, by area and the pupil's year group."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.services import writing
from ib_desktop.services.groups import grades_text
from ib_desktop.ui.widgets.window_size import size_window


class GoalPickerDialog(QDialog):
    """A list of the bank's goals that narrows while the user types; Enter inserts one."""

    def __init__(
        self,
        goals: list[writing.BankGoal],
        areas: list[str],
        *,
        area: str | None = None,
        grades: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Doel uit de doelenbank"))
        self.setObjectName("goal-picker")
        self._goals = goals
        self._grades = grades
        self.search = QLineEdit()
        self.search.setObjectName("goal-search")
        self.search.setPlaceholderText(self.tr("Zoeken, bijv. tafels, vloeiend, pauze…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Zoeken in de doelenbank"))
        self.area_combo = QComboBox()
        self.area_combo.setAccessibleName(self.tr("Ontwikkelingsgebied"))
        self.area_combo.addItem(self.tr("Alle gebieden"), "")
        known = list(dict.fromkeys([*areas, *(g.area for g in goals)]))
        for name in known:
            self.area_combo.addItem(name, name)
        if area:
            index = self.area_combo.findData(area)
            if index < 0:
                self.area_combo.addItem(area, area)
                index = self.area_combo.count() - 1
            self.area_combo.setCurrentIndex(index)
        self.grade_check = QCheckBox(
            self.tr("Alleen voor groep %s") % grades_text(*grades) if grades else ""
        )
        self.grade_check.setChecked(grades is not None)
        self.grade_check.setVisible(grades is not None)
        self.list = QListWidget()
        self.list.setObjectName("goal-list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName(self.tr("Doelen"))
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color:#555555;")
        hint = QLabel(
            self.tr(
                "Typ om te zoeken (hoofdletters en accenten tellen niet), Pijl omlaag om te "
                "kiezen, Enter om in te voegen. {einddatum} wordt het einde van de periode."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555555;")
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.area_combo, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Invoegen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.grade_check)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.count_label)
        lay.addWidget(hint)
        lay.addWidget(buttons)
        self.search.textChanged.connect(self._refill)
        self.area_combo.currentIndexChanged.connect(self._refill)
        self.grade_check.toggled.connect(self._refill)
        self.list.itemActivated.connect(lambda _item: self._on_accept())
        self.list.currentRowChanged.connect(lambda row: self.ok_button.setEnabled(row >= 0))
        self.search.installEventFilter(self)
        self._refill()
        size_window(self, "goal_picker", 820, 560)
        self.search.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Up and Down in the search field move through the list."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.list.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
        return super().eventFilter(obj, event)

    def shown_goals(self) -> list[writing.BankGoal]:
        """The goals the list shows now, in order."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def chosen(self) -> writing.BankGoal | None:
        """The goal selected in the list."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @Slot()
    def _refill(self, *_args: Any) -> None:
        found = writing.search_goals(
            self._goals,
            self.search.text(),
            area=self.area_combo.currentData() or None,
            grades=self._grades if self.grade_check.isChecked() else None,
        )
        self.list.clear()
        for goal in found:
            item = QListWidgetItem(
                f"{goal.text}\n{goal.area} · groep {grades_text(goal.grade_low, goal.grade_high)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, goal)
            item.setToolTip(goal.text)
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
        self.ok_button.setEnabled(bool(found))
        if not found:
            self.count_label.setText(self.tr("Geen doelen gevonden."))
        elif len(found) == 1:
            self.count_label.setText(self.tr("1 doel"))
        else:
            self.count_label.setText(self.tr("%d doelen") % len(found))

    @Slot()
    def _on_accept(self) -> None:
        if self.chosen() is not None:
            self.accept()

    @classmethod
    def pick(
        cls,
        parent: QWidget,
        ctx: Any,
        pupil_id: int | None,
        *,
        area: str | None = None,
    ) -> writing.BankGoal | None:
        """Run the picker for a pupil; the chosen goal, or None."""
        from ib_desktop.services.school import development_areas

        with ctx.db.session() as s:
            goals = writing.load_goal_bank(s, ctx.school_id)
            areas = development_areas(s, ctx.school_id)
            grades = writing.pupil_grades(s, pupil_id) if pupil_id is not None else None
        dialog = cls(goals, areas, area=area, grades=grades, parent=parent)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

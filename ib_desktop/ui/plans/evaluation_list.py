"""The list on the Evaluaties page: a teacher's evaluations, overdue ones in red."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ib_desktop.dates import short_date
from ib_desktop.services import plans
from ib_desktop.ui.widgets.table_model import ROW_ROLE, Column, TableModel

OVERDUE = QColor("#b00020")
DONE = QColor("#5f6b5f")


def _what(task: plans.EvaluationTask) -> str:
    """ "Korte interventie", "Groeidocument, periode 2", "OPP-doel: Rekenen"."""
    title = task.title.removeprefix("Evaluatie ").strip()
    return title[:1].upper() + title[1:] if title else task.kind_label


class EvaluationListModel(TableModel):
    """The evaluations due for one teacher."""

    COL_DUE, COL_PUPIL, COL_WHAT, COL_STATE = range(4)
    TR_CONTEXT = "EvaluationListModel"
    #: The task behind a row.
    TASK_ROLE = ROW_ROLE

    def __init__(self, today_fn: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today_fn
        self._bold = QFont()
        self._bold.setBold(True)
        # Plain sort values Qt can compare: the day as a number, names folded to lower case.
        self.COLUMNS = (
            Column(
                QT_TRANSLATE_NOOP("EvaluationListModel", "Datum"),
                lambda t: short_date(t.due),
                sort=lambda t: t.due.toordinal(),
                tooltip=self.tooltip,
            ),
            Column(
                QT_TRANSLATE_NOOP("EvaluationListModel", "Leerling"),
                lambda t: t.pupil_name,
                sort=lambda t: t.pupil_name.casefold(),
                tooltip=self.tooltip,
            ),
            Column(
                QT_TRANSLATE_NOOP("EvaluationListModel", "Wat"),
                _what,
                sort=lambda t: _what(t).casefold(),
                tooltip=self.tooltip,
            ),
            Column(
                QT_TRANSLATE_NOOP("EvaluationListModel", "Stand"),
                self.state,
                sort=lambda t: (1_000_000 if t.complete else 0) + t.due.toordinal(),
                tooltip=self.tooltip,
            ),
        )

    def set_tasks(self, tasks: Sequence[plans.EvaluationTask]) -> None:
        """Replace the list."""
        self.set_rows(tasks)

    def tasks(self) -> list[plans.EvaluationTask]:
        """The tasks in the model's order."""
        return self.rows()

    def task(self, row: int) -> plans.EvaluationTask:
        """The task in ``row``."""
        return self._rows[row]

    def replace_task(self, task: plans.EvaluationTask) -> int:
        """Show a task's new state (after it was saved); returns its row or -1."""
        for row, old in enumerate(self._rows):
            if old.moment_key == task.moment_key:
                self.replace_row(row, task)
                return row
        return -1

    def state(self, task: plans.EvaluationTask) -> str:
        """ "Ingevuld", "3 dagen te laat", "vandaag", "over 5 dagen"."""
        if task.complete or task.done_on is not None:
            return self.tr("\u2713 Ingevuld")
        if task.read_only:
            return self.tr("Afgesloten")
        days = (self._today() - task.due).days
        if days > 0:
            when = self.tr("1 dag te laat") if days == 1 else self.tr("%d dagen te laat") % days
        elif days == 0:
            when = self.tr("Vandaag")
        else:
            when = self.tr("Morgen") if days == -1 else self.tr("Over %d dagen") % -days
        done = sum(1 for t in task.targets if t.is_evaluated)
        if done and len(task.targets) > 1:
            # A groeidocument evaluated in part says how far it got.
            return self.tr("%d van %d doelen · %s") % (done, len(task.targets), when.lower())
        return when

    def tooltip(self, task: plans.EvaluationTask) -> str:
        """ "Sanne de Vries (groep 5): Korte interventie rekenen"."""
        group = self.tr(" (groep %s)") % task.group_name if task.group_name else ""
        return f"{task.pupil_name}{group}: {task.document_title}"

    def extra_data(self, item: Any, column: int, role: int) -> Any:
        """Red for overdue (the state in bold), grey for done."""
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.complete:
                return QBrush(DONE)
            if item.is_overdue(self._today()):
                return QBrush(OVERDUE)
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.COL_STATE
            and item.is_overdue(self._today())
        ):
            return self._bold
        return None

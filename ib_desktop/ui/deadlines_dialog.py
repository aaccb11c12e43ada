"""Alle wettelijke termijnen: the whole list behind the dashboard's card, in one table.

The card shows the first twelve; this dialog shows every clock (the same list as
``ib-desktop deadlines``), sortable, and a double-click or Enter opens the OPP or pupil file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ib_desktop.dates import short_date
from ib_desktop.i18n import QT_TRANSLATE_NOOP
from ib_desktop.services.deadlines import KIND_LABELS, Deadline
from ib_desktop.ui.widgets.table_model import (
    ROW_ROLE,
    Column,
    TableModel,
    proxy_for,
    table_view,
)
from ib_desktop.ui.widgets.window_size import size_window

OVERDUE = "#b00020"


class DeadlinesModel(TableModel):
    """One clock per row: deadline, how long, kind, who, what to do."""

    TR_CONTEXT = "DeadlinesModel"

    def __init__(self, today: date, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.today = today
        self.COLUMNS = (
            Column(QT_TRANSLATE_NOOP("DeadlinesModel", "Uiterlijk"),
                   lambda d: short_date(d.due), sort=lambda d: d.due.toordinal()),
            Column(QT_TRANSLATE_NOOP("DeadlinesModel", "Hoe lang"),
                   lambda d: d.when_text(self.today), sort=lambda d: d.days_left(self.today)),
            Column(QT_TRANSLATE_NOOP("DeadlinesModel", "Termijn"),
                   lambda d: QCoreApplication.translate("Deadlines", KIND_LABELS.get(d.kind,
                                                                                     d.kind))),
            Column(QT_TRANSLATE_NOOP("DeadlinesModel", "Wie"), lambda d: d.who),
            Column(QT_TRANSLATE_NOOP("DeadlinesModel", "Wat te doen"), lambda d: d.what),
        )  # fmt: skip

    def extra_data(self, item: Deadline, column: int, role: int) -> object:
        """Overdue clocks in red."""
        if role == Qt.ItemDataRole.ForegroundRole and item.is_overdue(self.today):
            return QBrush(QColor(OVERDUE))
        return None


class DeadlinesDialog(QDialog):
    """Every legal clock; double-click or Enter opens it."""

    def __init__(self, clocks: list[Deadline], today: date,
                 opener: Callable[[Deadline], Callable[[], None]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Alle wettelijke termijnen"))
        self._opener = opener
        self.model = DeadlinesModel(today, self)
        self.model.set_rows(clocks)
        self.proxy = proxy_for(self.model, self)
        self.view = table_view(self.proxy, name="termijnen", sortable=True)
        self.view.setWordWrap(False)
        self.view.activated.connect(self._on_activated)
        late = sum(d.is_overdue(today) for d in clocks)
        summary = QLabel(
            self.tr("%d termijnen, waarvan %d te laat. Dubbelklik (of Enter) om te openen.")
            % (len(clocks), late)
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.view.resizeColumnsToContents()
        size_window(self, "deadlines_dialog.DeadlinesDialog", 1100, 600)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        clock = self.proxy.data(index, ROW_ROLE)
        if clock is not None:
            self._opener(clock)()
            self.accept()

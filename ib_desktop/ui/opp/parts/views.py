"""Part 11: the views of parents and pupil, and the log of conversations with the parents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QWidget

from ib_desktop.dates import short_date
from ib_desktop.services import opp as svc
from ib_desktop.services.opp.parts import OppPart
from ib_desktop.ui.opp.common import ordinal, prose
from ib_desktop.ui.opp.conversation_dialog import ConversationDialog
from ib_desktop.ui.opp.parts.base import PartPage
from ib_desktop.ui.widgets.table_model import (
    Column,
    TableModel,
    first_line,
    proxy_for,
    selected_source_row,
    table_view,
)


class ConversationModel(TableModel):
    """Part 11: the conversations with the parents."""

    TR_CONTEXT = "opp"
    DATE, PARTICIPANTS, SUMMARY = range(3)
    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("opp", "Datum"),
            lambda c: short_date(c.date),
            sort=lambda c: ordinal(c.date),
        ),
        Column(QT_TRANSLATE_NOOP("opp", "Deelnemers"), lambda c: c.participants),
        Column(
            QT_TRANSLATE_NOOP("opp", "Relevante punten"),
            lambda c: first_line(c.summary),
            tooltip=lambda c: c.summary,
        ),
    )


class ViewsPage(PartPage):
    """Part 11: the views of parents and pupil and the log of conversations."""

    def __init__(self, part: OppPart, parent: QWidget | None = None) -> None:
        super().__init__(part, parent)
        self.parents_view = self.watch(prose(min_lines=3))
        self.pupil_view = self.watch(prose(min_lines=2))
        self.form.addWidget(
            self.labelled(
                self.tr("Zienswijze van de ouders/verzorgers"),
                self.parents_view,
                name="parents_view",
            )
        )
        self.form.addWidget(
            self.labelled(
                self.tr("Zienswijze van de leerling (niet verplicht)"),
                self.pupil_view,
                name="pupil_view",
            )
        )
        self.model = ConversationModel(self)
        self.proxy = proxy_for(self.model, self)
        self.proxy.sort(ConversationModel.DATE, Qt.SortOrder.AscendingOrder)
        self.view = table_view(self.proxy, name=self.tr("Gesprekken"), sortable=True)
        self.view.setMinimumHeight(130)
        self.view.horizontalHeader().setSectionResizeMode(
            ConversationModel.DATE, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.horizontalHeader().setSectionResizeMode(
            ConversationModel.PARTICIPANTS, QHeaderView.ResizeMode.ResizeToContents
        )
        self.view.doubleClicked.connect(self._on_edit)
        self.form.addWidget(QLabel(f"<b>{self.tr('Gesprekken met ouders (en leerling)')}</b>"))
        self.form.addWidget(self.view)
        self.add_button = self.edit_button(QPushButton(self.tr("Gesprek &toevoegen…")))
        self.edit_btn = self.edit_button(QPushButton(self.tr("&Wijzigen…")))
        self.remove_button = self.edit_button(QPushButton(self.tr("&Verwijderen…")))
        self.add_button.clicked.connect(self._on_add)
        self.edit_btn.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_btn, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        self.form.addLayout(row)
        self.form.addStretch(1)

    def _load(self, data: svc.OppVersionData, pupil: dict[str, Any]) -> None:
        self.parents_view.setMarkdown(data.parents_view)
        self.pupil_view.setMarkdown(data.pupil_view)
        self.model.set_rows([replace(c) for c in data.conversations])

    def collect(self, data: svc.OppVersionData) -> None:
        """Views and conversations (in date order)."""
        data.parents_view = self.parents_view.markdown()
        data.pupil_view = self.pupil_view.markdown()
        data.conversations = sorted((replace(c) for c in self.model.rows()), key=lambda c: c.date)

    @Slot()
    def _on_add(self) -> None:
        today = self.env.today if self.env else date.today()
        conversation = ConversationDialog.edit(self, None, today)
        if conversation is not None:
            self.model.append(conversation)
            self.changed.emit()

    @Slot()
    def _on_edit(self, *_args: Any) -> None:
        if self.read_only:
            return
        row = selected_source_row(self.view)
        if row < 0:
            return
        today = self.env.today if self.env else date.today()
        conversation = ConversationDialog.edit(self, self.model.row_at(row), today)
        if conversation is not None:
            self.model.replace_row(row, conversation)
            self.changed.emit()

    @Slot()
    def _on_remove(self) -> None:
        row = selected_source_row(self.view)
        if row < 0:
            return
        c = self.model.row_at(row)
        answer = QMessageBox.question(
            self,
            self.tr("Gesprek verwijderen"),
            self.tr("Het gesprek van %s verwijderen uit deze versie?") % short_date(c.date),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.remove(row)
            self.changed.emit()

"""The Vergaderingen page: this year's meetings on the left, the chosen one on the right.

"Plan het jaar" proposes the year's meetings from the school's rhythm; "Nieuwe vergadering"
adds one by hand. The editor holds the agenda, attendees, minutes and decisions.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import short_date
from ib_desktop.permissions import writes_care_file
from ib_desktop.services.meetings import listing
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.meetings.editor import MeetingEditor
from ib_desktop.ui.meetings.plan_dialog import PlanYearDialog
from ib_desktop.ui.widgets.table_model import Column, TableModel, table_view
from ib_desktop.ui.widgets.view_logging import account_role

#: The list filter's first choice: every meeting but the parent talks (the pupil files' own).
WITHOUT_PARENT_TALKS = "zonder-oudergesprekken"


class MeetingListModel(TableModel):
    TR_CONTEXT = "Meetings"
    COLUMNS = [
        Column(QT_TRANSLATE_NOOP("Meetings", "Datum"), lambda r: short_date(r.date),
               sort=lambda r: r.date),  # fmt: skip
        Column(QT_TRANSLATE_NOOP("Meetings", "Vergadering"), lambda r: r.title or r.kind_label),
        Column(QT_TRANSLATE_NOOP("Meetings", "Leerlingen"), lambda r: str(r.pupils)),
        Column(QT_TRANSLATE_NOOP("Meetings", "Gehouden"), lambda r: "ja" if r.held else ""),
    ]


class MeetingsPage(QWidget):
    """Vergaderingen: the list and the editor side by side (fits 1366x768)."""

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        title = QLabel(self.tr("Vergaderingen"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.plan_button = QPushButton(self.tr("Plan het &jaar…"))
        self.plan_button.clicked.connect(self.plan_year)
        self.new_button = QPushButton(self.tr("&Nieuwe vergadering"))
        self.new_button.clicked.connect(self.new_meeting)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(self.tr("Soort vergadering"))
        self.kind_filter.addItem(self.tr("Zonder oudergesprekken"), WITHOUT_PARENT_TALKS)
        self.kind_filter.addItem(self.tr("Alle vergaderingen"), None)
        for kind in listing.PAGE_KINDS:
            self.kind_filter.addItem(MEETING_KIND_LABELS[kind], kind)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.reload())
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.plan_button)
        bar.addWidget(self.new_button)

        self.model = MeetingListModel(self)
        self.table = table_view(self.model, name="vergaderingen")  # type: ignore[arg-type]
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.editor = MeetingEditor(ctx, self)
        self.editor.saved.connect(self.reload)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([430, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_meeting)
        # Agenda, minutes and decisions are the care file: ib, directie and beheer only.
        self.allowed = writes_care_file(account_role(ctx))
        if not self.allowed:
            layout.insertWidget(1, QLabel(self.tr(
                "Vergaderingen, verslagen en besluiten zijn voor de intern begeleider en de "
                "directie.")))  # fmt: skip
            split.setEnabled(False)
            self.plan_button.setEnabled(False)
            self.new_button.setEnabled(False)
            return
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        current = select_id or self.editor.meeting_id
        with self.ctx.db.session() as s:
            rows = listing.list_meetings(s, self.ctx.school_id, today=self.ctx.today())
        wanted = self.kind_filter.currentData()
        if wanted == WITHOUT_PARENT_TALKS:
            rows = [r for r in rows if r.kind != listing.MeetingKind.OUDERGESPREK]
        elif wanted is not None:
            rows = [r for r in rows if r.kind == wanted]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if current is not None:
            row = next((i for i, r in enumerate(rows) if r.id == current), -1)
            if row >= 0:
                self.table.selectRow(row)

    def _on_current(self, index) -> None:  # type: ignore[no-untyped-def]
        row = self.model.row_at(index)
        if row is not None and row.id != self.editor.meeting_id:
            self.editor.load(row.id)

    def plan_year(self) -> None:
        if not self.allowed:
            return
        dialog = PlanYearDialog(self.ctx, self)
        if dialog.exec():
            QMessageBox.information(
                self, self.tr("Plan het jaar"),
                self.tr("%n vergadering(en) gepland.", "", len(dialog.created)),
            )  # fmt: skip
            self.reload(dialog.created[0] if dialog.created else None)
        dialog.deleteLater()

    def new_meeting(self) -> None:
        if not self.allowed:
            return
        with self.ctx.db.session() as s:
            mid = listing.new_meeting(s, self.ctx.school_id, listing.MeetingKind.KINDBESPREKING,
                                      self.ctx.today())  # fmt: skip
        self.reload(mid)
        self.editor.load(mid)
        self.editor.title_edit.setFocus()

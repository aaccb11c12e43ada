"""Plan het jaar: the rhythm per kind of meeting, and the meetings it proposes to accept."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import parse_typed_date, short_date
from ib_desktop.services.meetings import planning
from ib_desktop.services.pupil.labels import MEETING_KIND_LABELS
from ib_desktop.ui.context import AppContext
from ib_desktop.ui.widgets.table_model import Column, TableModel, table_view
from ib_desktop.ui.widgets.window_size import size_window
from ib_desktop.validation import ValidationErrors


class ProposalModel(TableModel):
    """The proposed meetings; the first column's check box says whether it is planned."""

    TR_CONTEXT = "Meetings"
    COLUMNS = [
        Column(QT_TRANSLATE_NOOP("Meetings", "Plannen"), lambda p: ""),
        Column(QT_TRANSLATE_NOOP("Meetings", "Datum"), lambda p: short_date(p.date),
               sort=lambda p: p.date),  # fmt: skip
        Column(QT_TRANSLATE_NOOP("Meetings", "Week"), lambda p: str(p.week)),
        Column(QT_TRANSLATE_NOOP("Meetings", "Vergadering"), lambda p: p.title),
        Column(QT_TRANSLATE_NOOP("Meetings", "Opmerking"),
               lambda p: "bestaat al" if p.exists else p.note),  # fmt: skip
    ]

    def flags(self, index):  # type: ignore[no-untyped-def]
        flags = super().flags(index)
        p = self.row_at(index)
        if index.column() == 0 and p is not None and not p.exists:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == 1 and p is not None and not p.exists:
            flags |= Qt.ItemFlag.ItemIsEditable  # the IB-er may move a meeting: dd-mm-jjjj
        return flags

    def extra_data(self, item, column, role):  # type: ignore[no-untyped-def]
        if column == 0 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.accepted else Qt.CheckState.Unchecked
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):  # type: ignore[no-untyped-def]  # noqa: N802
        p = self.row_at(index)
        editing = index.column() == 1 and role == Qt.ItemDataRole.EditRole
        if p is not None and not p.exists and editing:
            try:
                day = parse_typed_date(str(value))
            except ValueError:
                return False
            if day is None:
                return False
            p.date, p.note, p.accepted = day, "aangepast", True
            self.dataChanged.emit(index, self.index(index.row(), self.columnCount() - 1))
            return True
        if p is None or role != Qt.ItemDataRole.CheckStateRole or p.exists:
            return False
        p.accepted = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index)
        return True


class PlanYearDialog(QDialog):
    """The rhythm (weeks per kind), "Voorstel maken", then "Plannen" what is ticked."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Plan het jaar"))
        self.created: list[int] = []
        with ctx.db.session() as s:
            rhythm = planning.load_rhythm(s, ctx.school_id)
        grid = QGridLayout()
        for col, text in enumerate([self.tr("Vergadering"), self.tr("Weken (bijv. 40, 5, 23)"),
                                    self.tr("Dag"), self.tr("Per groep")]):  # fmt: skip
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.lines: list[tuple[object, QLineEdit, QComboBox, QCheckBox]] = []
        by_kind = {line.kind: line for line in rhythm}
        for row, kind in enumerate(planning.MeetingKind.__members__.values(), 1):
            if kind in (planning.MeetingKind.OVERIG, planning.MeetingKind.OUDERGESPREK):
                continue
            line = by_kind.get(kind)
            weeks = QLineEdit(", ".join(str(w) for w in line.weeks) if line else "")
            weeks.setAccessibleName(self.tr("Weken %s") % MEETING_KIND_LABELS[kind])
            weeks.setObjectName(f"weeks_{kind}")
            day = QComboBox()
            day.addItems(list(planning.WEEKDAYS))
            day.setCurrentIndex(line.weekday if line else 1)
            per_group = QCheckBox()
            per_group.setChecked(line.per_group if line else kind != planning.MeetingKind.MDO)
            grid.addWidget(QLabel(MEETING_KIND_LABELS[kind]), row, 0)
            grid.addWidget(weeks, row, 1)
            grid.addWidget(day, row, 2)
            grid.addWidget(per_group, row, 3)
            self.lines.append((kind, weeks, day, per_group))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.propose_button = QPushButton(self.tr("&Voorstel maken"))
        self.propose_button.clicked.connect(self.propose)
        self.model = ProposalModel(self)
        self.table: QTableView = table_view(self.model, name="voorstel")  # type: ignore[arg-type]
        buttons = QDialogButtonBox()
        self.plan_button = buttons.addButton(self.tr("&Plannen"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter in a weeks field makes the proposal; planning is always a deliberate click
        self.plan_button.setAutoDefault(False)
        self.propose_button.setDefault(True)
        buttons.accepted.connect(self.plan)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.propose_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        size_window(self, "meetings.PlanYearDialog", 820, 620)

    def _rhythm(self) -> list[planning.RhythmLine] | None:
        out = []
        for kind, weeks, day, per_group in self.lines:
            try:
                numbers = planning.parse_weeks(weeks.text())
            except ValueError as exc:
                self.error.setText(f"{MEETING_KIND_LABELS[kind]}: {exc}")  # type: ignore[index]
                weeks.setFocus()
                return None
            if numbers:
                out.append(planning.RhythmLine(kind, numbers, day.currentIndex(),  # type: ignore[arg-type]
                                               per_group.isChecked()))  # fmt: skip
        self.error.clear()
        return out

    def propose(self) -> None:
        rhythm = self._rhythm()
        if rhythm is None:
            return
        with self.ctx.db.session() as s:
            planning.save_rhythm(s, self.ctx.school_id, rhythm)
            proposals = planning.propose_year(s, self.ctx.school_id, today=self.ctx.today())
        self.model.set_rows(proposals)
        self.table.resizeColumnsToContents()

    def plan(self) -> None:
        rows = [self.model.row_at(i) for i in range(self.model.rowCount())]
        try:
            with self.ctx.db.session() as s:
                self.created = planning.accept_proposals(s, self.ctx.school_id, rows)
        except ValidationErrors as exc:
            QMessageBox.warning(self, self.tr("Plan het jaar"), "\n".join(exc.errors.values()))
            return
        self.accept()

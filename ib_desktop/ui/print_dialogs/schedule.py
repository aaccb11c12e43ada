"""Afdrukken > Evaluatieplanning: the period and the people, built page by page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.dates import long_date
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.print_dialogs.common import _groups_and_staff, _report_failed, run_with_progress
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import FieldWithError, date_edit, from_qdate
from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ib_desktop.ui.widgets.view_logging import PRINTED, log_views


@dataclass(frozen=True)
class ScheduleOptions:
    """What the schedule dialog chose."""

    start: date
    end: date
    group_id: int | None = None
    teacher_id: int | None = None
    per_teacher: bool = False
    scope_label: str = "hele school"


class ScheduleDialog(QDialog):
    """Asks for the period and the scope (school, group, teacher) of the evaluation schedule."""

    MAX_DAYS = 400

    def __init__(
        self,
        groups: list[tuple[int, str, int]],
        staff: list[tuple[int, str]],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Evaluatieplanning afdrukken"))
        self.start_edit = date_edit(today, self)
        self.start_edit.setObjectName("startDate")
        self.end_edit = date_edit(today + timedelta(weeks=6), self)
        self.end_edit.setObjectName("endDate")
        self.end_field = FieldWithError(self.end_edit, self)

        self.whole_school = QRadioButton(self.tr("&Hele school"), self)
        self.by_group = QRadioButton(self.tr("&Groep"), self)
        self.by_teacher = QRadioButton(self.tr("&Leerkracht"), self)
        self.whole_school.setChecked(True)
        self.scope = QButtonGroup(self)
        for i, b in enumerate((self.whole_school, self.by_group, self.by_teacher)):
            self.scope.addButton(b, i)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        for gid, name, _n in groups:
            self.group_combo.addItem(self.tr("Groep %s") % name, gid)
        self.teacher_combo = QComboBox(self)
        self.teacher_combo.setObjectName("teacherCombo")
        for sid, label in staff:
            self.teacher_combo.addItem(label, sid)
        self.per_teacher = QCheckBox(
            self.tr("Per leerkracht eigen pagina's (om uit te delen)"), self
        )
        self.per_teacher.setObjectName("perTeacher")

        form = QFormLayout()
        form.addRow(self.tr("&Van:"), self.start_edit)
        form.addRow(self.tr("&Tot en met:"), self.end_field)
        box = QGroupBox(self.tr("Voor wie"), self)
        grid = QGridLayout(box)
        grid.addWidget(self.whole_school, 0, 0)
        grid.addWidget(self.by_group, 1, 0)
        grid.addWidget(self.group_combo, 1, 1)
        grid.addWidget(self.by_teacher, 2, 0)
        grid.addWidget(self.teacher_combo, 2, 1)
        grid.setColumnStretch(1, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Voorbeeld tonen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(self.per_teacher)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self.scope.idToggled.connect(self._on_scope_changed)
        self.end_edit.dateChanged.connect(lambda _d: self.end_field.set_error(""))
        self.start_edit.dateChanged.connect(lambda _d: self.end_field.set_error(""))
        self._on_scope_changed(0, True)
        self.setTabOrder(self.start_edit, self.end_edit)
        self.setTabOrder(self.end_edit, self.whole_school)
        self.setTabOrder(self.whole_school, self.by_group)
        self.setTabOrder(self.by_group, self.group_combo)
        self.setTabOrder(self.group_combo, self.by_teacher)
        self.setTabOrder(self.by_teacher, self.teacher_combo)
        self.setTabOrder(self.teacher_combo, self.per_teacher)

    @classmethod
    def get_options(cls, parent: QWidget | None, ctx: AppContext) -> ScheduleOptions | None:
        """Run the dialog; the chosen options, or None when cancelled."""
        groups, staff = _groups_and_staff(ctx)
        dialog = cls(groups, staff, ctx.today(), parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.options()
        finally:
            dialog.deleteLater()

    def options(self) -> ScheduleOptions:
        """What the fields say now."""
        start = from_qdate(self.start_edit.date()) or date.today()
        end = from_qdate(self.end_edit.date()) or start
        group_id = teacher_id = None
        scope = "hele school"
        if self.by_group.isChecked() and self.group_combo.count():
            group_id = self.group_combo.currentData()
            scope = self.group_combo.currentText().lower()
        elif self.by_teacher.isChecked() and self.teacher_combo.count():
            teacher_id = self.teacher_combo.currentData()
            scope = self.teacher_combo.currentText().split(" (")[0]
        return ScheduleOptions(
            start, end, group_id, teacher_id, self.per_teacher.isChecked(), scope
        )

    def validate(self) -> bool:
        """Show a message next to the end date when the period makes no sense."""
        if not check_dates(self):
            return False  # the date field says what is wrong beside it
        start = from_qdate(self.start_edit.date())
        end = from_qdate(self.end_edit.date())
        if start is None or end is None:
            self.end_field.set_error(self.tr("Vul beide datums in."))
            return False
        if end < start:
            self.end_field.set_error(self.tr("De einddatum ligt vóór de begindatum."))
            return False
        if (end - start).days > self.MAX_DAYS:
            self.end_field.set_error(self.tr("Kies een periode van hoogstens een jaar."))
            return False
        self.end_field.set_error("")
        return True

    @Slot()
    def _on_accept(self) -> None:
        if self.validate():
            self.accept()
        else:
            self.end_edit.setFocus()

    @Slot(int, bool)
    def _on_scope_changed(self, _id: int, _checked: bool) -> None:
        self.group_combo.setEnabled(self.by_group.isChecked())
        self.teacher_combo.setEnabled(self.by_teacher.isChecked())


def schedule_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > Evaluatieplanning…"."""
    from ib_desktop.reports import ReportNotFoundError, schedule_pdf

    options = ScheduleDialog.get_options(parent, ctx)
    if options is None:
        return

    def build(progress: Callable[[int], bool]) -> bytes:
        with ctx.db.session() as s:
            pdf = schedule_pdf(
                s,
                ctx.school_id,
                start=options.start,
                end=options.end,
                group_id=options.group_id,
                teacher_id=options.teacher_id,
                per_teacher=options.per_teacher,
                today=ctx.today(),
                progress=progress,
            )
            log_views(s, ctx, [None], PRINTED, "Evaluatieplanning")
            return pdf

    try:
        pdf = run_with_progress(
            parent, QCoreApplication.translate("print_dialogs", "Evaluatieplanning maken…"), build
        )
    except ReportNotFoundError as exc:
        _report_failed(parent, exc)
        return
    if pdf is None:
        return
    title = QCoreApplication.translate("print_dialogs", "Evaluatieplanning %s, %s t/m %s") % (
        options.scope_label,
        long_date(options.start),
        long_date(options.end),
    )
    PdfPreviewDialog.preview(
        parent,
        pdf,
        title,
        f"Evaluatieplanning {options.start.isoformat()} {options.end.isoformat()}",
    )

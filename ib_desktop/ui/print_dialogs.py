"""The "Afdrukken" menu: evaluation schedule, all OPPs of a group, the group overview.

Each action asks what to print in a small dialog, builds the PDF with a progress dialog that can
be cancelled (page by page for a schedule, pupil by pupil for a group's OPPs), and shows it in
the preview, from where it is printed or saved. Nothing is written to disk unless the user asks
for a folder of files, and then only after every file was made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.dates import long_date
from ib_desktop.permissions import reads_restricted
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.widgets.date_field import check_dates
from ib_desktop.ui.widgets.forms import FieldWithError, date_edit, from_qdate
from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ib_desktop.ui.widgets.view_logging import PRINTED, account_role, log_views

FOLDER_SETTING = "print/last_folder"


def _tr(text: str) -> str:
    return QCoreApplication.translate("print_dialogs", text)


def _groups_and_staff(ctx: AppContext) -> tuple[list[tuple[int, str, int]], list[tuple[int, str]]]:
    """(id, name, running OPPs) of the current groups and (id, "name (role)") of active staff."""
    import sqlalchemy as sa

    from ib_desktop.models import Opp, Pupil, PupilStatus
    from ib_desktop.reports.batch import active_staff, current_groups

    roles = {
        "ib": "IB-er",
        "leerkracht": "leerkracht",
        "directie": "directie",
        "onderwijsassistent": "onderwijsassistent",
        "overig": "overig",
    }
    with ctx.db.session() as s:
        groups = current_groups(s, ctx.school_id, ctx.today())
        counts = dict(
            s.execute(
                sa.select(Pupil.group_id, sa.func.count(sa.distinct(Pupil.id)))
                .join(Opp, Opp.pupil_id == Pupil.id)
                .where(Pupil.status != PupilStatus.VERTROKKEN, Opp.end_date.is_(None))
                .group_by(Pupil.group_id)
            ).all()
        )
        staff = [
            (st.id, f"{st.full_name} ({roles.get(st.role.value, st.role.value)})")
            for st in active_staff(s, ctx.school_id)
        ]
        return [(g.id, g.name, int(counts.get(g.id, 0))) for g in groups], staff


def run_with_progress(
    parent: QWidget | None, label: str, build: Callable[[Callable[[int], bool]], bytes]
) -> bytes | None:
    """Build a long PDF with a busy progress dialog; None when the user cancelled.

    ``build`` gets a callback to call for each new page; it returns False once "Annuleren" was
    pressed, and the report stops.
    """
    from ib_desktop.reports import BuildCancelled

    dialog = QProgressDialog(label, _tr("Annuleren"), 0, 0, parent)
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(page: int) -> bool:
        dialog.setLabelText(_tr("%s\nPagina %d wordt opgemaakt…") % (label, page))
        QApplication.processEvents()
        return not dialog.wasCanceled()

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return build(progress)
    except BuildCancelled:
        return None
    finally:
        QApplication.restoreOverrideCursor()
        dialog.close()
        dialog.deleteLater()


def _opp_count(n: int) -> str:
    """ "geen OPP", "1 OPP", "4 OPP's"."""
    if n == 0:
        return _tr("geen OPP")
    return _tr("1 OPP") if n == 1 else _tr("%d OPP's") % n


def _report_failed(parent: QWidget | None, exc: Exception) -> None:
    QMessageBox.warning(parent, APP_NAME, _tr("Afdrukken is niet gelukt: %s") % str(exc))


# ---------------------------------------------------------------------------- schedule


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
        pdf = run_with_progress(parent, _tr("Evaluatieplanning maken…"), build)
    except ReportNotFoundError as exc:
        _report_failed(parent, exc)
        return
    if pdf is None:
        return
    title = _tr("Evaluatieplanning %s, %s t/m %s") % (
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


# ---------------------------------------------------------------------------- OPPs of a group


@dataclass(frozen=True)
class GroupOppsChoice:
    """The group whose OPPs are printed, and how."""

    group_id: int
    group_name: str
    to_folder: bool = False
    include_sensitive: bool = False


class GroupOppsDialog(QDialog):
    """Asks for the group and whether to make one PDF or a file per pupil."""

    def __init__(self, groups: list[tuple[int, str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPP's van een groep afdrukken"))
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        first_with = -1
        for gid, name, n in groups:
            text = self.tr("Groep %s (%s)") % (
                name,
                _opp_count(n),
            )
            self.group_combo.addItem(text, (gid, name, n))
            if n and first_with < 0:
                first_with = self.group_combo.count() - 1
        if first_with >= 0:
            self.group_combo.setCurrentIndex(first_with)
        self.one_file = QRadioButton(
            self.tr("Eén PDF met alle OPP's (voorbeeld, afdrukken, opslaan)"), self
        )
        self.to_folder = QRadioButton(self.tr("Eén bestand per leerling in een map…"), self)
        self.one_file.setChecked(True)
        self.sensitive = QCheckBox(
            self.tr("Ook vertrouwelijke onderzoeken afdrukken (medisch, psychologisch)"), self
        )
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Maken"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        form = QFormLayout()
        form.addRow(self.tr("&Groep:"), self.group_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.one_file)
        layout.addWidget(self.to_folder)
        layout.addWidget(self.sensitive)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)
        self._on_group_changed(self.group_combo.currentIndex())

    @classmethod
    def get_choice(cls, parent: QWidget | None, ctx: AppContext) -> GroupOppsChoice | None:
        """Run the dialog; the choice, or None when cancelled."""
        groups, _staff = _groups_and_staff(ctx)
        dialog = cls(groups, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.choice()
        finally:
            dialog.deleteLater()

    def choice(self) -> GroupOppsChoice | None:
        """What the fields say now (None without groups)."""
        data = self.group_combo.currentData()
        if data is None:
            return None
        gid, name, _n = data
        return GroupOppsChoice(gid, name, self.to_folder.isChecked(), self.sensitive.isChecked())

    @Slot(int)
    def _on_group_changed(self, _index: int) -> None:
        data = self.group_combo.currentData()
        n = data[2] if data else 0
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(n > 0)
        self.hint.setText(
            self.tr("In deze groep loopt geen OPP.")
            if data and n == 0
            else self.tr("Alleen lopende OPP's, steeds de nieuwste versie.")
        )


def build_group_opps(
    ctx: AppContext, parent: QWidget | None, choice: GroupOppsChoice
) -> list[tuple[Any, bytes]] | None:
    """Every running OPP of the group, pupil by pupil with progress; None when cancelled."""
    from ib_desktop.reports import batch

    with ctx.db.session() as s:
        items = batch.group_items(s, choice.group_id, "opp")
    if not items:
        QMessageBox.information(
            parent, APP_NAME, _tr("In groep %s loopt geen OPP.") % choice.group_name
        )
        return None
    dialog = QProgressDialog(_tr("OPP's maken…"), _tr("Annuleren"), 0, len(items), parent)
    dialog.setWindowTitle(APP_NAME)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)

    def before_each(n: int, item: Any) -> bool:
        dialog.setValue(n)
        dialog.setLabelText(_tr("OPP van %s (%d van %d)…") % (item.pupil_name, n + 1, len(items)))
        QApplication.processEvents()
        return not dialog.wasCanceled()

    # A role that may not read sensitive reports never prints them, whatever the box says.
    include_sensitive = choice.include_sensitive and reads_restricted(account_role(ctx))

    def build(item: Any) -> bytes:
        with ctx.db.session() as s:
            pdf = batch.build_one(
                s, "opp", item.record_id, today=ctx.today(),
                include_sensitive=include_sensitive,
            )
            log_views(s, ctx, [item.pupil_id], PRINTED, f"OPP (groep {choice.group_name})")
            return pdf

    try:
        # One broken document must not sink the batch: it is named, and the rest is printed.
        result = batch.build_all(items, build, before_each=before_each)
        if result.cancelled:
            return None
        dialog.setValue(len(items))
        QApplication.processEvents()
        if dialog.wasCanceled():
            return None
    finally:
        dialog.close()
        dialog.deleteLater()
    if result.failed:
        lines = "\n".join(f"• {f.item.pupil_name}: {f.reason}" for f in result.failed)
        QMessageBox.warning(
            parent,
            APP_NAME,
            _tr("Deze OPP's konden niet worden gemaakt; de andere wel:\n\n%s") % lines,
        )
    return result.done


def group_opps_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > OPP's van een groep…"."""
    from ib_desktop.reports import ReportNotFoundError, batch

    choice = GroupOppsDialog.get_choice(parent, ctx)
    if choice is None:
        return
    folder: Path | None = None
    if choice.to_folder:
        settings = QSettings()
        start = settings.value(FOLDER_SETTING) or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(parent, _tr("Map kiezen voor de OPP's"), start)
        if not chosen:
            return
        folder = Path(chosen)
        settings.setValue(FOLDER_SETTING, str(folder))
    try:
        results = build_group_opps(ctx, parent, choice)
    except ReportNotFoundError as exc:
        _report_failed(parent, exc)
        return
    if results is None:
        return
    if folder is None:
        pdf = batch.combine((item.pupil_name, data) for item, data in results)
        PdfPreviewDialog.preview(
            parent,
            pdf,
            _tr("OPP's groep %s") % choice.group_name,
            f"OPP's groep {choice.group_name}",
        )
        return
    names = batch.file_names("opp", [item for item, _ in results])
    existing = [
        names[item.pupil_id] for item, _ in results if (folder / names[item.pupil_id]).exists()
    ]
    if existing:
        answer = QMessageBox.question(
            parent,
            APP_NAME,
            _tr("In deze map staan al %d bestand(en) met dezelfde naam, zoals '%s'. Vervangen?")
            % (len(existing), existing[0]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    try:
        for item, data in results:
            batch.write_atomic(folder / names[item.pupil_id], data)
    except OSError as exc:
        QMessageBox.warning(
            parent,
            APP_NAME,
            _tr("De bestanden konden niet worden opgeslagen in '%s': %s")
            % (str(folder), exc.strerror or str(exc)),
        )
        return
    QMessageBox.information(
        parent, APP_NAME, _tr("%s opgeslagen in %s.") % (_opp_count(len(results)), str(folder))
    )


# ---------------------------------------------------------------------------- group overview


@dataclass(frozen=True)
class GroupOverviewChoice:
    """All groups or one, with or without names."""

    group_id: int | None
    with_names: bool
    label: str


class GroupOverviewDialog(QDialog):
    """Asks which groups the overview covers and whether it lists names."""

    def __init__(self, groups: list[tuple[int, str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Groepsoverzicht afdrukken"))
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("groupCombo")
        self.group_combo.addItem(self.tr("Alle groepen"), None)
        for gid, name, _n in groups:
            self.group_combo.addItem(self.tr("Groep %s") % name, gid)
        self.names = QCheckBox(self.tr("Met de namen van de leerlingen per groep"), self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Voorbeeld tonen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        form = QFormLayout()
        form.addRow(self.tr("&Groep:"), self.group_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.names)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.group_combo.currentIndexChanged.connect(self._on_group_changed)

    @classmethod
    def get_choice(cls, parent: QWidget | None, ctx: AppContext) -> GroupOverviewChoice | None:
        """Run the dialog; the choice, or None when cancelled."""
        groups, _staff = _groups_and_staff(ctx)
        dialog = cls(groups, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.choice()
        finally:
            dialog.deleteLater()

    def choice(self) -> GroupOverviewChoice:
        """What the fields say now."""
        return GroupOverviewChoice(
            self.group_combo.currentData(), self.names.isChecked(), self.group_combo.currentText()
        )

    @Slot(int)
    def _on_group_changed(self, _index: int) -> None:
        # One group is printed for a talk about its pupils: then names are what matters.
        self.names.setChecked(self.group_combo.currentData() is not None)


def group_overview_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Menu "Afdrukken > Groepsoverzicht…"."""
    from ib_desktop.reports import ReportNotFoundError, group_overview_pdf

    choice = GroupOverviewDialog.get_choice(parent, ctx)
    if choice is None:
        return
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.db.session() as s:
            pdf = group_overview_pdf(
                s,
                ctx.school_id,
                group_id=choice.group_id,
                with_names=choice.with_names,
                today=ctx.today(),
            )
            log_views(s, ctx, [None], PRINTED, f"Groepsoverzicht ({choice.label.lower()})")
    except ReportNotFoundError as exc:
        QApplication.restoreOverrideCursor()
        _report_failed(parent, exc)
        return
    QApplication.restoreOverrideCursor()
    PdfPreviewDialog.preview(
        parent,
        pdf,
        _tr("Groepsoverzicht (%s)") % choice.label.lower(),
        f"Groepsoverzicht {ctx.today().isoformat()}",
    )


# ---------------------------------------------------------------------------- for other screens


def preview_pupil_overview(ctx: AppContext, parent: QWidget | None, pupil_id: int) -> None:
    """The pupil's support overview (levels over the years, documents) in the preview."""
    from ib_desktop.models import Pupil
    from ib_desktop.reports import ReportNotFoundError, pupil_overview_pdf

    try:
        with ctx.db.session() as s:
            pdf = pupil_overview_pdf(s, pupil_id, today=ctx.today())
            pupil = s.get(Pupil, pupil_id)
            name = pupil.full_name if pupil else ""
            log_views(s, ctx, [pupil_id], PRINTED, "Ondersteuningsoverzicht")
    except ReportNotFoundError as exc:
        _report_failed(parent, exc)
        return
    PdfPreviewDialog.preview(
        parent, pdf, _tr("Ondersteuningsoverzicht %s") % name, f"Ondersteuningsoverzicht {name}"
    )

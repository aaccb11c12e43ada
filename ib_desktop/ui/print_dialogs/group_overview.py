"""Afdrukken > Groepsoverzicht, and the overview of one pupil for other screens."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.print_dialogs.common import _groups_and_staff, _report_failed
from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from ib_desktop.ui.widgets.view_logging import PRINTED, log_views


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
        QCoreApplication.translate("print_dialogs", "Groepsoverzicht (%s)") % choice.label.lower(),
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
        parent,
        pdf,
        QCoreApplication.translate("print_dialogs", "Ondersteuningsoverzicht %s") % name,
        f"Ondersteuningsoverzicht {name}",
    )

"""The import wizard itself: file -> columns -> preview -> import -> summary, and the menu
action that runs it. The pages live in their own modules."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from ib_desktop import APP_NAME
from ib_desktop.importer import ImportPlan, ImportResult, Table, build_plan
from ib_desktop.importer.columns import ColumnMapping
from ib_desktop.ui.context import AppContext, Navigator
from ib_desktop.ui.import_wizard.done_page import DonePage
from ib_desktop.ui.import_wizard.file_page import FilePage
from ib_desktop.ui.import_wizard.mapping_page import MappingPage
from ib_desktop.ui.import_wizard.preview_page import PreviewPage
from ib_desktop.ui.widgets.window_size import size_window


class ImportWizard(QWizard):
    """File -> columns -> preview -> import -> summary."""

    imported = Signal(object)  # ImportResult, once the import has been applied

    PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.mapping: ColumnMapping = {}
        self.full_export = False
        self.export_date: date = ctx.today()
        self.result_: ImportResult | None = None
        self.setObjectName("import-wizard")
        self.setWindowTitle(self.tr("Leerlingen importeren"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Volgende >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< V&orige"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuleren"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Voltooien"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.PAGE_FILE, self.file_page)
        self.setPage(self.PAGE_MAPPING, self.mapping_page)
        self.setPage(self.PAGE_PREVIEW, self.preview_page)
        self.setPage(self.PAGE_DONE, self.done_page)
        size_window(self, "import_wizard.ImportWizard", 960, 680)

    def make_plan(self, twin_decisions: dict[str, bool] | None = None) -> ImportPlan:
        """The plan for the file, columns, date and choices made so far (reads only)."""
        assert self.table is not None
        with self.ctx.db.session() as s:
            return build_plan(
                s,
                self.table,
                self.mapping,
                school_id=self.ctx.school_id,
                today=self.export_date,
                full_export=self.full_export,
                twin_decisions=twin_decisions,
            )

    @classmethod
    def run_import(cls, ctx: AppContext, parent: QWidget | None = None) -> ImportResult | None:
        """Run the wizard; the import's result, or None when nothing was imported."""
        wizard = cls(ctx, parent)
        wizard.exec()
        result = wizard.result_
        wizard.deleteLater()
        return result

    def _ask_to_abandon(self) -> bool:
        """True when closing may go ahead (nothing imported yet, and the user agrees)."""
        if self.result_ is not None or self.currentId() == self.PAGE_FILE:
            return True
        answer = QMessageBox.question(
            self,
            APP_NAME,
            self.tr("Het importeren afbreken? Er is nog niets gewijzigd."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: ask first once a file has been read."""
        if self._ask_to_abandon():
            super().reject()


def import_action(ctx: AppContext, nav: Navigator, parent: QWidget | None) -> None:
    """Bestand > Leerlingen importeren… (Ctrl+I)."""
    result = ImportWizard.run_import(ctx, parent)
    if result is not None:
        nav.notify_changed()

"""History and printing of the plan editors (a part of ``PlanWindow``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox

from ib_desktop.ui.pupil_file.history_dialog import HistoryDialog


class PrintHistoryMixin:
    """ "Geschiedenis" and "Afdrukken…" for a plan window."""

    history_dialog: HistoryDialog | None
    ctx: Any
    ENTITY: str

    # ------------------------------------------------------------------ history and print
    @Slot()
    def _on_history(self) -> None:
        if self.doc_id() is None:
            return
        self.history_dialog = HistoryDialog.for_document(
            self, self.ctx, self.ENTITY, self.doc_id(), self.document_title()
        )

    @Slot()
    def _on_print(self) -> None:
        if self.doc_id() is None or (self.is_dirty() and not self.read_only_reason()):
            answer = QMessageBox.question(
                self,
                self.tr("Afdrukken"),
                self.tr("Afgedrukt wordt wat is opgeslagen. Eerst de wijzigingen opslaan?"),
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Yes and not self.save():
                return
            if self.doc_id() is None:
                return
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        with self.ctx.db.session() as s:
            pdf = self.print_pdf(s)
        PdfPreviewDialog.preview(self, pdf, self.document_title(), self.suggested_file_name())

    def suggested_file_name(self) -> str:
        """A file name for "Opslaan als PDF"."""
        name = self.document_title().replace(" - ", " ").replace("/", "-")
        return f"{name}.pdf"

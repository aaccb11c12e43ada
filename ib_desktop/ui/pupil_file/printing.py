"""Printing from the pupil file: the pupil overview and the two one-page documents."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QMessageBox,
)

from ib_desktop.ui.widgets.view_logging import PRINTED, account_role, log_views


class PrintingMixin:
    """Afdrukken, Eén pagina voor overleg, OPP-samenvatting voor ouders.

    Each document is built in a short session and shown in the PDF preview; the same session
    adds the line "afgedrukt" to the pupil's view log (issue 19).
    """

    # -------------------------------------------------------------- printing
    @Slot()
    def _on_print(self) -> None:
        if self.file is None:
            return
        from ib_desktop.reports import pupil_overview_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        with self.ctx.db.session() as s:
            pdf = pupil_overview_pdf(s, self.pupil_id, today=self.ctx.today())
            log_views(s, self.ctx, [self.pupil_id], PRINTED, "Leerlingoverzicht")
        safe = "".join(c if c.isalnum() else "-" for c in self.file.full_name).strip("-")
        PdfPreviewDialog.preview(
            self,
            pdf,
            QCoreApplication.translate("PupilFileWindow", "Leerlingoverzicht %s")
            % self.file.full_name,
            f"leerlingoverzicht-{safe}.pdf",
        )

    @Slot()
    def _on_print_profile(self) -> None:
        self._print_one_page("profile")

    @Slot()
    def _on_print_opp_summary(self) -> None:
        self._print_one_page("opp-summary")

    def _print_one_page(self, what: str) -> None:
        """Build a one-page document and show it in the preview (a missing OPP: a message)."""
        if self.file is None:
            return
        from ib_desktop.reports import ReportNotFoundError, opp_summary_pdf, profile_pdf
        from ib_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        try:
            with self.ctx.db.session() as s:
                if what == "profile":
                    role = account_role(self.ctx)
                    pdf = profile_pdf(s, self.pupil_id, today=self.ctx.today(), role=role)
                    log_views(s, self.ctx, [self.pupil_id], PRINTED, "Eén pagina voor overleg")
                else:
                    pdf = opp_summary_pdf(s, self.pupil_id, today=self.ctx.today())
                    log_views(s, self.ctx, [self.pupil_id], PRINTED, "OPP-samenvatting ouders")
        except ReportNotFoundError as exc:
            QMessageBox.information(
                self, QCoreApplication.translate("PupilFileWindow", "Afdrukken"), str(exc)
            )
            return
        name = self.file.full_name
        safe = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        if what == "profile":
            title, stem = (
                QCoreApplication.translate("PupilFileWindow", "Eén pagina voor overleg %s") % name,
                f"overleg-{safe}",
            )
        else:
            title, stem = (
                QCoreApplication.translate("PupilFileWindow", "OPP-samenvatting voor ouders %s")
                % name,
                f"opp-ouders-{safe}",
            )
        PdfPreviewDialog.preview(self, pdf, title, f"{stem}.pdf")

"""A PDF on screen before it goes to paper: page through it, zoom, print it or save it.

Every printed document of the app passes through this dialog, so the IB-er always sees what
the parents will get. Printing goes through the system's print dialog; the pages are drawn
onto the printer from PDFium's rendering on white (see ``ui/pdf_view.py`` for why PDFium).
Saving writes the exact bytes the report made, through a temporary file, so a full disk or a
cancelled save never leaves half a PDF behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize, Qt, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ib_desktop import APP_NAME
from ib_desktop.display_safety import safe_filename
from ib_desktop.ui.widgets.pdf_view import PdfPagesView, ZoomMode, open_pdf, render_page
from ib_desktop.ui.widgets.window_size import size_window

ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
PRINT_DPI = 300  # enough for text on paper; a 1200 dpi page image would take half a gigabyte
SETTINGS_DIR = "pdf_preview/last_dir"


class PdfPreviewDialog(QDialog):
    """Shows a PDF (bytes) with page navigation and zoom; prints it or saves it as a file."""

    def __init__(
        self, pdf: bytes, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._pdf = bytes(pdf)
        # Callers build the name from a pupil's or group's name: make it a safe file name.
        stem = suggested_name[:-4] if suggested_name.lower().endswith(".pdf") else suggested_name
        self._suggested = safe_filename(stem) + ".pdf"
        self.saved_path: Path | None = None
        self.setWindowTitle(self.tr("Afdrukvoorbeeld - %s") % title)
        self.setObjectName("pdfPreview")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.document = open_pdf(self._pdf)
        self.view = PdfPagesView(self)
        self.view.setObjectName("pdfView")
        self.view.set_document(self.document)

        self.prev_button = self._tool("go-previous", self.tr("Vorige pagina (Page Up)"), "◀")
        self.next_button = self._tool("go-next", self.tr("Volgende pagina (Page Down)"), "▶")
        self.page_spin = QSpinBox(self)
        self.page_spin.setObjectName("pageSpin")
        self.page_spin.setAccessibleName(self.tr("Pagina"))
        self.page_spin.setKeyboardTracking(False)
        self.page_label = QLabel(self)
        self.zoom_out_button = self._tool("zoom-out", self.tr("Kleiner (Ctrl+-)"), "−")
        self.zoom_in_button = self._tool("zoom-in", self.tr("Groter (Ctrl++)"), "+")
        self.fit_width_button = QPushButton(self.tr("Paginabreedte"), self)
        self.fit_page_button = QPushButton(self.tr("Hele pagina"), self)
        for b in (self.fit_width_button, self.fit_page_button):
            b.setCheckable(True)
            b.setAutoDefault(False)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(40)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton(self.tr("Afdrukken…"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip(
            self.tr("Afdrukken met het afdrukvenster van het systeem (Ctrl+P)")
        )
        self.save_button = QPushButton(self.tr("Opslaan als PDF…"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(self.tr("De PDF als bestand bewaren (Ctrl+S)"))
        self.close_button = QPushButton(self.tr("Sluiten"), self)
        for b in (self.print_button, self.save_button, self.close_button):
            b.setAutoDefault(False)
        self.print_button.setDefault(True)

        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addWidget(QLabel(self.tr("Pagina"), self))
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_label)
        bar.addSpacing(16)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_width_button)
        bar.addWidget(self.fit_page_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.prev_button.clicked.connect(self._on_previous)
        self.next_button.clicked.connect(self._on_next)
        self.page_spin.valueChanged.connect(self._on_page_spin)
        self.zoom_in_button.clicked.connect(self._on_zoom_in)
        self.zoom_out_button.clicked.connect(self._on_zoom_out)
        self.fit_width_button.clicked.connect(self._on_fit_width)
        self.fit_page_button.clicked.connect(self._on_fit_page)
        self.print_button.clicked.connect(self._on_print)
        self.save_button.clicked.connect(self._on_save)
        self.close_button.clicked.connect(self.reject)
        self.view.currentPageChanged.connect(self._on_current_page_changed)
        self.view.zoomFactorChanged.connect(self._on_zoom_changed)
        self.view.zoomModeChanged.connect(self._on_zoom_changed)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self._on_print),
            (QKeySequence.StandardKey.Save, self._on_save),
            (QKeySequence.StandardKey.ZoomIn, self._on_zoom_in),
            (QKeySequence("Ctrl+="), self._on_zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self._on_zoom_out),
            (QKeySequence(Qt.Key.Key_PageDown), self._on_next),
            (QKeySequence(Qt.Key.Key_PageUp), self._on_previous),
            (QKeySequence("Ctrl+Home"), self._on_first),
            (QKeySequence("Ctrl+End"), self._on_last),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)

        self.page_spin.setRange(1, max(1, self.page_count()))
        self.page_label.setText(self.tr("van %n", "", self.page_count()))
        self._on_current_page_changed(0)
        self._on_zoom_changed()
        initial = self._initial_size()
        size_window(self, "pdf_preview.PdfPreviewDialog", initial.width(), initial.height())
        if self.document is None:
            self.print_button.setEnabled(False)

    # ------------------------------------------------------------------ the one-call API
    @classmethod
    def preview(cls, parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> None:
        """Show ``pdf`` modally; the user prints it, saves it, or closes the preview."""
        dialog = cls(pdf, title, suggested_name, parent)
        dialog.exec()
        dialog.deleteLater()

    def done(self, result: int) -> None:
        """Close the dialog and let PDFium free the document at once."""
        self.view.set_document(None)
        super().done(result)

    # ------------------------------------------------------------------ queries
    def page_count(self) -> int:
        """Pages in the document (0 when the PDF could not be read)."""
        return self.view.page_count()

    def current_page(self) -> int:
        """The page shown, counted from 0."""
        return self.view.currentPage()

    # ------------------------------------------------------------------ helpers
    def _tool(self, icon: str, tip: str, fallback: str) -> QToolButton:
        from PySide6.QtGui import QIcon

        b = QToolButton(self)
        themed = QIcon.fromTheme(icon)
        if themed.isNull():
            b.setText(fallback)
        else:
            b.setIcon(themed)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.setAutoRaise(True)
        return b

    def _initial_size(self) -> QSize:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(900, 1000)
        area = screen.availableGeometry()
        return QSize(min(980, int(area.width() * 0.9)), int(area.height() * 0.9))

    def _jump(self, page: int) -> None:
        self.view.jump(page)

    # ------------------------------------------------------------------ slots
    @Slot()
    def _on_previous(self) -> None:
        self._jump(self.current_page() - 1)

    @Slot()
    def _on_next(self) -> None:
        self._jump(self.current_page() + 1)

    @Slot()
    def _on_first(self) -> None:
        self._jump(0)

    @Slot()
    def _on_last(self) -> None:
        self._jump(self.page_count() - 1)

    @Slot(int)
    def _on_page_spin(self, value: int) -> None:
        if value - 1 != self.current_page():
            self._jump(value - 1)

    @Slot(int)
    def _on_current_page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.page_count() - 1)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(ZoomMode.CUSTOM)
        self.view.setZoomFactor(factor)

    @Slot()
    def _on_zoom_in(self) -> None:
        now = self.view.zoomFactor()
        self._set_zoom(next((z for z in ZOOM_STEPS if z > now + 0.01), ZOOM_STEPS[-1]))

    @Slot()
    def _on_zoom_out(self) -> None:
        now = self.view.zoomFactor()
        self._set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < now - 0.01), ZOOM_STEPS[0]))

    @Slot()
    def _on_fit_width(self) -> None:
        self.view.setZoomMode(ZoomMode.FIT_TO_WIDTH)

    @Slot()
    def _on_fit_page(self) -> None:
        self.view.setZoomMode(ZoomMode.FIT_IN_VIEW)

    @Slot()
    def _on_zoom_changed(self, *_args: object) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == ZoomMode.FIT_TO_WIDTH)
        self.fit_page_button.setChecked(mode == ZoomMode.FIT_IN_VIEW)
        # The factor means something only in custom mode; in a fit mode the button says it.
        custom = mode == ZoomMode.CUSTOM
        self.zoom_label.setText(f"{round(self.view.zoomFactor() * 100)}%" if custom else "")
        self.zoom_label.setVisible(custom)

    @Slot()
    def _on_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested.removesuffix(".pdf"))
        printer.setFromTo(1, self.page_count())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Afdrukken"))
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if not self.print_to(printer):
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr(
                    "Afdrukken is niet gelukt. Controleer of de printer aan staat en "
                    "probeer het opnieuw."
                ),
            )

    def print_to(self, printer: QPrinter) -> bool:
        """Draw the pages (the printer's page range, or all) onto ``printer``; False on failure.

        Each page is rendered at up to 300 dpi, laid on white and scaled into the printable
        area with its proportions kept.
        """
        count = self.page_count()
        if count == 0 or self.document is None:
            return False
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            first, last = 1, count
        first, last = max(1, first), min(count, last)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dpi = min(PRINT_DPI, printer.resolution())
            for number in range(first, last + 1):
                if number > first and not printer.newPage():
                    return False
                index = number - 1
                page_obj = self.document[index]
                width_pt, height_pt = page_obj.get_size()
                page_obj.close()
                size = QSize(round(width_pt / 72 * dpi), round(height_pt / 72 * dpi))
                page = render_page(self.document, index, size)
                # Let the painter scale into the printable area: scaling the image itself to a
                # 1200 dpi printer would allocate hundreds of megabytes per page.
                target = painter.viewport()
                scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                x = target.x() + (target.width() - scaled.width()) // 2
                painter.drawImage(QRect(x, target.y(), scaled.width(), scaled.height()), page)
            return True
        finally:
            painter.end()
            QApplication.restoreOverrideCursor()

    @Slot()
    def _on_save(self) -> None:
        settings = QSettings()
        folder = settings.value(SETTINGS_DIR) or str(Path.home())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Opslaan als PDF"),
            str(Path(folder) / self._suggested),
            self.tr("PDF-bestanden (*.pdf)"),
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        if self.save_to(target):
            settings.setValue(SETTINGS_DIR, str(target.parent))

    def save_to(self, target: Path) -> bool:
        """Write the PDF to ``target`` (whole or not at all); tell the user when it fails."""
        from ib_desktop.reports.batch import write_atomic

        try:
            write_atomic(target, self._pdf)
        except OSError as exc:
            QMessageBox.warning(
                self,
                APP_NAME,
                self.tr("De PDF kon niet worden opgeslagen in '%s': %s")
                % (str(target), exc.strerror or str(exc)),
            )
            return False
        self.saved_path = target
        return True

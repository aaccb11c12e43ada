"""A scrolling view of a PDF's pages, rendered with PDFium (``pypdfium2``).

Qt's own ``QPdfView`` lives in the PySide6-Addons wheel, which brings QtWebEngine and about
500 MB along; the small ``pyside6-pdf`` wheel exists only for PySide6 6.12.0, which aborts on
Python 3.11. PDFium is the renderer QtPdf wraps as well, so pages look the same; this widget does
only what the preview needs: pages under each other, zoom (fit to width, whole page, steps) and
the current page. Pages are rendered when they come into view and dropped when far away, so a
100-page batch costs only the memory of the pages on screen.
"""

from __future__ import annotations

import enum

import pypdfium2 as pdfium
from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

#: Pages kept rendered above and below the visible ones.
KEEP_AROUND = 2


class ZoomMode(enum.Enum):
    """How the zoom factor is chosen: by the user, or to fit the view."""

    CUSTOM = "custom"
    FIT_TO_WIDTH = "fit-to-width"
    FIT_IN_VIEW = "fit-in-view"


def open_pdf(data: bytes) -> pdfium.PdfDocument | None:
    """The PDF in ``data``, or None when PDFium cannot read it."""
    try:
        return pdfium.PdfDocument(bytes(data))
    except pdfium.PdfiumError:
        return None


def render_page(document: pdfium.PdfDocument, index: int, size: QSize) -> QImage:
    """Page ``index`` rendered on white into an image of ``size`` pixels (aspect kept by caller)."""
    page = document[index]
    try:
        width_pt, _height_pt = page.get_size()
        scale = size.width() / width_pt if width_pt else 1.0
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True,
                             prefer_bgrx=True)
        try:
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            return image.copy()  # own the pixels: the bitmap's buffer is freed below
        finally:
            bitmap.close()
    finally:
        page.close()


class PdfPagesView(QScrollArea):
    """The pages of one PDF under each other, with zoom and a current page."""

    currentPageChanged = Signal(int)
    zoomFactorChanged = Signal(float)
    zoomModeChanged = Signal(object)

    SPACING = 12
    MARGIN = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: pdfium.PdfDocument | None = None
        self._sizes: list[tuple[float, float]] = []
        self._labels: list[QLabel] = []
        self._rendered: dict[int, float] = {}
        self._zoom = 1.0
        self._mode = ZoomMode.FIT_TO_WIDTH
        self._current = 0
        self._jumping = False
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#8a8f96"))
        self.setPalette(palette)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self._pages = QWidget()
        self._pages.setAutoFillBackground(False)
        self._layout = QVBoxLayout(self._pages)
        self._layout.setSpacing(self.SPACING)
        self._layout.setContentsMargins(self.MARGIN, self.MARGIN, self.MARGIN, self.MARGIN)
        self.setWidget(self._pages)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self._render_visible)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # ------------------------------------------------------------------ document
    def set_document(self, document: pdfium.PdfDocument | None) -> None:
        """Show ``document`` (None shows nothing) from its first page."""
        if self._document is not None and self._document is not document:
            self._document.close()
        for label in self._labels:
            label.deleteLater()
        self._labels.clear()
        self._rendered.clear()
        self._document = document
        self._sizes = []
        if document is not None:
            for index in range(len(document)):
                page = document[index]
                self._sizes.append(page.get_size())
                page.close()
        for index in range(len(self._sizes)):
            label = QLabel(self._pages)
            label.setObjectName(f"pdfPage{index + 1}")
            label.setAutoFillBackground(True)
            label.setStyleSheet("background: white;")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self._labels.append(label)
        self._current = 0
        self._apply_zoom()

    def page_count(self) -> int:
        """Pages in the document shown."""
        return len(self._sizes)

    # ------------------------------------------------------------------ zoom
    def zoomMode(self) -> ZoomMode:  # noqa: N802 - Qt naming, as QPdfView
        """The zoom mode in force."""
        return self._mode

    def setZoomMode(self, mode: ZoomMode) -> None:  # noqa: N802
        """Fit the pages to the view's width or height, or keep the custom factor."""
        if mode != self._mode:
            self._mode = mode
            self.zoomModeChanged.emit(mode)
        self._apply_zoom()

    def zoomFactor(self) -> float:  # noqa: N802
        """Screen pixels per PDF point, relative to the screen's actual size (1.0 = 100%)."""
        return self._zoom

    def setZoomFactor(self, factor: float) -> None:  # noqa: N802
        """Set the factor used in custom mode."""
        previous = self._zoom
        self._zoom = max(0.1, min(8.0, factor))
        self._apply_zoom(previous)

    def _points_to_pixels(self) -> float:
        return self.logicalDpiX() / 72.0

    def _fit_zoom(self) -> float:
        if not self._sizes:
            return 1.0
        widest = max(w for w, _h in self._sizes)
        tallest = max(h for _w, h in self._sizes)
        room = self.viewport().size()
        per_point = self._points_to_pixels()
        by_width = (room.width() - 2 * self.MARGIN) / (widest * per_point)
        if self._mode == ZoomMode.FIT_TO_WIDTH:
            return max(0.1, by_width)
        by_height = (room.height() - 2 * self.MARGIN) / (tallest * per_point)
        return max(0.1, min(by_width, by_height))

    def _apply_zoom(self, previous: float | None = None) -> None:
        old = self._zoom if previous is None else previous
        if self._mode != ZoomMode.CUSTOM:
            self._zoom = self._fit_zoom()
        scale = self._zoom * self._points_to_pixels()
        for label, (w, h) in zip(self._labels, self._sizes, strict=True):
            label.setFixedSize(max(1, round(w * scale)), max(1, round(h * scale)))
        self._pages.adjustSize()
        self._rendered.clear()
        if abs(old - self._zoom) > 1e-6:
            self.zoomFactorChanged.emit(self._zoom)
        self._jump_scroll(self._current)
        self._render_timer.start()

    # ------------------------------------------------------------------ pages
    def currentPage(self) -> int:  # noqa: N802
        """The page the user is at, counted from 0."""
        return self._current

    def jump(self, page: int) -> None:
        """Show ``page`` (counted from 0) at the top of the view."""
        if not self._labels:
            return
        page = max(0, min(page, len(self._labels) - 1))
        self._jump_scroll(page)
        self._set_current(page)
        self._render_timer.start()

    def _jump_scroll(self, page: int) -> None:
        if not self._labels:
            return
        self._jumping = True
        try:
            self.verticalScrollBar().setValue(self._labels[page].y() - self.MARGIN)
        finally:
            self._jumping = False

    def _set_current(self, page: int) -> None:
        if page != self._current:
            self._current = page
            self.currentPageChanged.emit(page)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        self._render_timer.start()
        if self._jumping or not self._labels:
            return
        middle = value + self.viewport().height() // 3
        page = next((i for i, lbl in enumerate(self._labels) if lbl.geometry().bottom() >= middle),
                    len(self._labels) - 1)
        self._set_current(page)

    def _visible_pages(self) -> range:
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        shown = [i for i, lbl in enumerate(self._labels)
                 if lbl.geometry().bottom() >= top and lbl.geometry().top() <= bottom]
        if not shown:
            return range(0)
        last = min(len(self._labels), shown[-1] + 1 + KEEP_AROUND)
        return range(max(0, shown[0] - KEEP_AROUND), last)

    @Slot()
    def _render_visible(self) -> None:
        if self._document is None:
            return
        wanted = self._visible_pages()
        for index in list(self._rendered):
            if index not in wanted:
                self._labels[index].clear()
                del self._rendered[index]
        ratio = self.devicePixelRatioF()
        for index in wanted:
            if self._rendered.get(index) == self._zoom:
                continue
            label = self._labels[index]
            size = label.size() * ratio
            image = render_page(self._document, index, QSize(round(size.width()),
                                                             round(size.height())))
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            self._rendered[index] = self._zoom

    def rendered_pages(self) -> list[int]:
        """The pages that hold a rendered image now (for tests and memory checks)."""
        return sorted(self._rendered)

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._mode != ZoomMode.CUSTOM:
            self._apply_zoom()
